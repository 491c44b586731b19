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
public typealias LearningRateSchedule = ConvNet.LearningRateSchedule
public typealias EarlyStopping = ConvNet.EarlyStopping
public typealias Monitor = ConvNet.Monitor
public typealias KernelPath = ConvNet.KernelPath
public typealias Engine = ConvNet.Engine
public typealias PortableMath = ConvNet.PortableMath

/// Trains a network on a data split with seeded mini-batches, one run per config.
///
/// The run stores per-epoch metrics `epoch`, `train_loss` and `train_accuracy` (averaged
/// over the epoch's mini-batches, as they were trained), `test_loss`, `test_accuracy`,
/// `learning_rate`, and for each layer with weights `grad_norm_layer<i>` (mean over the
/// epoch's mini-batches) and `weight_norm_layer<i>`, for each activation layer
/// `inactive_layer<i>`; the timing `epoch_seconds`; the final parameters as tensors
/// `layer<i>_<name>`; the split's indices; and, unless training diverged, the test
/// predictions (`/data/test_predictions`) and the `confusion` tensor (true x predicted).
/// A loss that turns NaN or infinite ends the run with status `diverged` and the attribute
/// `diverged_epoch`: a result, not a crash.
/// Early stopping or a schedule's floor ends it early with `stopped_epoch` and `stop_reason`.
/// The run checkpoints every epoch (by default) and resumes bit-identically after a crash.
/// Its stored properties are the run's config: every one joins the cache key (DerivedConfig.swift).
public struct Train: ComputeStep {
    public var name: String
    public var source: DataSource
    public var data: DataSource? { source }
    public var split: DataSplit
    public var model: ModelSpec
    public var loss: Loss
    public var reduction: Reduction
    public var weights: Initializer
    public var biases: Initializer
    public var optimizer: Optimizer
    public var schedule: LearningRateSchedule
    public var earlyStopping: EarlyStopping?
    /// What the schedule and early stopping watch: never the test set (the texts choose on
    /// held-out validation images), and nothing when neither is on.
    public var monitor: Monitor?
    public var epochs: Int
    public var batchSize: Int
    /// Seeds initialisation, shuffling and dropout (each its own stream).
    public var seed: UInt64
    /// Also evaluate the whole training set after each epoch (`train_eval_loss`,
    /// `train_eval_accuracy`), as network2.py's monitor_training_* does; `train_loss` is the
    /// running mean over the epoch's mini-batches, which lags behind it.
    public var evaluateTrainingSet: Bool
    /// Distortions of the training images, drawn afresh every epoch.
    public var augmentation: Augmentation
    /// False: mini-batches in the split's order every epoch (seed 000 does not shuffle).
    public var shuffle: Bool
    /// Train on the samples sorted by label (with `shuffle: false`, every epoch sweeps the
    /// classes in turn: the slides' unshuffled data).
    public var sortByLabel: Bool
    /// Record the loss and cost on the training set before any training (`initial_loss`,
    /// `initial_cost`, one value each) and every mini-batch's loss (`batch_loss`).
    public var recordBatchLosses: Bool
    /// Abort the trial once a mini-batch's loss exceeds this many times the initial loss
    /// (the slides' 3): the run ends complete, with `stop_reason`.
    public var abortAbove: Double?
    /// After training, the output of every layer for this test image, as tensors
    /// `feature_maps_layer<i>` (and `feature_maps_input`): what the filters see.
    public var featureMapsOf: Int?
    /// Hold out the last this many images of the split's training images as a validation
    /// set, evaluated after every epoch (`validation_loss`, `validation_accuracy`) and never
    /// trained on: hyper-parameters are chosen on it, and the test images stay unseen.
    public var validation: Int?
    /// Keep only the images of these classes, relabelled 0, 1, ... in this order (the text's
    /// reduced problem: only the digits 0 and 1, for quick feedback); the split's counts and
    /// `validation` count images before this filter.
    public var classes: [Int32]?
    /// How pixel values reach the network (`.unit` unless a study asks otherwise).
    public var inputScaling: InputScaling
    /// Distort the validation images once (from the run's seed): a dev set drawn from
    /// another distribution than the training and test images (needs `validation:`).
    public var validationDistortion: Augmentation
    /// Record per epoch, for each weight layer, how many of the weights into a neuron move
    /// the same way in a mini-batch's update (`same_sign_layer<i>`, seed 003's argument for tanh).
    public var recordUpdateSigns: Bool

