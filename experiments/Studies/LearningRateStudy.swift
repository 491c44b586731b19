import Foundation
import Notebook

/// Seed 001's "babysitting the learning process" (REFERENCE.md): the checks before training,
/// the learning-rate sweep, and the loss curves the slides teach to read, each from a real run.
let learningRateStudy = Study(
    "learning-rate-study",
    title: "Babysitting the learning process: sanity checks, the learning rate, and reading loss curves",
    summary: "seed 001's checks as measured runs: initial loss ln(10), overfitting 20 examples, learning rates from 1e-6 to 1e6 with an abort at 3x the initial loss, and the loss-curve diagnoses"
) { context in
    let slides = Babysitting(context)
    slides.initialLossSection()
    slides.overfitSection()
    let trials = slides.learningRateTrials()
    slides.learningRateSection(trials)
    slides.lossCurvesSection(trials)
}

/// The slides' setting, shared by every section: their network, its data and the sizes each profile uses.
private struct Babysitting {
    let context: StudyContext
    let epochs: Int, overfitEpochs: Int
    let reg: Double
    let images: TrainingImages
    let overfitLr: Double
    let seed: UInt64
    let weightScale = 1e-4
    let net: SlidesNet

    init(_ context: StudyContext) {
        self.context = context
        epochs = context.parameter("epochs", quick: 3, standard: 10, full: 10, help: "epochs of each learning-rate trial (the slides: 10)")
        overfitEpochs = context.parameter("overfit_epochs", quick: 200, standard: 200, full: 200, help: "epochs on the 20 examples (the slides: 200)")
        reg = context.parameter("reg", default: 1e3, help: "the regularisation strength whose initial cost is checked (the slides: 1e3)")
        images = TrainingImages(context)
        // Fashion-MNIST's brighter images need a smaller step: at 0.5 its 20 images stall at
        // training accuracy 0.5 (measured); 0.3 reaches 1.00.
        overfitLr = context.parameter("overfit_lr", default: images.areDigits ? 0.5 : 0.3,
                                      help: "learning rate on the 20 examples (the slides: 1e-3 on CIFAR-10; 0.3 on Fashion-MNIST)")
        seed = UInt64(context.seed)
        net = SlidesNet(images: images, seed: seed)
    }
}

/// The learning-rate trials: a sweep of one rate per decade, and the slides' 3e-3 and 1e6.
private struct LearningRateTrials {
    let sweep: Sweep
    let lr3e3: Train
    /// lr 1e6 from each seed of its row (one below --full); the first is the one the figures show.
    let lr1e6Seeds: [Train]
    var lr1e6: Train { lr1e6Seeds[0] }
}

