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
        XCTAssertTrue(markdown.contains("Final test accuracy beside seed 003's") && markdown.contains("0.9514"), markdown)
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("lr-example/quick/figures/accuracy.svg").path))
        try? FileManager.default.removeItem(at: results)
    }
}
