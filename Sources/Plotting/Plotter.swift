import Foundation

public enum OutputFormat: String, CaseIterable, Sendable {
    case png, svg, pdf
    /// cairolatex: `<name>-latex.tex` plus `<name>-latex.pdf`, for LaTeX coursework (a
    /// different stem, so it never overwrites the plain PDF).
    case tex
}

/// The files of a drawn figure.
public struct RenderedFigure: Sendable {
    public let name: String
    public let script: URL
    public let data: URL
    public let outputs: [OutputFormat: URL]
}

public enum PlotError: Error, CustomStringConvertible, Equatable {
    case gnuplotMissing
    case gnuplotFailed(figure: String, message: String)
    case invalidFigure(figure: String, reason: String)

    public var description: String {
        switch self {
        case .gnuplotMissing:
            return "gnuplot not found on PATH: figures skipped (install it with scripts/setup.sh)"
        case let .gnuplotFailed(figure, message):
            return "gnuplot failed on figure '\(figure)': \(message)"
        case let .invalidFigure(figure, reason):
            return "figure '\(figure)': \(reason)"
        }
    }
}

/// Renders figures with the real gnuplot, one process per format.
public struct Plotter: Sendable {
    private let gnuplot: String?

    /// An explicit gnuplot path, or the one found on PATH.
    public init(gnuplot: String? = nil) {
        self.gnuplot = gnuplot ?? Plotter.findGnuplot()
    }

    public static func findGnuplot(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        for folder in (path ?? "").split(separator: ":") {
            let candidate = "\(folder)/gnuplot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writes `<name>.gp` and `<name>.dat` into `folder` and renders each format there.
    public func render(_ figure: Figure, into folder: URL, formats: [OutputFormat] = [.png, .svg]) throws -> RenderedFigure {
        guard let gnuplot, FileManager.default.isExecutableFile(atPath: gnuplot) else { throw PlotError.gnuplotMissing }
        let script = try GnuplotScript(figure)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scriptURL = folder.appendingPathComponent(figure.name + ".gp")
        let dataURL = folder.appendingPathComponent(script.dataFile)
        try Data(script.data.utf8).write(to: dataURL, options: .atomic)
        try Data(script.script.utf8).write(to: scriptURL, options: .atomic)

        var outputs: [OutputFormat: URL] = [:]
        for format in formats {
            try run(gnuplot, arguments: ["-e", "fmt='\(format.rawValue)'", scriptURL.lastPathComponent],
                    in: folder, figure: figure.name)
            let file = format == .tex ? "\(figure.name)-latex.tex" : "\(figure.name).\(format.rawValue)"
            outputs[format] = folder.appendingPathComponent(file)
        }
        return RenderedFigure(name: figure.name, script: scriptURL, data: dataURL, outputs: outputs)
    }

    private func run(_ gnuplot: String, arguments: [String], in folder: URL, figure: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gnuplot)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw PlotError.gnuplotMissing }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PlotError.gnuplotFailed(figure: figure, message: firstMeaningfulLine(stderr))
        }
    }

    /// gnuplot's error names the script line (`"name.gp" line 12: undefined variable`);
    /// the lines above it only echo the command with a caret.
    private func firstMeaningfulLine(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.first { $0.contains(" line ") && $0.contains(":") } ?? lines.last ?? "exit status non-zero"
    }
}