private extension Babysitting {
    // MARK: The loss at initialisation
    @StudyBuilder
    func initialLossSection() -> [any StudyStep] {
        Text("""
        The slides' network throughout: \(images.inputs)-50-10 with ReLU hidden units and a softmax output, weights \
        1e-4 * randn, biases 0, plain SGD on mini-batches of 100, on \(images.description). Every run \
        records the loss before training and the loss of every mini-batch, so the curves below are the \
        slides' "loss against iterations". Their numbers come from CIFAR-10 with standardised pixels; \
        ours from MNIST pixels in [0, 1], which carry less signal per weight, so the useful learning \
        rates sit about three decades higher here (see random-search).

        ## Before training: the loss at initialisation

        With weights this small every score is about 0, the softmax is uniform over 10 classes, and \
        the loss must be ln(10) = 2.3026. Turning the regularisation on must raise the cost by its term \
        0.5 * reg * sum(W^2), which for N(0, 1e-8) weights is about 0.5 * reg * (number of weights) * 1e-8.
        """)
        if let caveat = images.caveat { Text(caveat) }
        let initialReg0 = net.train("initial-reg0", lr: 1e-3, epochs: 1)
        let initialReg = net.train("initial-reg", lr: 1e-3, reg: reg, epochs: 1)
        initialReg0
        initialReg
        Table("The initial loss, without and with regularisation") { results in
            let weights = Double(images.inputs * 50 + 50 * 10)
            return TableContent(columns: ["reg", "loss at initialisation", "cost at initialisation", "expected", "the slides (CIFAR-10)"], rows: try [
                (0.0, initialReg0, "2.3026"), (reg, initialReg, reg == 1e3 ? "3.07" : "—"),
            ].map { value, step, slides in
                let run = try results.run(step)
                let expected = log(10.0) + 0.5 * value * weights * weightScale * weightScale
                return [.text(String(format: "%g", value)), .number(try run.final(.initialLoss)),
                        .number(try run.final(.initialCost)), .number(expected), .text(slides)]
            }, notes: [
                "Expected: ln(10) plus 0.5 * reg * \(Int(weights)) weights * 1e-8 (the mean of W^2). The slides' net has 3072 inputs, so 153,600 + 500 weights and a larger term at the same reg.",
            ])
        }

        Reproductions("The initial loss beside the slides") { results in
            let weights = Double(images.inputs * 50 + 50 * 10)
            return [
                // Scores of 1e-4-sized weights on pixels in [0, 1] are of order 1e-3, which moves the
                // softmax loss from ln 10 by less than 1e-3.
                Reproduction("\(images.inputs)-50-10, W = 1e-4 randn, no regularisation: loss at initialisation", source: "seed 001",
                             quote: "disable regularization … loss ~2.3.", text: log(10.0), ours: [try results.run(initialReg0).final(.initialLoss)], kind: .check,
                             tolerance: .absolute(0.001, because: "scores of weights 1e-4 * randn on pixels in [0, 1] are of order 1e-3, which moves the loss from ln 10 by less than 1e-3")),
                Reproduction("the same with reg 1e3: cost at initialisation", source: "seed 001", quote: "1e3)      crank up regularization", text: 3.07,
                             ours: [try results.run(initialReg).final(.initialCost)], kind: .check,
                             // The term 0.5 * reg * sum(W^2) is what the row checks, so the tolerance is a small
                             // fraction of it: the slides' rounding to 0.01, plus three standard deviations of
                             // sum(W^2) over the draw (relative sd sqrt(2 / weights) for Gaussian weights).
                             tolerance: .absolute(0.005 + 3 * 0.5 * reg * weights * weightScale * weightScale * (2 / weights).squareRoot(),
                                                  because: "half the slides' last digit plus three standard deviations of the regularisation term over the weights' draw"),
                             blockedBy: images.isCIFAR10 ? nil : "needs CIFAR-10 (the slides' 3072-input net has 153,600 + 500 weights, this one \(Int(weights)))"),
            ]
        }
    }

    // MARK: Overfit a tiny subset first
    @StudyBuilder
    func overfitSection() -> [any StudyStep] {
        Text("""
        ## Overfit a tiny subset first

        Before spending hours, check that the network can drive the loss of 20 examples to nearly \
        zero without regularisation: \(overfitEpochs) epochs, one mini-batch of all 20, learning rate \
        \(formatNumber(overfitLr)). The slides reach cost 0.0026 and training accuracy 1.00.
        """)
        let tiny = TrainingImages.split(of: images.source, train: 20, test: images.testCount, seed: context.seed)
        let overfit20 = net.train("overfit-20", lr: overfitLr, split: tiny, trainCount: 20, epochs: overfitEpochs, batchSize: 20)
        overfit20
        Table("Overfitting 20 examples") { results in
            let run = try results.run(overfit20)
            return .comparison([
                ReferenceRow("training loss after the last epoch", ours: try run.final(.trainLoss), reference: 0.0026,
                             explanation: "the slides: CIFAR-10, lr 1e-3"),
                ReferenceRow("training accuracy", ours: try run.final(.trainAccuracy), reference: 1.0, explanation: ""),
                ReferenceRow("validation accuracy (20 examples teach little)", ours: try run.final(.testAccuracy), reference: nil, explanation: "far below: memorised, not learned"),
            ], quantity: "value")
        }
        Reproductions("Overfitting 20 examples beside the slides") { results in
            let run = try results.run(overfit20)
            return [
                Reproduction("20 examples, no regularisation, after \(overfitEpochs) epochs: training accuracy", source: "seed 001",
                             quote: "X_tiny = X_train[:20] # take 20 examples", text: 1.0, ours: [try run.final(.trainAccuracy)], kind: .check,
                             tolerance: .absolute(0, because: "every one of the 20 examples must be learnt")),
                Reproduction("the same: training loss", source: "seed 001", quote: "Finished epoch 200 / 200: cost 0.002597", text: 0.0026, ours: [try run.final(.trainLoss)], kind: .trained,
                             tolerance: .absolute(0.0013, because: "half the slides' value: how far the loss has fallen depends on the data and the rate"),
                             blockedBy: images.isCIFAR10 ? nil : "needs CIFAR-10 (the slides' loss after 200 epochs at their rate 1e-3)"),
            ]
        }
        Figure("overfit", title: "20 examples: the loss falls towards 0 (log scale)") { results in
            let run = try results.run(overfit20)
            return .lines(LinePlot(xLabel: "epoch", yLabel: "training loss", logY: true, series: [
                Series(label: "loss of the mini-batch of 20", x: try run.metric(.epoch), y: try run.metric(.trainLoss), style: .lines),
            ]))
        }
    }

