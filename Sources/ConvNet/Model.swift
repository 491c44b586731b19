/// One layer of a model description: a plain value that rebuilds the same network.
public enum LayerSpec: Hashable, Sendable {
    case dense(Int)
    case conv(filters: Int, kernel: Int, stride: Int = 1, padding: Padding = .valid, dilation: Int = 1)
    case maxPool(Int)
    case avgPool(Int)
    case flatten
    case activation(Activation)
    /// Batch normalisation (before the activation, as seed 001 places it).
    case batchNorm
    /// Drops each unit with probability `rate` in training.
    case dropout(rate: Double, style: Dropout.Style = .inverted)
    /// max(a x, x) with a learned slope per unit or channel.
    case prelu
    /// The maximum of `pieces` consecutive units or channels.
    case maxout(pieces: Int)
}

/// A model description: the shape of one input sample and the layers in order.
public struct ModelSpec: Hashable, Sendable {
    public var input: [Int]
    public var layers: [LayerSpec]

    public init(input: [Int], layers: [LayerSpec]) {
        self.input = input
        self.layers = layers
    }

    /// A multilayer perceptron, e.g. `.mlp([784, 30, 10], .sigmoid)`: the activation after
    /// every dense layer, the last one included (Nielsen's networks).
    public static func mlp(_ sizes: [Int], _ activation: Activation, activateOutput: Bool = true) -> ModelSpec {
        var layers: [LayerSpec] = []
        for (i, size) in sizes.dropFirst().enumerated() {
            layers.append(.dense(size))
            if i < sizes.count - 2 || activateOutput { layers.append(.activation(activation)) }
        }
        return ModelSpec(input: [sizes[0]], layers: layers)
    }

    /// A multilayer perceptron with `hidden` neurons in its hidden layers and `output` ones in
    /// its last, e.g. `.mlp([784, 30, 10], .tanh, output: .sigmoid)`.
    public static func mlp(_ sizes: [Int], _ hidden: Activation, output: Activation) -> ModelSpec {
        var spec = mlp(sizes, hidden, activateOutput: false)
        spec.layers.append(.activation(output))
        return spec
    }

    /// Seed 002's convolutional network (REFERENCE.md, "Networks"): 16 filters of 5x5, 2x2
    /// max-pooling, 32 filters of 5x5, 2x2 max-pooling, 128 units, 10 outputs, `activation`
    /// after both convolutions and the hidden layer. The text's own has a sigmoid on its
    /// output too (`outputActivation`); with a softmax loss the outputs stay raw logits.
    /// `widen` multiplies the filters and units (maxout takes the larger of pairs); `dropout`
    /// drops that share of the hidden units. On 1x28x28 digits it has 80,202 parameters.
    public static func seed002CNN(_ activation: LayerSpec, outputActivation: LayerSpec? = nil, widen: Int = 1,
                                  dropout: Double? = nil, input: [Int] = [1, 28, 28]) -> ModelSpec {
        ModelSpec(input: input, layers: [
            .conv(filters: 16 * widen, kernel: 5), activation, .maxPool(2),
            .conv(filters: 32 * widen, kernel: 5), activation, .maxPool(2),
            .dense(128 * widen), activation,
        ] + (dropout.map { [LayerSpec.dropout(rate: $0)] } ?? []) + [.dense(10)] + (outputActivation.map { [$0] } ?? []))
    }

