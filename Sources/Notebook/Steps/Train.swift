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
    /// What the schedule and early stopping watch.
    public var monitor: Monitor
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
                monitor: Monitor = .testAccuracy, epochs: Int, batchSize: Int, seed: UInt64,
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
        if monitor.needsValidationSet && validation == nil {
            throw StudyError("monitoring \(monitor.rawValue) needs a validation set (Train(validation:))")
        }
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

    public func compute(data loaded: LoadedData?, into run: RunRecorder) throws {
        var chosen = try split.select(from: try requireData(loaded, for: name))
        if sortByLabel { chosen = chosen.sortedByTrainingLabel() }
        // The last `validation` training images are set aside before anything trains on them.
        var validationSet = validation.map { count in chosen.train.subset(Array((chosen.train.count - count)..<chosen.train.count)) }
        if let validation { chosen = chosen.withoutLastTrainingImages(validation) }
        if let classes {
            chosen = chosen.keeping(classes: classes)
            validationSet = validationSet?.keeping(classes: classes).images
        }
        if validationDistortion != .none { validationSet = validationSet.map { validationDistortion.distort($0, seed: seed) } }
        inputScaling.apply(to: &chosen, validation: &validationSet)
        let network = model.build(weights: weights, biases: biases, seed: seed)
        network.threads = min(network.threads, run.threads)
        let trainer = Trainer(network: network, loss: loss, reduction: reduction, optimizer: optimizer,
                              batchSize: batchSize, seed: seed, schedule: schedule, earlyStopping: earlyStopping,
                              monitor: monitor, shuffle: shuffle)
        let predictions = try trainEpochs(trainer, chosen: chosen, validationSet: validationSet, into: run)
        try recordResult(of: trainer, chosen: chosen, lastTestPredictions: predictions, into: run)
    }

    /// The per-epoch series so far and the epochs' wall times: empty, or a resumed run's.
    private func startingSeries(_ trainer: Trainer, chosen: DataSplit.Selection,
                                into run: RunRecorder) throws -> (series: [Metric: [Double]], seconds: [Double]) {
        if let resumed = run.resumed {
            try trainer.restore(resumed.state)
            run.say("    resuming after epoch \(trainer.epochsDone)/\(epochs) from the checkpoint")
            return (Dictionary(uniqueKeysWithValues: resumed.metrics.map { (Metric($0.key), $0.value) }),
                    resumed.timings["epoch_seconds"] ?? [])
        }
        guard recordBatchLosses || abortAbove != nil else { return ([:], []) }
        let initial = trainer.cost(inputs: chosen.train.pixels, labels: chosen.train.labels)
        return ([.initialLoss: [initial.loss], .initialCost: [initial.cost]], [])
    }

    /// Trains the remaining epochs, recording every epoch's metrics and checkpointing as due.
    /// Returns the last epoch's test predictions (nil when it ended before its evaluation).
    private func trainEpochs(_ trainer: Trainer, chosen: DataSplit.Selection, validationSet: ImageSet?,
                             into run: RunRecorder) throws -> [Int32]? {
        var (series, seconds) = try startingSeries(trainer, chosen: chosen, into: run)
        trainer.recordBatchLosses = recordBatchLosses
        trainer.recordUpdateSigns = recordUpdateSigns
        if let abortAbove, let initial = series[.initialLoss]?.first { trainer.abortAbove = abortAbove * initial }
        // The layer index of each weight parameter, for the per-layer norm metrics.
        let weightLayers = trainer.network.layers.enumerated().flatMap { index, layer in
            layer.parameters.filter(\.isWeight).map { _ in index }
        }
        var lastTestPredictions: [Int32]?
        let train = (inputs: chosen.train.pixels, labels: chosen.train.labels)
        let test = (inputs: chosen.test.pixels, labels: chosen.test.labels)
        while trainer.epochsDone < epochs {
            let start = Date(), epoch = trainer.epochsDone + 1
            let inputs = augmentation == .none ? train.inputs : augmentation.apply(to: chosen.train, seed: seed, epoch: epoch)
            let report = trainer.runEpoch(train: (inputs, train.labels), test: test,
                                          validation: validationSet.map { ($0.pixels, $0.labels) }) { batch, batches, loss in
                run.progress(Progress(epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss,
                                      samples: min(batch * batchSize, train.labels.count)))
            }
            if recordBatchLosses { series[.batchLoss, default: []] += report.train.batchLosses }
            lastTestPredictions = nil
            if let stop = report.stop, case .lossAbove = stop {
                run.say("    epoch \(epoch)/\(epochs): \(stop), \(String(format: "%g", abortAbove ?? 0))x the initial loss: aborted")
                try recordStop(stop, epoch: epoch, into: run)
                break
            }
            if report.stop == .diverged {
                run.say("    epoch \(epoch)/\(epochs): loss \(report.train.loss), diverged")
                try run.markDiverged(epoch: epoch)
                break
            }
            lastTestPredictions = report.testPredictions
            if evaluateTrainingSet {
                let evaluated = trainer.evaluate(inputs: train.inputs, labels: train.labels)
                series[.trainEvalLoss, default: []].append(evaluated.loss)
                series[.trainEvalAccuracy, default: []].append(evaluated.accuracy)
            }
            if let validated = report.validation {
                series[.validationLoss, default: []].append(validated.loss)
                series[.validationAccuracy, default: []].append(validated.accuracy)
            }
            seconds.append(Date().timeIntervalSince(start))
            append(report, to: &series, weightLayers: weightLayers)
            run.say("    epoch \(epoch)/\(epochs): train loss \(formatNumber(report.train.loss)), test accuracy \(formatNumber(report.testAccuracy)) (\(String(format: "%.2f", seconds.last!)) s)")
            if let stop = report.stop {
                run.say("    stopped after epoch \(epoch): \(stop)")
                try recordStop(stop, epoch: epoch, into: run)
                break
            }
            if run.checkpointDue(after: epoch, of: epochs) {
                try record(series, seconds: seconds, weightLayers: weightLayers, into: run)
                try run.checkpoint(trainer.state())
            }
        }
        try record(series, seconds: seconds, weightLayers: weightLayers, into: run)
        return lastTestPredictions
    }

    /// One epoch's report as metric values.
    private func append(_ report: EpochReport, to series: inout [Metric: [Double]], weightLayers: [Int]) {
        for (metric, value) in [(Metric.epoch, Double(report.epoch)), (.trainLoss, report.train.loss),
                                (.trainAccuracy, report.train.accuracy), (.testLoss, report.testLoss),
                                (.testAccuracy, report.testAccuracy), (.learningRate, report.learningRate)] {
            series[metric, default: []].append(value)
        }
        for (layer, fraction) in report.inactiveFractions {
            series[.inactive(layer: layer), default: []].append(fraction)
        }
        for (layer, norms) in zip(weightLayers, zip(report.train.gradientNorms, report.train.weightNorms)) {
            series[.gradientNorm(layer: layer), default: []].append(norms.0)
            series[.weightNorm(layer: layer), default: []].append(norms.1)
        }
        for (layer, fraction) in zip(weightLayers, report.train.sameSignFractions) {
            series[.sameSign(layer: layer), default: []].append(fraction)
        }
    }

    /// What a run keeps of its trained network: the parameters, the test predictions and
    /// confusion matrix (unless it diverged), the feature maps asked for, the samples used.
    private func recordResult(of trainer: Trainer, chosen: DataSplit.Selection, lastTestPredictions: [Int32]?,
                              into run: RunRecorder) throws {
        let network = trainer.network
        for (index, layer) in network.layers.enumerated() {
            for parameter in layer.parameters {
                try run.tensor(.parameter(layer: index, parameter.name), shape: parameter.shape, parameter.value)
            }
        }
        if run.divergedEpoch == nil {
            // The last epoch's test evaluation, or a fresh one (after an aborted epoch, or a resumed run's end).
            let predictions = lastTestPredictions ?? trainer.evaluate(inputs: chosen.test.pixels, labels: chosen.test.labels).predictions
            let classes = network.outputSize
            var confusion = [Int32](repeating: 0, count: classes * classes)
            for (truth, predicted) in zip(chosen.test.labels, predictions) where (0..<classes).contains(Int(truth)) {
                confusion[Int(truth) * classes + Int(predicted)] += 1
            }
            try run.data(.testPredictions, predictions)
            try run.tensor(.confusion, shape: [classes, classes], confusion)
        }
        if let sample = featureMapsOf {
            guard sample < chosen.test.count else { throw StudyError("\(name): featureMapsOf \(sample) is beyond the \(chosen.test.count) test images") }
            let image = Array(chosen.test.image(sample))
            try run.tensor(.featureMapsInput, shape: model.input, image)
            try image.withUnsafeBufferPointer { x in
                var current = x.baseAddress!
                for (index, layer) in network.layers.enumerated() {
                    current = layer.forward(current, batch: 1, training: false)
                    try run.tensor(.featureMaps(layer: index), shape: layer.outputShape,
                                    Array(UnsafeBufferPointer(start: current, count: layer.outputShape.reduce(1, *))))
                }
            }
        }
        try run.data(.trainIndices, chosen.trainIndices.map { Int32($0) })
        try run.data(.testIndices, chosen.testIndices.map { Int32($0) })
        try run.attribute(.parameters, network.parameterCount)
    }

    /// A run that ends before its last epoch says when and why.
    private func recordStop(_ stop: StopReason, epoch: Int, into run: RunRecorder) throws {
        try run.attribute(.stoppedEpoch, epoch)
        try run.attribute(.stopReason, stop.description)
    }

    /// Records the per-epoch series with their units and descriptions.
    private func record(_ series: [Metric: [Double]], seconds: [Double], weightLayers: [Int],
                        into run: RunRecorder) throws {
        let units: [(Metric, String, String)] = [
            (.epoch, "", "epoch number, from 1"), (.trainLoss, "", "training cost averaged over the epoch's mini-batches"),
            (.trainAccuracy, "fraction", "training accuracy over the epoch's mini-batches"),
            (.testLoss, "", "test cost per sample after the epoch"),
            (.testAccuracy, "fraction", "test accuracy after the epoch"),
            (.learningRate, "", "the learning rate the epoch trained with"),
        ] + (evaluateTrainingSet ? [
            (.trainEvalLoss, "", "cost per sample on the whole training set after the epoch (no regularisation term)"),
            (.trainEvalAccuracy, "fraction", "accuracy on the whole training set after the epoch"),
        ] : []) + (validation != nil ? [
            (.validationLoss, "", "cost per sample on the held-out validation images after the epoch"),
            (.validationAccuracy, "fraction", "accuracy on the held-out validation images after the epoch"),
        ] : [])
        for (metric, unit, description) in units {
            try run.metric(metric, series[metric] ?? [], unit: unit, description: description)
        }
        run.timing(.epochSeconds, seconds)
        if recordBatchLosses || abortAbove != nil {
            try run.metric(.initialLoss, series[.initialLoss] ?? [], description: "loss per sample on the training set before training")
            try run.metric(.initialCost, series[.initialCost] ?? [],
                           description: "initial_loss plus the regularisation term: the cost the optimiser starts from")
        }
        if recordBatchLosses {
            try run.metric(.batchLoss, series[.batchLoss] ?? [], description: "each mini-batch's loss per sample, in training order")
        }
        for metric in series.keys.filter({ $0.name.hasPrefix("inactive_layer") }).sorted(by: { $0.name < $1.name }) {
            try run.metric(metric, series[metric]!, unit: "fraction",
                           description: "ReLU: units that output 0 for every sample; sigmoid/tanh: outputs within 0.01 of the limits; last test batch")
        }
        for layer in weightLayers {
            try run.metric(.gradientNorm(layer: layer), series[.gradientNorm(layer: layer)] ?? [],
                           description: "L2 norm of layer \(layer)'s weight gradient, mean over the epoch's mini-batches")
            try run.metric(.weightNorm(layer: layer), series[.weightNorm(layer: layer)] ?? [],
                           description: "L2 norm of layer \(layer)'s weights after the epoch")
            if recordUpdateSigns {
                try run.metric(.sameSign(layer: layer), series[.sameSign(layer: layer)] ?? [], unit: "fraction",
                               description: "share of the weights into a neuron of layer \(layer) whose update has the neuron's majority sign, mean over neurons and the epoch's mini-batches")
            }
        }
    }
}
