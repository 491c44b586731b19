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
        let markdown = try String(contentsOf: runs.deletingLastPathComponent().appendingPathComponent("report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("| 784-30-10 | ours |") && markdown.contains("| 5.53 |"), "our errors beside the book's")
    }
}
