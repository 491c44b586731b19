import Foundation

/// Batch normalisation (Ioffe and Szegedy 2015; REFERENCE.md, "BatchNorm"): each feature
/// (a dense unit, or a conv channel over all its positions) is normalised with the batch's
/// mean and variance, eps 1e-5, then scaled by gamma and shifted by beta. Running averages
/// with momentum 0.1 replace the batch statistics at inference.
public final class BatchNorm: Layer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let gamma: Parameter
    public let beta: Parameter
    public var parameters: [Parameter] { [gamma, beta] }
    public var computesInputGradient = true

    public static let epsilon: Float = 1e-5
    public static let momentum: Float = 0.1
    /// Running statistics for inference: state to checkpoint, not learnable parameters.
    public var runningMean: [Float]
    public var runningVariance: [Float]

    private let features: Int, positions: Int
    private let output = Buffer(), inputGradient = Buffer()
    private var normalized = Buffer()
    private var inverseStd: [Float]

    public init(shape: [Int]) {
        inputShape = shape
        features = shape[0]
        positions = shape.dropFirst().reduce(1, *)
        gamma = Parameter("gamma", shape: [features], isWeight: false, fanIn: 1, fanOut: 1, fixedStart: 1)
        beta = Parameter("beta", shape: [features], isWeight: false, fanIn: 1, fanOut: 1, fixedStart: 0)
        runningMean = [Float](repeating: 0, count: features)
        runningVariance = [Float](repeating: 1, count: features)
        inverseStd = [Float](repeating: 1, count: features)
    }

    /// Element (sample s, feature f, position p) of an NCHW or [batch, features] buffer.
    @inline(__always) private func index(_ s: Int, _ f: Int, _ p: Int) -> Int { (s * features + f) * positions + p }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let count = batch * features * positions
        output.reserve(count)
        normalized.reserve(count)
        let y = output.pointer, xhat = normalized.pointer
        let m = Double(batch * positions)
        for f in 0..<features {
            let mean: Float, variance: Float
            if training {
                var sum = 0.0, squares = 0.0
                for s in 0..<batch {
                    for p in 0..<positions { let v = Double(input[index(s, f, p)]); sum += v; squares += v * v }
                }
                let mu = sum / m
                mean = Float(mu)
                variance = Float(max(squares / m - mu * mu, 0))
                // The running variance is the unbiased estimate, as PyTorch keeps it.
                let unbiased = m > 1 ? variance * Float(m / (m - 1)) : variance
                runningMean[f] += Self.momentum * (mean - runningMean[f])
                runningVariance[f] += Self.momentum * (unbiased - runningVariance[f])
            } else {
                mean = runningMean[f]
                variance = runningVariance[f]
            }
            let inv = 1 / (variance + Self.epsilon).squareRoot()
            inverseStd[f] = inv
            let g = gamma.value[f], b = beta.value[f]
            for s in 0..<batch {
                for p in 0..<positions {
                    let i = index(s, f, p)
                    xhat[i] = (input[i] - mean) * inv
                    y[i] = g * xhat[i] + b
                }
            }
        }
        return UnsafePointer(y)
    }

    /// dx = gamma / (m sigma) * (m dy - sum(dy) - xhat * sum(dy xhat)), per feature.
    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let count = batch * features * positions
        inputGradient.reserve(count)
        let dx = inputGradient.pointer, xhat = normalized.pointer, dy = outputGradient
        let m = Float(batch * positions)
        for f in 0..<features {
            var sumDy: Float = 0, sumDyXhat: Float = 0
            for s in 0..<batch {
                for p in 0..<positions { let i = index(s, f, p); sumDy += dy[i]; sumDyXhat += dy[i] * xhat[i] }
            }
            beta.gradient[f] = sumDy
            gamma.gradient[f] = sumDyXhat
            guard computesInputGradient else { continue }
            let scale = gamma.value[f] * inverseStd[f] / m
            for s in 0..<batch {
                for p in 0..<positions {
                    let i = index(s, f, p)
                    dx[i] = scale * (m * dy[i] - sumDy - xhat[i] * sumDyXhat)
                }
            }
        }
        return computesInputGradient ? UnsafePointer(dx) : outputGradient
    }
}

/// Dropout (Srivastava et al. 2014; REFERENCE.md, "Regularisation"): in training each unit
/// is kept with probability 1 - rate.
public final class Dropout: Layer {
    public enum Style: String, Hashable, Sendable {
        /// Kept units are scaled by 1 / (1 - rate) in training; inference is the identity.
        case inverted
        /// Seed 003's form: no scaling in training; at inference activations are scaled by
        /// the keep probability 1 - rate.
        case classic
    }

    public let rate: Double
    public let style: Style
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public var parameters: [Parameter] { [] }
    public var computesInputGradient = true
    /// Set by `ModelSpec.build` from the run's seed and the layer's position.
    var random = RandomStream(seed: 0, purpose: .dropout)

    private let output = Buffer(), mask = Buffer(), inputGradient = Buffer()

    public init(rate: Double, style: Style = .inverted, shape: [Int]) {
        precondition(rate >= 0 && rate < 1, "the dropout rate is a probability below 1")
        self.rate = rate
        self.style = style
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let count = batch * inputSize
        output.reserve(count)
        mask.reserve(count)
        let y = output.pointer, keep = Float(1 - rate)
        if training {
            let kept: Float = style == .inverted ? 1 / keep : 1
            for i in 0..<count {
                mask.pointer[i] = random.uniform() < rate ? 0 : kept
                y[i] = input[i] * mask.pointer[i]
            }
        } else {
            let scale: Float = style == .inverted ? 1 : keep
            for i in 0..<count { y[i] = input[i] * scale }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let count = batch * inputSize
        inputGradient.reserve(count)
        for i in 0..<count { inputGradient.pointer[i] = outputGradient[i] * mask.pointer[i] }
        return UnsafePointer(inputGradient.pointer)
    }
}
