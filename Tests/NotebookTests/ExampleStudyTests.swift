import Foundation
import RunStore
import XCTest
@testable import Notebook

/// docs/WRITING_STUDIES.md's example is this target's ExampleStudy.swift, word for word;
/// it compiles here and runs on real digits.
final class ExampleStudyTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheGuideShowsTheCompiledExamplesVerbatim() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/WRITING_STUDIES.md"), encoding: .utf8)
        for (file, shownAs) in [("ExampleStudy.swift", "OptimizerStudy.swift"), ("GridExampleStudy.swift", "BatchRateStudy.swift")] {
            let source = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent(file), encoding: .utf8)
            let start = try XCTUnwrap(guide.range(of: "```swift\n// experiments/Studies/\(shownAs)\n"), shownAs)
            let end = try XCTUnwrap(guide.range(of: "```", range: start.upperBound..<guide.endIndex))
            XCTAssertEqual(String(guide[start.upperBound..<end.lowerBound]), source,
                           "update docs/WRITING_STUDIES.md when \(file) changes")
        }
    }

    /// The second example, on Fashion-MNIST as `--data fashion` would give it: a 2-D grid read
    /// back by coordinates into a heatmap, a table with a timing, a computed sentence, panels.
    func testTheGridExampleRunsOnOtherDataAndReadsItsCells() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("grid-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: results) }
        let outcome = try Runner(study: batchRateStudy, context: StudyContext(profile: .quick, data: .fashionMNIST),
                                 options: RunnerOptions(results: results, formats: [.svg]), log: { _ in }).run()
        XCTAssertEqual(outcome.computed.count, 9, "three mini-batch sizes by three learning rates")
        XCTAssertNil(outcome.figureProblem)
        // The sentence names the cell with the best stored accuracy.
        let runs = try FileManager.default.contentsOfDirectory(at: results.appendingPathComponent("batch-rate-study/runs"),
                                                               includingPropertiesForKeys: nil)
        let cells = try runs.filter { $0.pathExtension == "h5" }.map { url in
            (name: url.lastPathComponent, accuracy: try RunFile(url: url).metric("test_accuracy").last!, data: try RunFile(url: url).attributes["data"])
        }
        XCTAssertEqual(cells.count, 9)
        XCTAssertTrue(cells.allSatisfy { $0.data == .string("fashion-mnist") }, "--data reaches every run")
        let best = try XCTUnwrap(cells.max { $0.accuracy < $1.accuracy })
        let coordinates = best.name.dropFirst("mlp-".count).split(separator: "-")[0].split(separator: ",")
            .map { $0.split(separator: "=")[1] }
        XCTAssertEqual(outcome.report?.paragraphs.last,
                       "The best cell: mini-batch \(coordinates[0]), eta \(coordinates[1]), test accuracy \(formatNumber(best.accuracy)).")
        // The table holds each cell's final accuracy as a number, in the grid's order.
        let table = try XCTUnwrap(outcome.report?.table("Time per epoch and final test accuracy"))
        XCTAssertEqual(table.rows.count, 9)
        XCTAssertEqual(Set(table.column("test accuracy")?.compactMap(\.value) ?? []), Set(cells.map(\.accuracy)))
        XCTAssertEqual(outcome.report?.figures, ["Final test accuracy for each mini-batch size and learning rate",
                                                 "Test accuracy per epoch, one panel per mini-batch size"])
        let figures = try XCTUnwrap(outcome.reportMarkdown).deletingLastPathComponent().appendingPathComponent("figures")
        for figure in ["accuracy-grid.svg", "curves.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: figures.appendingPathComponent(figure).path), figure)
        }
    }

    func testTheExampleRunsAndWritesItsReport() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        let outcome = try Runner(study: optimizerStudy, context: StudyContext(profile: .quick),
                                 options: RunnerOptions(results: results, formats: [.svg]), log: { _ in }).run()
        XCTAssertEqual(outcome.computed.count, 8, "four optimisers, two seeds")
        XCTAssertNil(outcome.figureProblem)
        // Each row is the mean of its two stored runs' final test accuracy.
        let table = try XCTUnwrap(outcome.report?.table("Final test accuracy (mean of two seeds)"))
        XCTAssertEqual(table.column("optimizer"), ["sgd", "momentum", "nesterov", "adam"])
        let runs = results.appendingPathComponent("optimizer-study/runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        for (row, optimizer) in ["sgd", "momentum", "nesterov", "adam"].enumerated() {
            let finals = try names.filter { $0.hasPrefix("mlp-optimizer=\(optimizer),seed=") }
                .map { try RunFile(url: runs.appendingPathComponent($0)).metric("test_accuracy").last! }
            XCTAssertEqual(finals.count, 2, optimizer)
            XCTAssertEqual(table.rows[row][1].value, finals.reduce(0, +) / 2, optimizer)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("optimizer-study/quick/figures/accuracy.svg").path))
        try? FileManager.default.removeItem(at: results)
    }
}
