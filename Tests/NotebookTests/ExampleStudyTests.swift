import Foundation
import RunStore
import XCTest
@testable import Notebook

/// docs/WRITING_STUDIES.md's example is this target's ExampleStudy.swift, word for word;
/// it compiles here and runs on real digits.
final class ExampleStudyTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheGuideShowsTheCompiledExampleVerbatim() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/WRITING_STUDIES.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("ExampleStudy.swift"), encoding: .utf8)
        let start = try XCTUnwrap(guide.range(of: "```swift\n// experiments/Studies/OptimizerStudy.swift\n"))
        let end = try XCTUnwrap(guide.range(of: "```", range: start.upperBound..<guide.endIndex))
        XCTAssertEqual(String(guide[start.upperBound..<end.lowerBound]), source,
                       "update docs/WRITING_STUDIES.md when ExampleStudy.swift changes")
    }

    func testTheExampleRunsAndWritesItsReport() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        let outcome = try Runner(study: optimizerStudy, context: StudyContext(profile: .quick),
                                 options: RunnerOptions(results: results, formats: [.svg]), log: { _ in }).run()
        XCTAssertEqual(outcome.computed.count, 8, "four optimisers, two seeds")
        XCTAssertNil(outcome.figureProblem)
        let markdown = try String(contentsOf: try XCTUnwrap(outcome.reportMarkdown), encoding: .utf8)
        // Each row is the mean of its two stored runs' final test accuracy.
        let runs = results.appendingPathComponent("optimizer-study/runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        for optimizer in ["sgd", "momentum", "nesterov", "adam"] {
            let finals = try names.filter { $0.hasPrefix("mlp-optimizer=\(optimizer),seed=") }
                .map { try RunFile(url: runs.appendingPathComponent($0)).metric("test_accuracy").last! }
            XCTAssertEqual(finals.count, 2, optimizer)
            XCTAssertTrue(markdown.contains("| \(optimizer) | \(formatNumber(finals.reduce(0, +) / 2)) |"), "\(optimizer):\n\(markdown)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("optimizer-study/quick/figures/accuracy.svg").path))
        try? FileManager.default.removeItem(at: results)
    }
}
