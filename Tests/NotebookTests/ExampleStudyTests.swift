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
        let start = try XCTUnwrap(guide.range(of: "```swift\n// experiments/Studies/LearningRateExample.swift\n"))
        let end = try XCTUnwrap(guide.range(of: "```", range: start.upperBound..<guide.endIndex))
        XCTAssertEqual(String(guide[start.upperBound..<end.lowerBound]), source,
                       "update docs/WRITING_STUDIES.md when ExampleStudy.swift changes")
    }

    func testTheExampleRunsAndWritesItsReport() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        let outcome = try Runner(study: learningRateExample, context: StudyContext(profile: .quick),
                                 options: RunnerOptions(results: results, formats: [.svg]), log: { _ in }).run()
        XCTAssertEqual(outcome.computed.count, 6)
        XCTAssertNil(outcome.figureProblem)
        let markdown = try String(contentsOf: try XCTUnwrap(outcome.reportMarkdown), encoding: .utf8)
        // Our column is the mean of the two stored eta-0.5 runs' final test accuracy.
        let runs = results.appendingPathComponent("lr-example/runs")
        let finals = try FileManager.default.contentsOfDirectory(atPath: runs.path)
            .filter { $0.hasPrefix("mlp-eta=0.5,seed=") && $0.hasSuffix(".h5") }
            .map { try RunFile(url: runs.appendingPathComponent($0)).metric("test_accuracy").last! }
        XCTAssertEqual(finals.count, 2)
        let ours = formatNumber(finals.reduce(0, +) / 2)
        XCTAssertTrue(markdown.contains("| eta 0.5 | \(ours) | 0.9514 |"), "ours \(ours) beside seed 003's 0.9514:\n\(markdown)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("lr-example/quick/figures/accuracy.svg").path))
        try? FileManager.default.removeItem(at: results)
    }
}
