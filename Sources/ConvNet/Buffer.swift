/// A float32 buffer owned by a layer: allocated once, grown only when a larger batch
/// arrives, reused for every batch after that (no allocation in the steady state).
final class Buffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(_ count: Int = 1) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    /// Makes room for `count` values; the contents are undefined afterwards.
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        pointer.deallocate()
        capacity = count
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: 0, count: count)
    }

    func zero(_ count: Int) { pointer.update(repeating: 0, count: count) }

    deinit { pointer.deallocate() }
}

/// A learnable tensor and its gradient, owned by its layer.
public final class Parameter {
    public let name: String
    public let shape: [Int]
    public var value: [Float]
    public var gradient: [Float]
    /// Weights are regularised and initialised from fan-in/fan-out; biases are not.
    public let isWeight: Bool
    let fanIn: Int, fanOut: Int
    /// A start that no initialiser overrides (batch norm's gamma = 1, beta = 0).
    let fixedStart: Float?

    init(_ name: String, shape: [Int], isWeight: Bool, fanIn: Int, fanOut: Int, fixedStart: Float? = nil) {
        self.name = name
        self.shape = shape
        let count = shape.reduce(1, *)
        value = [Float](repeating: 0, count: count)
        gradient = [Float](repeating: 0, count: count)
        self.isWeight = isWeight
        self.fanIn = fanIn
        self.fanOut = fanOut
        self.fixedStart = fixedStart
    }

    public var count: Int { value.count }
}

/// One layer of a network, batch-major: a batch is `batch` samples of `inputShape`
/// values each, contiguous (NCHW for images).
public protocol Layer: AnyObject {
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    var parameters: [Parameter] { get }
    /// The output of `batch` samples, valid until the next `forward`. The layer keeps what
    /// its backward pass needs (the input pointer stays valid until then too).
    func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float>
    /// Given dLoss/dOutput, sets the parameters' gradients and returns dLoss/dInput
    /// (when `computesInputGradient`; otherwise the returned pointer must not be read).
    func backward(_ outputGradient: UnsafePointer<Float>, batch: Int) -> UnsafePointer<Float>
    /// False for a network's first layer: nobody needs the gradient of the data, and
    /// skipping it saves a third of a dense layer's work and a convolution's col2im.
    var computesInputGradient: Bool { get set }
}

extension Layer {
    var inputSize: Int { inputShape.reduce(1, *) }
    var outputSize: Int { outputShape.reduce(1, *) }
}
