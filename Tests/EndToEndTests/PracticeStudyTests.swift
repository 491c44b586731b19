import Foundation
import RunStore
import XCTest

/// `experiments run practice-study --quick`: the dev set from another distribution, the
/// bias/variance table computed from four real runs, normalised inputs, the deep linear
/// network against the text's a^(L-1), and the recipe's ranking.
final class PracticeStudyTests: XCTestCase {
    func testEveryPartComputesFromRealRuns() throws {
        let runs = try CLI.runQuick("practice-study", figures: ["deep-linear", "split", "normalising", "recipe"])
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
        let reportFile = runs.deletingLastPathComponent().appendingPathComponent("quick/report.md")
        let report = try String(contentsOf: reportFile, encoding: .utf8)
        for cell in ["large-few", "over-regularised", "starved-few", "large"] {
            // "large" is the split's network on the same images: it shares that run.
            let run = try RunFile(url: try CLI.linkedRun(in: reportFile, step: "fit-model=\(cell)"))
            let train = 100 * (1 - (try run.metric("train_eval_accuracy").last!)), dev = 100 * (1 - (try run.metric("validation_accuracy").last!))
            let diagnosis = train > 5 && dev - train > 5 ? "high bias and high variance"
                : train > 5 ? "high bias" : dev - train > 5 ? "high variance" : "neither"
            let row = "| \(cell) | \(String(format: "%.1f", train)) | \(String(format: "%.1f", dev)) | \(train > 5 ? "high" : "low") | "
                + "\(dev - train > 5 ? "high" : "low") | \(diagnosis) |"
            XCTAssertTrue(report.contains(row), "\(cell): \(row)\n\(report)")
        }

        // The split: both runs train identically (same test curve to the bit), and the warped
        // dev images are a harder, other distribution.
        let same = try RunFile(url: try CLI.runFile(in: runs, step: "split")), other = try RunFile(url: try CLI.runFile(in: runs, step: "split-shifted-dev"))
        XCTAssertEqual(try same.metric("test_accuracy").map(\.bitPattern), try other.metric("test_accuracy").map(\.bitPattern))
        XCTAssertLessThan(try other.metric("validation_accuracy").last!, try same.metric("validation_accuracy").last!)
        XCTAssertTrue(report.contains("their test curves agree to the bit"))

        // Normalising inputs: the scalings train differently, except that the two standardised
        // runs share the training statistics and so train identically.
        func inputs(_ name: String) throws -> RunFile { try RunFile(url: try CLI.runFile(in: runs, step: "inputs-scaling=\(name)")) }
        let standardised = try inputs("standardised"), own = try inputs("standardised, own statistics")
        XCTAssertEqual(try standardised.metric("train_loss"), try own.metric("train_loss"))
        XCTAssertNotEqual(try inputs("raw 0..255").metric("train_loss"), try inputs("0..1").metric("train_loss"))

        // The recipe table ranks by the stored best dev accuracy.
        let ranked = try ["ReLU", "leaky ReLU", "maxout", "ELU", "tanh", "sigmoid"].map { name in
            (name, try RunFile(url: try CLI.runFile(in: runs, step: "recipe-hidden_units=\(name)")).metric("validation_accuracy").max()!)
        }.sorted { $0.1 > $1.1 }
        XCTAssertTrue(report.contains("| 1 | \(ranked[0].0) | \(String(format: "%.4f", ranked[0].1)) |"), report)
    }
}
