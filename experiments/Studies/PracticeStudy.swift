import Foundation
import Notebook

/// Seed 001's training practice (REFERENCE.md, "Training practice (001)"): bias and variance
/// read from training and dev errors, and why deep networks' signals vanish or explode.
/// Not yet here: the dev set from another distribution, normalising inputs, the basic recipe.
let practiceStudy = Study(
    "practice-study",
    title: "Training practice: bias and variance, vanishing and exploding signals",
    summary: "seed 001's bias/variance diagnosis from four trained networks, and a deep linear network's output and gradient against 1.5^(L-1) and 0.9^(L-1)"
) { context in
    let epochs = context.parameter("epochs", quick: 3, standard: 30, full: 30, help: "epochs of each trained network")
    let images = TrainingImages(context)
    let few = context.parameter("few", quick: 200, standard: 300, full: 1000, help: "training images of the networks that see few")
    // A stated rule, as the text reads its table against a human error of about 0%: the bias
    // is the training error, the variance the gap from training to dev error; each is high
    // above this many percentage points.
    let threshold = context.parameter("threshold", default: 5.0, help: "percentage points above which bias or variance counts as high")
    // Nielsen's L2 shrinks the weights by eta * lambda / n every step: lambda in proportion to the
    // training set keeps the same pull at any size (0.005: about 13% training error on 4000 digits, measured).
    let strongL2 = context.parameter("strong_l2_per_image", default: 0.005,
                                     help: "L2's lambda per training image of the over-regularised network") * Double(images.trainCount)

    Text("""
    ## Bias and variance

    Seed 001 reads a model's trouble from two numbers, its training error and its dev error, \
    against a human error of about 0%: training 1% / dev 11% is high variance, 15% / 16% high \
    bias, 13% / 30% both, 0.5% / 1% neither. Four networks chosen to land in those cells, each \
    \(epochs) epochs of SGD on \(images.description) (the dev set is the held-out test images): a \
    784-100-10 sigmoid network on only \(few) images (it can memorise them), the same network on \
    all \(images.trainCount) held back by a far too strong L2 penalty (lambda \(formatNumber(strongL2))), \
    a 784-2-10 network on \(few) images (starved and shown few), and 784-100-10 on all \(images.trainCount). The diagnosis applies a stated \
    rule: bias is high when the training error exceeds \(formatNumber(threshold)) points, \
    variance when the dev error exceeds the training error by more than that.
    """)
    let fewSplit = TrainingImages.split(of: images.source, train: few, test: images.testCount, seed: context.seed)
    let cells = Choices.grid("fit", "model", [
        "large-few": (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: fewSplit, lambda: 0.0),
        "over-regularised": (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: images.split, lambda: strongL2),
        "starved-few": (model: ModelSpec.mlp([images.inputs, 2, 10], .sigmoid), split: fewSplit, lambda: 0.0),
        "large": (model: ModelSpec.mlp([images.inputs, 100, 10], .sigmoid), split: images.split, lambda: 0.0),
    ])
    cells.steps { point, cell in
        Train(point.name, model: cell.model, data: images.source, split: cell.split, loss: .crossEntropy,
              weights: .nielsen, optimizer: Optimizer(learningRate: 0.5, regularization: cell.lambda > 0 ? .l2(lambda: cell.lambda) : .none),
              epochs: epochs, batchSize: 10,
              seed: UInt64(context.seed), evaluateTrainingSet: true)
    }
    Table("Training and dev error, and the diagnosis the rule gives") { results in
        TableContent(columns: ["network", "training error (%)", "dev error (%)", "bias", "variance", "diagnosis"],
                     rows: try cells.runs(in: results).map { point, _, run in
            let train = 100 * (1 - (try run.final(.trainEvalAccuracy))), dev = 100 * (1 - (try run.final(.testAccuracy)))
            let highBias = train > threshold, highVariance = dev - train > threshold
            let diagnosis = highBias && highVariance ? "high bias and high variance"
                : highBias ? "high bias" : highVariance ? "high variance" : "neither"
            return [point.option!.name, String(format: "%.1f", train), String(format: "%.1f", dev),
                    highBias ? "high" : "low", highVariance ? "high" : "low", diagnosis]
        }, notes: ["The text's cells: 1 / 11 high variance, 15 / 16 high bias, 13 / 30 both, 0.5 / 1 neither. "
                   + "The training error is measured on the whole training set after the last epoch."])
    }

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
    Compute("deep-linear", summary: "a deep linear network's output and first-layer gradient at each depth",
            config: ["method": "deep_linear", "scales": .list(scales.map { .double($0) }), "depths": .list(depths.map { .int($0) })]) { _, run in
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
    Figure("deep-linear", title: "A deep linear network: |y| against depth, beside a^(L-1) (log scale)") { results in
        let run = try results.run("deep-linear")
        let x = depths.map(Double.init)
        return .lines(LinePlot(xLabel: "depth L", yLabel: "|y|", logY: true, series: try scales.flatMap { scale in
            [Series(label: "ours, a = \(scale)", x: x, y: try run.metric(deepOutput(scale)), style: .points),
             Series(label: "2 a^(L-1), a = \(scale)", x: x, y: depths.map { 2 * pow(scale, Double($0 - 1)) }, style: .dashed)]
        }))
    }
    Reproductions("The deep linear network beside the text's formula") { results in
        let run = try results.run("deep-linear")
        let deepest = depths.last!
        return try [1.5, 0.9].flatMap { scale -> [Reproduction] in
            let text = 2 * pow(scale, Double(deepest - 1))
            return [Reproduction("a = \(scale), L = \(deepest): |y| for x = (1, 1), the text's 2 a^(L-1)", source: "seed 001", text: text,
                                 ours: [try run.metric(deepOutput(scale)).last!],
                                 tolerance: .absolute(1e-12 * text, because: "relative 1e-12: float64 rounding over fifty products"))]
        }
    }
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