    public init(_ name: String, model: ModelSpec, data: DataSource, split: DataSplit, loss: Loss,
                reduction: Reduction = .mean, weights: Initializer, biases: Initializer = .constant(0),
                optimizer: Optimizer, schedule: LearningRateSchedule = .constant, earlyStopping: EarlyStopping? = nil,
                monitor: Monitor? = nil, epochs: Int, batchSize: Int, seed: UInt64,
                evaluateTrainingSet: Bool = false, augmentation: Augmentation = .none, shuffle: Bool = true,
                sortByLabel: Bool = false, recordBatchLosses: Bool = false, abortAbove: Double? = nil,
                featureMapsOf: Int? = nil, validation: Int? = nil, classes: [Int32]? = nil,
                inputScaling: InputScaling = .unit, validationDistortion: Augmentation = .none, recordUpdateSigns: Bool = false) {
        self.recordUpdateSigns = recordUpdateSigns
        self.validation = validation
        self.classes = classes
        self.inputScaling = inputScaling
        self.validationDistortion = validationDistortion
        self.name = name
        self.model = model
        self.source = data
        self.split = split
        self.loss = loss
        self.reduction = reduction
        self.weights = weights
        self.biases = biases
        self.optimizer = optimizer
        self.schedule = schedule
        self.earlyStopping = earlyStopping
        self.monitor = monitor
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.evaluateTrainingSet = evaluateTrainingSet
        self.augmentation = augmentation
        self.shuffle = shuffle
        self.sortByLabel = sortByLabel
        self.recordBatchLosses = recordBatchLosses
        self.abortAbove = abortAbove
        self.featureMapsOf = featureMapsOf
    }

    public var summary: String {
        "\(epochs) epochs of \(weightLayers) weight layer(s), batch \(batchSize), lr \(optimizer.learningRate), on \(source.name) \(split.description)"
    }

    /// Dense and convolution layers: what "784-30-10 has two layers" counts (not activations).
    private var weightLayers: Int {
        model.layers.filter { if case .dense = $0 { return true }; if case .conv = $0 { return true }; return false }.count
    }

    /// Early stopping and a plateau schedule watch a metric, and it is never the test set's:
    /// choosing an epoch or a rate on the test images would report a number chosen on them.
    private func checkMonitor() throws {
        if let monitor, monitor.readsTestSet {
            throw StudyError("monitoring \(monitor.rawValue) would choose on the test set: hold out validation images "
                             + "(Train(validation:)) and monitor .validationAccuracy")
        }
        if (earlyStopping != nil || schedule.watchesMetric) && monitor == nil {
            throw StudyError("early stopping and halving on a plateau watch a metric: give monitor: .validationAccuracy "
                             + "(with Train(validation:))")
        }
        if let monitor, monitor.needsValidationSet && validation == nil {
            throw StudyError("monitoring \(monitor.rawValue) needs a validation set (Train(validation:))")
        }
    }

    public func check(_ data: LoadedData) throws {
        do { try model.validate() } catch { throw StudyError("\(error)") }
        try split.check(data)
        guard optimizer.learningRate > 0 else {
            throw StudyError("the learning rate must be greater than 0 (it is \(optimizer.learningRate))")
        }
        if let validation, validation >= split.trainingCount(data) {
            throw StudyError("a validation set of \(validation) leaves no training images of the \(split.trainingCount(data))")
        }
        let trainingImages = split.trainingCount(data) - (validation ?? 0)
        guard (1...max(1, trainingImages)).contains(batchSize) else {
            throw StudyError("a mini-batch of \(batchSize) must be between 1 and the \(trainingImages) training images")
        }
        try checkMonitor()
        if let classes {
            let known = Set(data.train.labels)
            guard !classes.isEmpty, Set(classes).count == classes.count, classes.allSatisfy(known.contains) else {
                throw StudyError("classes \(classes) must be distinct labels of \(data.source.name)")
            }
        }
        if validationDistortion != .none && validation == nil {
            throw StudyError("distorting the validation images needs a validation set (Train(validation:))")
        }
        if (augmentation != .none || validationDistortion != .none) && data.train.channels != 1 {
            throw StudyError("the distortions warp grey images; \(data.source.name) has \(data.train.channels) channels")
        }
        if inputScaling != .unit && augmentation != .none {
            throw StudyError("augmentation distorts images of pixels in 0..1; it cannot be combined with \(inputScaling.rawValue) inputs")
        }
        let inputs = model.input.reduce(1, *), pixels = data.train.pixelsPerImage
        guard inputs == pixels else {
            throw StudyError("\(data.source.name) has images of \(data.train.channels)x\(data.train.rows)x\(data.train.columns) = \(pixels) values, but the model takes \(inputs) inputs")
        }
    }
}
