import Foundation
import Notebook

/// Seed 002's comparison of its CNN with a 784-45-10 MLP (REFERENCE.md, "Networks").
let cnnVsMLPStudy = Study(
    "cnn-vs-mlp",
    title: "A convolutional network against a fully connected one (seed 002)",
    summary: "seed 002's 16-32-128-10 sigmoid CNN with the quadratic cost (80,202 parameters) against the 784-45-10 MLP, plus a ReLU + softmax CNN"
) { context in
    let epochs = context.parameter("epochs", quick: 2, standard: 15, full: 30, help: "epochs per network")
    // Seed 002: MNIST "obsahuje 50000 obrázků číslic na trénování" (50,000 training images).
    let images = TrainingImages(context, fullTrain: 50000)
    let sigmoidCnnEta = context.parameter("sigmoid_cnn_eta", default: 0.001, help: "Adam's learning rate for the sigmoid CNN (the text gives none)")
    let networks = comparedNetworks(sigmoidCnnEta: sigmoidCnnEta)
    let (sigmoidCNN, mlp, reluCNN) = (networks[0], networks[1], networks[2])
    Text("""
    Seed 002 trains its convolutional network (16 filters of 5x5, max-pooling, 32 filters of 5x5, \
    max-pooling, 128 units, 10 outputs, a sigmoid after every layer, the quadratic cost) and, for \
    comparison, a fully connected 784-45-10 network built with numpy only, from Nielsen's site ([1] in \
    seed 002), on MNIST's 50,000 training digits: \(sigmoidCNN.reference!)% against \(mlp.reference!)% test \
    accuracy, about 20 minutes of training each. The text gives no learning rates. Its MLP is most likely \
    Nielsen's network.py (an inference: a numpy-only network from [1] with the text's quadratic cost), so \
    ours is network.py's: weights and biases N(0, 1), mini-batch 10, eta \(mlp.optimizer.learningRate). Under the quadratic cost the sigmoid CNN \
    starts on a long plateau at chance: plain SGD with eta 1, 3 and 10 (and the JAX peer of our \
    benchmark, eta 3) were still at 10% after 3 epochs, so it trains with Adam (learning rate \
    \(String(format: "%g", sigmoidCnnEta)), the TensorFlow tutorials' choice); mini-batch \
    10, \(epochs) epochs on \(images.description); a third row is the same CNN with ReLU units and a \
    softmax output (eta \(reluCNN.optimizer.learningRate)), as it would be built today.
    """)
    if let caveat = images.caveat { Text(caveat) }
    let train = { (network: Network, name: String, seed: UInt64) in
        Train(name, model: network.model, data: images.source, split: images.split, loss: network.loss,
              weights: network.weights, biases: network.biases, optimizer: network.optimizer,
              epochs: epochs, batchSize: 10, seed: seed)
    }
    // The MLP's row is the one trained reproduction here, and its runs are cheap: more seeds
    // give its spread. The CNNs' rows are not counted (seed 002 does not set them): one run each.
    let mlpSeeds = context.parameter("mlp_seeds", quick: 1, standard: 1, full: 5,
                                     help: "runs of the MLP, each from its own seed (its row compares the text's one run with their spread)")
    let mlpRuns = Sweep.repeats(mlp.step, count: mlpSeeds, base: UInt64(context.seed)) { train(mlp, $0, $1) }
    let trained = networks.map { network in network.step == mlp.step ? mlpRuns[0] : train(network, network.step, UInt64(context.seed)) }
    let mlpRepeats = Array(mlpRuns.dropFirst())
    for run in trained { run }
    mlpRepeats
    Table("Test accuracy, parameters and time per epoch, beside seed 002") { results in
        TableContent(columns: ["network", "parameters", "test accuracy", "seed 002", "seconds per epoch"], rows: try zip(networks, trained).map { network, step in
            let run = try results.run(step)
            let seconds = try run.timing(.epochSeconds)
            return [.text(network.label), .text(run.attribute(.parameters) ?? "?"), .number(try run.final(.testAccuracy), format: .percent(2)),
                    network.reference.map { "\($0)%" } ?? "—",
                    .number(seconds.reduce(0, +) / Double(max(seconds.count, 1)), format: .decimals(2))]
        }, notes: [
            "Seed 002's numbers come from MNIST's 50,000 training and 10,000 test digits, about 20 minutes each; ours from "
                + "\(images.description) in \(epochs) epochs.",
            "Seconds per epoch include the test evaluation, measured on \(try results.run(trained[0]).attribute(.cpu) ?? "this machine").",
        ])
    }
    Reproductions("Seed 002's test accuracies") { results in
        // The text's two numbers are there to show the CNN's lead over the MLP.
        let texts = networks.compactMap(\.reference)
        let lead = Reproduction.Effect("the CNN's lead over the MLP in the text (\(texts.map(\.description).joined(separator: " against ")))",
                                       size: (texts.map(\.value).max() ?? 0) - (texts.map(\.value).min() ?? 0))
        return try zip(networks, trained).compactMap { network, step in
            guard let text = network.reference else { return nil }
            let steps = network.step == mlp.step ? mlpRuns : [step]
            let ours = try steps.map { 100 * (try results.run($0).final(.testAccuracy)) }
            return Reproduction("\(network.label): test accuracy (%)", reference: text,
                                quote: "obsahuje 50000 obrázků číslic na trénování … 784 … 45 v jediné skryté vrstvě a 10 ve výstupní vrstvě",
                                ours: ours, kind: network.rowKind,
                                tolerance: .twoStandardErrors(percent: text.value, images: 10000, seeds: ours), effect: lead)
        }
    }
    Text { results in
        let accuracy = try results.run(trained[0]).metric(.testAccuracy)
        let left = accuracy.firstIndex { $0 > 0.2 }.map { "after epoch \($0 + 1) (test accuracy \(formatNumber(accuracy[$0])))" }
        return "Under Adam the sigmoid CNN left the plateau at chance (test accuracy above 0.2) "
            + (left ?? "not within \(accuracy.count) epochs") + " in this run."
    }
    Figure("accuracy", title: "Test accuracy per epoch") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try zip(networks, trained).map { network, step in
            let run = try results.run(step)
            return Series(label: network.label, x: try run.metric(.epoch), y: try run.metric(.testAccuracy))
        }))
    }
    for (network, step) in zip(networks, trained).prefix(2) {
        Figure("confusion-\(network.step)", title: "Confusion matrix: \(network.label)",
               width: 760, height: 660) { results in
            let (shape, counts) = try results.run(step).ints(.confusion)
            let digits = (0..<shape[0]).map(String.init)
            return .heatmap(Heatmap(values: (0..<shape[0]).map { r in (0..<shape[1]).map { Double(counts[r * shape[1] + $0]) } },
                                    rowLabels: digits, columnLabels: digits, xLabel: "predicted digit", yLabel: "true digit",
                                    colorBarLabel: "test images"))
        }
    }
}