    /// Throws one clear line for a model that cannot be built: a size below 1, a kernel or
    /// pooling window larger than its (padded) input, a layer that needs images after the
    /// images were flattened, a dropout rate outside [0, 1), maxout pieces that do not divide
    /// the features. Checked before any training; the layers' own preconditions stay as a backstop.
    public func validate() throws {
        guard !input.isEmpty, input.allSatisfy({ $0 >= 1 }) else { throw EngineError("the input shape \(input) needs sizes of at least 1") }
        var shape = input
        for (index, spec) in layers.enumerated() {
            func fail(_ problem: String) -> EngineError { EngineError("layer \(index) (\(spec)): \(problem)") }
            func image() throws -> (channels: Int, height: Int, width: Int) {
                guard shape.count == 3 else { throw fail("needs [channels, height, width] input, gets \(shape)") }
                return (shape[0], shape[1], shape[2])
            }
            switch spec {
            case .dense(let units):
                guard units >= 1 else { throw fail("needs at least 1 unit") }
                shape = [units]
            case let .conv(filters, kernel, stride, padding, dilation):
                guard filters >= 1, kernel >= 1, stride >= 1, dilation >= 1 else {
                    throw fail("filters, kernel, stride and dilation must be at least 1")
                }
                let (_, height, width) = try image()
                let pad: Int
                switch padding {
                case .valid, .same: pad = 0
                case .explicit(let n):
                    guard n >= 0 else { throw fail("padding must be 0 or more") }
                    pad = n
                }
                let reach = dilation * (kernel - 1) + 1
                if padding != .same && (reach > height + 2 * pad || reach > width + 2 * pad) {
                    throw fail("the kernel reaches \(reach) pixels, more than the \(height)x\(width) input padded by \(pad)")
                }
                let rows = convolutionOutputSize(input: height, kernel: kernel, stride: stride, padding: padding, dilation: dilation).size
                let columns = convolutionOutputSize(input: width, kernel: kernel, stride: stride, padding: padding, dilation: dilation).size
                shape = [filters, rows, columns]
            case .maxPool(let size), .avgPool(let size):
                let (channels, height, width) = try image()
                guard size >= 1 else { throw fail("the window must be at least 1") }
                guard size <= height && size <= width else { throw fail("the \(size)x\(size) window is larger than the \(height)x\(width) input") }
                shape = [channels, (height - size) / size + 1, (width - size) / size + 1]
            case .flatten:
                shape = [shape.reduce(1, *)]
            case .dropout(let rate, _):
                guard rate >= 0 && rate < 1 else { throw fail("the rate must lie in [0, 1)") }
            case .maxout(let pieces):
                guard pieces >= 1 && shape[0] % pieces == 0 else { throw fail("\(pieces) pieces do not divide \(shape[0]) features") }
                shape[0] /= pieces
            case .activation, .batchNorm, .prelu:
                break
            }
        }
    }

    /// Builds the layers and initialises weights and biases from the initialisation stream.
    public func build(weights: Initializer = .nielsen, biases: Initializer = .constant(0), seed: UInt64 = 0) -> Network {
        var shape = input
        var built: [Layer] = []
        for spec in layers {
            let layer: Layer
            switch spec {
            case .dense(let outputs):
                if shape.count != 1 { built.append(Flatten(inputShape: shape)); shape = [shape.reduce(1, *)] }
                layer = Dense(inputs: shape[0], outputs: outputs)
            case let .conv(filters, kernel, stride, padding, dilation):
                layer = Conv2D(inputShape: shape, filters: filters, kernel: kernel, stride: stride, padding: padding,
                               dilation: dilation)
            case .maxPool(let size): layer = Pool(.max, inputShape: shape, size: size)
            case .avgPool(let size): layer = Pool(.average, inputShape: shape, size: size)
            case .flatten: layer = Flatten(inputShape: shape)
            case .activation(let function): layer = ActivationLayer(function, shape: shape)
            case .batchNorm: layer = BatchNorm(shape: shape)
            case let .dropout(rate, style): layer = Dropout(rate: rate, style: style, shape: shape)
            case .prelu: layer = PReLU(shape: shape)
            case .maxout(let pieces): layer = Maxout(pieces: pieces, shape: shape)
            }
            built.append(layer)
            shape = layer.outputShape
        }
        var random = RandomStream(seed: seed, purpose: .initialization)
        for parameter in built.flatMap(\.parameters) {
            if let start = parameter.fixedStart {
                for i in 0..<parameter.count { parameter.value[i] = start }
            } else {
                (parameter.isWeight ? weights : biases).fill(parameter, random: &random)
            }
        }
        // Each dropout layer draws its masks from its own stream, so adding a layer elsewhere
        // does not change another layer's masks.
        for (index, dropout) in built.enumerated().compactMap({ ($0.offset, $0.element as? Dropout) }) {
            if let dropout { dropout.random = RandomStream(seed: seed &+ UInt64(index), purpose: .dropout) }
        }
        return Network(layers: built, inputShape: input)
    }
}

