import Foundation
import Notebook

/// Seed 001's training practice (REFERENCE.md, "Training practice (001)"): train, dev and
/// test sets (and a dev set from another distribution), bias and variance read from training
/// and dev errors, normalising inputs, why deep networks' signals vanish or explode, and the
/// basic recipe's ranking of activations.
let practiceStudy = Study(
    "practice-study",
    title: "Training practice: train/dev/test, bias and variance, normalising inputs, vanishing and exploding signals, the basic recipe",
    summary: "seed 001's dev set from another distribution, bias/variance from four trained networks, raw against standardised inputs, a deep linear network against 1.5^(L-1) and 0.9^(L-1), and its activation recipe measured"
) { context in
    let practice = Practice(context)
    practice.devSetSection()
    practice.biasVarianceSection()
    practice.normalisingSection()
    practice.vanishingSection()
    practice.recipeSection()
}

/// The setting every section shares: the data, the dev set, the sizes and the stated rules.
private struct Practice {
    let context: StudyContext
    let epochs: Int
    let images: TrainingImages
    let few: Int
    let threshold: Double
    let dev: Int
    let trainCount: Int
    let strongL2: Double
    let shiftDegrees: Double, shiftPixels: Double
    let shift: Augmentation

    init(_ context: StudyContext) {
        self.context = context
        epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs of each trained network")
        images = TrainingImages(context)
        few = context.parameter("few", quick: 200, standard: 300, full: 1000, help: "training images of the networks that see few")
        // A stated rule, as the text reads its table against a human error of about 0%: the bias
        // is the training error, the variance the gap from training to dev error; each is high
        // above this many percentage points.
        threshold = context.parameter("threshold", default: 5.0, help: "percentage points above which bias or variance counts as high")
        dev = context.parameter("dev", quick: 200, standard: 1000, full: 10000,
                                help: "the last training images, held out as the dev set of every run")
        trainCount = images.trainCount - dev
        // Nielsen's L2 shrinks the weights by eta * lambda / n every step: lambda in proportion to the
        // training set keeps the same pull at any size. The value is meant to land the network in the
        // high-bias cell; the table below shows where it lands.
        let strongL2PerImage = context.parameter("strong_l2_per_image", default: 0.005,
                                                 help: "L2's lambda per training image of the over-regularised network")
        strongL2 = strongL2PerImage * Double(trainCount)
        shiftDegrees = context.parameter("shift_degrees", default: 20.0, help: "rotation (±degrees) of the other distribution's dev images")
        shiftPixels = context.parameter("shift_pixels", default: 3.0, help: "shift (±pixels) of the other distribution's dev images")
        shift = Augmentation.affine(degrees: shiftDegrees, shift: shiftPixels, shear: 0.2, scale: 0.1)
    }
}

