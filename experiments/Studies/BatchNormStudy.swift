import Foundation
import Notebook

/// Batch normalisation against the initial weight scale (REFERENCE.md, "BatchNorm" under
/// "Weight initialisation", seed 001): the same deep network with and without it.
let batchNormStudy = Study(
    "batchnorm-study",
    title: "Batch normalisation: the initial weight scale matters less",
    summary: "a deep tanh network with and without batch norm across initial weight scales 0.01 to 1: activation statistics per layer, accuracy against scale, epochs to a target accuracy"
) { context in
    let scales = context.parameter("scales", quick: 3, standard: 5, full: 9, help: "initial weight scales, evenly spaced in log space from 0.01 to 1")
    let epochs = context.parameter("epochs", quick: 2, standard: 10, full: 20, help: "epochs of each training run")
    let hiddenLayers = context.parameter("hidden_layers", default: 5, help: "hidden layers of the trained network")
    let width = context.parameter("width", default: 100, help: "units per hidden layer")
    let lr = context.parameter("lr", default: 0.01, help: "learning rate (SGD with momentum 0.9), the same with and without batch norm")
    let images = TrainingImages(context)
    // Fashion-MNIST is harder: this network ends near 0.86 on it, so 0.9 would never be reached.
    let targetAccuracy = context.parameter("target_accuracy", default: images.areDigits ? 0.9 : 0.8,
                                           help: "the test accuracy whose first epoch the table reports (0.8 on Fashion-MNIST)")
    let seed = UInt64(context.seed)
    let weightScales = (0..<scales).map { PortableMath.tenTo(-2 + 2 * Double($0) / Double(max(scales - 1, 1))) }
    // Without batch norm first: the table reads trained[0] as "without" and trained[1] as "with".
    let variants: [(label: String, step: String, batchNorm: Bool)] = [("without batch norm", "plain", false), ("with batch norm", "bn", true)]

    Text("""
    Seed 001: batch normalisation normalises each unit's pre-activation with the mini-batch's mean \
    and variance (eps 1e-5), then scales and shifts it by a learned gamma and beta; it sits before \
    the activation and keeps running averages (momentum 0.1) for inference. Because every layer's \
    input is renormalised, the scale of the initial weights should matter much less. Weights are \
    drawn as scale * randn for scales \(weightScales.map { String(format: "%.3g", $0) }.joined(separator: ", ")).

    ## Activations at initialisation

    Seed 001's experiment (10 tanh layers of 500 units, 1000 random inputs, no biases) at each \
    scale, without and with batch norm. Without it, small weights shrink the activations layer \
    after layer towards 0 and large ones saturate tanh at -1 and 1; with it, every layer's \
    activations keep the same spread whatever the scale.
    """)
    // One run per variant and scale: statistics[variant][scale].
    let statistics = variants.map { variant in
        weightScales.map { scale in
            ActivationStatistics(runName("activations-\(variant.step)", scale), activation: .tanh, weights: .gaussian(std: scale),
                                 seed: seed, batchNorm: variant.batchNorm)
        }
    }
    for runs in statistics { for run in runs { run } }
    Figure("activations", title: "Standard deviation of each tanh layer's activations at initialisation") { results in
        let curves = try statistics.map { runs in
            try zip(weightScales, runs).map { scale, step in
                let run = try results.run(step)
                return Series(label: String(format: "scale %.3g", scale), x: try run.metric(.layer), y: try run.metric(.std))
            }
        }
        // One y range for both panels, so that their spreads compare at a glance.
        let smallest = curves.joined().flatMap(\.y).filter { $0 > 0 }.min() ?? 1e-3
        return panels(zip(variants, curves).map { variant, series in
            (title: variant.label, kind: .lines(LinePlot(xLabel: "layer", yLabel: "std of activations", logY: true, series: series,
                                                       yRange: pow(10, floor(log10(smallest)))...1)))
        }, columns: 2)
    }

    Text("""
    ## Training

    784-\(Array(repeating: String(width), count: hiddenLayers).joined(separator: "-"))-10 with tanh hidden units and \
    a softmax output, on \(images.description): \(epochs) epochs of SGD with momentum 0.9, learning rate \
    \(formatNumber(lr)) and mini-batches of 50, from the same seed at every scale; the batch-norm \
    network has a batch-norm layer between each dense layer and its tanh.
    """)
    if let caveat = images.caveat { Text(caveat) }
    // trained[variant][scale], as the activation statistics.
    let trained = variants.map { variant in
        weightScales.map { scale in
            Train(runName(variant.step, scale), model: deepNetwork(depth: hiddenLayers, width: width, batchNorm: variant.batchNorm),
                  data: images.source, split: images.split, loss: .softmaxLogLikelihood, weights: .gaussian(std: scale),
                  optimizer: Optimizer(learningRate: lr, method: .momentum(0.9)), epochs: epochs, batchSize: 50, seed: seed)
        }
    }
    for runs in trained { for run in runs { run } }
    Figure("accuracy-vs-scale", title: "Final test accuracy against the initial weight scale") { results in
        .lines(LinePlot(xLabel: "initial weight scale (std of W)", yLabel: "test accuracy after \(epochs) epochs", logX: true,
                        series: try zip(variants, trained).map { variant, runs in
            Series(label: variant.label, x: weightScales, y: try runs.map { try results.run($0).final(.testAccuracy) })
        }, yRange: 0...1))
    }
    Figure("curves", title: "Test accuracy per epoch at each initial scale") { results in
        panels(try zip(variants, trained).map { variant, runs in
            (title: variant.label, kind: .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try zip(weightScales, runs).map { scale, step in
                let run = try results.run(step)
                return Series(label: String(format: "scale %.3g", scale), x: try run.metric(.epoch), y: try run.metric(.testAccuracy))
            }, yRange: 0...1)))
        }, columns: 2)
    }
    Table("Accuracy and training speed at each initial scale") { results in
        func epochsTo(_ run: StoredRun) throws -> String {
            (try run.metric(.testAccuracy)).firstIndex { $0 >= targetAccuracy }.map { String($0 + 1) } ?? "not within \(epochs)"
        }
        func spread(_ runs: [Train]) throws -> Double {
            let finals = try runs.map { try results.run($0).final(.testAccuracy) }
            return (finals.max() ?? .nan) - (finals.min() ?? .nan)
        }
        let (plainRuns, normalisedRuns) = (trained[0], trained[1])
        return TableContent(
            columns: ["initial scale", "accuracy without", "epochs to \(String(format: "%g", targetAccuracy)) without", "accuracy with batch norm",
                      "epochs to \(String(format: "%g", targetAccuracy)) with batch norm"],
            rows: try weightScales.indices.map { index in
                let scale = weightScales[index], plain = try results.run(plainRuns[index]), normalised = try results.run(normalisedRuns[index])
                return [.number(scale, format: .significant(3)), .number(try plain.final(.testAccuracy)), .text(try epochsTo(plain)),
                        .number(try normalised.final(.testAccuracy)), .text(try epochsTo(normalised))]
            },
            notes: [String(format: "Spread of the final accuracy across the scales: %.3f without batch norm, %.3f with it.",
                           try spread(plainRuns), try spread(normalisedRuns))])
    }
}

/// Dense layers of `width` tanh units (with batch norm before each tanh when asked), then a
/// 10-way linear output for the softmax.
private func deepNetwork(depth: Int, width: Int, batchNorm: Bool) -> ModelSpec {
    ModelSpec(input: [784], layers: (0..<depth).flatMap { _ in
        [LayerSpec.dense(width)] + (batchNorm ? [.batchNorm] : []) + [.activation(.tanh)]
    } + [.dense(10)])
}

/// "bn-scale0.1": a run's step name.
private func runName(_ step: String, _ scale: Double) -> String { "\(step)-scale\(String(format: "%g", scale))" }
