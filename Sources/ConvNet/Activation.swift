import Foundation

/// Element-wise activation functions (REFERENCE.md, "Activations").
public enum Activation: String, Hashable, Sendable, CaseIterable {
    case sigmoid, tanh, relu
    /// max(0.01 x, x)
    case leakyRelu = "leaky_relu"
    /// x if x > 0 else e^x - 1
    case elu
}

/// An activation as a layer. It also measures, on request, the statistics the studies
/// plot: the fraction of dead ReLU outputs and of saturated sigmoid/tanh outputs.
public final class ActivationLayer: Layer {
    public let function: Activation
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public var parameters: [Parameter] { [] }
    public var computesInputGradient = true

    private let output = Buffer(), inputGradient = Buffer()
    private var input: UnsafePointer<Float>?
    private var lastBatch = 0

    public init(_ function: Activation, shape: [Int]) {
        self.function = function
        inputShape = shape
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let count = batch * inputSize
        self.input = input
        lastBatch = batch
        output.reserve(count)
        let y = output.pointer
        switch function {
        case .sigmoid: for i in 0..<count { y[i] = 1 / (1 + vectorizableExp(-input[i])) }
        case .tanh: for i in 0..<count { y[i] = tanhf(input[i]) }
        case .relu: for i in 0..<count { y[i] = max(input[i], 0) }
        case .leakyRelu: for i in 0..<count { y[i] = input[i] > 0 ? input[i] : 0.01 * input[i] }
        case .elu: for i in 0..<count { y[i] = input[i] > 0 ? input[i] : expm1f(input[i]) }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let count = batch * inputSize
        guard let x = input else { preconditionFailure("backward before forward") }
        inputGradient.reserve(count)
        let dx = inputGradient.pointer, y = output.pointer, dy = outputGradient
        switch function {
        case .sigmoid: for i in 0..<count { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<count { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        // Both operands are read before choosing, so that the loops vectorise (a read of dy
        // under the condition would not).
        case .relu: for i in 0..<count { let g = dy[i]; dx[i] = x[i] > 0 ? g : 0 }
        case .leakyRelu: for i in 0..<count { let g = dy[i]; dx[i] = x[i] > 0 ? g : 0.01 * g }
        case .elu: for i in 0..<count { dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + 1) }
        }
        return UnsafePointer(dx)
    }

    /// For ReLU, the fraction of dead units: units (a dense unit, or a channel at one
    /// position) whose output is 0 for every sample of the last batch. For sigmoid and tanh,
    /// the fraction of saturated outputs (within 0.01 of 0 or 1, of -1 or 1). Nil otherwise.
    public var inactiveFraction: Double? {
        let count = lastBatch * inputSize
        guard count > 0 else { return nil }
        let y = output.pointer
        var inactive = 0
        switch function {
        case .relu:
            for unit in 0..<inputSize where (0..<lastBatch).allSatisfy({ y[$0 * inputSize + unit] == 0 }) { inactive += 1 }
            return Double(inactive) / Double(inputSize)
        case .sigmoid: for i in 0..<count where y[i] < 0.01 || y[i] > 0.99 { inactive += 1 }
        case .tanh: for i in 0..<count where abs(y[i]) > 0.99 { inactive += 1 }
        case .leakyRelu, .elu: return nil
        }
        return Double(inactive) / Double(count)
    }
}

/// e^x within about 2 ulp (Cephes' expf: x = n ln 2 + r, a degree-6 polynomial in r, times
/// 2^n), written without calls or branches so that a loop over it vectorises; libm's expf
/// is a call per element and took most of a sigmoid layer's time. Arguments are clamped to
/// [-87.3, 88.3], where the result stays a normal float.
@inline(__always) func vectorizableExp(_ x: Float) -> Float {
    let x = min(max(x, -87.3), 88.3)
    // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer in the float's last bits.
    let n = (x * 1.442_695_04 + 12_582_912) - 12_582_912
    // r = x - n ln 2, with ln 2 in two parts so that n ln 2 is exact enough.
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let power = Float(bitPattern: UInt32(Int32(n) + 127) << 23)
    return (p * r * r + r + 1) * power
}
