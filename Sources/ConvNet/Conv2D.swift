import CKernels

/// How a convolution pads its input.
public enum Padding: Hashable, Sendable {
    /// No padding: M = floor((N - K) / stride) + 1.
    case valid
    /// Output size ceil(N / stride); the extra row or column of padding goes at the end
    /// (TensorFlow's convention, as seed 000 uses it).
    case same
    /// The same number of zeros on every side: M = floor((N + 2 pad - K) / stride) + 1.
    case explicit(Int)
}

/// Output size and leading padding of one spatial dimension (REFERENCE.md, 004:
/// M = floor((N + 2 pad - K_eff) / stride) + 1 with K_eff = dilation (K - 1) + 1).
public func convolutionOutputSize(input n: Int, kernel k: Int, stride: Int, padding: Padding,
                                  dilation: Int = 1) -> (size: Int, padBefore: Int) {
    let effective = dilation * (k - 1) + 1
    switch padding {
    case .valid: return ((n - effective) / stride + 1, 0)
    case .explicit(let pad): return ((n + 2 * pad - effective) / stride + 1, pad)
    case .same:
        let size = (n + stride - 1) / stride
        let total = max((size - 1) * stride + effective - n, 0)
        return (size, total / 2)
    }
}

/// A 2-D convolution (cross-correlation, as every framework computes it) over NCHW
/// batches: im2col of the whole batch into [C*K*K, batch*P] columns, then one sgemm.
public final class Conv2D: Layer {
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let weight: Parameter   // [filters, channels, kh, kw]
    public let bias: Parameter     // [filters]
    public var parameters: [Parameter] { [weight, bias] }

    let channels, height, width, filters, kernelH, kernelW, stride, dilation: Int
    let padding: Padding
    let outH, outW, padTop, padLeft: Int
    /// The same shape for the C kernels (Sources/CKernels/image_kernels.c).
    private let shape: conv_shape

    public var computesInputGradient = true
    private let columns = Buffer(), columnGradient = Buffer()
    private let product = Buffer(), output = Buffer(), inputGradient = Buffer()

    public init(inputShape: [Int], filters: Int, kernel: Int, stride: Int = 1, padding: Padding = .valid,
                dilation: Int = 1) {
        precondition(inputShape.count == 3, "Conv2D takes [channels, height, width]")
        self.inputShape = inputShape
        (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        self.filters = filters
        (kernelH, kernelW) = (kernel, kernel)
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        (outH, padTop) = convolutionOutputSize(input: height, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        (outW, padLeft) = convolutionOutputSize(input: width, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        precondition(outH > 0 && outW > 0, "the kernel is larger than the padded input")
        outputShape = [filters, outH, outW]
        shape = conv_shape(channels: channels, height: height, width: width, kernel_h: kernel, kernel_w: kernel,
                           stride: stride, dilation: dilation, pad_top: padTop, pad_left: padLeft, out_h: outH, out_w: outW)
        let fanIn = channels * kernel * kernel
        weight = Parameter("weight", shape: [filters, channels, kernel, kernel], isWeight: true,
                           fanIn: fanIn, fanOut: filters * kernel * kernel)
        bias = Parameter("bias", shape: [filters], isWeight: false, fanIn: fanIn, fanOut: filters * kernel * kernel)
    }

    private var rows: Int { channels * kernelH * kernelW }
    private var positions: Int { outH * outW }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let k = rows, p = positions, cols = batch * p
        columns.reserve(k * cols)
        product.reserve(filters * cols)
        output.reserve(batch * filters * p)
        withUnsafePointer(to: shape) { conv_im2col($0, input, batch, columns.pointer) }
        // product[filters, batch*P] = W[filters, K] . columns[K, batch*P]
        weight.value.withUnsafeBufferPointer { w in
            sgemm(m: filters, n: cols, k: k, w.baseAddress!, lda: k, columns.pointer, ldb: cols, product.pointer, ldc: cols)
        }
        // Back to NCHW, adding the bias.
        bias.value.withUnsafeBufferPointer { b in
            conv_product_to_nchw(product.pointer, b.baseAddress!, batch, filters, p, output.pointer)
        }
        return UnsafePointer(output.pointer)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let k = rows, p = positions, cols = batch * p
        // NCHW gradient to [filters, batch*P], the layout of `product`.
        let dz = product.pointer
        conv_nchw_to_product(outputGradient, batch, filters, p, dz)
        bias.gradient.withUnsafeMutableBufferPointer { db in
            for f in 0..<filters { db[f] = sum(dz + f * cols, count: cols) }
        }
        // dW = dZ . columns^T ; dColumns = W^T . dZ
        weight.gradient.withUnsafeMutableBufferPointer { dw in
            sgemm(transposeB: true, m: filters, n: k, k: cols, dz, lda: cols, columns.pointer, ldb: cols, dw.baseAddress!, ldc: k)
        }
        guard computesInputGradient else { return outputGradient }
        columnGradient.reserve(k * cols)
        weight.value.withUnsafeBufferPointer { w in
            sgemm(transposeA: true, m: k, n: cols, k: filters, w.baseAddress!, lda: k, dz, ldb: cols,
                  columnGradient.pointer, ldc: cols)
        }
        inputGradient.reserve(batch * inputSize)
        inputGradient.zero(batch * inputSize)
        withUnsafePointer(to: shape) { conv_col2im($0, columnGradient.pointer, batch, inputGradient.pointer) }
        return UnsafePointer(inputGradient.pointer)
    }
}

/// The sum of `count` floats in 8 interleaved partial sums, combined pairwise: it
/// vectorises, where one running sum is a chain of dependent additions.
func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        lanes += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    let half = lanes.lowHalf + lanes.highHalf, quarter = half.lowHalf + half.highHalf
    var total = quarter[0] + quarter[1]
    for k in i..<count { total += x[k] }
    return total
}
