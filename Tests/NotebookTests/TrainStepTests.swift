import Datasets
import RunStore
import XCTest
@testable import Notebook

/// The engine behind the DSL: `Train` runs through the real runner on real mnist5k digits.
final class TrainStepTests: XCTestCase {
    func results() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString)") }

    /// Nielsen's 784-30-10 sigmoid network with cross-entropy, on 500 training digits.
    func nielsen(epochs: Int = 3, learningRate: Double = 0.5) -> Train {
        Train("mlp", model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k, split: .random(train: 500, test: 200, seed: 0),
              loss: .crossEntropy, weights: .nielsen, biases: .gaussian(std: 1),
              optimizer: Optimizer(learningRate: learningRate), epochs: epochs, batchSize: 10, seed: 7)
    }

    func run(_ steps: [any StudyStep], in folder: URL) throws -> RunnerOutcome {
        try Runner(study: Study("train-test", title: "t", summary: "t") { _ in steps }, context: StudyContext(profile: .quick),
                   options: RunnerOptions(results: folder, formats: [.svg]), log: { _ in }).run()
    }

    func storedRun(in folder: URL, step: String) throws -> RunFile {
        let runs = folder.appendingPathComponent("train-test/runs")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasPrefix(step + "-") })
        return try RunFile(url: runs.appendingPathComponent(name))
    }

    func testTrainingStoresPerEpochMetricsWeightsAndItsExactConfig() throws {
        let folder = results()
        XCTAssertEqual(try run([nielsen()], in: folder).computed, ["mlp"])
        let file = try storedRun(in: folder, step: "mlp")
        XCTAssertEqual(file.status, .complete)
        XCTAssertEqual(try file.metric("epoch"), [1, 2, 3])
        let accuracy = try file.metric("test_accuracy")
        XCTAssertEqual(accuracy.count, 3)
        XCTAssertGreaterThan(accuracy.last!, 0.7, "three epochs on 500 real digits learn far above chance (0.1)")
        XCTAssertLessThan(try file.metric("train_loss").last!, try file.metric("train_loss").first!)
        XCTAssertEqual(try file.tensor("layer0_weight").shape, [30, 784])
        let parameters: Int64 = 784 * 30 + 30 + 30 * 10 + 10
        XCTAssertEqual(file.attributes["parameters"], .int(parameters))
        let config = try XCTUnwrap(file.string("config"))
        XCTAssertTrue(config.contains(#"{"dense":30}"#) && config.contains(#""loss":"cross_entropy""#), config)
        XCTAssertEqual(try file.data("train_indices").count, 500)
    }

    func testSameConfigAndSeedGiveBitIdenticalRunsAndAreReused() throws {
        let a = results(), b = results()
        _ = try run([nielsen(epochs: 2)], in: a)
        _ = try run([nielsen(epochs: 2)], in: b)
        let first = try storedRun(in: a, step: "mlp"), second = try storedRun(in: b, step: "mlp")
        for metric in ["train_loss", "test_loss", "test_accuracy"] {
            XCTAssertEqual(try first.metric(metric).map(\.bitPattern), try second.metric(metric).map(\.bitPattern), metric)
        }
        XCTAssertEqual(try first.tensor("layer2_weight"), try second.tensor("layer2_weight"))
        XCTAssertEqual(try run([nielsen(epochs: 2)], in: a).reused, ["mlp"])
    }

    func testADivergingRunIsStoredAsDivergedAndNotRecomputed() throws {
        let folder = results()
        let exploding = Train("exploding", model: ModelSpec(input: [784], layers: [.dense(10)]), data: .mnist5k,
                              split: .random(train: 100, test: 50, seed: 0), loss: .quadratic, weights: .nielsen,
                              optimizer: Optimizer(learningRate: 1e3), epochs: 5, batchSize: 10, seed: 1)
        let outcome = try run([exploding], in: folder)
        XCTAssertEqual(outcome.computed, ["exploding"])
        XCTAssertTrue(outcome.failed.isEmpty, "divergence is a result, not a failure")
        let file = try storedRun(in: folder, step: "exploding")
        XCTAssertEqual(file.status, .diverged)
        guard case .int(let epoch)? = file.attributes["diverged_epoch"] else { return XCTFail("diverged_epoch") }
        XCTAssertEqual(try file.metric("epoch").count, Int(epoch) - 1, "epochs before the divergent one are kept")
        XCTAssertEqual(try run([exploding], in: folder).reused, ["exploding"])
    }
}
