import XCTest
@testable import ConvNet

/// Every layer's backward pass against central finite differences.
///
/// Each check takes L = sum_i r_i y_i for a fixed random r (so dL/dy = r) and compares
/// the backward pass with (L(x + h) - L(x - h)) / 2h, L summed in float64. With float32
/// outputs and h = 1e-2 the rounding error of L is about 1e-7 |L| / h, so agreement to
/// 1e-2 relative (plus 1e-3 absolute for near-zero gradients) separates a correct backward
/// pass from a wrong one (a wrong one is off by O(1)), while smooth layers' truncation
/// error O(h^2) stays far below it.
final class GradientTests: XCTestCase {
    let h: Float = 1e-2

    /// Inputs spaced 3h apart and away from 0, so that ReLU kinks and max-pool
    /// ties never fall between x - h and x + h.
    func input(_ count: Int, seed: UInt64) -> UnsafeMutableBufferPointer<Float> {
        var random = RandomStream(seed: seed, purpose: .initialization)
        let order = random.permutation(count)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        for i in 0..<count {
            let magnitude = 0.05 + 3 * h * Float(order[i])
            buffer[i] = i % 3 == 1 ? -magnitude : magnitude
        }
        return buffer
    }

    func check(_ layer: Layer, batch: Int, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line) {
        var random = RandomStream(seed: seed, purpose: .dropout)
        for parameter in layer.parameters {
            for i in 0..<parameter.count { parameter.value[i] = Float(random.gaussian() * 0.5) }
        }
        let x = input(batch * layer.inputShape.reduce(1, *), seed: seed)
        defer { x.deallocate() }
        let outputCount = batch * layer.outputShape.reduce(1, *)
        let r = (0..<outputCount).map { _ in Float(random.gaussian()) }

        func objective() -> Double {
            let y = layer.forward(UnsafePointer(x.baseAddress!), batch: batch, training: true)
            return (0..<outputCount).reduce(0.0) { $0 + Double(r[$1]) * Double(y[$1]) }
        }
        func numeric(_ bump: (Float) -> Void) -> Double {
            bump(h)
            let plus = objective()
            bump(-2 * h)
            let minus = objective()
            bump(h)
            return (plus - minus) / Double(2 * h)
        }
        func agree(_ analytic: Float, _ numeric: Double, _ what: String) {
            let a = Double(analytic)
            XCTAssertLessThanOrEqual(abs(a - numeric), 1e-3 + 1e-2 * max(abs(a), abs(numeric)),
                                     "\(what): backward \(a), finite difference \(numeric)", file: file, line: line)
        }

        _ = objective()
        let dx = r.withUnsafeBufferPointer { layer.backward($0.baseAddress!, batch: batch) }
        let inputGradient = Array(UnsafeBufferPointer(start: dx, count: x.count))
        let parameterGradients = layer.parameters.map(\.gradient)

        for i in stride(from: 0, to: x.count, by: max(1, x.count / 40)) {
            agree(inputGradient[i], numeric { x[i] += $0 }, "dL/dx[\(i)]")
        }
        for (p, parameter) in layer.parameters.enumerated() {
            for i in stride(from: 0, to: parameter.count, by: max(1, parameter.count / 30)) {
                agree(parameterGradients[p][i], numeric { parameter.value[i] += $0 }, "dL/d\(parameter.name)[\(i)]")
            }
        }
    }

    func testDense() { check(Dense(inputs: 7, outputs: 5), batch: 3) }

    /// Sizes that are no multiple of any kernel block, so every block and tail of the products runs.
    func testDenseWithOddSizes() {
        check(Dense(inputs: 37, outputs: 13), batch: 11)
        check(Dense(inputs: 37, outputs: 13), batch: 17)
    }

    func testConvolutionValid() { check(Conv2D(inputShape: [2, 6, 6], filters: 3, kernel: 3), batch: 2) }

