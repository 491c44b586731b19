import CKernels
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
        // Our own e^x and tanh (Sources/CKernels/portable_math.c): libm's differ between systems.
        case .sigmoid: portable_sigmoidf_array(input, y, count)
        case .tanh: portable_tanhf_array(input, y, count)
        case .relu: for i in 0..<count { y[i] = max(input[i], 0) }
        case .leakyRelu: for i in 0..<count { y[i] = input[i] > 0 ? input[i] : 0.01 * input[i] }
        case .elu:
            portable_expm1f_array(input, y, count)
            for i in 0..<count where input[i] > 0 { y[i] = input[i] }
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
