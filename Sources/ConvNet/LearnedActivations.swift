/// PReLU (He et al. 2015): max(a x, x) with a slope `a` learned per feature (a dense unit,
/// or a conv channel), starting at 0.25. The slope is not weight-decayed.
public final class PReLU: Layer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let slope: Parameter
    public var parameters: [Parameter] { [slope] }
    public var computesInputGradient = true

    private let features: Int, positions: Int
    private let output = Buffer(), inputGradient = Buffer()
    private var input: UnsafePointer<Float>?

    public init(shape: [Int]) {
        inputShape = shape
        features = shape[0]
        positions = shape.dropFirst().reduce(1, *)
        slope = Parameter("slope", shape: [features], isWeight: false, fanIn: 1, fanOut: 1, fixedStart: 0.25)
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        self.input = input
        output.reserve(batch * features * positions)
        let y = output.pointer
        for s in 0..<batch {
            for f in 0..<features {
                let a = slope.value[f], base = (s * features + f) * positions
                for p in 0..<positions { let x = input[base + p]; y[base + p] = x > 0 ? x : a * x }
            }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        guard let x = input else { preconditionFailure("backward before forward") }
        inputGradient.reserve(batch * features * positions)
        let dx = inputGradient.pointer, dy = outputGradient
        for f in 0..<features { slope.gradient[f] = 0 }
        for s in 0..<batch {
            for f in 0..<features {
                let a = slope.value[f], base = (s * features + f) * positions
                var da: Float = 0
                for p in 0..<positions {
                    let i = base + p
                    if x[i] > 0 { dx[i] = dy[i] } else { dx[i] = a * dy[i]; da += dy[i] * x[i] }
                }
                slope.gradient[f] += da
            }
        }
        return UnsafePointer(dx)
    }
}

/// Maxout (Goodfellow et al. 2013): the maximum of `pieces` consecutive features (dense
/// units or conv channels), so a layer before it with k x n outputs gives n maxout units.
public final class Maxout: Layer {
    public let pieces: Int
    public let inputShape: [Int]
    public let outputShape: [Int]
    public var parameters: [Parameter] { [] }
    public var computesInputGradient = true

    private let units: Int, positions: Int
    private let output = Buffer(), inputGradient = Buffer()
    /// The winning piece of each output, for the backward pass.
    private var winner: [Int32] = []

    public init(pieces: Int, shape: [Int]) {
        precondition(pieces >= 1 && shape[0] % pieces == 0, "maxout needs a multiple of \(pieces) features")
        self.pieces = pieces
        inputShape = shape
        units = shape[0] / pieces
        positions = shape.dropFirst().reduce(1, *)
        outputShape = [units] + Array(shape.dropFirst())
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let count = batch * units * positions
        output.reserve(count)
        if winner.count < count { winner = [Int32](repeating: 0, count: count) }
        let y = output.pointer
        winner.withUnsafeMutableBufferPointer { best in
            for s in 0..<batch {
                for u in 0..<units {
                    for p in 0..<positions {
                        let o = (s * units + u) * positions + p
                        var top = (s * units * pieces + u * pieces) * positions + p
                        for k in 1..<max(pieces, 1) {
                            let i = (s * units * pieces + u * pieces + k) * positions + p
                            if input[i] > input[top] { top = i }
                        }
                        y[o] = input[top]
                        best[o] = Int32(top)
                    }
                }
            }
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float> {
        let inputCount = batch * inputSize
        inputGradient.reserve(inputCount)
        inputGradient.zero(inputCount)
        winner.withUnsafeBufferPointer { best in
            for o in 0..<(batch * units * positions) { inputGradient.pointer[Int(best[o])] += outputGradient[o] }
        }
        return UnsafePointer(inputGradient.pointer)
    }
}