    func testConvolutionSamePaddingStride2() {
        check(Conv2D(inputShape: [3, 7, 8], filters: 4, kernel: 3, stride: 2, padding: .same), batch: 2)
    }

    func testConvolutionDilatedWithExplicitPadding() {
        check(Conv2D(inputShape: [1, 9, 9], filters: 2, kernel: 3, padding: .explicit(1), dilation: 2), batch: 2)
    }

    func testMaxPoolSendsTheGradientToTheArgMaxOnly() { check(Pool(.max, inputShape: [2, 6, 6], size: 2), batch: 2) }

    func testAveragePool() { check(Pool(.average, inputShape: [2, 6, 4], size: 2), batch: 2) }

    func testBatchNormDenseAndConvolutional() {
        check(BatchNorm(shape: [5]), batch: 4)
        check(BatchNorm(shape: [3, 4, 4]), batch: 2)
    }

    func testPReLULearnsItsSlope() {
        check(PReLU(shape: [4]), batch: 3)
        check(PReLU(shape: [2, 3, 3]), batch: 2)
    }

    func testMaxoutSendsTheGradientToTheWinningPiece() {
        check(Maxout(pieces: 2, shape: [6]), batch: 3)
        check(Maxout(pieces: 3, shape: [6, 2, 2]), batch: 2)
    }

    func testEveryActivation() {
        for function in Activation.allCases { check(ActivationLayer(function, shape: [3, 4]), batch: 2) }
    }

    func testEveryLossAgainstFiniteDifferences() {
        for loss in [Loss.quadratic, .crossEntropy, .softmaxLogLikelihood] {
            for reduction in [Reduction.mean, .sum] {
                var output: [Float] = [0.2, 0.7, 0.1, 0.55, 0.3, 0.9]
                let labels: [Int32] = [1, 2]
                var gradient = [Float](repeating: 0, count: 6)
                func value() -> Double {
                    output.withUnsafeBufferPointer { o in labels.withUnsafeBufferPointer { y in
                        loss.evaluate(o.baseAddress!, labels: y.baseAddress!, batch: 2, classes: 3, reduction: reduction, gradient: nil).loss
                    } }
                }
                output.withUnsafeBufferPointer { o in labels.withUnsafeBufferPointer { y in gradient.withUnsafeMutableBufferPointer { g in
                    _ = loss.evaluate(o.baseAddress!, labels: y.baseAddress!, batch: 2, classes: 3, reduction: reduction, gradient: g.baseAddress!)
                } } }
                for i in 0..<6 {
                    let step: Float = 1e-3
                    output[i] += step; let plus = value()
                    output[i] -= 2 * step; let minus = value()
                    output[i] += step
                    let numeric = (plus - minus) / Double(2 * step)
                    XCTAssertEqual(Double(gradient[i]), numeric, accuracy: 2e-3 + 2e-3 * abs(numeric), "\(loss) \(reduction) [\(i)]")
                }
            }
        }
    }

    /// Cross-entropy after a sigmoid is taken together: dC/dz = a - y even when the sigmoid
    /// saturates (where the chain rule through float32 sigma'(z) would give 0).
    func testSigmoidCrossEntropyKeepsLearningWhenSaturated() {
        let network = ModelSpec.mlp([1, 1], .sigmoid).build(weights: .constant(20), biases: .constant(20))
        let gradient = Buffer()
        var x: [Float] = [1]
        let label: [Int32] = [0]
        _ = x.withUnsafeMutableBufferPointer { input in label.withUnsafeBufferPointer { y in
            network.step(input.baseAddress!, labels: y.baseAddress!, batch: 1, loss: .crossEntropy, reduction: .mean, gradient: gradient)
        } }
        // A one-output network with label 0 has target y = 1 for its only class (class 0).
        let a = Float(1) / (1 + expf(-40))
        XCTAssertEqual(network.parameters[0].gradient[0], a - 1, accuracy: 1e-6)
    }
}