    func learningRateTrials() -> LearningRateTrials {
        let sweepDecades = context.parameter("sweep_decades", default: 8, help: "learning rates of the sweep: one per decade from 1e-6 up (8: up to 10, one decade past the slides' 1, where the abort shows)")
        let sweep = Sweep.grid("lr", learningRate.over((0..<sweepDecades).map { PortableMath.power(10, $0 - 6) }))
        let lr3e3 = net.train("lr-3e-3", lr: 3e-3, epochs: epochs, abort: true)
        let lr1e6Seeds = context.parameter("lr1e6_seeds", quick: 1, standard: 1, full: 5,
                                           help: "runs of lr 1e6, each from its own seed: its row needs every one to agree with the slides")
        let lr1e6 = Sweep.repeats("lr-1e6", count: lr1e6Seeds, base: seed) { name, runSeed in
            net.train(name, lr: 1e6, epochs: epochs, abort: true, seed: runSeed)
        }
        return LearningRateTrials(sweep: sweep, lr3e3: lr3e3, lr1e6Seeds: lr1e6)
    }

    // MARK: The learning rate
    @StudyBuilder
    func learningRateSection(_ trials: LearningRateTrials) -> [any StudyStep] {
        let (sweep, lr3e3, lr1e6) = (trials.sweep, trials.lr3e3, trials.lr1e6)
        Text("""
        ## The learning rate

        The slides try 1e-6 (the loss barely moves: 2.3026 to 2.3024 in 10 epochs), 1e6 (the cost is \
        NaN at once) and 3e-3 (inf after 5 epochs), then cross-validate in log space. Here every rate \
        from 1e-6 up, one per decade, trains \(epochs) epochs, plus 1e6 (from \(trials.lr1e6Seeds.count) seed(s)) \
        and the slides' 3e-3; a trial \
        is aborted as soon as a mini-batch's loss exceeds 3 times the initial loss, and a NaN ends a \
        run as `diverged`: both are results, stored like any other.
        """)
        sweep.steps { point in net.train(point.name, lr: point[learningRate], epochs: epochs, abort: true) }
        lr3e3
        trials.lr1e6Seeds
        let named = { (results: StudyResults) throws -> [(label: String, run: StoredRun)] in
            try sweep.runs(in: results).map { (String(format: "lr %g", $0.point[learningRate]), $0.run) }
                + [("lr 3e-3", try results.run(lr3e3)), ("lr 1e6", try results.run(lr1e6))]
        }
        Figure("learning-rates", title: "Loss of every mini-batch for each learning rate (log scale)") { results in
            .lines(LinePlot(xLabel: "iteration (mini-batches)", yLabel: "mini-batch loss", logY: true,
                            series: try named(results).compactMap { label, run in batchLossSeries(label, run) }))
        }
        Table("What each learning rate did") { results in
            TableContent(columns: ["learning rate", "initial loss", "last mini-batch loss", "validation accuracy", "what happened"],
                         rows: try named(results).map { label, run in
                let losses = try run.metric(.batchLoss), initial = try run.final(.initialLoss)
                return [.text(label), .number(initial, format: .decimals(4)), .text(losses.last.map { String(format: "%.4g", $0) } ?? "—"),
                        .number(run.status == .diverged ? nil : (try run.metric(.testAccuracy)).last, missing: "—"),
                        .text(verdict(run, losses: losses, initial: initial))]
            }, notes: ["The slides: 1e-6 barely moves the loss, 1e6 gives NaN at once, 3e-3 gives inf after 5 epochs (on CIFAR-10)."])
        }
        Reproductions("The slides' exploding learning rate") { results in
            // A step of 1e6 times a gradient of order 1e-2 overflows any pixel scale in its first
            // updates: the outcome does not depend on the data set, so MNIST can judge it.
            let runs = try trials.lr1e6Seeds.map { try results.run($0) }
            return [Reproduction("lr 1e6: the cost becomes NaN in the first epoch (1 yes, 0 no, per seed)", source: "seed 001",
                                 quote: "Now let's try learning rate 1e6. … Finished epoch 1 / 10: cost nan", text: 1,
                                 ours: runs.map { $0.status == .diverged && $0.attribute(.divergedEpoch) == "1" ? 1 : 0 }, over: "seeds",
                                 kind: .trained, tolerance: .absolute(0, because: "a yes-or-no reading of each run's status: every seed must agree with the slides"))]
        }
    }

