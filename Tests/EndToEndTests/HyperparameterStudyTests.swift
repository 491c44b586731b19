import Foundation
import RunStore
import XCTest

/// `experiments run hyperparameter-study --quick` on real digits: every part stores its runs,
/// and what the report states is what the stored runs say.
final class HyperparameterStudyTests: XCTestCase {
    func testEveryHeuristicRunsAndTheReportReadsTheStoredRuns() throws {
        let runs = try CLI.runQuick("hyperparameter-study", figures: ["learning-rate", "early-stopping", "schedule", "lambda-search",
                                                                      "weight-decay", "broad-strategy", "mini-batch", "momentum", "neuron-types"])
        let report = try String(contentsOf: runs.deletingLastPathComponent().appendingPathComponent("quick/report.md"), encoding: .utf8)
        func run(_ step: String) throws -> RunFile { try RunFile(url: try CLI.runFile(in: runs, step: step)) }

        // The learning-rate rule, recomputed from the stored cost (loss + Nielsen's L2 term,
        // lambda 5 scaled to the 800 training images), is the table's yes or no.
        let lambda = 5.0 * 800 / 50000
        for eta in ["0.025", "0.25", "2.5"] {
            let file = try run("eta-eta=\(eta)")
            let loss = try file.metric("train_eval_loss")
            let norms = try ["weight_norm_layer0", "weight_norm_layer2"].map { try file.metric($0) }
            let cost = loss.indices.map { e in loss[e] + 0.5 * lambda / 800 * (norms[0][e] * norms[0][e] + norms[1][e] * norms[1][e]) }
            let falls = cost[1] < cost[0] && cost[2] < cost[1]
            XCTAssertTrue(report.contains("| \(String(format: "%.4f", Double(eta)!)) | \(String(format: "%.4f", cost[0])) |"), "eta \(eta)")
            XCTAssertTrue(report.contains("| \(String(format: "%.4f", cost.last!)) | \(falls ? "yes" : "no") |"), "eta \(eta): \(cost)")
        }

        // The scheduled run halves eta only after the patience (1 epoch) without a better
        // validation accuracy; every rate is eta / 2^k.
        let scheduled = try run("schedule")
        let rates = try scheduled.metric("learning_rate"), validated = try scheduled.metric("validation_accuracy")
        for epoch in 1..<rates.count {
            let improved = validated[epoch - 1] > validated[..<(epoch - 1)].max() ?? -1
            XCTAssertEqual(rates[epoch], improved ? rates[epoch - 1] : rates[epoch - 1] / 2, "epoch \(epoch + 1)")
        }

        // The reduced problem trains on the digits 0 and 1 only, through a 784-2 network.
        let reduced = try run("reduced-0-1")
        XCTAssertEqual(try reduced.tensor("confusion").shape, [2, 2])
        XCTAssertGreaterThan(try reduced.metric("validation_accuracy").last!, 0.9, "0 against 1 is learnt at once")

        // With sigmoid hidden units and one sample per update every weight into an output
        // neuron moves one way; tanh's do not (the text's argument, measured).
        XCTAssertEqual(try run("signs-hidden_units=sigmoid").metric("same_sign_layer2"), [1])
        XCTAssertLessThan(try run("signs-hidden_units=tanh").metric("same_sign_layer2")[0], 1)
    }
}
