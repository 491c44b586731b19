import Foundation

/// How weights change after each mini-batch.
public struct Optimizer: Hashable, Sendable {
    public enum Method: Hashable, Sendable {
        case sgd
        /// Classical momentum: v = mu v - eta g; w = w + v.
        case momentum(Double)
        /// Seed 000's form: d = mu d + (1 - mu) g; w = w - eta d.
        case averagedMomentum(Double)
        /// Nesterov momentum in the CS231n form: v' = mu v - eta g; w = w - mu v + (1 + mu) v'.
        case nesterov(Double)
        /// Kingma and Ba: bias-corrected first and second moments.
        case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
    }

    /// Weight decay: Nielsen's forms act on weights only (biases are not regularised);
    /// seed 000's penalty acts on its whole parameter vector, biases included.
    public enum Regularization: Hashable, Sendable {
        case none
        /// Nielsen's L2: w = (1 - eta lambda / n) w - eta dC0/dw, n the training set size.
        case l2(lambda: Double)
        /// Nielsen's L1: w = w - (eta lambda / n) sgn(w) - eta dC0/dw, with sgn(0) = 0.
        case l1(lambda: Double)
        /// A penalty c sum(p^2) over every parameter p added to the cost (seed 000's
        /// `L2_reg * dot(W_vect, W_vect)`, biases included): its gradient 2 c p joins dC0/dp.
        case penalty(coefficient: Double)
    }

    public var learningRate: Double
    public var method: Method
    public var regularization: Regularization

    public init(learningRate: Double, method: Method = .sgd, regularization: Regularization = .none) {
        self.learningRate = learningRate
        self.method = method
        self.regularization = regularization
    }

    /// Updates `count` values of one parameter in place from its gradient. `first` and
    /// `second` are the method's state (velocity, Adam's moments); `step` counts updates
    /// from 1; `n` is the training set size that scales Nielsen's regularisation.
    func update(_ w: UnsafeMutablePointer<Float>, gradient g: UnsafeMutablePointer<Float>,
                first v: UnsafeMutablePointer<Float>, second s: UnsafeMutablePointer<Float>, count: Int,
                isWeight: Bool, trainingSetSize n: Double, step: Int) {
        let eta = Float(learningRate)
        switch regularization {
        case .none: break
        case .l2(let lambda) where isWeight:
            let decay = 1 - eta * Float(lambda / n)
            for i in 0..<count { w[i] *= decay }
        case .l1(let lambda) where isWeight:
            let shrink = eta * Float(lambda / n)
            for i in 0..<count where w[i] != 0 { w[i] -= w[i] > 0 ? shrink : -shrink }
        case .l2, .l1: break
        case .penalty(let c):
            let twice = Float(2 * c)
            for i in 0..<count { g[i] += twice * w[i] }
        }
        switch method {
        case .sgd:
            for i in 0..<count { w[i] -= eta * g[i] }
        case .momentum(let mu):
            let m = Float(mu)
            for i in 0..<count { v[i] = m * v[i] - eta * g[i]; w[i] += v[i] }
        case .averagedMomentum(let mu):
            let m = Float(mu)
            for i in 0..<count { v[i] = m * v[i] + (1 - m) * g[i]; w[i] -= eta * v[i] }
        case .nesterov(let mu):
            let m = Float(mu)
            for i in 0..<count {
                let previous = v[i]
                v[i] = m * v[i] - eta * g[i]
                w[i] += -m * previous + (1 + m) * v[i]
            }
        case let .adam(beta1, beta2, epsilon):
            let b1 = Float(beta1), b2 = Float(beta2), e = Float(epsilon)
            let correction1 = Float(1 - wholePower(beta1, step)), correction2 = Float(1 - wholePower(beta2, step))
            for i in 0..<count {
                v[i] = b1 * v[i] + (1 - b1) * g[i]
                s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]
                w[i] -= eta * (v[i] / correction1) / ((s[i] / correction2).squareRoot() + e)
            }
        }
    }
}

extension Optimizer {
    /// The regularisation term of the cost, in the form each regulariser's update follows:
    /// Nielsen's (lambda / 2n) sum(w^2) and (lambda / n) sum(|w|) over weights, seed 000's
    /// c sum(p^2) over every parameter.
    func penalty(_ parameters: [Parameter], trainingSetSize n: Double) -> Double {
        func sum(_ term: (Float) -> Double, weightsOnly: Bool) -> Double {
            parameters.filter { $0.isWeight || !weightsOnly }.reduce(0) { total, parameter in
                parameter.value.reduce(total) { $0 + term($1) }
            }
        }
        switch regularization {
        case .none: return 0
        case .l2(let lambda): return lambda / (2 * n) * sum({ Double($0) * Double($0) }, weightsOnly: true)
        case .l1(let lambda): return lambda / n * sum({ Double(abs($0)) }, weightsOnly: true)
        case .penalty(let c): return c * sum({ Double($0) * Double($0) }, weightsOnly: false)
        }
    }
}

