import XCTest
@testable import ConvNet

final class RegularizationLayerTests: XCTestCase {
    func run(_ layer: Layer, _ input: [Float], batch: Int, training: Bool) -> [Float] {
        input.withUnsafeBufferPointer { x in
            Array(UnsafeBufferPointer(start: layer.forward(x.baseAddress!, batch: batch, training: training),
                                      count: batch * layer.outputShape.reduce(1, *)))
        }
    }

    func testBatchNormNormalisesInTrainingAndUsesRunningAveragesAtInference() {
        let norm = BatchNorm(shape: [2])
        norm.gamma.value = [1, 1]
        let batch: [Float] = [1, 10, 3, 20, 5, 30]   // feature 0: 1,3,5 ; feature 1: 10,20,30
        let y = run(norm, batch, batch: 3, training: true)
        XCTAssertEqual(y[0] + y[2] + y[4], 0, accuracy: 1e-5, "zero mean per feature")
        XCTAssertEqual((y[0] * y[0] + y[2] * y[2] + y[4] * y[4]) / 3, 1, accuracy: 1e-3, "unit variance per feature")
        XCTAssertEqual(norm.runningMean, [0.3, 2.0], "momentum 0.1 towards the batch means 3 and 20")
        XCTAssertEqual(norm.runningVariance[0], 0.9 + 0.1 * 4, accuracy: 1e-6, "unbiased batch variance 4")
        let inference = run(norm, [3, 20], batch: 1, training: false)
        XCTAssertEqual(inference[0], (3 - 0.3) / (1.3 + BatchNorm.epsilon).squareRoot(), accuracy: 1e-5)
    }

    func testDropoutDropsAboutTheRateAndScalesTheRest() {
        let layer = Dropout(rate: 0.5, style: .inverted, shape: [1000])
        let y = run(layer, [Float](repeating: 1, count: 10_000), batch: 10, training: true)
        let kept = y.filter { $0 != 0 }
        XCTAssertEqual(Double(kept.count) / 10_000, 0.5, accuracy: 0.02)
        XCTAssertTrue(kept.allSatisfy { $0 == 2 }, "inverted dropout scales kept units by 1 / keep")
        let sample = (0..<1000).map { Float($0) }
        XCTAssertEqual(run(layer, sample, batch: 1, training: false), sample, "identity at inference")
        // The gradient flows through kept units only, with the same scale.
        let dy = [Float](repeating: 1, count: 10_000)
        let dx = dy.withUnsafeBufferPointer { Array(UnsafeBufferPointer(start: layer.backward($0.baseAddress!, batch: 10), count: 10_000)) }
        XCTAssertEqual(dx, y)
    }

    func testClassicDropoutScalesAtInferenceInstead() {
        let layer = Dropout(rate: 0.25, style: .classic, shape: [4])
        let y = run(layer, [Float](repeating: 1, count: 400), batch: 100, training: true)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertEqual(run(layer, [4, 8, 12, 16], batch: 1, training: false), [3, 6, 9, 12])
    }

    func testPReLUStartsAtAQuarterAndMaxoutGroupsPieces() {
        let network = ModelSpec(input: [6], layers: [.dense(6), .prelu, .maxout(pieces: 3)]).build(seed: 1)
        XCTAssertEqual(network.layers[1].parameters[0].value, [Float](repeating: 0.25, count: 6), "not overwritten by an initialiser")
        XCTAssertEqual(network.layers[2].outputShape, [2])
        let maxout = Maxout(pieces: 3, shape: [6])
        XCTAssertEqual(run(maxout, [1, 5, 2, -1, -3, -2], batch: 1, training: true), [5, -1])
    }

    func testDropoutMasksFollowTheSeed() {
        let spec = ModelSpec(input: [50], layers: [.dense(50), .dropout(rate: 0.5)])
        let input = [Float](repeating: 1, count: 50)
        func mask(_ seed: UInt64) -> [Float] {
            let network = spec.build(seed: seed)
            return input.withUnsafeBufferPointer {
                Array(UnsafeBufferPointer(start: network.forward($0.baseAddress!, batch: 1, training: true), count: 50))
            }
        }
        XCTAssertEqual(mask(4), mask(4))
        XCTAssertNotEqual(mask(4), mask(5))
    }
}
