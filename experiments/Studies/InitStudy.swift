import Foundation
import Notebook

/// Seeds 001, 002 and 003 on weight initialisation (REFERENCE.md, "Weight initialisation").
let initStudy = Study(
    "init-study",
    title: "Weight initialisation: why the scale of the first weights decides whether a network learns",
    summary: "activation statistics of a 10-layer net, neuron saturation, N(0,1) vs N(0,1/n_in) training curves (seeds 001, 003)"
) { context in
    let seed = UInt64(context.seed)
    activationStatisticsSection(seed: seed)
    saturationSection(seed: seed)
    let curves = TrainingCurves(context)
    curves.section()
    convolutionalSection(context, images: curves.images)
}

// MARK: Activation statistics of a 10-layer network (seed 001)
@StudyBuilder
private func activationStatisticsSection(seed: UInt64) -> [any StudyStep] {
    Text("""
    Seed 001 sends 1000 random inputs through ten fully connected layers of 500 units without biases, \
    with weights `W = randn * scale`, and looks at the spread of each layer's activations. Too small a \
    scale and the activations shrink towards zero layer after layer (and with them the gradients); too \
    large and tanh units saturate at -1 and 1, where their gradient vanishes. Xavier's scale 1/sqrt(fan_in) \
    keeps tanh alive; ReLU halves the variance in every layer unless He's sqrt(2/fan_in) makes up for it.
    """)
    let statistics = { (setting: ActivationSetting) in
        ActivationStatistics(setting.step, activation: setting.activation, weights: setting.weights, seed: seed)
    }
    activationSettings.map(statistics)
    // The ReLU settings drawn again, for the spread their rows are judged within.
    let drawsOf = { (setting: ActivationSetting) in
        Compute("\(setting.step)-draws", summary: "\(setting.label): the 10-layer statistics for 20 more draws of weights and inputs",
                ActivationDraws(activation: setting.activation, weights: setting.weights, seed: seed))
    }
    let reluDraws = [reluXavier, reluHe].map { (setting: $0, draws: drawsOf($0)) }
    reluDraws.map(\.draws)
    Table("Standard deviation of each layer's activations: ours beside the slides (seed 001)") { results in
        var rows: [[Cell]] = []
        for setting in activationSettings {
            let stds = try results.run(statistics(setting)).metric(.std)
            rows.append([.text(setting.label), "ours"] + stds.map { .number($0, format: .significant(3)) })
            rows.append(["", "slides"] + setting.reference.map(Cell.text))
        }
        // The largest relative difference from the slides, per setting the slides print as numbers.
        func largestDifference(_ setting: ActivationSetting) throws -> String {
            let stds = try results.run(statistics(setting)).metric(.std)
            let worst = zip(stds, setting.reference).compactMap { ours, text in Double(text).map { abs(ours - $0) / $0 } }.max() ?? .nan
            return String(format: "%.1f%%", 100 * worst)
        }
        return TableContent(columns: ["setting", ""] + (1...10).map { "layer \($0)" }, rows: rows, notes: [
            "Ours draw their own random weights and inputs, not numpy's. The tanh/Xavier row differs from the slides' by at most "
                + "\(try largestDifference(tanhXavier)) (each layer averages 500,000 activations, and tanh compresses), the "
                + "ReLU/Xavier row by up to \(try largestDifference(reluXavier)): a ReLU layer's gain depends on its particular "
                + "random weights, and the gains multiply layer after layer; the slides' numbers are one such draw too.",
            "The slides' He line reads `/ np.sqrt(2/fan_in)`, a typo for `* sqrt(2/fan_in)`; we use the latter.",
        ])
    }
    Reproductions("The activations beside the slides") { results in
        // A tanh layer's gain barely depends on its random weights (tanh compresses, or is
        // linear near 0), and each std averages 500,000 activations: another draw moves it far
        // less than 2%. A value the slides print to its last digit is good to half that digit.
        try [tanhSmall, tanhXavier].flatMap { setting in
            let stds = try results.run(statistics(setting)).metric(.std)
            return zip(stds, setting.reference).enumerated().map { layer, pair in
                let text = Double(pair.1)!, lastDigit = pow(10, -Double(pair.1.split(separator: ".").last!.count))
                return Reproduction("\(setting.label): std of layer \(layer + 1)'s activations", source: "seed 001",
                                    quote: setting.quote, text: text, ours: [pair.0],
                                    kind: .check,
                                    tolerance: .absolute(max(0.02 * text, lastDigit / 2),
                                                         because: "2% of the slides' value (each std averages 500,000 activations and a tanh layer's gain barely depends on its random draw), or half the last digit it prints"))
            }
        } + (try reluDraws.flatMap { setting, draws in
            // A ReLU layer passes its random weights' gain on unchanged and the gains multiply, so
            // one draw strays from another more with every layer: the slides' numbers are one draw,
            // ours another, and their difference has sqrt(2) times the spread of the draws.
            let stds = try results.run(statistics(setting)).metric(.std)
            let (shape, drawn) = try results.run(draws).floats(drawnStds)
            return zip(stds, setting.reference).enumerated().map { layer, pair in
                let perDraw = (0..<shape[0]).map { Double(drawn[$0 * shape[1] + layer]) }
                return Reproduction("\(setting.label): std of layer \(layer + 1)'s activations", source: "seed 001",
                                    quote: setting.quote, text: Double(pair.1)!, ours: [pair.0], kind: .check,
                                    tolerance: .twoStandardDeviationsOfTwoDraws(perDraw, of: "this layer's std"))
            }
        }) + (try results.run(statistics(tanhLarge)).metric(.std)).enumerated().map { layer, std in
            // Saturated units sit at ±1, so the std is just below 1 in every layer; the slides print "≈0.98".
            Reproduction("\(tanhLarge.label): std of layer \(layer + 1)'s activations", source: "seed 001", quote: tanhLarge.quote,
                         text: 0.98, ours: [std], kind: .check,
                         tolerance: .absolute(0.01, because: "the slides print ≈0.98: one unit of its last digit"))
        }
    }
    Figure("activation-std", title: "Standard deviation of the activations, layer by layer (log scale)") { results in
        .lines(LinePlot(xLabel: "layer", yLabel: "standard deviation of the activations", logY: true,
                        series: try activationSettings.map { setting in
            let run = try results.run(statistics(setting))
            return Series(label: setting.label, x: try run.metric(.layer), y: try run.metric(.std))
        }))
    }
    for setting in activationSettings {
        Figure("histograms-\(setting.step)", title: "Activations per layer: \(setting.label)", width: 1000, height: 520) { results in
            let (shape, values) = try results.run(statistics(setting)).floats(.sampleActivations)
            let range: ClosedRange<Double> = setting.activation == .relu ? 0...2 : -1...1
            return panels((0..<shape[0]).map { layer in
                (title: "layer \(layer + 1)", kind: .histogram(Histogram(
                    series: [HistogramSeries(label: "layer \(layer + 1)",
                                             values: values[(layer * shape[1])..<((layer + 1) * shape[1])].map(Double.init))],
                    bins: 30, range: range, xLabel: "activation")))
            }, columns: 5)
        }
    }
}

