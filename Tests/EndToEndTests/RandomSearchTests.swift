import Foundation
import RunStore
import XCTest

/// `experiments run random-search --quick` on real digits.
final class RandomSearchTests: XCTestCase {
    func testQuickProfileRunsBothStagesAndTheGridWithinTheirRanges() throws {
        let runs = try CLI.runQuick("random-search", figures: ["accuracy-vs-lr", "trials"])
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(names.filter { $0.hasPrefix("coarse-") }.count, 6)
        XCTAssertEqual(names.filter { $0.hasPrefix("fine-") }.count, 4)
        XCTAssertEqual(names.filter { $0.hasPrefix("grid-") }.count, 4, "a 2 x 2 grid")
        for name in names where name.hasPrefix("fine-") {
            let config = try XCTUnwrap(try RunFile(url: runs.appendingPathComponent(name)).string("config"))
            let rate = try XCTUnwrap(config.range(of: #""learning_rate":([0-9.e-]+)"#, options: .regularExpression)
                .map { Double(config[$0].dropFirst(#""learning_rate":"#.count))! })
            XCTAssertTrue((0.1...1).contains(rate), "fine-stage learning rate \(rate) within 10^U(-1, 0)")
        }
        // Every trial is scored on 200 held-out training images it never trained on; the test
        // images stay apart, and the report ranks by validation, showing test accuracy beside it.
        for name in names {
            let trial = try RunFile(url: runs.appendingPathComponent(name))
            // One validation score per finished epoch (a diverged trial has none).
            XCTAssertEqual(try trial.metric("validation_accuracy").count, try trial.metric("test_accuracy").count, name)
            XCTAssertEqual(try trial.data("train_indices").count, 800, name)
            XCTAssertTrue(Set(try trial.data("train_indices")).isDisjoint(with: Set(try trial.data("test_indices"))), name)
        }
        let report = try String(contentsOf: runs.deletingLastPathComponent().appendingPathComponent("quick/report.md"), encoding: .utf8)
        XCTAssertTrue(report.contains("| stage | learning rate | reg | validation accuracy | test accuracy |"), report)
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
