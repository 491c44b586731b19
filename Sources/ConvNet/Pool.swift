import CKernels

/// Max or average pooling over non-overlapping (or strided) windows of NCHW images.
public final class Pool: Layer {
    public enum Kind: String, Hashable, Sendable { case max, average }

    public let kind: Kind
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    public var computesInputGradient = true
    let size, stride: Int

    private let output = Buffer(), inputGradient = Buffer()
    /// For max pooling: the input offset (within its sample) of each output's arg-max;
    /// the backward pass sends the gradient there only (REFERENCE.md, 002).
    private var argMax: [Int32] = []

    public init(_ kind: Kind, inputShape: [Int], size: Int, stride: Int? = nil) {
        precondition(inputShape.count == 3, "pooling takes [channels, height, width]")
        self.kind = kind
        self.inputShape = inputShape
        self.size = size
        self.stride = stride ?? size
        outputShape = [inputShape[0], (inputShape[1] - size) / self.stride + 1, (inputShape[2] - size) / self.stride + 1]
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let (h, w) = (inputShape[1], inputShape[2])
        let (oh, ow) = (outputShape[1], outputShape[2])
        let planes = batch * inputShape[0]
        output.reserve(batch * outputSize)
        if kind == .max && argMax.count < batch * outputSize { argMax = [Int32](repeating: 0, count: batch * outputSize) }
        let y = output.pointer
        if kind == .max {
            argMax.withUnsafeMutableBufferPointer { arg in
                max_pool(input, planes, h, w, size, stride, oh, ow, y, arg.baseAddress!)
            }
        } else {
            average_pool(input, planes, h, w, size, stride, oh, ow, 1 / Float(size * size), y)
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let (channels, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        let (oh, ow) = (outputShape[1], outputShape[2])
        inputGradient.reserve(batch * inputSize)
        inputGradient.zero(batch * inputSize)
        let dx = inputGradient.pointer
        if kind == .max {
            argMax.withUnsafeBufferPointer { arg in
                for o in 0..<(batch * outputSize) { dx[Int(arg[o])] += outputGradient[o] }
            }
        } else {
            let scale = 1 / Float(size * size)
            for s in 0..<batch {
                for c in 0..<channels {
                    let plane = (s * channels + c) * h * w
                    for oy in 0..<oh {
                        for ox in 0..<ow {
                            let g = outputGradient[((s * channels + c) * oh + oy) * ow + ox] * scale
                            for i in 0..<size { for j in 0..<size { dx[plane + (oy * stride + i) * w + ox * stride + j] += g } }
                        }
                    }
                }
            }
        }
        return UnsafePointer(dx)
    }
}