// MARK: Why a neuron saturates (seed 003)
@StudyBuilder
private func saturationSection(seed: UInt64) -> [any StudyStep] {
    Text("""
    ## Why a neuron saturates (seed 003)

    Take a neuron with 1000 inputs, half of them 1 and half 0. With weights and bias drawn from N(0, 1), \
    z = w.x + b sums 501 unit-variance terms, so its standard deviation is sqrt(501) = 22.4: |z| is almost \
    always large, the sigmoid sits at 0 or 1 and learns slowly. With weights from N(0, 1/n_in) the sum has \
    variance 500/1000 + 1, a standard deviation of sqrt(3/2) = 1.22.
    """)
    let saturation = Compute("saturation", summary: "z = w.x + b for 1000 inputs, half of them 1, under two initialisations",
                             Saturation(seed: seed))
    saturation
    Reproductions("The spread of z beside seed 003") { results in
        let run = try results.run(saturation)
        // The standard error of a standard deviation estimated from n samples is sigma / sqrt(2n).
        return try [("weights and bias N(0, 1)", zSpread("standard"), 501.0.squareRoot(), "standard deviation sqrt(501) nearly 22.4"),
                ("weights N(0, 1/1000), bias N(0, 1)", zSpread("normalized"), 1.5.squareRoot(), "sqrt(1+1/2) nearly 1.22")].map { label, metric, text, quote in
            Reproduction("\(label): std of z over 20,000 neurons", source: "seed 003", quote: quote, text: text, ours: [try run.final(metric)], kind: .check,
                         tolerance: .absolute(2 * text / (2.0 * 20000).squareRoot(),
                                              because: "twice the standard error of a standard deviation from n samples, sigma / sqrt(2n)"))
        }
    }
    Figure("saturation", title: "z for 1000 inputs (half of them 1): N(0,1) weights against N(0,1/n_in)") { results in
        let run = try results.run(saturation)
        return .histogram(Histogram(series: [
            HistogramSeries(label: "N(0, 1) weights", values: try run.floats(zValues("standard")).values.map(Double.init)),
            HistogramSeries(label: "N(0, 1/n_in) weights", values: try run.floats(zValues("normalized")).values.map(Double.init)),
        ], bins: 80, range: -60...60, xLabel: "z", yLabel: "neurons", logY: false))
    }
}

