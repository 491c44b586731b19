/// The name of a recorded metric. The metrics the library's steps record are named here
/// once, so a view that reads `.testAcuracy` is a compile error, not a failure after
/// training. A `Compute` step's own metrics are `Metric("name")` values the study declares
/// once and uses on both sides (recording and reading).
public struct Metric: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    // Train, per epoch.
    public static let epoch = Metric("epoch")
    public static let trainLoss = Metric("train_loss"), trainAccuracy = Metric("train_accuracy")
    public static let testLoss = Metric("test_loss"), testAccuracy = Metric("test_accuracy")
    public static let learningRate = Metric("learning_rate")
    /// The whole training set evaluated after each epoch (`Train(evaluateTrainingSet: true)`).
    public static let trainEvalLoss = Metric("train_eval_loss"), trainEvalAccuracy = Metric("train_eval_accuracy")
    /// The held-out validation images (`Train(validation:)`).
    public static let validationLoss = Metric("validation_loss"), validationAccuracy = Metric("validation_accuracy")
    /// Before training, and every mini-batch (`Train(recordBatchLosses: true)`).
    public static let initialLoss = Metric("initial_loss"), initialCost = Metric("initial_cost"), batchLoss = Metric("batch_loss")
    /// Per layer, `layer` its position in the model (activation layers included).
    public static func gradientNorm(layer: Int) -> Metric { Metric("grad_norm_layer\(layer)") }
    public static func weightNorm(layer: Int) -> Metric { Metric("weight_norm_layer\(layer)") }
    public static func inactive(layer: Int) -> Metric { Metric("inactive_layer\(layer)") }
    /// `Train(recordUpdateSigns: true)`.
    public static func sameSign(layer: Int) -> Metric { Metric("same_sign_layer\(layer)") }

    // KNN.
    public static let accuracy = Metric("accuracy"), accuracyByK = Metric("accuracy_by_k"), k = Metric("k")
    /// Seed 000's scoring: a classifier fitted on one-hot labels predicts each of the ten
    /// outputs by its own majority, and a digit counts when all ten match, that is when more
    /// than half of its k neighbours carry its label.
    public static let accuracyOneHot = Metric("accuracy_one_hot")

    // ActivationStatistics.
    public static let layer = Metric("layer"), mean = Metric("mean"), std = Metric("std")
}

/// The name of a recorded timing: wall-clock numbers, kept apart from metrics since no two
/// runs share them. Declared once with its unit and meaning, which the run file stores.
public struct Timing: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let unit: String
    public let meaning: String
    public init(_ name: String, unit: String, meaning: String) {
        (self.name, self.unit, self.meaning) = (name, unit, meaning)
    }
    public var description: String { name }

    /// Train: each epoch, training and test evaluation.
    public static let epochSeconds = Timing("epoch_seconds", unit: "s", meaning: "wall time of each epoch (training and test evaluation)")
    /// KNN: test images classified per second.
    public static let queriesPerSecond = Timing("queries_per_second", unit: "1/s", meaning: "test digits classified per second (search and votes)")
}

/// The name of something a run records besides its metrics and timings, typed by what it
/// names (`Tensor`, `SampleList`, `RunAttribute`), so a tensor's name cannot be read as an
/// attribute. The library's names are declared once below; a study declares its own once
/// (`Tensor("originals")`) and uses it on both sides, recording and reading.
public struct RecordName<Kind>: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var description: String { name }
}

public enum TensorKind {}
public enum SampleListKind {}
public enum RunAttributeKind {}

/// A stored tensor (/tensors/<name>).
public typealias Tensor = RecordName<TensorKind>
/// A list of samples (/data/<name>): which were used, what was predicted.
public typealias SampleList = RecordName<SampleListKind>
/// A run attribute a view may read.
public typealias RunAttribute = RecordName<RunAttributeKind>

extension RecordName where Kind == TensorKind {
    /// Train: a layer's final parameters (`weight`, `bias`, ...), layer its position in the model.
    public static func parameter(layer: Int, _ parameter: String) -> Tensor { Tensor("layer\(layer)_\(parameter)") }
    public static func weights(layer: Int) -> Tensor { parameter(layer: layer, "weight") }
    /// Train and KNN: test confusion counts, true class x predicted class.
    public static var confusion: Tensor { Tensor("confusion") }
    /// Train(featureMapsOf:): the test image and each layer's output for it.
    public static var featureMapsInput: Tensor { Tensor("feature_maps_input") }
    public static func featureMaps(layer: Int) -> Tensor { Tensor("feature_maps_layer\(layer)") }
    /// KNN: the first misclassified test digits, and their (true, predicted) labels.
    public static var misclassifiedImages: Tensor { Tensor("misclassified_images") }
    public static var misclassifiedLabels: Tensor { Tensor("misclassified_labels") }
    /// ActivationStatistics: a sample of each layer's activations, for histograms.
    public static var sampleActivations: Tensor { Tensor("sample_activations") }
}

extension RecordName where Kind == SampleListKind {
    public static var trainIndices: SampleList { SampleList("train_indices") }
    public static var testIndices: SampleList { SampleList("test_indices") }
    /// KNN: the test labels and predicted labels; Train: the predicted labels.
    public static var testLabels: SampleList { SampleList("test_labels") }
    public static var predictions: SampleList { SampleList("predictions") }
    public static var testPredictions: SampleList { SampleList("test_predictions") }
}

extension RecordName where Kind == RunAttributeKind {
    /// The runner's: the data set's name, the CPU, the instruction-set path.
    public static var data: RunAttribute { RunAttribute("data") }
    public static var cpu: RunAttribute { RunAttribute("cpu") }
    public static var isa: RunAttribute { RunAttribute("isa") }
    /// Train: the network's parameter count; where and why early stopping or an abort ended it.
    public static var parameters: RunAttribute { RunAttribute("parameters") }
    public static var stoppedEpoch: RunAttribute { RunAttribute("stopped_epoch") }
    public static var stopReason: RunAttribute { RunAttribute("stop_reason") }
    /// The epoch whose loss became NaN or infinite (status `diverged`).
    public static var divergedEpoch: RunAttribute { RunAttribute("diverged_epoch") }
    /// KNN: the data set's class names, comma-separated.
    public static var classNames: RunAttribute { RunAttribute("class_names") }
    /// Published: who recorded a published curve.
    public static var publishedBy: RunAttribute { RunAttribute("published_by") }
}