    // MARK: Reading loss curves
    @StudyBuilder
    func lossCurvesSection(_ trials: LearningRateTrials) -> [any StudyStep] {
        let (sweep, lr1e6) = (trials.sweep, trials.lr1e6)
        Text("""
        ## Reading loss curves

        The slides' gallery of loss curves, each from a run set up to show it: not learning (lr 1e-6 \
        above), NaN (lr 1e6 above), not converged (a rate that is still falling at the end), a slow \
        start from a too-small initialisation, overfitting, the periodic pattern of unshuffled data, \
        and the noise of a too-small validation set.
        """)
        let slowStartEpochs = context.parameter("slow_start_epochs", quick: 3, standard: 10, full: 10, help: "epochs of the initialisation comparison")
        let slowStartLr = context.parameter("slow_start_lr", default: 0.05, help: "learning rate of the initialisation comparison")
        let slowStarts = initialisations.map { label, weights in
            net.train("init-\(label)", lr: slowStartLr, epochs: slowStartEpochs, weights: weights)
        }
        slowStarts
        Figure("slow-start", title: "A slow start: the same net from weights too small, small, and Xavier-scaled") { results in
            .lines(LinePlot(xLabel: "iteration (mini-batches)", yLabel: "mini-batch loss", series: try zip(initialisations, slowStarts).compactMap { initialisation, step in
                batchLossSeries("weights \(initialisation.label)", try results.run(step))
            }))
        }

        let overfittingTrain = context.parameter("overfitting_train", default: 100, help: "training images of the overfitting run")
        let overfittingEpochs = context.parameter("overfitting_epochs", quick: 20, standard: 100, full: 100, help: "epochs of the overfitting run")
        let overfitting = net.train("overfitting", lr: 0.1, split: TrainingImages.split(of: images.source, train: overfittingTrain, test: images.testCount, seed: context.seed),
                                    trainCount: overfittingTrain, epochs: overfittingEpochs, batchSize: 10, weights: .xavierNormal, evaluateTrainingSet: true)
        overfitting
        Figure("overfitting", title: "Overfitting: training accuracy reaches 1, validation accuracy stalls far below") { results in
            let run = try results.run(overfitting)
            return .lines(LinePlot(xLabel: "epoch", yLabel: "accuracy", series: [
                Series(label: "training (\(overfittingTrain) images)", x: try run.metric(.epoch), y: try run.metric(.trainEvalAccuracy), style: .lines),
                Series(label: "validation (\(images.testCount) images)", x: try run.metric(.epoch), y: try run.metric(.testAccuracy), style: .lines),
            ], yRange: 0...1))
        }

        let orderEpochs = context.parameter("order_epochs", quick: 3, standard: 5, full: 5, help: "epochs of the shuffled and unshuffled runs")
        let shuffled = net.train("shuffled", lr: 0.1, epochs: orderEpochs, weights: .xavierNormal)
        let sortedByLabel = net.train("sorted-by-label", lr: 0.1, epochs: orderEpochs, weights: .xavierNormal, shuffle: false, sortByLabel: true)
        shuffled
        sortedByLabel
        Figure("unshuffled", title: "Data sorted by label, never shuffled: the loss jumps at each new class, every epoch") { results in
            .lines(LinePlot(xLabel: "iteration (mini-batches)", yLabel: "mini-batch loss", series: try [
                ("shuffled every epoch", shuffled), ("sorted by label, never shuffled", sortedByLabel),
            ].compactMap { label, step in batchLossSeries(label, try results.run(step)) }))
        }

        let validationEpochs = context.parameter("validation_epochs", quick: 5, standard: 30, full: 30, help: "epochs of the validation-size comparison")
        let smallValidation = context.parameter("small_validation", default: 20, help: "images of the too-small validation set")
        let validationSizes = [smallValidation, images.testCount]
        let validations = validationSizes.map { test in
            net.train("validate-on-\(test)", lr: 0.1, split: TrainingImages.split(of: images.source, train: images.trainCount, test: test, seed: context.seed),
                     epochs: validationEpochs, weights: .xavierNormal)
        }
        validations
        Figure("validation-noise", title: "The same training, validated on \(smallValidation) and on \(images.testCount) images") { results in
            .lines(LinePlot(xLabel: "epoch", yLabel: "validation accuracy", series: try zip(validationSizes, validations).map { test, step in
                let run = try results.run(step), accuracy = try run.metric(.testAccuracy)
                // One binomial standard error, sqrt(p (1 - p) / n): how far the estimate may sit from the truth.
                let error = accuracy.map { ($0 * (1 - $0) / Double(test)).squareRoot() }
                return Series(label: "\(test) validation images (band: one standard error)", x: try run.metric(.epoch), y: accuracy,
                              band: Band(low: zip(accuracy, error).map(-), high: zip(accuracy, error).map(+)), style: .linesPoints)
            }))
        }
        Table("The diagnoses, measured") { results in
            func drop(_ run: StoredRun) throws -> String {
                String(format: "loss %.4f -> %.4f", try run.final(.initialLoss), try run.final(.batchLoss))
            }
            func drop(_ step: Train) throws -> String { try drop(try results.run(step)) }
            let overfitted = try results.run(overfitting)
            let small = try results.run(validations[0]), large = try results.run(validations[1])
            func standardError(_ run: StoredRun) throws -> Double {
                let accuracy = try run.final(.testAccuracy), count = Double(try run.data(.testIndices).count)
                return (accuracy * (1 - accuracy) / count).squareRoot()
            }
            func largestGap(_ a: StoredRun, _ b: StoredRun) throws -> Double {
                zip(try a.metric(.testAccuracy), try b.metric(.testAccuracy)).map { abs($0 - $1) }.max() ?? .nan
            }
            // The lr 0.1 trial's loss is still falling when its epochs run out.
            func notConverged(_ trial: (point: SweepPoint, run: StoredRun)?) throws -> [String] {
                guard let trial else { return ["not converged", "lr 0.1", "not in this sweep"] }
                let losses = try trial.run.metric(.batchLoss), perEpoch = losses.count / max(try trial.run.metric(.epoch).count, 1)
                func mean(_ values: ArraySlice<Double>) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
                return ["not converged", "lr 0.1", String(format: "mean mini-batch loss of the last two epochs %.3f then %.3f: still falling",
                                                          mean(losses.dropLast(perEpoch).suffix(perEpoch)), mean(losses.suffix(perEpoch)))]
            }
            func lastEpochRange(_ step: Train) throws -> String {
                let run = try results.run(step), losses = try run.metric(.batchLoss)
                let last = losses.suffix(losses.count / max(try run.metric(.epoch).count, 1))
                return String(format: "%.3f to %.3f", last.min() ?? .nan, last.max() ?? .nan)
            }
            let sweepRuns = try sweep.runs(in: results)
            guard let slowest = sweepRuns.first else { throw StudyError("the learning-rate sweep has no runs") }
            return TableContent(columns: ["curve", "run", "what the run measured"], textRows: [
                ["not learning", String(format: "lr %g", slowest.point[learningRate]), try drop(slowest.run)],
                try notConverged(sweepRuns.first { abs(log10($0.point[learningRate]) + 1) < 1e-9 }),
                ["NaN", "lr 1e6", (try results.run(lr1e6)).status == .diverged ? "diverged in epoch \((try results.run(lr1e6)).attribute(.divergedEpoch) ?? "?")" : "did not diverge"],
                ["slow start", "weights \(initialisations[0].label)", try drop(slowStarts[0]) + " (Xavier: " + (try drop(slowStarts.last!)) + ")"],
                ["overfitting", "\(overfittingTrain) training images",
                 String(format: "training accuracy %.3f, validation %.3f", try overfitted.final(.trainEvalAccuracy), try overfitted.final(.testAccuracy))],
                ["periodic pattern", "sorted by label", "last epoch's mini-batch losses range " + (try lastEpochRange(sortedByLabel)) + "; shuffled " + (try lastEpochRange(shuffled))],
                ["noisy validation", "\(smallValidation) vs \(images.testCount) images",
                 String(format: "standard error of the last accuracy %.3f vs %.3f; the two estimates differ by up to %.3f across epochs",
                        try standardError(small), try standardError(large), try largestGap(small, large))],
            ])
        }
    }
}


