import XCTest
@testable import ConvNet

/// Each update rule against values worked out by hand from its formula.
final class OptimizerTests: XCTestCase {
    /// Runs `steps` updates of one weight with the given gradients; returns the weights after each.
    func trajectory(_ optimizer: Optimizer, start: Float, gradients: [Float], isWeight: Bool = true, n: Double = 10) -> [Float] {
        var w = [start], v: [Float] = [0], s: [Float] = [0]
        var out: [Float] = []
        for (step, gradient) in gradients.enumerated() {
            var g = [gradient]
            optimizer.update(&w, gradient: &g, first: &v, second: &s, count: 1, isWeight: isWeight, trainingSetSize: n, step: step + 1)
            out.append(w[0])
        }
        return out
    }

    func testPlainSGD() {
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.5), start: 1, gradients: [2, -1]), [0, 0.5])
    }

    func testNielsensL2DecaysWeightsOnlyAndL1HasSgnZeroEqualZero() {
        // w = (1 - eta lambda / n) w - eta g = (1 - 0.1 * 5 / 10) * 2 - 0.1 * 1 = 1.8
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .l2(lambda: 5)), start: 2, gradients: [1])[0], 1.8, accuracy: 1e-6)
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .l2(lambda: 5)), start: 2, gradients: [1], isWeight: false)[0], 1.9, accuracy: 1e-6, "biases are not regularised")
        // w = w - (eta lambda / n) sgn(w) - eta g = 2 - 0.05 - 0.1 = 1.85 ; and 0 stays 0 with no gradient.
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .l1(lambda: 5)), start: 2, gradients: [1])[0], 1.85, accuracy: 1e-6)
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .l1(lambda: 5)), start: 0, gradients: [0])[0], 0)
        // Seed 000's penalty c sum(w^2): g + 2 c w = 1 + 2 * 1 * 2 = 5 ; w = 2 - 0.1 * 5 = 1.5
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .penalty(coefficient: 1)), start: 2, gradients: [1])[0], 1.5, accuracy: 1e-6)
        XCTAssertEqual(trajectory(Optimizer(learningRate: 0.1, regularization: .penalty(coefficient: 1)), start: 2, gradients: [1], isWeight: false)[0], 1.5,
                       accuracy: 1e-6, "seed 000 penalises its whole parameter vector, biases too")
    }

    func testMomentumForms() {
        // Classical: v = 0.9 v - 0.1 g -> -0.1, then -0.09 - 0.1 = -0.19 ; w = 0.9, 0.71
        let classical = trajectory(Optimizer(learningRate: 0.1, method: .momentum(0.9)), start: 1, gradients: [1, 1])
        XCTAssertEqual(classical[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(classical[1], 0.71, accuracy: 1e-6)
        // Seed 000: d = 0.9 d + 0.1 g -> 0.1, 0.19 ; w = 1 - 0.1 * 0.1 = 0.99, then 0.99 - 0.019 = 0.971
        let averaged = trajectory(Optimizer(learningRate: 0.1, method: .averagedMomentum(0.9)), start: 1, gradients: [1, 1])
        XCTAssertEqual(averaged[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(averaged[1], 0.971, accuracy: 1e-6)
        // Nesterov: v' = -0.1 ; w = 1 - 0 + 1.9 * (-0.1) = 0.81 ; v'' = -0.19 ; w = 0.81 + 0.09 - 0.361 = 0.539
        let nesterov = trajectory(Optimizer(learningRate: 0.1, method: .nesterov(0.9)), start: 1, gradients: [1, 1])
        XCTAssertEqual(nesterov[0], 0.81, accuracy: 1e-6)
        XCTAssertEqual(nesterov[1], 0.539, accuracy: 1e-6)
    }

    func testAdamsFirstStepMovesByTheLearningRate() {
        // With bias correction, the first step is eta * g / (|g| + eps) = eta * sign(g), whatever |g|.
        let adam = Optimizer(learningRate: 0.01, method: .adam())
        XCTAssertEqual(trajectory(adam, start: 1, gradients: [250])[0], 0.99, accuracy: 1e-6)
        XCTAssertEqual(trajectory(adam, start: 1, gradients: [-0.003])[0], 1.01, accuracy: 1e-5)
        // Second step with the same gradient: m and v corrected equal g and g^2 again.
        XCTAssertEqual(trajectory(adam, start: 1, gradients: [2, 2])[1], 0.98, accuracy: 1e-5)
    }
}