private struct Network {
    let step: String, label: String
    let model: ModelSpec
    let loss: Loss
    let weights: Initializer
    var biases: Initializer = .constant(0)
    let optimizer: Optimizer
    /// Seed 002's test accuracy (%), when it gives one.
    let reference: Reference?
    /// How its row counts (seed 002 gives no optimiser, rate or epochs for its CNN).
    var rowKind: Reproduction.Kind = .trained
}

/// Plain SGD did not move the sigmoid CNN under the quadratic cost off its plateau in 3
/// epochs (eta 1, 3 and 10: still 10%); Adam leaves it after about 3.
private func comparedNetworks(sigmoidCnnEta: Double) -> [Network] { [
    Network(step: "cnn-sigmoid", label: "CNN, sigmoid, quadratic cost",
            model: .seed002CNN(.activation(.sigmoid), outputActivation: .activation(.sigmoid)), loss: .quadratic, weights: .xavierNormal, optimizer: Optimizer(learningRate: sigmoidCnnEta, method: .adam()), reference: Reference(98.72, decimals: 2, source: "seed 002"),
            rowKind: .shownOnly("seed 002 does not give the CNN's optimiser, rate or epochs")),
    Network(step: "mlp-45", label: "MLP 784-45-10, sigmoid, quadratic cost", model: .mlp([784, 45, 10], .sigmoid),
            loss: .quadratic, weights: .gaussian(std: 1), biases: .gaussian(std: 1), optimizer: Optimizer(learningRate: 3.0), reference: Reference(95.83, decimals: 2, source: "seed 002")),
    Network(step: "cnn-relu", label: "CNN, ReLU, softmax", model: .seed002CNN(.activation(.relu)), loss: .softmaxLogLikelihood, weights: .he, optimizer: Optimizer(learningRate: 0.05), reference: nil),
] }
