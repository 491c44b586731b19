import Foundation
import XCTest

/// The report's header names the exact command that redraws it: pasted into a shell, it
/// writes the same report, whatever --results, --format, --set, --seed and --data were.
final class RedrawCommandTests: XCTestCase {
    func testThePrintedRedrawCommandRedrawsTheSameReport() throws {
        let folder = try CLI.temporaryFolder("redraw")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Paths a shell would split or expand unless quoted.
        let results = folder.appendingPathComponent("my results $HOME 'q'", isDirectory: true)
        let data = folder.appendingPathComponent("their data $x/fashion", isDirectory: true)
        try FileManager.default.createDirectory(at: data.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: data, withDestinationURL: URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist"))
        let run = try CLI.run(["run", "knn-baseline", "--quick", "--seed", "2", "--set", "draws=2", "--data", data.path,
                               "--results", results.path, "--format", "svg"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let reports = CLI.reports(in: results.appendingPathComponent("knn-baseline"))
        XCTAssertEqual(reports.count, 1, "\(reports)")
        let report = try XCTUnwrap(reports.first)
        let variant = report.deletingLastPathComponent().lastPathComponent
        XCTAssertTrue(variant.hasPrefix("quick-data-fashion-") && variant.hasSuffix("-seed2-set-draws-2"), variant)
        let files = ["report.md", "report.html", "reproductions.json"].map { report.deletingLastPathComponent().appendingPathComponent($0) }
        let before = try files.map(withoutDates)

        let markdown = try String(contentsOf: report, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "redraw from the stored runs with `([^`]+)`")
        let match = try XCTUnwrap(pattern.firstMatch(in: markdown, range: NSRange(markdown.startIndex..., in: markdown)), markdown)
        let command = String(markdown[Range(match.range(at: 1), in: markdown)!])
        let words = try shellWords(command)
        XCTAssertEqual(Array(words.prefix(3)), ["swift", "run", "experiments"])
        XCTAssertEqual(Array(words.dropFirst(3)), ["report", "knn-baseline", "--quick", "--seed", "2", "--data", data.path,
                                                   "--set", "draws=2", "--results", results.path, "--format", "svg"])

        for file in files { try FileManager.default.removeItem(at: file) }
        let redraw = try CLI.run(Array(words.dropFirst(3)))
        XCTAssertEqual(redraw.status, 0, redraw.stderr)
        XCTAssertEqual(try files.map(withoutDates), before, "the redraw command writes the same report")
    }

    /// A report file without the lines that carry the time it was written.
    private func withoutDates(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("Generated") && !$0.contains("\"generated\"") }.joined(separator: "\n")
    }

    /// The words /bin/sh reads from `command`.
    private func shellWords(_ command: String) throws -> [String] {
        let result = try CLI.runProgram(["sh", "-c", "set -- \(command); printf '%s\\0' \"$@\""])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}