private extension Practice {
    // MARK: Train, dev and test sets
    @StudyBuilder
    func devSetSection() -> [any StudyStep] {
        Text("""
        ## Train, dev and test sets

        Seed 001 takes the dev and test sets from the same distribution: the dev set chooses, the \
        test set reports, and a choice made on another distribution need not carry over. Here the \
        \(images.description) are cut into \(trainCount) training images, the last \(dev) as the dev \
        set, and the test images; a 784-100-10 sigmoid network (\(epochs) epochs, eta 0.5) is trained \
        twice, identically, once with its dev images as they are and once with them warped (rotation \
        within ±\(formatNumber(shiftDegrees)) degrees, shift within ±\(formatNumber(shiftPixels)) pixels, \
        shear and scale): a dev set from another distribution than the training and test images. Each \
        dev set chooses an epoch; the same clean test images report the error there.
        """)
        let split = Train("split", model: .mlp([images.inputs, 100, 10], .sigmoid), data: images.source, split: images.split,
                          loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: 0.5), epochs: epochs, batchSize: 10,
                          seed: UInt64(context.seed), evaluateTrainingSet: true, validation: dev)
        let shifted = Train("split-shifted-dev", model: .mlp([images.inputs, 100, 10], .sigmoid), data: images.source, split: images.split,
                            loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: 0.5), epochs: epochs, batchSize: 10,
                            seed: UInt64(context.seed), evaluateTrainingSet: true, validation: dev, validationDistortion: shift)
        split
        shifted
        Figure("split", title: "Error per epoch: training, dev (same distribution), dev (another distribution), test") { results in
            let same = try results.run(split), other = try results.run(shifted)
            let x = try same.metric(.epoch)
            func error(_ values: [Double]) -> [Double] { values.map { 100 * (1 - $0) } }
            return .lines(LinePlot(xLabel: "epoch", yLabel: "error (%)", series: [
                Series(label: "training (\(trainCount) images)", x: x, y: error(try same.metric(.trainEvalAccuracy)), style: .lines),
                Series(label: "dev, same distribution (\(dev) images)", x: x, y: error(try same.metric(.validationAccuracy)), style: .lines),
                Series(label: "dev from another distribution (the dev images warped)", x: x, y: error(try other.metric(.validationAccuracy)), style: .dashed),
                Series(label: "test (\(images.testCount) images)", x: x, y: error(try same.metric(.testAccuracy)), style: .linesPoints),
            ]))
        }
        Table("What each dev set chooses, and the test error of its choice") { results in
            let same = try results.run(split), other = try results.run(shifted)
            let test = try same.metric(.testAccuracy).map { 100 * (1 - $0) }
            // The two runs train identically (the dev images are only evaluated): their test curves must agree.
            let identical = try same.metric(.testAccuracy) == other.metric(.testAccuracy)
            return TableContent(columns: ["dev set", "its error at its best epoch (%)", "epoch chosen", "test error there (%)", "dev error minus test error"],
                                rows: try [("same distribution", same.metric(.validationAccuracy)), ("another distribution", other.metric(.validationAccuracy))].map { label, accuracy -> [Cell] in
                let errors = accuracy.map { 100 * (1 - $0) }
                let best = errors.indices.min { errors[$0] < errors[$1] }!
                return [.text(label), .number(errors[best], format: .decimals(1)), "\(best + 1)", .number(test[best], format: .decimals(1)),
                        .number(errors[best] - test[best], format: .signed(1))]
            }, notes: ["The two runs trained identically: \(identical ? "their test curves agree to the bit" : "their test curves differ, which they should not")."])
        }
    }

    // MARK: Bias and variance
    @StudyBuilder
    func biasVarianceSection() -> [any StudyStep] {
        Text("""
        ## Bias and variance

        Seed 001 reads a model's trouble from two numbers, its training error and its dev error, \
        against a human error of about 0%: training 1% / dev 11% is high variance, 15% / 16% high \
        bias, 13% / 30% both, 0.5% / 1% neither. Four networks chosen to land in those cells, each \
        \(epochs) epochs of SGD on \(images.description), each with \(dev) held-out dev images after its \
        own training images: a 784-100-10 sigmoid network on only \(few) images (it can memorise them), \
        the same network on all \(trainCount) held back by a far too strong L2 penalty (lambda \(formatNumber(strongL2))), \
        a 784-2-10 network on \(few) images (starved and shown few), and 784-100-10 on all \(trainCount). The diagnosis applies a stated \
        rule: bias is high when the training error exceeds \(formatNumber(threshold)) points, \
        variance when the dev error exceeds the training error by more than that.
        """)
        let fewSplit = TrainingImages.split(of: images.source, train: few + dev, test: images.testCount, seed: context.seed)
        let cells = Choices.grid("fit", "model", [
            Choice("large-few", (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: fewSplit, lambda: 0.0, meantFor: "high variance")),
            Choice("over-regularised", (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: images.split, lambda: strongL2, meantFor: "high bias")),
            Choice("starved-few", (model: ModelSpec.mlp([images.inputs, 2, 10], .sigmoid), split: fewSplit, lambda: 0.0, meantFor: "high bias and high variance")),
            Choice("large", (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: images.split, lambda: 0.0, meantFor: "neither")),
        ])
        cells.steps { point, cell in
            Train(point.name, model: cell.model, data: images.source, split: cell.split, loss: .crossEntropy,
                  weights: .nielsen, optimizer: Optimizer(learningRate: 0.5, regularization: cell.lambda > 0 ? .l2(lambda: cell.lambda) : .none),
                  epochs: epochs, batchSize: 10,
                  seed: UInt64(context.seed), evaluateTrainingSet: true, validation: dev)
        }
        Table("Training and dev error, and the diagnosis the rule gives") { results in
            let rows = try cells.runs(in: results).map { point, cell, run in
                let train = 100 * (1 - (try run.final(.trainEvalAccuracy))), dev = 100 * (1 - (try run.final(.validationAccuracy)))
                let highBias = train > threshold, highVariance = dev - train > threshold
                let diagnosis = highBias && highVariance ? "high bias and high variance"
                    : highBias ? "high bias" : highVariance ? "high variance" : "neither"
                let cells: [Cell] = [.text(point.option!.name), .number(train, format: .decimals(1)), .number(dev, format: .decimals(1)),
                                     highBias ? "high" : "low", highVariance ? "high" : "low", .text(diagnosis), .text(cell.meantFor)]
                return (cells: cells, landed: diagnosis == cell.meantFor)
            }
            return TableContent(columns: ["network", "training error (%)", "dev error (%)", "bias", "variance", "diagnosis", "meant for"],
                                rows: rows.map(\.cells),
                                notes: ["\(rows.filter(\.landed).count) of the \(rows.count) networks land in the cell they were meant for.",
                                        "The text's cells: 1 / 11 high variance, 15 / 16 high bias, 13 / 30 both, 0.5 / 1 neither. "
                                        + "The training error is measured on the whole training set after the last epoch, the dev error on the held-out dev images."])
        }
    }

    // MARK: Normalising inputs
    @StudyBuilder
    func normalisingSection() -> [any StudyStep] {
        Text("""
        ## Normalising inputs

        Seed 001: X -= mean(X, axis=0); X /= std(X, axis=0), and the test set normalised with the \
        training set's mean and variance. The same 784-100-10 sigmoid network (eta 0.5, \(epochs) \
        epochs) on raw 0..255 pixels, on pixels scaled to 0..1, standardised per pixel with the \
        training images' statistics, and standardised with each set's own statistics (the mistake \
        the text warns of). A pixel that never varies in the training images is only centred. The \
        first layer's gradient norm shows how differently scaled inputs condition the cost.
        """)
        let scalings = Choices.grid("inputs", "scaling", [
            Choice("raw 0..255", InputScaling.raw), Choice("0..1", .unit), Choice("standardised", .standardised), Choice("standardised, own statistics", .standardisedWithOwnStatistics),
        ])
        scalings.steps { point, scaling in
            Train(point.name, model: .mlp([images.inputs, 100, 10], .sigmoid), data: images.source, split: images.split, loss: .crossEntropy,
                  weights: .nielsen, optimizer: Optimizer(learningRate: 0.5), epochs: epochs, batchSize: 10, seed: UInt64(context.seed),
                  validation: dev, inputScaling: scaling)
        }
        Figure("normalising", title: "Dev accuracy and the first layer's gradient norm per epoch, for each input scaling", width: 1000, height: 500) { results in
            let runs = try scalings.runs(in: results)
            return panels([
                (title: "dev accuracy", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "dev accuracy", series: try runs.map { point, _, run in
                    Series(label: point.option!.name, x: try run.metric(.epoch), y: try run.metric(.validationAccuracy), style: .linesPoints)
                }))),
                (title: "gradient norm of the first layer", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "||dC/dW1||", logY: true, series: try runs.map { point, _, run in
                    Series(label: point.option!.name, x: try run.metric(.epoch), y: try run.metric(.gradientNorm(layer: 0)), style: .linesPoints)
                }))),
            ], columns: 2)
        }
        Table("Input scaling: accuracy after \(epochs) epochs") { results in
            TableContent(columns: ["inputs", "dev accuracy", "test accuracy", "first layer's gradient norm, epoch 1"],
                         rows: try scalings.runs(in: results).map { point, _, run in
                [.text(point.option!.name), .number(try run.final(.validationAccuracy)), .number(try run.final(.testAccuracy)),
                 .number(try run.metric(.gradientNorm(layer: 0))[0])]
            })
        }
    }

    // MARK: Vanishing and exploding signals
    @StudyBuilder
    func vanishingSection() -> [any StudyStep] {
        let depths = context.parameter("depths", quick: [5, 10, 20], standard: [5, 10, 20, 30, 40, 50], full: [5, 10, 20, 30, 40, 50],
                                       help: "depths L of the deep linear network")
        Text("""
        ## Vanishing and exploding signals

        Seed 001's deep linear network, y = W[L] W[L-1] ... W[1] x, with every W[l] for l < L equal \
        to a times the 2x2 identity and W[L] = [1, 1]: y = a^(L-1) (x1 + x2), so with a = 1.5 the \
        output grows like 1.5^(L-1) and with a = 0.9 it shrinks like 0.9^(L-1). The gradient of y \
        with respect to the first layer's weights scales the same way, as a^(L-2). Both are computed \
        here by the matrix products themselves, in float64, for x = (1, 1).
        """)
        let scales = [0.9, 1.0, 1.5]
        let deepLinearRun = Compute("deep-linear", summary: "a deep linear network's output and first-layer gradient at each depth",
                                    DeepLinear(scales: scales, depths: depths))
        deepLinearRun
        Figure("deep-linear", title: "A deep linear network: |y| against depth, beside a^(L-1) (log scale)") { results in
            let run = try results.run(deepLinearRun)
            let x = depths.map(Double.init)
            return .lines(LinePlot(xLabel: "depth L", yLabel: "|y|", logY: true, series: try scales.flatMap { scale in
                [Series(label: "ours, a = \(scale)", x: x, y: try run.metric(deepOutput(scale)), style: .points),
                 Series(label: "2 a^(L-1), a = \(scale)", x: x, y: depths.map { 2 * pow(scale, Double($0 - 1)) }, style: .dashed)]
            }))
        }
        Reproductions("The deep linear network beside the text's formula") { results in
            let run = try results.run(deepLinearRun)
            let deepest = depths.last!
            return try [1.5, 0.9].flatMap { scale -> [Reproduction] in
                let text = 2 * pow(scale, Double(deepest - 1))
                return [Reproduction("a = \(scale), L = \(deepest): |y| for x = (1, 1), the text's 2 a^(L-1)", source: "seed 001",
                                     quote: scale > 1 ? "[1.5, 1.5] ⇒ 1.5^(L-1)" : "[0.9, 0.9] ⇒ 0.9^(L-1)", text: text,
                                     ours: [try run.metric(deepOutput(scale)).last!], kind: .check,
                                     tolerance: .absolute(1e-12 * text, because: "relative 1e-12: float64 rounding over fifty products"))]
            }
        }
    }

    // MARK: The basic recipe
    @StudyBuilder
    func recipeSection() -> [any StudyStep] {
        let recipeEta = context.parameter("recipe_eta", default: 0.1, help: "the one learning rate of every activation in the recipe comparison")
        let recipeSeeds = context.parameter("recipe_seeds", quick: 1, standard: 1, full: 5,
                                            help: "runs of each activation, each from its own seed: the ranking reads their mean")
        Text("""
        ## The basic recipe

        Seed 001's advice: use ReLU (careful with the learning rate); try leaky ReLU, maxout, ELU; try \
        tanh but expect little; do not use sigmoid. Measured on one 784-100-10 network (maxout: 200 \
        units in pairs), sigmoid outputs and cross-entropy, the same eta \(formatNumber(recipeEta)), \
        \(epochs) epochs, \(recipeSeeds) seed(s) each, ranked by the mean over seeds of the best dev accuracy.
        """)
        let activations = Choices.grid("recipe", "hidden_units", [
            Choice("ReLU", ModelSpec.mlp([images.inputs, 100, 10], .relu, output: .sigmoid)),
            Choice("leaky ReLU", .mlp([images.inputs, 100, 10], .leakyRelu, output: .sigmoid)),
            Choice("maxout", ModelSpec(input: [images.inputs], layers: [.dense(200), .maxout(pieces: 2), .dense(10), .activation(.sigmoid)])),
            Choice("ELU", .mlp([images.inputs, 100, 10], .elu, output: .sigmoid)),
            Choice("tanh", .mlp([images.inputs, 100, 10], .tanh, output: .sigmoid)),
            Choice("sigmoid", .mlp([images.inputs, 100, 10], .sigmoid)),
        ])
        // Each activation's runs, one per seed; the first keeps the sweep point's name.
        let seedRuns = activations.options.map { option in
            (name: option.name, runs: Sweep.repeats(activations.points(of: option)[0].name, count: recipeSeeds, base: UInt64(context.seed)) { name, seed in
                Train(name, model: option.value, data: images.source, split: images.split, loss: .crossEntropy, weights: .nielsen,
                      optimizer: Optimizer(learningRate: recipeEta), epochs: epochs, batchSize: 10, seed: seed, validation: dev)
            })
        }
        for entry in seedRuns { entry.runs }
        Figure("recipe", title: "Dev accuracy per epoch for each hidden activation (mean over seeds; band: min to max)") { results in
            .lines(LinePlot(xLabel: "epoch", yLabel: "dev accuracy", series: try seedRuns.map { name, runs in
                try results.meanCurve(runs, metric: .validationAccuracy, label: name)
            }))
        }
        Table("The recipe's order beside ours") { results in
            let ranking = try RecipeRanking(seedRuns, results)
            return TableContent(columns: ["our rank", "hidden units", "best dev accuracy (mean over seeds)", "final test accuracy (mean)", "the text"],
                                rows: ranking.ranked.enumerated().map { rank, entry in
                ["\(rank + 1)", .text(entry.name), .number(entry.dev), .number(entry.test), .text(recipeAdvice[entry.name] ?? "")]
            }, notes: ["The text's order holds on \(ranking.seedsWhereOrderHolds) of the \(recipeSeeds) seeds taken one at a time."])
        }
        Text { results in
            // How far apart the groups are, beside the dev set's own sampling noise.
            let dev = try RecipeRanking(seedRuns, results).meanDev
            let family = reluFamily.compactMap { dev[$0] }.min()!
            let tanh = dev["tanh"]!, sigmoid = dev["sigmoid"]!
            let standardError = (tanh * (1 - tanh) / Double(self.dev)).squareRoot()
            return String(format: "**What we find.** The weakest ReLU-family unit's mean best dev accuracy leads the better of tanh and "
                          + "sigmoid by %.2f points; tanh minus sigmoid is %+.2f points, beside %.2f points, one binomial standard error "
                          + "of an accuracy on the %d dev images.", 100 * (family - max(tanh, sigmoid)), 100 * (tanh - sigmoid),
                          100 * standardError, self.dev)
        }
        Reproductions("The basic recipe's order") { results in
            let ranking = try RecipeRanking(seedRuns, results)
            return [Reproduction("mean best dev accuracy over \(recipeSeeds) seed(s): every ReLU-family unit strictly above tanh, and tanh above sigmoid (1 holds, 0 not)",
                                 source: "seed 001", quote: "Use ReLU … Try out Leaky ReLU / Maxout / ELU - Try out tanh but don't expect much - Don't use sigmoid",
                                 text: 1, ours: [RecipeRanking.orderHolds(ranking.meanDev) ? 1 : 0], over: "runs",
                                 kind: .shownOnly("setting not given: the slides' advice names no network, data or learning rate; ours is one choice of them"),
                                 tolerance: .absolute(0, because: "a yes-or-no reading of the ranking of the seeds' mean by the stated rule"))]
        }
    }
}