/// The weight scales of the slow-start comparison, smallest first.
private let initialisations: [(label: String, weights: Initializer)] = [
    ("1e-4 * randn", .gaussian(std: 1e-4)), ("1e-2 * randn", .gaussian(std: 1e-2)), ("Xavier", .xavierNormal),
]

/// A run's mini-batch losses against the iteration, without the NaN or infinite values a
/// log-scale plot cannot show; nil when there is nothing finite to draw.
private func batchLossSeries(_ label: String, _ run: StoredRun) -> Series? {
    guard let losses = try? run.metric(.batchLoss) else { return nil }
    let points = losses.enumerated().filter { $0.element.isFinite && $0.element > 0 }
    guard !points.isEmpty else { return nil }
    return Series(label: label, x: points.map { Double($0.offset + 1) }, y: points.map(\.element), style: .lines)
}

/// The slides' words for what a learning-rate trial did.
private func verdict(_ run: StoredRun, losses: [Double], initial: Double) -> String {
    if run.status == .diverged { return "NaN or inf in epoch \(run.attribute(.divergedEpoch) ?? "?"): diverged" }
    if let reason = run.attribute(.stopReason) { return "aborted in epoch \(run.attribute(.stoppedEpoch) ?? "?"): \(reason) (3x the initial loss)" }
    let last = losses.suffix(10).reduce(0, +) / Double(max(losses.suffix(10).count, 1))
    if last > 0.99 * initial { return String(format: "barely moves (%.4f -> %.4f)", initial, last) }
    if last > 0.5 * initial { return "learns slowly" }
    return "learns"
}

