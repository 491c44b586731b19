import ConvNet
import Datasets
import Foundation

// Study files describe networks with the engine's own values.
public typealias ModelSpec = ConvNet.ModelSpec
public typealias LayerSpec = ConvNet.LayerSpec
public typealias Activation = ConvNet.Activation
public typealias Loss = ConvNet.Loss
public typealias Reduction = ConvNet.Reduction
public typealias Initializer = ConvNet.Initializer
public typealias Optimizer = ConvNet.Optimizer
public typealias RandomStream = ConvNet.RandomStream

/// Trains a network on a data split with seeded mini-batches, one run per config.
///
/// The run stores per-epoch metrics `epoch`, `train_loss` and `train_accuracy` (averaged
/// over the epoch's mini-batches, as they were trained), `test_loss`, `test_accuracy`,
/// `epoch_seconds`, and for each layer with weights `grad_norm_layer<i>` (mean over the
/// epoch's mini-batches) and `weight_norm_layer<i>`; the final parameters as tensors `layer<i>_<name>`; and the split's
/// indices. A loss that turns NaN or infinite ends the run with status `diverged` and the
/// attribute `diverged_epoch`: a result, not a crash.
public struct Train: ComputeStep {
    public let name: String
    public let source: DataSource
    public var data: DataSource? { source }
    public let split: DataSplit
    public let model: ModelSpec
    public let loss: Loss
    public let reduction: Reduction
    public let weights: Initializer
    public let biases: Initializer
    public let optimizer: Optimizer
    public let epochs: Int
    public let batchSize: Int
    /// Seeds initialisation, shuffling and dropout (each its own stream).
    public let seed: UInt64

    public init(_ name: String, model: ModelSpec, data: DataSource, split: DataSplit, loss: Loss,
                reduction: Reduction = .mean, weights: Initializer, biases: Initializer = .constant(0),
                optimizer: Optimizer, epochs: Int, batchSize: Int, seed: UInt64) {
        self.name = name
        self.model = model
        self.source = data
        self.split = split
        self.loss = loss
        self.reduction = reduction
        self.weights = weights
        self.biases = biases
        self.optimizer = optimizer
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
    }

    public var config: ConfigValue {
        ["method": "train", "data": .string(source.name), "split": split.config, "model": model.config,
         "loss": .string(loss.rawValue), "reduction": .string(reduction.rawValue), "weights": weights.config,
         "biases": biases.config, "optimizer": optimizer.config, "epochs": .int(epochs),
         "batch_size": .int(batchSize), "seed": .int(Int(seed))]
    }

    public var summary: String {
        "\(epochs) epochs of \(model.layers.count) layers, batch \(batchSize), lr \(optimizer.learningRate), on \(source.name) \(split.description)"
    }

    public func compute(data loaded: LoadedData?, into run: RunRecorder) throws {
        let chosen = try split.select(from: try requireData(loaded, for: name))
        let network = model.build(weights: weights, biases: biases, seed: seed)
        let trainer = Trainer(network: network, loss: loss, reduction: reduction, optimizer: optimizer,
                              batchSize: batchSize, seed: seed)
        var series: [String: [Double]] = [:]
        // The layer index of each weight parameter, for the per-layer norm metrics.
        let weightLayers = network.layers.enumerated().flatMap { index, layer in
            layer.parameters.filter(\.isWeight).map { _ in index }
        }
        for epoch in 1...epochs {
            let start = Date()
            let result = trainer.trainEpoch(inputs: chosen.train.pixels, labels: chosen.train.labels)
            if result.diverged {
                run.say("    epoch \(epoch)/\(epochs): loss \(result.loss), diverged")
                try run.markDiverged(epoch: epoch)
                break
            }
            let test = trainer.evaluate(inputs: chosen.test.pixels, labels: chosen.test.labels)
            let seconds = Date().timeIntervalSince(start)
            for (key, value) in [("epoch", Double(epoch)), ("train_loss", result.loss), ("train_accuracy", result.accuracy),
                                 ("test_loss", test.loss), ("test_accuracy", test.accuracy), ("epoch_seconds", seconds)] {
                series[key, default: []].append(value)
            }
            // Measured on the last test batch evaluated: dead ReLU units, saturated sigmoid/tanh outputs.
            for (index, layer) in network.layers.enumerated() {
                if let fraction = (layer as? ConvNet.ActivationLayer)?.inactiveFraction {
                    series["inactive_layer\(index)", default: []].append(fraction)
                }
            }
            for (layer, norms) in zip(weightLayers, zip(result.gradientNorms, result.weightNorms)) {
                series["grad_norm_layer\(layer)", default: []].append(norms.0)
                series["weight_norm_layer\(layer)", default: []].append(norms.1)
            }
            run.say("    epoch \(epoch)/\(epochs): train loss \(formatNumber(result.loss)), test accuracy \(formatNumber(test.accuracy)) (\(String(format: "%.2f", seconds)) s)")
        }
        let units: [String: (String, String)] = [
            "epoch": ("", "epoch number, from 1"), "train_loss": ("", "training cost averaged over the epoch's mini-batches"),
            "train_accuracy": ("fraction", "training accuracy over the epoch's mini-batches"),
            "test_loss": ("", "test cost per sample after the epoch"), "test_accuracy": ("fraction", "test accuracy after the epoch"),
            "epoch_seconds": ("s", "wall time of the epoch (training and test evaluation)"),
        ]
        for (key, (unit, description)) in units {
            try run.metric(key, series[key] ?? [], unit: unit, description: description)
        }
        for key in series.keys.filter({ $0.hasPrefix("inactive_layer") }).sorted() {
            try run.metric(key, series[key]!, unit: "fraction",
                           description: "ReLU: units that output 0 for every sample; sigmoid/tanh: outputs within 0.01 of the limits; last test batch")
        }
        for layer in weightLayers {
            try run.metric("grad_norm_layer\(layer)", series["grad_norm_layer\(layer)"] ?? [],
                           description: "L2 norm of layer \(layer)'s weight gradient, mean over the epoch's mini-batches")
            try run.metric("weight_norm_layer\(layer)", series["weight_norm_layer\(layer)"] ?? [],
                           description: "L2 norm of layer \(layer)'s weights after the epoch")
        }
        for (index, layer) in network.layers.enumerated() {
            for parameter in layer.parameters {
                try run.tensor("layer\(index)_\(parameter.name)", shape: parameter.shape, parameter.value)
            }
        }
        try run.data("train_indices", chosen.trainIndices.map { Int32($0) })
        try run.data("test_indices", chosen.testIndices.map { Int32($0) })
        try run.attribute("parameters", network.parameterCount)
    }
}