// MARK: Training curves (seed 003)
/// The sigmoid networks' sizes, shared with the convolutional section (its images).
private struct TrainingCurves {
    let seed: UInt64
    let seeds: Int
    let epochs: Int
    let images: TrainingImages

    init(_ context: StudyContext) {
        seed = UInt64(context.seed)
        seeds = context.parameter("seeds", quick: 1, standard: 3, full: 5, help: "sigmoid-network runs per setting, each with its own seed")
        epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs of the sigmoid networks")
        images = TrainingImages(context)
    }

    @StudyBuilder
    func section() -> [any StudyStep] {
        Text("""
        ## Training curves (seed 003)

        784-30-10 and 784-100-10 sigmoid networks, cross-entropy cost, mini-batch 10, eta 0.1, trained on \
        real images (\(images.description), \(epochs) epochs) with N(0, 1) weights and with \
        N(0, 1/n_in) weights (biases N(0, 1) in both), over \(seeds) seed(s); the band spans the seeds.
        """)
        let repeats = [30, 100].flatMap { hidden in
            [("standard", Initializer.gaussian(std: 1)), ("normalized", .nielsen)].map { initName, weights in
                (hidden: hidden, initName: initName, weights: weights, sweep: Sweep.seeds("mlp\(hidden)-\(initName)", count: seeds, base: seed))
            }
        }
        for setting in repeats {
            setting.sweep.steps { point in
                Train(point.name, model: .mlp([784, setting.hidden, 10], .sigmoid), data: images.source,
                      split: images.split, loss: .crossEntropy, weights: setting.weights, biases: .gaussian(std: 1),
                      optimizer: Optimizer(learningRate: 0.1), epochs: epochs, batchSize: 10, seed: point.seed)
            }
        }
        Figure("training-curves", title: "Test accuracy per epoch: N(0,1) against N(0,1/n_in) initial weights") { results in
            .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try repeats.map { setting in
                try results.meanCurve(setting.sweep, metric: .testAccuracy,
                                      label: "784-\(setting.hidden)-10, \(setting.initName == "standard" ? "N(0,1)" : "N(0,1/n_in)")",
                                      style: setting.initName == "standard" ? .dashed : .linesPoints)
            }))
        }
        Table("Test accuracy after the first and the last epoch (mean over seeds)") { results in
            TableContent(columns: ["network", "initial weights", "after epoch 1", "after epoch \(epochs)"], rows: try repeats.map { setting in
                let curves = try setting.sweep.runs(in: results).map { try $0.run.metric(.testAccuracy) }
                return ["784-\(setting.hidden)-10", setting.initName == "standard" ? "N(0, 1)" : "N(0, 1/n_in)",
                        .number(curves.map { $0[0] }.reduce(0, +) / Double(seeds)),
                        .number(curves.map { $0[epochs - 1] }.reduce(0, +) / Double(seeds))]
            }, notes: ["Seed 003's claim: the normalised initialisation learns faster from the first epoch and ends at least as well."])
        }
    }
}

