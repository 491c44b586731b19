import Datasets
import XCTest
@testable import ConvNet

/// Saving and restoring a Trainer, and the learning-rate schedules and early stopping.
final class TrainingStateTests: XCTestCase {
    /// A small CNN with every kind of state: batch-norm running statistics, a dropout
    /// generator, Adam's two moments.
    static let spec = ModelSpec(input: [1, 28, 28], layers: [
        .conv(filters: 4, kernel: 5), .batchNorm, .activation(.relu), .maxPool(2),
        .dense(32), .activation(.relu), .dropout(rate: 0.3), .dense(10),
    ])

    func trainer(seed: UInt64, schedule: LearningRateSchedule = .halveOnPlateau(patience: 1)) -> Trainer {
        Trainer(network: Self.spec.build(weights: .he, seed: seed), loss: .softmaxLogLikelihood,
                optimizer: Optimizer(learningRate: 0.01, method: .adam()), batchSize: 16, seed: seed, schedule: schedule)
    }

    func bits(_ trainer: Trainer) -> [UInt32] { trainer.network.parameters.flatMap { $0.value.map(\.bitPattern) } }

    /// Four epochs straight equal two epochs, a save, a restore into a fresh trainer (built
    /// from another seed, so nothing but the state can make them agree) and two more.
    func testARestoredTrainerContinuesBitIdentically() throws {
        let data = try DataLoader.load(.mnist5k)
        let train = data.train.subset(Array(0..<200)), test = data.train.subset(Array(200..<300))
        let sets = (train: (inputs: train.pixels, labels: train.labels), test: (inputs: test.pixels, labels: test.labels))

        let straight = trainer(seed: 5)
        let straightReports = (1...4).map { _ in straight.runEpoch(train: sets.train, test: sets.test) }

        let first = trainer(seed: 5)
        for _ in 1...2 { _ = first.runEpoch(train: sets.train, test: sets.test) }
        let saved = first.state()
        let resumed = trainer(seed: 99)
        try resumed.restore(saved)
        XCTAssertEqual(resumed.state(), saved, "a restored trainer holds exactly the saved state")
        XCTAssertEqual(resumed.epochsDone, 2)
        let resumedReports = (3...4).map { _ in resumed.runEpoch(train: sets.train, test: sets.test) }

        XCTAssertEqual(bits(resumed), bits(straight))
        XCTAssertEqual(resumedReports.map(\.train.loss.bitPattern), straightReports[2...].map(\.train.loss.bitPattern))
        XCTAssertEqual(resumedReports.map(\.learningRate), straightReports[2...].map(\.learningRate))
        XCTAssertEqual(resumed.state(), straight.state())
    }

    func testAStateFromAnotherNetworkIsRefusedWithAReason() {
        let other = Trainer(network: ModelSpec.mlp([784, 10], .sigmoid).build(seed: 1), loss: .quadratic,
                            optimizer: Optimizer(learningRate: 0.1), batchSize: 10, seed: 1)
        XCTAssertThrowsError(try trainer(seed: 1).restore(other.state())) { error in
            XCTAssertEqual("\(error)", "checkpoint entry 'param0' is missing or has the wrong size for this network")
        }
    }

    func testStepDecay() {
        var control = TrainingControl(startRate: 1, schedule: .step(every: 2, factor: 0.1))
        var rates: [Double] = []
        for epoch in 1...5 {
            rates.append(control.rate)
            XCTAssertNil(control.endEpoch(epoch, value: Double(epoch)))
        }
        XCTAssertEqual(rates.count, 5)
        for (rate, expected) in zip(rates, [1, 1, 0.1, 0.1, 0.01]) { XCTAssertEqual(rate, expected, accuracy: 1e-12) }
    }

    /// Nielsen's schedule: halve after `patience` epochs without a new best, stop when the
    /// rate would drop below 1/1024 of the start (here a floor of 1/4 for brevity).
    func testHalvingOnPlateauDownToTheFloor() {
        var control = TrainingControl(startRate: 0.8, schedule: .halveOnPlateau(patience: 2, floor: 0.25))
        var log: [String] = []
        for (epoch, accuracy) in [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.7, 0.7].enumerated() {
            let stop = control.endEpoch(epoch + 1, value: accuracy)
            log.append(stop.map { "\($0)" } ?? "\(control.rate)")
            if stop != nil { break }
        }
        // Epochs 3-4 do not beat 0.6: halve to 0.4. Epoch 5 is a new best; 6-7 are not: 0.2.
        // Epochs 8-9 are not either, and 0.1 would be below 0.8 / 4: stop.
        XCTAssertEqual(log, ["0.8", "0.8", "0.8", "0.4", "0.4", "0.4", "0.2", "0.2", "learning rate below its floor"])
    }

    func testEarlyStoppingAfterPatienceEpochsWithoutImprovement() {
        var control = TrainingControl(startRate: 0.1, earlyStopping: EarlyStopping(patience: 3), monitor: .testLoss)
        let losses = [1.0, 0.8, 0.9, 0.85, 0.81, 0.7]
        let stops = losses.enumerated().map { control.endEpoch($0.offset + 1, value: $0.element) }
        XCTAssertEqual(stops, [nil, nil, nil, nil, .noImprovement(epochs: 3), nil])
    }
}
