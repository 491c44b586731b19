/// A fully connected layer: y = W x + b, with W of shape [outputs, inputs].
public final class Dense: Layer {
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    public var computesInputGradient = true
    private let output = Buffer(), inputGradient = Buffer()
    private var input: UnsafePointer<Float>?

    public init(inputs: Int, outputs: Int) {
        inputShape = [inputs]
        outputShape = [outputs]
        weight = Parameter("weight", shape: [outputs, inputs], isWeight: true, fanIn: inputs, fanOut: outputs)
        bias = Parameter("bias", shape: [outputs], isWeight: false, fanIn: inputs, fanOut: outputs)
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let n = inputShape[0], m = outputShape[0]
        self.input = input
        output.reserve(batch * m)
        let y = output.pointer
        // Y[batch, m] = X[batch, n] . W[m, n]^T
        weight.value.withUnsafeBufferPointer { w in
            sgemm(transposeB: true, m: batch, n: m, k: n, input, lda: n, w.baseAddress!, ldb: n, y, ldc: m)
        }
        bias.value.withUnsafeBufferPointer { b in
            for s in 0..<batch { for j in 0..<m { y[s * m + j] += b[j] } }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let n = inputShape[0], m = outputShape[0]
        guard let input else { preconditionFailure("backward before forward") }
        inputGradient.reserve(batch * n)
        // dW[m, n] = dY^T . X ; db = column sums of dY ; dX[batch, n] = dY . W
        weight.gradient.withUnsafeMutableBufferPointer { dw in
            sgemm(transposeA: true, m: m, n: n, k: batch, outputGradient, lda: m, input, ldb: n, dw.baseAddress!, ldc: n)
        }
        bias.gradient.withUnsafeMutableBufferPointer { db in
            for j in 0..<m { db[j] = 0 }
            for s in 0..<batch { for j in 0..<m { db[j] += outputGradient[s * m + j] } }
        }
        guard computesInputGradient else { return outputGradient }
        weight.value.withUnsafeBufferPointer { w in
            sgemm(m: batch, n: n, k: m, outputGradient, lda: m, w.baseAddress!, ldb: n, inputGradient.pointer, ldc: n)
        }
        return UnsafePointer(inputGradient.pointer)
    }
}

/// Reshapes [C, H, W] to [C*H*W]: the memory is already laid out that way, so it only
/// passes pointers through.
public final class Flatten: Layer {
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    public var computesInputGradient = true

    public init(inputShape: [Int]) {
        self.inputShape = inputShape
        outputShape = [inputShape.reduce(1, *)]
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> { input }
    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> { outputGradient }
}
