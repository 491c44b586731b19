import Datasets
import XCTest
@testable import ConvNet

/// The source texts' worked examples (../shared/REFERENCE.md) as tests.
final class WorkedExampleTests: XCTestCase {
    /// One forward pass of a single-filter convolution over a [1, h, w] image.
    func correlate(_ image: [Float], height: Int, width: Int, kernel: [Float], size: Int, bias: Float,
                   stride: Int = 1) -> (shape: [Int], values: [Float]) {
        let conv = Conv2D(inputShape: [1, height, width], filters: 1, kernel: size, stride: stride)
        conv.weight.value = kernel
        conv.bias.value = [bias]
        let y = image.withUnsafeBufferPointer { conv.forward($0.baseAddress!, batch: 1, training: false) }
        return (conv.outputShape, Array(UnsafeBufferPointer(start: y, count: conv.outputShape.reduce(1, *))))
    }

    /// Seed 000: the classic 5x5 binary image and the 3x3 kernel [[1,0,1],[0,1,0],[1,0,1]].
    func testSeed000BinaryImage() {
        let image: [Float] = [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
        let (shape, values) = correlate(image, height: 5, width: 5, kernel: [1, 0, 1, 0, 1, 0, 1, 0, 1], size: 3, bias: 0)
        XCTAssertEqual(shape, [1, 3, 3])
        XCTAssertEqual(values, [4, 3, 4, 2, 4, 3, 2, 3, 4])
    }

    /// Seed 002, Tables 1 and 2: the value at row 3, column 7 (1-based) before the sigmoid.
    /// The text's products sum to 227; it then writes "+ 4 = 227", but with the bias of 4
    /// the value is 231 (an arithmetic slip in the text, carried into REFERENCE.md).
    func testSeed002TableExample() {
        let input: [Float] = [3, 1, 6, 4, 4, 1, 3, 6, 3, 2, 3, 5, 4, 5, 6, 1, 5, 6, 5, 2, 2, 4, 6, 4, 5, 1, 4, 5, 1, 3, 4, 3, 1, 1, 5, 4,
                              1, 4, 4, 5, 2, 2, 2, 5, 4, 3, 1, 1, 4, 2, 1, 4, 4, 4, 2, 6, 3, 1, 3, 6, 2, 5, 5, 3, 5, 5, 4, 2, 1, 5, 1, 4,
                              4, 3, 2, 5, 1, 5, 2, 5, 3, 1, 1, 5, 6, 3, 2, 4, 2, 4, 1, 5, 3, 6, 6, 5, 2, 5, 1, 6, 4, 4, 3, 2, 1, 1, 5, 2,
                              6, 2, 4, 2, 1, 5, 4, 1, 6, 4, 6, 5, 3, 5, 2, 2, 5, 6, 2, 5, 3, 2, 4, 1, 6, 2, 1, 3, 2, 5, 5, 6, 5, 6, 6, 3]
        let filter: [Float] = [1, 4, 4, 5, 2, 5, 2, 3, 5, 2, 4, 5, 1, 5, 4, 3, 4, 1, 3, 5, 4, 5, 2, 1, 4]
        let withoutBias = correlate(input, height: 12, width: 12, kernel: filter, size: 5, bias: 0)
        XCTAssertEqual(withoutBias.shape, [1, 8, 8], "N = 12, K = 5 gives 8")
        XCTAssertEqual(withoutBias.values[2 * 8 + 6], 227)
        XCTAssertEqual(correlate(input, height: 12, width: 12, kernel: filter, size: 5, bias: 4).values[2 * 8 + 6], 231)
    }

    func testOutputSizes() {
        // 'same', stride 2, 7x7 kernels, 4 filters on 427x640x3 -> 214x320x4 (000).
        XCTAssertEqual(Conv2D(inputShape: [3, 427, 640], filters: 4, kernel: 7, stride: 2, padding: .same).outputShape, [4, 214, 320])
        // 'same', stride 1, 2x2 kernels, 16 filters on 20x30x3 -> 20x30x16 (000).
        XCTAssertEqual(Conv2D(inputShape: [3, 20, 30], filters: 16, kernel: 2, padding: .same).outputShape, [16, 20, 30])
        // N = 5, K = 2, stride 3 -> 2 (004); N = 28, K = 5 -> 24 (002).
        XCTAssertEqual(convolutionOutputSize(input: 5, kernel: 2, stride: 3, padding: .valid).size, 2)
        XCTAssertEqual(convolutionOutputSize(input: 28, kernel: 5, stride: 1, padding: .valid).size, 24)
        // Dilation 2 (004): a 3x3 kernel spans 5 pixels, so 9 -> 5 without padding.
        XCTAssertEqual(Conv2D(inputShape: [1, 9, 9], filters: 1, kernel: 3, dilation: 2).outputShape, [1, 5, 5])
    }

    /// Seed 002's network: 16@5x5, pool, 32@5x5, pool, 128, 10, sigmoid after every layer.
    static let seed002 = ModelSpec.seed002CNN(.activation(.sigmoid), outputActivation: .activation(.sigmoid))

    func testSeed002NetworkHas80202Parameters() {
        let network = Self.seed002.build()
        XCTAssertEqual(network.parameterCount, 80_202)
        XCTAssertEqual(network.layers.compactMap { ($0 as? Pool)?.outputShape }, [[16, 12, 12], [32, 4, 4]])
    }

    /// Seed 001: a 10-class softmax with small weights starts at ln(10) = 2.3026.
    func testSoftmaxStartsAtLn10OnRealDigits() throws {
        let data = try DataLoader.load(.mnist5k)
        let sample = data.train.subset(Array(0..<500))
        let network = ModelSpec.mlp([784, 50, 10], .relu, activateOutput: false).build(weights: .gaussian(std: 1e-4), seed: 3)
        let trainer = Trainer(network: network, loss: .softmaxLogLikelihood, optimizer: Optimizer(learningRate: 0), batchSize: 100, seed: 3)
        let loss = trainer.evaluate(inputs: sample.pixels, labels: sample.labels).loss
        XCTAssertEqual(loss, log(10), accuracy: 0.02)
    }

    /// Seed 001: regularisation raises the starting cost by its term, 0.5 * reg * sum(W^2) for
    /// the slides' reg (Nielsen's lambda = reg * n), about 0.5 * reg * (weights) * 1e-8 here.
    func testRegularisationRaisesTheInitialCostByItsTerm() throws {
        let data = try DataLoader.load(.mnist5k)
        let sample = data.train.subset(Array(0..<500))
        let network = ModelSpec.mlp([784, 50, 10], .relu, activateOutput: false).build(weights: .gaussian(std: 1e-4), seed: 3)
        let reg = 1e3
        let trainer = Trainer(network: network, loss: .softmaxLogLikelihood,
                              optimizer: Optimizer(learningRate: 0, regularization: .l2(lambda: reg * 500)), batchSize: 100, seed: 3)
        let sumOfSquares = network.parameters.filter(\.isWeight).flatMap(\.value).reduce(0.0) { $0 + Double($1) * Double($1) }
        let (loss, cost) = trainer.cost(inputs: sample.pixels, labels: sample.labels)
        XCTAssertEqual(cost - loss, 0.5 * reg * sumOfSquares, accuracy: 1e-9)
        XCTAssertEqual(cost - loss, 0.5 * reg * Double(784 * 50 + 50 * 10) * 1e-8, accuracy: 0.01)
    }

    /// The slides' abort rule: once a mini-batch's loss exceeds the limit (3x the initial
    /// loss), the epoch ends at that batch and reports why; every batch loss so far is kept.
    func testALossAboveTheLimitAbortsTheEpochAtThatBatch() throws {
        let data = try DataLoader.load(.mnist5k)
        let sample = data.train.subset(Array(0..<1000))
        let network = ModelSpec.mlp([784, 50, 10], .relu, activateOutput: false).build(weights: .gaussian(std: 1e-4), seed: 3)
        let trainer = Trainer(network: network, loss: .softmaxLogLikelihood, optimizer: Optimizer(learningRate: 30), batchSize: 100, seed: 3)
        trainer.recordBatchLosses = true
        trainer.abortAbove = 3 * log(10)
        let report = trainer.runEpoch(train: (sample.pixels, sample.labels), test: (sample.pixels, sample.labels))
        XCTAssertEqual(report.stop, .lossAbove(limit: 3 * log(10)))
        let losses = report.train.batchLosses
        XCTAssertGreaterThan(losses.last!, 3 * log(10))
        XCTAssertTrue(losses.dropLast().allSatisfy { $0 <= 3 * log(10) }, "\(losses)")
        XCTAssertLessThan(losses.count, 10, "stopped before the epoch's 10 batches")
    }

    /// Seed 001's sanity check: a small net overfits 20 real digits to 100% training accuracy.
    func testOverfitsTwentyRealDigits() throws {
        let data = try DataLoader.load(.mnist5k)
        let (indices, _) = try randomSplit(count: data.train.count, train: 20, test: 0, seed: 0)
        let twenty = data.train.subset(indices)
        let network = ModelSpec.mlp([784, 50, 10], .relu, activateOutput: false).build(weights: .he, seed: 1)
        let trainer = Trainer(network: network, loss: .softmaxLogLikelihood,
                              optimizer: Optimizer(learningRate: 0.1, method: .momentum(0.9)), batchSize: 20, seed: 1)
        var last = EpochResult(loss: .nan, accuracy: 0, diverged: false)
        for _ in 0..<200 { last = trainer.trainEpoch(inputs: twenty.pixels, labels: twenty.labels) }
        XCTAssertFalse(last.diverged)
        XCTAssertEqual(trainer.evaluate(inputs: twenty.pixels, labels: twenty.labels).accuracy, 1)
        XCTAssertLessThan(last.loss, 0.01)
    }

    /// A linear output under the quadratic cost with a far too large learning rate grows
    /// geometrically until float32 overflows: the epoch reports `diverged`, nothing crashes.
    func testExplodingTrainingIsReportedAsDivergedNotACrash() throws {
        let data = try DataLoader.load(.mnist5k)
        let sample = data.train.subset(Array(0..<100))
        let network = ModelSpec(input: [784], layers: [.dense(10)]).build(weights: .nielsen, seed: 2)
        let trainer = Trainer(network: network, loss: .quadratic, optimizer: Optimizer(learningRate: 1e3), batchSize: 10, seed: 2)
        var diverged = false
        for _ in 0..<5 where !diverged { diverged = trainer.trainEpoch(inputs: sample.pixels, labels: sample.labels).diverged }
        XCTAssertTrue(diverged)
    }

    /// The non-negotiable: the same config and seed give the same bits whatever the thread
    /// count (chunks of a mini-batch on 1 or 2 threads).
    /// Batch 64 is split into 8 chunks; the dropout layer draws different masks per chunk.
    func testTrainingIsBitIdenticalWithOneOrTwoThreads() throws {
        let data = try DataLoader.load(.mnist5k)
        let sample = data.train.subset(Array(0..<256))
        var spec = Self.seed002
        spec.layers.insert(.dropout(rate: 0.2), at: 7)
        func trainedWeights(threads: Int) -> [UInt32] {
            let network = spec.build(weights: .xavierNormal, seed: 4)
            network.threads = threads
            XCTAssertEqual(network.chunkCount(batch: 64), 8)
            let trainer = Trainer(network: network, loss: .quadratic, optimizer: Optimizer(learningRate: 0.5), batchSize: 64, seed: 4)
            _ = trainer.trainEpoch(inputs: sample.pixels, labels: sample.labels)
            return network.parameters.flatMap { $0.value.map(\.bitPattern) }
        }
        XCTAssertEqual(trainedWeights(threads: 2), trainedWeights(threads: 1))
    }

    func testSameSeedSameWeightsBitForBit() {
        let a = Self.seed002.build(weights: .xavierNormal, seed: 9).parameters.flatMap(\.value)
        let b = Self.seed002.build(weights: .xavierNormal, seed: 9).parameters.flatMap(\.value)
        let c = Self.seed002.build(weights: .xavierNormal, seed: 10).parameters.flatMap(\.value)
        XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertNotEqual(a, c)
    }
}
