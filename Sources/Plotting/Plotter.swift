import Foundation

/// What render() wrote: the script and data a student can re-run and edit, and one file per format.
public struct RenderedFigure: Sendable {
    public let name: String
    public let script: URL
    public let data: URL
    /// `.tex` maps to `<name>-latex.tex`; the `<name>-latex.pdf` it includes lies beside it.
    public let outputs: [OutputFormat: URL]

    public init(name: String, script: URL, data: URL, outputs: [OutputFormat: URL]) {
        self.name = name
        self.script = script
        self.data = data
        self.outputs = outputs
    }
}

public struct Plotter: Sendable {
    /// The gnuplot executable; nil when none was found on PATH.
    public let gnuplot: String?

    /// `gnuplot` is the executable's path; without it, PATH is searched.
    public init(gnuplot: String? = nil) {
        self.gnuplot = gnuplot ?? Self.findGnuplot()
    }

    /// The first executable `gnuplot` in the folders of `path` (a PATH-style list).
    public static func findGnuplot(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for folder in (path ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot").path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// Writes `<name>.gp` and `<name>.dat` into `folder` (created if missing), then runs gnuplot
    /// there once per format. On a gnuplot failure the script and data stay for debugging.
    public func render(_ figure: Figure, into folder: URL, formats: [OutputFormat] = [.png, .svg]) throws -> RenderedFigure {
        guard let gnuplot, FileManager.default.isExecutableFile(atPath: gnuplot) else { throw PlotError.gnuplotMissing }
        try figure.validate()
        let files = ScriptBuilder(figure: figure)
        let script = folder.appendingPathComponent(figure.name + ".gp")
        let data = folder.appendingPathComponent(figure.name + ".dat")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try (files.script.joined(separator: "\n") + "\n").write(to: script, atomically: true, encoding: .utf8)
        try files.data.write(to: data, atomically: true, encoding: .utf8)

        var outputs: [OutputFormat: URL] = [:]
        for format in formats where outputs[format] == nil {
            let written = format.files(for: figure.name).map(folder.appendingPathComponent)
            // A file left from an earlier render must not pass for this one.
            for file in written { try? FileManager.default.removeItem(at: file) }
            do {
                try GnuplotRun(executable: gnuplot, folder: folder).render(script: script.lastPathComponent,
                                                                              format: format, figure: figure.name)
            } catch {
                // gnuplot opens its output before it fails: an empty or half-drawn file would mislead.
                for file in written { try? FileManager.default.removeItem(at: file) }
                throw error
            }
            if let missing = written.first(where: { !FileManager.default.fileExists(atPath: $0.path) }) {
                throw PlotError.gnuplotFailed(figure: figure.name, message: "gnuplot wrote no \(missing.lastPathComponent)")
            }
            outputs[format] = written[0]
        }
        return RenderedFigure(name: figure.name, script: script, data: data, outputs: outputs)
    }
}

extension OutputFormat {
    /// The files gnuplot writes for this format, the main one first.
    func files(for name: String) -> [String] {
        switch self {
        case .png, .svg, .pdf: return ["\(name).\(rawValue)"]
        case .tex: return ["\(name)-latex.tex", "\(name)-latex.pdf"]
        }
    }
}
