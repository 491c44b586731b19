import ConvNet
import Datasets
import Foundation

/// Seed 001's experiment: random inputs through a deep stack of fully connected layers
/// without biases, `W = randn * scale`, and the statistics of each layer's activations.
///
/// The run stores metrics `layer` (1...layers), `mean` and `std` of each layer's
/// activations over all samples and units, and the tensor `sample_activations`
/// [layers, kept] — every n-th activation of each layer, enough to draw its histogram
/// without storing all samples x width values.
///
/// With `batchNorm`, each layer is dense, batch norm, activation, and the inputs pass as
/// one training batch: the pre-activations are normalised with that batch's statistics,
/// as during training (at inference, untrained running averages would leave them as they are).
public struct ActivationStatistics: ComputeStep {
    public let name: String
    public let layers: Int
    public let width: Int
    public let samples: Int
    public let activation: Activation
    public let weights: Initializer
    public let seed: UInt64
    public let kept: Int
    public let batchNorm: Bool
    public var data: DataSource? { nil }

    public init(_ name: String, layers: Int = 10, width: Int = 500, samples: Int = 1000, activation: Activation,
                weights: Initializer, seed: UInt64, kept: Int = 5000, batchNorm: Bool = false) {
        self.name = name
        self.layers = layers
        self.width = width
        self.samples = samples
        self.activation = activation
        self.weights = weights
        self.seed = seed
        self.kept = kept
        self.batchNorm = batchNorm
    }

    public var summary: String {
        "\(layers) layers of \(width) \(activation.rawValue) units\(batchNorm ? " with batch norm" : ""), \(samples) random inputs"
    }

    public func compute(data: LoadedData?, into run: RunRecorder) throws {
        let (means, stds, kept) = layerStatistics()
        try run.metric(.layer, (1...layers).map(Double.init), description: "hidden layer, from the input")
        try run.metric(.mean, means, description: "mean of the layer's activations")
        try run.metric(.std, stds, description: "standard deviation of the layer's activations")
        try run.tensor(.sampleActivations, shape: [layers, self.kept], kept)
    }

    /// Each layer's mean and standard deviation over all its activations, and `kept` of
    /// them per layer, evenly spaced, for histograms.
    public func layerStatistics() -> (means: [Double], stds: [Double], kept: [Float]) {
        let spec = ModelSpec(input: [width], layers: (0..<layers).flatMap { _ in
            [LayerSpec.dense(width)] + (batchNorm ? [.batchNorm] : []) + [.activation(activation)]
        })
        let network = spec.build(weights: weights, biases: .constant(0), seed: seed)
        var random = RandomStream(seed: seed, purpose: .inputs)
        let input = (0..<(samples * width)).map { _ in Float(random.gaussian()) }
        var means: [Double] = [], stds: [Double] = [], kept: [Float] = []
        let count = samples * width, stride = max(count / max(self.kept, 1), 1)
        input.withUnsafeBufferPointer { x in
            var h = x.baseAddress!
            for layer in network.layers {
                h = layer.forward(h, batch: samples, training: batchNorm)
                guard layer is ActivationLayer else { continue }
                var sum = 0.0, squares = 0.0
                for i in 0..<count { let v = Double(h[i]); sum += v; squares += v * v }
                let mean = sum / Double(count)
                means.append(mean)
                stds.append(max(squares / Double(count) - mean * mean, 0).squareRoot())
                kept += (0..<self.kept).map { h[min($0 * stride, count - 1)] }
            }
        }
        return (means, stds, kept)
    }
}
