import Foundation
import RunStore
import XCTest

/// `experiments run cost-study --quick`: seed 003's learning slowdown, measured.
final class CostStudyTests: XCTestCase {
    func testTheQuadraticCostLearnsSlowlyFromASaturatedStartAndCrossEntropyDoesNot() throws {
        let runs = try CLI.runQuick("cost-study", figures: ["neuron", "accuracy"])
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasPrefix("neuron-") })
        let neuron = try RunFile(url: runs.appendingPathComponent(name))
        func halving(_ metric: String) throws -> Int {
            let costs = try neuron.metric(metric)
            return costs.firstIndex { $0 < costs[0] / 2 } ?? costs.count
        }
        // From (2, 2): sigma'(z) ~ 0.018 starves the quadratic gradient; a - y ~ 0.98 does not.
        XCTAssertGreaterThan(try halving("cost_quadratic_from_2.0_2.0"), 100)
        XCTAssertLessThan(try halving("cost_cross_entropy_from_2.0_2.0"), 20)
        // From (0.6, 0.9) both learn at once, cross-entropy still faster.
        XCTAssertLessThan(try halving("cost_quadratic_from_0.6_0.9"), 60)
        XCTAssertLessThan(try halving("cost_cross_entropy_from_0.6_0.9"), try halving("cost_quadratic_from_0.6_0.9"))
        // The reference table: each of the six cells of seed 003's table beside the test error
        // our stored run measured, with a verdict computed from the two.
        let markdown = try String(contentsOf: runs.deletingLastPathComponent().appendingPathComponent("quick/report.md"), encoding: .utf8)
        for (hidden, step, label, text) in [(30, "quadratic", "quadratic", "5.5300"), (30, "cross-entropy-l2", "cross-entropy + L2", "4.0300"),
                                            (100, "cross-entropy", "cross-entropy", "3.0000")] {
            let accuracy = try RunFile(url: try CLI.runFile(in: runs, step: "mlp\(hidden)-\(step)")).metric("test_accuracy").last!
            let ours = String(format: "%.4f", 100 * (1 - accuracy))
            XCTAssertTrue(markdown.contains("| 784-\(hidden)-10, \(label): test error (%) (seed 003) [a] | \(text) | \(ours) |"),
                          "784-\(hidden)-10 \(label): ours \(ours) beside the text's \(text)\n\(markdown)")
        }
        // A quick run trains 3 epochs on 1000 digits: far from the text's errors, and its report says it does not count.
        XCTAssertTrue(markdown.contains("not reproduced: ours is"), markdown)
        XCTAssertTrue(markdown.contains("This is the quick report"), markdown)
    }
}