/// Layers in sequence, with a forward pass and a backward pass through all of them.
public final class Network {
    public let layers: [Layer]
    public let inputShape: [Int]
    /// Threads that train the chunks of a mini-batch (`chunkCount`). The results do not
    /// depend on it: by default every core this process may run on.
    public var threads = availableCores()
    /// Replicas and worker threads for chunked mini-batches, made on first use.
    private var chunks: BatchChunks?

    init(layers: [Layer], inputShape: [Int]) {
        self.layers = layers
        self.inputShape = inputShape
        // The data needs no gradient: the first layer with parameters is the last one
        // whose input gradient anybody reads.
        if let first = layers.firstIndex(where: { !$0.parameters.isEmpty }) {
            layers[first].computesInputGradient = false
        }
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    public var outputSize: Int { layers.last?.outputShape.reduce(1, *) ?? inputShape.reduce(1, *) }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        var x = input
        for layer in layers { x = layer.forward(x, batch: batch, training: training) }
        return x
    }

    /// Backpropagates dLoss/dOutput (of layer `start - 1`, by default the last); every
    /// parameter's gradient is set.
    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, from start: Int? = nil) {
        var g = outputGradient
        for layer in layers[..<(start ?? layers.count)].reversed() { g = layer.backward(g, batch: batch) }
    }

    /// Forward, loss and backward on one batch; returns the (reduced) loss and the number
    /// of correct predictions. A large enough batch is split into `chunkCount(batch:)`
    /// chunks whose gradients are summed in a fixed order, so the bits do not depend on
    /// `threads`.
    func step(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, loss: Loss,
              reduction: Reduction, gradient: Buffer, training: Bool = true) -> (loss: Double, correct: Int) {
        let count = training ? chunkCount(batch: batch) : 1
        guard count > 1 else {
            return wholeStep(input, labels: labels, batch: batch, meanOver: batch, loss: loss, reduction: reduction,
                             gradient: gradient, training: training)
        }
        let used = max(1, min(threads, count))
        if (chunks?.capacity ?? 0) < used { chunks = BatchChunks(main: self, threads: used) }
        return chunks!.step(input, labels: labels, batch: batch, chunks: count, threads: threads, loss: loss,
                            reduction: reduction)
    }

    /// `step` on this network alone. Cross-entropy after a final sigmoid is taken together,
    /// as network2.py does: dC/dz = a - y, so a saturated output still learns. `meanOver`
    /// is the sample count a `.mean` loss divides by (the whole mini-batch's).
    func wholeStep(_ input: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, meanOver: Int, loss: Loss,
                   reduction: Reduction, gradient: Buffer, training: Bool) -> (loss: Double, correct: Int) {
        let output = forward(input, batch: batch, training: training)
        let classes = outputSize
        gradient.reserve(batch * classes)
        let fused = loss == .crossEntropy && (layers.last as? ActivationLayer)?.function == .sigmoid
        let result = loss.evaluate(output, labels: labels, batch: batch, classes: classes, reduction: reduction,
                                   meanOver: meanOver, gradient: fused ? nil : gradient.pointer)
        if fused {
            let scale = Float(reduction == .mean ? 1 / Double(meanOver) : 1)
            for s in 0..<batch {
                for c in 0..<classes {
                    gradient.pointer[s * classes + c] = (output[s * classes + c] - (Int32(c) == labels[s] ? 1 : 0)) * scale
                }
            }
            backward(gradient.pointer, batch: batch, from: layers.count - 1)
        } else {
            backward(gradient.pointer, batch: batch)
        }
        return result
    }
}