/// The slides' network: 784-50-10, ReLU, softmax, W = 1e-4 * randn, b = 0, SGD on mini-batches
/// of 100; reg is their 0.5 * reg * sum(W^2), i.e. Nielsen's L2 with lambda = reg * n. Every run
/// records its initial loss and every mini-batch's loss.
private struct SlidesNet {
    let images: TrainingImages
    let seed: UInt64

    func train(_ name: String, lr: Double, reg: Double = 0, split: DataSplit? = nil, trainCount: Int? = nil,
               epochs: Int, batchSize: Int = 100, weights: Initializer = .gaussian(std: 1e-4), shuffle: Bool = true,
               sortByLabel: Bool = false, abort: Bool = false, evaluateTrainingSet: Bool = false, seed runSeed: UInt64? = nil) -> Train {
        Train(name, model: .mlp([images.inputs, 50, 10], .relu, activateOutput: false), data: images.source, split: split ?? images.split,
              loss: .softmaxLogLikelihood, weights: weights,
              optimizer: Optimizer(learningRate: lr, regularization: reg == 0 ? .none : .l2(lambda: reg * Double(trainCount ?? images.trainCount))),
              epochs: epochs, batchSize: batchSize, seed: runSeed ?? seed, evaluateTrainingSet: evaluateTrainingSet, shuffle: shuffle,
              sortByLabel: sortByLabel, recordBatchLosses: true, abortAbove: abort ? 3 : nil)
    }
}

/// The number the learning-rate sweep varies.
private let learningRate = Axis<Double>("lr")