/// One epoch's averages over its samples.
public struct EpochResult: Sendable, Equatable {
    public let loss: Double
    public let accuracy: Double
    /// The loss became NaN or infinite: training stopped in this epoch.
    public let diverged: Bool
    /// For each weight parameter (in network order): the L2 norm of its gradient, averaged
    /// over the epoch's mini-batches — where vanishing or exploding gradients show.
    public var gradientNorms: [Double] = []
    /// For each weight parameter: the L2 norm of the weights at the end of the epoch.
    public var weightNorms: [Double] = []
    /// For each weight parameter, when the trainer records them: the mean over the epoch's
    /// mini-batches of `sameSignFraction` of its gradient.
    public var sameSignFractions: [Double] = []
    /// Each mini-batch's loss per sample, in training order, when the trainer records them
    /// (the last one is the NaN or the loss above the limit that ended the epoch early).
    public var batchLosses: [Double] = []
    /// A mini-batch's loss exceeded the trainer's `abortAbove`: training stopped in this epoch.
    public var aborted = false
}

/// One epoch as the training loop reports it to whoever records the run.
public struct EpochReport: Sendable {
    /// Counted from 1.
    public let epoch: Int
    public let train: EpochResult
    /// Per-sample loss and accuracy on the test samples after the epoch (NaN when diverged).
    public let testLoss: Double, testAccuracy: Double
    /// The predicted class of every test sample after the epoch (empty when it did not end).
    public let testPredictions: [Int32]
    /// Loss and accuracy on the validation samples after the epoch, when they were given.
    public var validation: (loss: Double, accuracy: Double)? = nil
    /// The rate this epoch trained with.
    public let learningRate: Double
    /// For each activation layer (its index): dead ReLU units or saturated sigmoid/tanh
    /// outputs, measured on the last test batch.
    public let inactiveFractions: [(layer: Int, fraction: Double)]
    /// Why training ends after this epoch, if it does before the planned last one.
    public let stop: StopReason?
}

/// Trains a network with seeded, shuffled mini-batches: the whole loop in one place.
public final class Trainer {
    public let network: Network
    public let loss: Loss
    public let reduction: Reduction
    public var optimizer: Optimizer
    public let batchSize: Int
    /// False: every epoch takes the samples in their given order (seed 000's make_batches).
    public let shuffle: Bool
    /// The learning-rate schedule and early stopping.
    public internal(set) var control: TrainingControl
    /// Epochs trained so far (restored from a checkpoint too).
    public internal(set) var epochsDone = 0
    /// Keep every mini-batch's loss in `EpochResult.batchLosses` (the slides' loss curves).
    public var recordBatchLosses = false
    /// Measure `EpochResult.sameSignFractions` (seed 003's argument for tanh hidden units).
    public var recordUpdateSigns = false
    /// Abort training once a mini-batch's loss per sample exceeds this (a trial whose
    /// learning rate is too high, stopped before it wastes its budget).
    public var abortAbove: Double?
    var shuffling: RandomStream
    /// The network's parameters, listed once (not rebuilt every mini-batch).
    let parameters: [Parameter]
    var velocity: [[Float]], secondMoment: [[Float]]
    var updates = 0
    private let batchInput = Buffer(), gradient = Buffer()
    private var batchLabels: [Int32]

    public init(network: Network, loss: Loss, reduction: Reduction = .mean, optimizer: Optimizer, batchSize: Int,
                seed: UInt64, schedule: LearningRateSchedule = .constant, earlyStopping: EarlyStopping? = nil,
                monitor: Monitor = .testAccuracy, shuffle: Bool = true) {
        self.network = network
        self.loss = loss
        self.reduction = reduction
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.shuffle = shuffle
        control = TrainingControl(startRate: optimizer.learningRate, schedule: schedule,
                                  earlyStopping: earlyStopping, monitor: monitor)
        shuffling = RandomStream(seed: seed, purpose: .shuffling)
        parameters = network.parameters
        velocity = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoment = velocity
        batchLabels = [Int32](repeating: 0, count: batchSize)
    }

