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

    // ActivationStatistics.
    public static let layer = Metric("layer"), mean = Metric("mean"), std = Metric("std")
}
