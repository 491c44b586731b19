import Foundation
import RunStore
import XCTest

/// `experiments run practice-study --quick`: the bias/variance table computed from four real
/// runs, and the deep linear network against the text's a^(L-1).
final class PracticeStudyTests: XCTestCase {
    func testBiasVarianceTableAndTheDeepLinearNetwork() throws {
        let runs = try CLI.runQuick("practice-study", figures: ["deep-linear"])
        // Every depth's output is 2 a^(L-1) to float64 rounding, for a = 0.9, 1 and 1.5.
        let deep = try RunFile(url: try CLI.runFile(in: runs, step: "deep-linear"))
        for scale in [0.9, 1.0, 1.5] {
            let outputs = try deep.metric("output_a\(scale)")
            XCTAssertEqual(outputs.count, 3)
            for (output, depth) in zip(outputs, [5, 10, 20]) {
                let text = 2 * pow(scale, Double(depth - 1))
                XCTAssertEqual(output, text, accuracy: 1e-12 * text, "a = \(scale), L = \(depth)")
            }
        }
        // The table's errors are the stored runs' own, and its diagnosis follows the stated rule.
        let report = try String(contentsOf: runs.deletingLastPathComponent().appendingPathComponent("quick/report.md"), encoding: .utf8)
        for cell in ["large-few", "over-regularised", "starved-few", "large"] {
            let run = try RunFile(url: try CLI.runFile(in: runs, step: "fit-model=\(cell)"))
            let train = 100 * (1 - (try run.metric("train_eval_accuracy").last!)), dev = 100 * (1 - (try run.metric("test_accuracy").last!))
            let diagnosis = train > 5 && dev - train > 5 ? "high bias and high variance"
                : train > 5 ? "high bias" : dev - train > 5 ? "high variance" : "neither"
            XCTAssertTrue(report.contains("| \(cell) | \(String(format: "%.1f", train)) | \(String(format: "%.1f", dev)) |"), "\(cell):\n\(report)")
            XCTAssertTrue(report.contains("| \(diagnosis) |"), "\(cell): \(diagnosis)")
        }
    }
}