/// The text's word on each activation (seed 001's basic recipe).
private let recipeAdvice = ["ReLU": "use it, careful with learning rates", "leaky ReLU": "try it", "maxout": "try it", "ELU": "try it",
                            "tanh": "try it, but don't expect much", "sigmoid": "don't use it"]

/// The units of the recipe's "Use ReLU … Try out Leaky ReLU / Maxout / ELU".
private let reluFamily = ["ReLU", "leaky ReLU", "maxout", "ELU"]

/// The recipe's activations ranked by the mean over seeds of their best dev accuracy, and the
/// text's order read against it.
private struct RecipeRanking {
    /// Best first.
    let ranked: [(name: String, dev: Double, test: Double)]
    /// Each activation's mean best dev accuracy.
    let meanDev: [String: Double]
    /// Per seed, each activation's best dev accuracy.
    private let bySeed: [[String: Double]]

    init(_ seedRuns: [(name: String, runs: [Train])], _ results: StudyResults) throws {
        var dev: [[Double]] = [], test: [[Double]] = []
        for entry in seedRuns {
            let runs = try entry.runs.map { try results.run($0) }
            dev.append(try runs.map { try $0.best(.validationAccuracy) })
            test.append(try runs.map { try $0.final(.testAccuracy) })
        }
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let names = seedRuns.map(\.name)
        ranked = names.indices.map { (names[$0], mean(dev[$0]), mean(test[$0])) }.sorted { $0.dev > $1.dev }
        meanDev = Dictionary(uniqueKeysWithValues: ranked.map { ($0.name, $0.dev) })
        let seeds = dev.map(\.count).min() ?? 0
        bySeed = (0..<seeds).map { s in Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], dev[$0][s]) }) }
    }

    /// The stated reading of the advice: every ReLU-family unit ahead of tanh, tanh ahead of
    /// sigmoid, each strictly (a tie is not "ahead").
    static func orderHolds(_ dev: [String: Double]) -> Bool {
        reluFamily.allSatisfy { dev[$0]! > dev["tanh"]! } && dev["tanh"]! > dev["sigmoid"]!
    }

    var seedsWhereOrderHolds: Int { bySeed.filter(Self.orderHolds).count }
}

