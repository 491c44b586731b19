import ConvNet
import Datasets
import Foundation

// The training driver of a `Train` step: the step value (Train.swift) says what to train, this
// file how: select and prepare the images, build the network, train epoch by epoch (resuming
// from a checkpoint, stopping early, recording each epoch's metrics), then store the result.

extension Train {
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
                              // Nothing watches the monitor without early stopping or a plateau schedule;
                              // the trainer still takes one, and the training loss reads no held-out image.
                              monitor: monitor ?? .trainLoss, shuffle: shuffle)
        let predictions = try trainEpochs(trainer, chosen: chosen, validationSet: validationSet, into: run)
        try recordResult(of: trainer, chosen: chosen, lastTestPredictions: predictions, into: run)
    }

    /// The per-epoch series so far and the epochs' wall times: empty, or a resumed run's.
    fileprivate func startingSeries(_ trainer: Trainer, chosen: DataSplit.Selection,
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
    fileprivate func trainEpochs(_ trainer: Trainer, chosen: DataSplit.Selection, validationSet: ImageSet?,
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
    fileprivate func append(_ report: EpochReport, to series: inout [Metric: [Double]], weightLayers: [Int]) {
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
    fileprivate func recordResult(of trainer: Trainer, chosen: DataSplit.Selection, lastTestPredictions: [Int32]?,
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
    fileprivate func recordStop(_ stop: StopReason, epoch: Int, into run: RunRecorder) throws {
        try run.attribute(.stoppedEpoch, epoch)
        try run.attribute(.stopReason, stop.description)
    }

    /// Records the per-epoch series with their units and descriptions.
    fileprivate func record(_ series: [Metric: [Double]], seconds: [Double], weightLayers: [Int],
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