    /// Trains one epoch, evaluates on the test samples (and the validation samples, if given)
    /// and applies the schedule and early stopping. `progress` hears (mini-batches done,
    /// mini-batches in the epoch, mean loss so far).
    public func runEpoch(train: (inputs: [Float], labels: [Int32]), test: (inputs: [Float], labels: [Int32]),
                         validation: (inputs: [Float], labels: [Int32])? = nil, trainingSetSize: Int? = nil,
                         progress: ((Int, Int, Double) -> Void)? = nil) -> EpochReport {
        let rate = control.rate
        optimizer.learningRate = rate
        let result = trainEpoch(inputs: train.inputs, labels: train.labels, trainingSetSize: trainingSetSize,
                                progress: progress)
        epochsDone += 1
        guard !result.diverged else {
            return EpochReport(epoch: epochsDone, train: result, testLoss: .nan, testAccuracy: .nan, testPredictions: [],
                               learningRate: rate, inactiveFractions: [], stop: .diverged)
        }
        if result.aborted, let limit = abortAbove {
            return EpochReport(epoch: epochsDone, train: result, testLoss: .nan, testAccuracy: .nan, testPredictions: [],
                               learningRate: rate, inactiveFractions: [], stop: .lossAbove(limit: limit))
        }
        let tested = evaluate(inputs: test.inputs, labels: test.labels)
        // Read before the validation pass, so they stay the last test batch's.
        let inactive = network.layers.enumerated().compactMap { index, layer in
            (layer as? ActivationLayer)?.inactiveFraction.map { (layer: index, fraction: $0) }
        }
        let validated = validation.map { evaluate(inputs: $0.inputs, labels: $0.labels) }
        let monitored: Double
        switch control.monitor {
        case .testAccuracy: monitored = tested.accuracy
        case .testLoss: monitored = tested.loss
        case .trainLoss: monitored = result.loss
        case .validationAccuracy:
            precondition(validated != nil, "monitoring validation accuracy needs validation samples")
            monitored = validated!.accuracy
        }
        let stop = control.endEpoch(epochsDone, value: monitored)
        return EpochReport(epoch: epochsDone, train: result, testLoss: tested.loss, testAccuracy: tested.accuracy,
                           testPredictions: tested.predictions, validation: validated.map { ($0.loss, $0.accuracy) },
                           learningRate: rate, inactiveFractions: inactive, stop: stop)
    }

    /// One pass over the training samples in a fresh random order; `trainingSetSize`
    /// scales Nielsen's regularisation (defaults to the samples given).
    public func trainEpoch(inputs: [Float], labels: [Int32], trainingSetSize: Int? = nil,
                           progress: ((Int, Int, Double) -> Void)? = nil) -> EpochResult {
        epoch(inputs: inputs, labels: labels, trainingSetSize: trainingSetSize, progress: progress)
    }

    private func epoch(inputs: [Float], labels: [Int32], trainingSetSize: Int?,
                       progress: ((Int, Int, Double) -> Void)?) -> EpochResult {
        let count = labels.count, size = inputs.count / max(count, 1)
        let order = shuffle ? shuffling.permutation(count) : Array(0..<count)
        batchInput.reserve(batchSize * size)
        var total = 0.0, correct = 0
        let weights = parameters.filter(\.isWeight)
        var gradientNorms = [Double](repeating: 0, count: weights.count), sameSign = gradientNorms
        var batches = 0
        var batchLosses: [Double] = []
        let batchCount = (count + batchSize - 1) / batchSize
        for start in stride(from: 0, to: count, by: batchSize) {
            let batch = min(batchSize, count - start)
            inputs.withUnsafeBufferPointer { x in
                for (row, sample) in order[start..<(start + batch)].enumerated() {
                    (batchInput.pointer + row * size).update(from: x.baseAddress! + sample * size, count: size)
                    batchLabels[row] = labels[sample]
                }
            }
            let result = batchLabels.withUnsafeBufferPointer { y in
                network.step(batchInput.pointer, labels: y.baseAddress!, batch: batch, loss: loss,
                             reduction: reduction, gradient: gradient)
            }
            let perSample = reduction == .mean ? result.loss : result.loss / Double(batch)
            if recordBatchLosses { batchLosses.append(perSample) }
            guard result.loss.isFinite else {
                return EpochResult(loss: result.loss, accuracy: .nan, diverged: true, batchLosses: batchLosses)
            }
            if let limit = abortAbove, perSample > limit {
                return EpochResult(loss: perSample, accuracy: .nan, diverged: false, batchLosses: batchLosses, aborted: true)
            }
            total += reduction == .mean ? result.loss * Double(batch) : result.loss
            correct += result.correct
            for (i, parameter) in weights.enumerated() {
                gradientNorms[i] += l2Norm(parameter.gradient)
                if recordUpdateSigns { sameSign[i] += sameSignFraction(parameter) }
            }
            batches += 1
            update(trainingSetSize: Double(trainingSetSize ?? count))
            progress?(batches, batchCount, total / Double(start + batch))
        }
        return EpochResult(loss: total / Double(count), accuracy: Double(correct) / Double(count), diverged: false,
                           gradientNorms: gradientNorms.map { $0 / Double(max(batches, 1)) },
                           weightNorms: weights.map { l2Norm($0.value) },
                           sameSignFractions: recordUpdateSigns ? sameSign.map { $0 / Double(max(batches, 1)) } : [],
                           batchLosses: batchLosses)
    }

