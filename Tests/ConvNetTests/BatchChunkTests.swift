import XCTest
@testable import ConvNet

/// Mini-batches split into chunks (BatchChunks.swift): when, and that the summed chunk
/// gradients are the whole batch's.
final class BatchChunkTests: XCTestCase {
    func testChunkCountDependsOnTheBatchAndTheLayersOnly() {
        let cnn = WorkedExampleTests.seed002.build()
        XCTAssertEqual(cnn.trainingFlopsPerSample, 6_237_696)
        XCTAssertEqual([1, 2, 3, 9, 10, 16, 17, 64, 1000].map { cnn.chunkCount(batch: $0) }, [1, 1, 1, 2, 2, 2, 3, 8, 32])
        cnn.threads = 7
        XCTAssertEqual(cnn.chunkCount(batch: 64), 8)
        // Too little work per batch to share: the 784-30-10 MLP at batch 10.
        XCTAssertEqual(ModelSpec.mlp([784, 30, 10], .sigmoid).build().chunkCount(batch: 10), 1)
        // Batch norm needs the whole batch's statistics.
        var normalised = WorkedExampleTests.seed002
        normalised.layers.insert(.batchNorm, at: 1)
        XCTAssertEqual(normalised.build().chunkCount(batch: 64), 1)
    }

    /// The same network and batch, trained as two chunks and as one piece: equal gradients
    /// and loss up to float32 rounding.
    func testChunkGradientsSumToTheWholeBatchGradient() {
        let spec = ModelSpec.seed002CNN(.activation(.relu))
        let batch = 9
        var random = RandomStream(seed: 3, purpose: .inputs)
        let input = (0..<(batch * 784)).map { _ in Float(random.uniform()) }
        let labels = (0..<batch).map { Int32($0 % 10) }
        func gradients(chunked: Bool) -> (loss: Double, values: [Float]) {
            let network = spec.build(weights: .he, seed: 5)
            XCTAssertEqual(network.chunkCount(batch: batch), 2)
            let result = input.withUnsafeBufferPointer { x in labels.withUnsafeBufferPointer { y in
                chunked
                    ? network.step(x.baseAddress!, labels: y.baseAddress!, batch: batch, loss: .softmaxLogLikelihood,
                                   reduction: .mean, gradient: Buffer())
                    : network.wholeStep(x.baseAddress!, labels: y.baseAddress!, batch: batch, meanOver: batch,
                                        loss: .softmaxLogLikelihood, reduction: .mean, gradient: Buffer(), training: true)
            } }
            return (result.loss, network.parameters.flatMap(\.gradient))
        }
        let (chunked, whole) = (gradients(chunked: true), gradients(chunked: false))
        XCTAssertEqual(chunked.loss, whole.loss, accuracy: 1e-6 * whole.loss)
        let scale = whole.values.map(abs).max()!
        XCTAssertGreaterThan(scale, 0)
        for (a, b) in zip(chunked.values, whole.values) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale) }
    }
}