/// |y| and the norm of dy/dW[1] of y = [1, 1] W[L-1] ... W[1] x, by the products themselves:
/// the forward pass keeps every layer's input; dy/dW[1] = (the row vector [1, 1] W[L-1] ... W[2])^T x^T.
private func deepLinear(_ layers: [[[Double]]], input: [Double]) -> (output: Double, firstLayerGradientNorm: Double) {
    var activation = input
    for w in layers { activation = (0..<w.count).map { i in zip(w[i], activation).reduce(0) { $0 + $1.0 * $1.1 } } }
    let output = activation.reduce(0, +)
    // Backwards from dy/da = [1, 1] through the layers above the first.
    var upstream = [1.0, 1.0]
    for w in layers.dropFirst().reversed() {
        upstream = (0..<w[0].count).map { j in (0..<w.count).reduce(0) { $0 + upstream[$1] * w[$1][j] } }
    }
    let gradientNorm = (upstream.reduce(0) { $0 + $1 * $1 } * input.reduce(0) { $0 + $1 * $1 }).squareRoot()
    return (output, gradientNorm)
}

private func deepOutput(_ scale: Double) -> Metric { Metric("output_a\(scale)") }
private func deepGradient(_ scale: Double) -> Metric { Metric("gradient_a\(scale)") }

/// Seed 001's deep linear network at each scale a and depth L: |y| and the norm of dy/dW[1]
/// for x = (1, 1), every W[l] but the last a times the 2x2 identity.
private struct DeepLinear: Computation {
    let scales: [Double]
    let depths: [Int]

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        for scale in scales {
            var outputs: [Double] = [], gradients: [Double] = []
            for depth in depths {
                let layers = Array(repeating: [[scale, 0], [0, scale]], count: depth - 1)
                let forward = deepLinear(layers, input: [1, 1])
                outputs.append(abs(forward.output))
                gradients.append(forward.firstLayerGradientNorm)
            }
            try run.metric(deepOutput(scale), outputs, description: "|y| at each depth")
            try run.metric(deepGradient(scale), gradients, description: "norm of dy/dW[1] at each depth")
        }
    }
}

