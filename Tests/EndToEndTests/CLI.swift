import Foundation
import XCTest

/// Runs the real `experiments` executable built beside the tests, from the package root
/// (where scripts/setup.sh put data/), and captures what a user would see.
struct CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// On Linux the test runner is `<build>/debug/<package>PackageTests.xctest`, next to
    /// the products it depends on.
    static var executable: URL {
        Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("experiments")
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var stderrLines: [Substring] { stderr.split(separator: "\n") }
    }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        try launch(executable, arguments, environment: environment)
    }

    /// Another program on PATH (`swiftc`, `pkg-config`), from the package root.
    static func runProgram(_ arguments: [String]) throws -> Result {
        try launch(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: nil)
    }

    /// A program's trimmed standard output, or nil when it fails.
    static func shell(_ arguments: [String]) -> String? {
        guard let result = try? runProgram(arguments), result.status == 0 else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func launch(_ program: URL, _ arguments: [String], environment: [String: String]?) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a chatty process never blocks on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The run file `<step>-<hash>.h5` in a runs folder (not `<step>-draw1-<hash>.h5`).
    static func runFile(in runs: URL, step: String) throws -> URL {
        let name = try FileManager.default.contentsOfDirectory(atPath: runs.path).first {
            $0.hasPrefix(step + "-") && $0.hasSuffix(".h5") && !$0.dropFirst(step.count + 1).contains("-")
        }
        guard let name else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(runs.path)/\(step)-*.h5"]) }
        return runs.appendingPathComponent(name)
    }

    /// The run file a report's Runs table links for `step`: its own `<step>-<hash>.h5`, or the
    /// run of an earlier step with the same config, which it shares.
    static func linkedRun(in report: URL, step: String) throws -> URL {
        let markdown = try String(contentsOf: report, encoding: .utf8)
        guard let start = markdown.range(of: "| [`\(step)`]("), let end = markdown[start.upperBound...].firstIndex(of: ")") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(report.path): no run of \(step)"])
        }
        return report.deletingLastPathComponent().appendingPathComponent(String(markdown[start.upperBound..<end])).standardizedFileURL
    }

    /// Runs `experiments run <study> --quick` (PNG figures) into a fresh folder, checks that it
    /// succeeded and drew `figures` (in the quick report's folder), and returns the study's runs folder.
    static func runQuick(_ study: String, figures: [String] = [], file: StaticString = #filePath,
                         line: UInt = #line) throws -> URL {
        let results = try temporaryFolder(study)
        let run = try CLI.run(["run", study, "--quick", "--results", results.path, "--format", "png"])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
        let folder = results.appendingPathComponent(study)
        for figure in figures {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("quick/figures/\(figure).png").path),
                          "figure \(figure)", file: file, line: line)
        }
        // Prose written with a doubled backslash in a study file reaches the report as Swift
        // escapes instead of its values ("\(epochs)", a line ending in " \").
        let report = try String(contentsOf: folder.appendingPathComponent("quick/report.md"), encoding: .utf8)
        for text in report.split(separator: "\n") where text.contains("\\(") || text.hasSuffix(" \\") {
            XCTFail("\(study)'s report shows a Swift escape: \(text)", file: file, line: line)
        }
        return folder.appendingPathComponent("runs")
    }

    /// The report.md files under a study's folder: the default report and each variant's
    /// (quick/, full/, or the profile and what else differs: quick-seed3/, full-set-epochs-5/).
    static func reports(in study: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: study, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).filter { $0.lastPathComponent == "report.md" }
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("experiments-tests-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Asserts the way every bad input must end: non-zero exit, exactly one line on stderr
/// that says what is wrong, and no stack trace.
func assertOneLineFailure(_ result: CLI.Result, mentioning text: String,
                          file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(result.status, 0, "exit status", file: file, line: line)
    XCTAssertEqual(result.stderrLines.count, 1, "one line on stderr, got:\n\(result.stderr)", file: file, line: line)
    XCTAssertTrue(result.stderr.contains(text), "stderr should mention '\(text)': \(result.stderr)", file: file, line: line)
    XCTAssertFalse(result.stderr.contains("Stack") || result.stderr.contains("Fatal error"), file: file, line: line)
}