    /// The cost the optimiser minimises, before any training or at any point: the loss per
    /// sample plus the regularisation term (`Optimizer.penalty`).
    public func cost(inputs: [Float], labels: [Int32], trainingSetSize: Int? = nil) -> (loss: Double, cost: Double) {
        let loss = evaluate(inputs: inputs, labels: labels).loss
        return (loss, loss + optimizer.penalty(parameters, trainingSetSize: Double(trainingSetSize ?? labels.count)))
    }

    /// Loss (per sample), accuracy and the predicted class (the largest output) of every
    /// sample, without changing anything.
    public func evaluate(inputs: [Float], labels: [Int32], batchSize: Int = 500)
        -> (loss: Double, accuracy: Double, predictions: [Int32]) {
        evaluation(inputs: inputs, labels: labels, batchSize: batchSize)
    }

    private func evaluation(inputs: [Float], labels: [Int32], batchSize: Int) -> (loss: Double, accuracy: Double, predictions: [Int32]) {
        let count = labels.count, size = inputs.count / max(count, 1)
        var total = 0.0, correct = 0
        let classes = network.outputSize
        var predictions = [Int32](repeating: 0, count: count)
        inputs.withUnsafeBufferPointer { x in
            labels.withUnsafeBufferPointer { y in
                for start in stride(from: 0, to: count, by: batchSize) {
                    let batch = min(batchSize, count - start)
                    let output = network.forward(x.baseAddress! + start * size, batch: batch, training: false)
                    for row in 0..<batch {
                        let scores = output + row * classes
                        var best = 0
                        for k in 1..<classes where scores[k] > scores[best] { best = k }
                        predictions[start + row] = Int32(best)
                    }
                    let result = loss.evaluate(output, labels: y.baseAddress! + start, batch: batch,
                                               classes: classes, reduction: .sum, gradient: nil)
                    total += result.loss
                    correct += result.correct
                }
            }
        }
        return (total / Double(count), Double(correct) / Double(count), predictions)
    }

    private func update(trainingSetSize n: Double) {
        updates += 1
        for (index, parameter) in parameters.enumerated() {
            parameter.value.withUnsafeMutableBufferPointer { w in
            parameter.gradient.withUnsafeMutableBufferPointer { g in
            velocity[index].withUnsafeMutableBufferPointer { v in
            secondMoment[index].withUnsafeMutableBufferPointer { s in
                optimizer.update(w.baseAddress!, gradient: g.baseAddress!, first: v.baseAddress!, second: s.baseAddress!,
                                 count: w.count, isWeight: parameter.isWeight, trainingSetSize: n, step: updates)
            }}}}
        }
    }
}

/// Seed 003: dC/dw_jk = delta_j a_k, so when every input a_k of a layer is positive (sigmoid
/// hidden units) the weights into neuron j all move in one direction. For one weight
/// parameter's gradient (rows: the neurons, as [outputs, inputs] or [out channels, in x kernel]):
/// the mean over neurons of the share of its nonzero entries that have the neuron's majority
/// sign. 1 when all move together; near 0.5 when the signs are mixed.
func sameSignFraction(_ parameter: Parameter) -> Double {
    let neurons = parameter.shape[0], fan = parameter.count / max(neurons, 1)
    var total = 0.0
    parameter.gradient.withUnsafeBufferPointer { g in
        for j in 0..<neurons {
            var positive = 0, negative = 0
            for k in 0..<fan {
                let value = g[j * fan + k]
                if value > 0 { positive += 1 } else if value < 0 { negative += 1 }
            }
            total += positive + negative == 0 ? 1 : Double(max(positive, negative)) / Double(positive + negative)
        }
    }
    return total / Double(max(neurons, 1))
}

/// sqrt(sum of squares): float32 squares in 32 lanes (vectorised: it runs for every weight
/// parameter after every mini-batch), the lanes summed in float64. A diagnostic metric,
/// accurate to about 1e-5 relative.
func l2Norm(_ values: [Float]) -> Double {
    values.withUnsafeBufferPointer { v in
        let count = v.count, whole = count / 32 * 32
        var lanes = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        let raw = UnsafeRawPointer(v.baseAddress!)
        var i = 0
        while i < whole {
            let a = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let b = raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            let c = raw.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD8<Float>.self)
            let d = raw.loadUnaligned(fromByteOffset: (i + 24) * 4, as: SIMD8<Float>.self)
            lanes.0 += a * a; lanes.1 += b * b; lanes.2 += c * c; lanes.3 += d * d
            i += 32
        }
        var sum = 0.0
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { for k in 0..<8 { sum += Double(lane[k]) } }
        for k in whole..<count { sum += Double(v[k]) * Double(v[k]) }
        return sum.squareRoot()
    }
}
