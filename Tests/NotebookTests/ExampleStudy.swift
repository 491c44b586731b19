import Notebook

/// SGD, momentum, Nesterov and Adam on Nielsen's 784-30-10 network: which learns fastest?
let optimizerStudy = Study(
    "optimizer-study",
    title: "Four optimisers on a 784-30-10 sigmoid network",
    summary: "SGD, momentum, Nesterov and Adam on seed 003's network, two seeds each"
) { context in
    // Sizes: one place per profile, and `--set epochs=...` overrides them.
    let epochs = context.parameter("epochs", quick: 2, standard: 10, full: 30, help: "epochs per run")
    let train = context.parameter("train", quick: 500, standard: 4000, full: 4000, help: "training digits")
    let split = DataSplit.random(train: train, test: 500, seed: context.seed)

    // Compute steps: one run per optimiser and seed (eight runs), each cached by its config.
    let optimizers = Choices.grid("mlp", "optimizer", [
        Choice("sgd", Optimizer(learningRate: 0.5)),
        Choice("momentum", Optimizer(learningRate: 0.05, method: .momentum(0.9))),
        Choice("nesterov", Optimizer(learningRate: 0.05, method: .nesterov(0.9))),
        Choice("adam", Optimizer(learningRate: 0.001, method: .adam())),
    ], crossedWith: .seeds([0, 1]))
    optimizers.steps { point, optimizer in
        Train(point.name, model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k, split: split,
              loss: .crossEntropy, weights: .nielsen, optimizer: optimizer,
              epochs: epochs, batchSize: 10, seed: point.seed)
    }

    // View steps: they read only stored runs, so `experiments report` redraws them.
    Text("Mini-batch 10, cross-entropy, \(split.description) of mnist5k, \(epochs) epochs.")
    Figure("accuracy", title: "Test accuracy per epoch (mean of two seeds, band: min to max)") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try optimizers.options.map { option in
            try results.meanCurve(optimizers.points(of: option), metric: .testAccuracy, label: option.name)
        }))
    }
    Table("Final test accuracy (mean of two seeds)") { results in
        TableContent(columns: ["optimizer", "test accuracy"], rows: try optimizers.options.map { option in
            let finals = try optimizers.points(of: option).map { try results.run($0).final(.testAccuracy) }
            return [option.name, formatNumber(finals.reduce(0, +) / Double(finals.count))]
        })
    }
}
