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

    /// What a new user met, each one line before any run (no run file is written).
    func testImpossibleSettingsAreOneLineBeforeAnyRun() throws {
        var negative = nielsen(learningRate: -0.1)
        var tooLarge = nielsen()
        tooLarge.batchSize = 501
        // Choosing on the test set is refused, and so is early stopping that names nothing to watch.
        var peeking = nielsen()
        (peeking.earlyStopping, peeking.monitor) = (EarlyStopping(patience: 2), .testAccuracy)
        var unwatched = nielsen()
        unwatched.schedule = .halveOnPlateau(patience: 2)
        for (step, line) in [(negative, "step mlp: the learning rate must be greater than 0 (it is -0.1)"),
                             (tooLarge, "step mlp: a mini-batch of 501 must be between 1 and the 500 training images"),
                             (peeking, "step mlp: monitoring test_accuracy would choose on the test set: hold out validation images "
                                       + "(Train(validation:)) and monitor .validationAccuracy"),
                             (unwatched, "step mlp: early stopping and halving on a plateau watch a metric: give monitor: "
                                         + ".validationAccuracy (with Train(validation:))")] {
            let folder = results()
            XCTAssertThrowsError(try run([step], in: folder)) { XCTAssertEqual("\($0)", line) }
            let runs = folder.appendingPathComponent("train-test/runs")
            XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? [], [])
        }
        negative.optimizer.learningRate = 0.5
        XCTAssertNoThrow(try negative.check(try DataLoader.load(.mnist5k)))
    }

    /// A sweep's axis read by a step of another sweep is one line naming the axes, before any run.
    func testAnAxisOfAnotherSweepInAStepIsOneLineBeforeAnyRun() throws {
        let eta = Axis<Double>("eta"), hidden = Axis<Int>("hidden")
        let rates = Sweep.grid("rates", eta.over([0.5]))
        let study = Study("axis-test", title: "t", summary: "t") { _ in
            rates.steps { point in
                Train(point.name, model: .mlp([784, point[hidden], 10], .sigmoid), data: .mnist5k,
                      split: .random(train: 100, test: 50, seed: 0), loss: .crossEntropy, weights: .nielsen,
                      optimizer: Optimizer(learningRate: point[eta]), epochs: 1, batchSize: 10, seed: 0)
            }
        }
        let folder = results()
        XCTAssertThrowsError(try Runner(study: study, context: StudyContext(profile: .quick),
                                        options: RunnerOptions(results: folder, formats: [.svg]), log: { _ in }).run()) {
            XCTAssertEqual("\($0)", "sweep 'rates' has no axis 'hidden' (its axes: eta)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("axis-test/runs").path))
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

    /// Early stopping on the validation images: the run stops at the first epoch whose
    /// validation accuracy is no better than the best before it (patience 1), and asking to
    /// monitor validation accuracy without validation images is refused before any training.
    func testEarlyStoppingWatchesTheValidationImages() throws {
        func stopping(validation: Int?) -> Train {
            Train("stopping", model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k, split: .random(train: 500, test: 200, seed: 0),
                  loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: 3), earlyStopping: EarlyStopping(patience: 1),
                  monitor: .validationAccuracy, epochs: 12, batchSize: 10, seed: 3, validation: validation)
        }
        let refused = results()
        XCTAssertThrowsError(try run([stopping(validation: nil)], in: refused)) { error in
            XCTAssertTrue("\(error)".contains("needs a validation set"), "\(error)")
        }
        let folder = results()
        _ = try run([stopping(validation: 100)], in: folder)
        let file = try storedRun(in: folder, step: "stopping")
        let validated = try file.metric("validation_accuracy")
        for epoch in 1..<(validated.count - 1) {
            XCTAssertGreaterThan(validated[epoch], validated[..<epoch].max()!, "epoch \(epoch + 1) improved, so training went on")
        }
        if validated.count < 12 {
            XCTAssertLessThanOrEqual(validated.last!, validated.dropLast().max()!, "the last epoch did not improve: the rule stopped there")
            XCTAssertEqual(file.attributes["stop_reason"], .string("no improvement in 1 epochs"))
        }
    }

    /// A dev set from another distribution: `validationDistortion` warps only the held-out
    /// images, so training and the test curve stay bit-identical to the undistorted run; it is
    /// refused without a validation set.
    func testValidationDistortionWarpsOnlyTheDevImages() throws {
        func dev(_ distortion: Augmentation, validation: Int? = 100) -> Train {
            Train("dev-\(distortion == .none ? "plain" : "warped")", model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k,
                  split: .random(train: 500, test: 200, seed: 0), loss: .crossEntropy, weights: .nielsen,
                  optimizer: Optimizer(learningRate: 0.5), epochs: 2, batchSize: 10, seed: 4, validation: validation,
                  validationDistortion: distortion)
        }
        let warp = Augmentation.affine(degrees: 20, shift: 3, shear: 0.2, scale: 0.1)
        XCTAssertThrowsError(try run([dev(warp, validation: nil)], in: results())) { error in
            XCTAssertTrue("\(error)".contains("needs a validation set"), "\(error)")
        }
        let folder = results()
        _ = try run([dev(.none), dev(warp)], in: folder)
        let plain = try storedRun(in: folder, step: "dev-plain"), warped = try storedRun(in: folder, step: "dev-warped")
        XCTAssertEqual(try plain.metric("test_accuracy").map(\.bitPattern), try warped.metric("test_accuracy").map(\.bitPattern))
        XCTAssertEqual(try plain.tensor("layer0_weight"), try warped.tensor("layer0_weight"))
        XCTAssertNotEqual(try plain.metric("validation_loss"), try warped.metric("validation_loss"))
    }

    /// `classes: [3, 7]` trains and tests on those digits only, relabelled 0 and 1.
    func testClassesKeepOnlyThoseDigitsRelabelled() throws {
        let folder = results()
        let pair = Train("pair", model: .mlp([784, 2], .sigmoid), data: .mnist5k, split: .random(train: 500, test: 200, seed: 0),
                         loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: 0.5), epochs: 3, batchSize: 10,
                         seed: 1, classes: [3, 7])
        _ = try run([pair], in: folder)
        let file = try storedRun(in: folder, step: "pair")
        let data = try DataLoader.load(.mnist5k)
        let trained = try file.data("train_indices").map { data.train.labels[Int($0)] }
        XCTAssertFalse(trained.isEmpty)
        XCTAssertEqual(Set(trained), [3, 7])
        XCTAssertLessThan(trained.count, 200, "about a fifth of 500 digits are 3s and 7s")
        let confusion = try file.tensor("confusion")
        XCTAssertEqual(confusion.shape, [2, 2])
        XCTAssertGreaterThan(try file.metric("test_accuracy").last!, 0.9, "3 against 7 is easy even without a hidden layer")
    }

    /// The update-sign metric: with sigmoid hidden units and one sample per update, every
    /// weight into an output neuron moves the same way (seed 003); with tanh they do not.
    func testSigmoidHiddenUnitsMoveEveryWeightIntoANeuronTogether() throws {
        let folder = results()
        let steps = [Activation.sigmoid, .tanh].map { activation in
            Train("signs-\(activation.rawValue)", model: .mlp([784, 30, 10], activation, output: .sigmoid), data: .mnist5k,
                  split: .random(train: 200, test: 50, seed: 0), loss: .crossEntropy, weights: .nielsen,
                  optimizer: Optimizer(learningRate: 0.1), epochs: 1, batchSize: 1, seed: 2, recordUpdateSigns: true)
        }
        _ = try run(steps, in: folder)
        XCTAssertEqual(try storedRun(in: folder, step: "signs-sigmoid").metric("same_sign_layer2"), [1])
        XCTAssertLessThan(try storedRun(in: folder, step: "signs-tanh").metric("same_sign_layer2")[0], 0.8)
    }

    /// Seed 001's normalisation: standardised inputs have per-pixel mean 0 and std 1 on the
    /// training images, and the test images are scaled with the training statistics unless
    /// the study asks for each set's own (the mistake the text warns of).
    func testInputScalingUsesTheTrainingStatistics() throws {
        let train = ImageSet(pixels: [0, 0.2, 0, 0.6, 0, 1.0], labels: [0, 1, 0], rows: 1, columns: 2)
        let test = ImageSet(pixels: [0, 0.2, 0, 0.4], labels: [0, 1], rows: 1, columns: 2)
        let selection = DataSplit.Selection(train: train, test: test, trainIndices: [0, 1, 2], testIndices: [0, 1])
        func scaled(_ scaling: InputScaling) -> DataSplit.Selection {
            var copy = selection, validation: ImageSet? = nil
            scaling.apply(to: &copy, validation: &validation)
            return copy
        }
        XCTAssertEqual(scaled(.raw).test.pixels, [0, 51, 0, 102])
        // Pixel 1 of the training images: 0.2, 0.6, 1.0, mean 0.6, population std sqrt(0.32/3).
        let std = (0.32 / 3).squareRoot()
        let standardised = scaled(.standardised)
        XCTAssertEqual(Double(standardised.train.pixels[1]), -0.4 / std, accuracy: 1e-6)
        XCTAssertEqual(Double(standardised.test.pixels[3]), (0.4 - 0.6) / std, accuracy: 1e-6, "the test image uses the training mean and std")
        XCTAssertEqual(standardised.train.pixels[0], 0, "a pixel that never varies is only centred")
        let own = scaled(.standardisedWithOwnStatistics)
        XCTAssertEqual(Double(own.test.pixels[3]), 1, accuracy: 1e-6, "with its own statistics the test pixel (0.2, 0.4) becomes (-1, 1)")
    }
}
