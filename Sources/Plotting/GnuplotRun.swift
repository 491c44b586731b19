import Foundation

/// One run of gnuplot on a script, from the script's folder so it finds its data by relative name.
struct GnuplotRun {
    let executable: String
    let folder: URL

    func render(script: String, format: OutputFormat, figure: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // --default-settings: no ~/.gnuplot, so the figure looks the same on every machine.
        process.arguments = ["--default-settings", "-e", "fmt=\"\(format.rawValue)\"", script]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PlotError.gnuplotFailed(figure: figure, message: "cannot start \(executable): \(error.localizedDescription)")
        }
        // Read before waiting: a full pipe would block gnuplot.
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let fallback = process.terminationReason == .exit
                ? "gnuplot exited with status \(process.terminationStatus)"
                : "gnuplot was killed by signal \(process.terminationStatus)"
            throw PlotError.gnuplotFailed(figure: figure, message: Self.firstMeaningfulLine(of: stderr) ?? fallback)
        }
    }

    /// gnuplot echoes the failing command and a line with a caret under it before
    /// `"name.gp" line 12: what went wrong`: that last one is the message; warnings are skipped.
    static func firstMeaningfulLine(of stderr: String) -> String? {
        let lines = stderr.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "^" } }
        let errors = lines.filter { !$0.contains("warning:") }
        return errors.first { $0.range(of: #"line \d+: "#, options: .regularExpression) != nil } ?? errors.first ?? lines.first
    }
}