// MARK: A convolutional network from four starts
@StudyBuilder
private func convolutionalSection(_ context: StudyContext, images: TrainingImages) -> [any StudyStep] {
    let seed = UInt64(context.seed)
    let cnnEpochs = context.parameter("cnn_epochs", quick: 2, standard: 8, full: 20, help: "epochs of the convolutional network")
    Text("""
    ## A convolutional network from four starts

    Seed 002's network (16 filters of 5x5, max-pool, 32 filters of 5x5, max-pool, 128 units, 10 outputs; \
    80,202 parameters) with ReLU units and a softmax output, trained with SGD (learning rate 0.1, batch 64, \
    \(cnnEpochs) epochs, \(images.description)) from four initial weight distributions, with the \
    gradient norm of every layer's weights measured in each epoch.
    """)
    let cnn = { (start: String, weights: Initializer) in
        Train("cnn-\(start)", model: .seed002CNN(.activation(.relu)), data: images.source, split: images.split, loss: .softmaxLogLikelihood,
              weights: weights, optimizer: Optimizer(learningRate: 0.1), epochs: cnnEpochs, batchSize: 64, seed: seed)
    }
    let cnnSmall = cnn("gauss-0.01", .gaussian(std: 0.01)), cnnLarge = cnn("gauss-1", .gaussian(std: 1))
    let cnnXavier = cnn("xavier", .xavierNormal), cnnHe = cnn("he", .he)
    let cnnStarts: [(step: Train, label: String)] = [
        (cnnSmall, "N(0, 0.01²)"), (cnnLarge, "N(0, 1)"), (cnnXavier, "Xavier (Glorot normal)"), (cnnHe, "He"),
    ]
    cnnStarts.map(\.step)
    Figure("cnn-accuracy", title: "CNN test accuracy per epoch from four initial weight distributions") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try cnnStarts.compactMap { start in
            let run = try results.run(start.step)
            let accuracy = try run.metric(.testAccuracy)
            return accuracy.isEmpty ? nil : Series(label: start.label, x: try run.metric(.epoch), y: accuracy)
        }, yRange: 0...1))
    }
    Figure("cnn-gradients", title: "Gradient norm of each layer's weights in the first epoch (log scale)") { results in
        .lines(LinePlot(xLabel: "layer with weights (1 = first convolution)", yLabel: "mean L2 norm of the weight gradient",
                        logY: true, series: try cnnStarts.compactMap { start in
            let norms = try firstEpochGradientNorms(try results.run(start.step))
            return norms.isEmpty ? nil : Series(label: start.label, x: (1...norms.count).map(Double.init), y: norms)
        }))
    }
    Table("The CNN from four starts") { results in
        TableContent(columns: ["initial weights", "status", "test accuracy after epoch 1", "after the last epoch",
                               "gradient norm, first layer (epoch 1)", "last layer (epoch 1)"],
                     rows: try cnnStarts.map { start in
            let run = try results.run(start.step)
            let accuracy = try run.metric(.testAccuracy), norms = try firstEpochGradientNorms(run)
            let status = run.attribute(.divergedEpoch).map { "diverged at epoch \($0)" } ?? (run.status?.rawValue ?? "?")
            return [.text(start.label), .text(status), .number(accuracy.first, missing: "—"), .number(accuracy.last, missing: "—"),
                    .text(norms.first.map { String(format: "%.3g", $0) } ?? "—"), .text(norms.last.map { String(format: "%.3g", $0) } ?? "—")]
        }, notes: ["A diverged run (its loss became NaN or infinite) is stored with the epochs before it, not dropped."])
    }
    Text { results in
        let small = try results.run(cnnSmall), large = try results.run(cnnLarge), he = try results.run(cnnHe)
        let smallNorm = try firstEpochGradientNorms(small).first ?? .nan, heNorm = try firstEpochGradientNorms(he).first ?? .nan
        let largeFate = try large.attribute(.divergedEpoch).map { "diverged in epoch \($0): its outputs and gradients grew until the loss overflowed" }
            ?? "reached test accuracy \(formatNumber(try large.final(.testAccuracy)))"
        return """
        **What we find.** From N(0, 0.01²) the first layer's weight gradient in epoch 1 has norm \
        \(String(format: "%.3g", smallNorm)), \(String(format: "%.0f", heNorm / smallNorm)) times smaller than from He's \
        start (\(String(format: "%.3g", heNorm))), and the network ends at test accuracy \
        \(formatNumber(try small.final(.testAccuracy))), chance for ten classes: the vanishing signal of the \
        activation statistics above, now stopping training. The N(0, 1) start \(largeFate). After one epoch \
        the Xavier start reaches \(formatNumber(try results.run(cnnXavier).metric(.testAccuracy).first ?? .nan)) \
        and He's, scaled for ReLU, \(formatNumber(try he.metric(.testAccuracy).first ?? .nan)).
        """
    }
}


/// Each weight layer's mean gradient norm in epoch 1, in layer order.
private func firstEpochGradientNorms(_ run: StoredRun) throws -> [Double] {
    let prefix = "grad_norm_layer"
    let layers = run.file.metricNames.filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count)) }.sorted()
    return try layers.compactMap { try run.metric(Metric("\(prefix)\($0)")).first }
}

/// Seed 001's five settings, with the slides' per-layer standard deviations.
private struct ActivationSetting {
    let step: String, label: String, activation: Activation, weights: Initializer, reference: [String]
    /// The slides' line that sets the weights.
    let quote: String
}

private let tanhXavier = ActivationSetting(step: "tanh-xavier", label: "tanh, Xavier 1/sqrt(fan_in)", activation: .tanh, weights: .nielsen,
                                           reference: ["0.628", "0.486", "0.408", "0.357", "0.321", "0.292", "0.273", "0.255", "0.239", "0.228"],
                                           quote: "W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)")
private let reluXavier = ActivationSetting(step: "relu-xavier", label: "ReLU, Xavier 1/sqrt(fan_in)", activation: .relu, weights: .nielsen,
                                           reference: ["0.582", "0.404", "0.277", "0.199", "0.140", "0.103", "0.0727", "0.0516", "0.0386", "0.0261"],
                                           quote: "W = np.random.randn(fan_in, fan_out) / np.sqrt(fan_in)")

private let reluHe = ActivationSetting(step: "relu-he", label: "ReLU, He sqrt(2/fan_in)", activation: .relu, weights: .he,
                                       reference: ["0.825", "0.828", "0.814", "0.827", "0.834", "0.860", "0.871", "0.889", "0.845", "0.845"],
                                       quote: "W = np.random.randn(fan_in, fan_out) / np.sqrt(2/fan_in)")

private let tanhSmall = ActivationSetting(step: "tanh-0.01", label: "tanh, scale 0.01", activation: .tanh, weights: .gaussian(std: 0.01),
                                          reference: ["0.213", "0.0476", "0.0106", "0.00238", "0.000532", "0.000119", "0.000026", "0.000006", "0.000001", "0.000000"],
                                          quote: "W = np.random.randn(fan_in, fan_out) * 0.01")
private let tanhLarge = ActivationSetting(step: "tanh-1.0", label: "tanh, scale 1.0", activation: .tanh, weights: .gaussian(std: 1),
                                          reference: Array(repeating: "≈0.98", count: 10),
                                          quote: "W = np.random.randn(fan_in, fan_out) * 1.0")

private let activationSettings = [
    tanhSmall,
    tanhLarge,
    tanhXavier,
    reluXavier,
    reluHe,
]

/// Seed 001's 10-layer network drawn `draws` more times (weights and inputs from seeds after
/// `seed`): each draw's per-layer standard deviations, the spread one draw's numbers have.
private struct ActivationDraws: Computation {
    let activation: Activation
    let weights: Initializer
    var draws = 20
    let seed: UInt64

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        let stds = (1...draws).flatMap { draw in
            ActivationStatistics("draw", activation: activation, weights: weights, seed: seed &+ UInt64(draw), kept: 0).layerStatistics().stds
        }
        try run.tensor(drawnStds, shape: [draws, stds.count / draws], stds.map(Float.init))
    }
}
private let drawnStds = Tensor("std_per_draw")

/// The standard deviation of z under the `name`d initialisation ("standard", "normalized").
private func zSpread(_ name: String) -> Metric { Metric("std_\(name)") }
/// The z of every neuron under initialisation `name`.
private func zValues(_ name: String) -> Tensor { Tensor("z_\(name)") }

/// Seed 003's saturation example: z = w.x + b of `neurons` neurons with `inputs` inputs, the
/// first `active` of them 1 and the rest 0, bias N(0, 1), weights N(0, 1) ("standard") or
/// N(0, 1/inputs) ("normalized"), each from its own stream.
private struct Saturation: Computation {
    var inputs = 1000
    var active = 500
    var neurons = 20000
    let seed: UInt64

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        for (name, weightStd) in [("standard", 1.0), ("normalized", (1.0 / Double(inputs)).squareRoot())] {
            var random = RandomStream(seed: seed &+ (name == "standard" ? 0 : 1), purpose: .initialization)
            let z: [Float] = (0..<neurons).map { _ in
                var sum = random.gaussian()   // the bias, N(0, 1)
                for _ in 0..<active { sum += weightStd * random.gaussian() }      // the inputs that are 1
                for _ in active..<inputs { _ = random.gaussian() }               // weights of inputs that are 0
                return Float(sum)
            }
            let mean = z.reduce(0.0) { $0 + Double($1) } / Double(z.count)
            let std = (z.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(z.count)).squareRoot()
            try run.tensor(zValues(name), shape: [z.count], z)
            try run.metric(zSpread(name), [std], description: "standard deviation of z, \(name) initialisation")
        }
    }
}
