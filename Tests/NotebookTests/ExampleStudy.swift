import Notebook

/// How fast does Nielsen's 784-30-10 network learn with three learning rates?
let learningRateExample = Study(
    "lr-example",
    title: "Three learning rates for a 784-30-10 sigmoid network",
    summary: "seed 003's network with eta 0.05, 0.5 and 5, over two seeds"
) { context in
    // Sizes: one place per profile, and `--set epochs=...` overrides them.
    let epochs = context.parameter("epochs", quick: 2, standard: 10, full: 30, help: "epochs per run")
    let train = context.parameter("train", quick: 500, standard: 4000, full: 4000, help: "training digits")
    let split = DataSplit.random(train: train, test: 500, seed: context.seed)

    // Compute steps: one run per learning rate and seed (six runs), each cached by its config.
    let rates = [0.05, 0.5, 5.0]
    let grid = Sweep.grid("mlp", ["eta": rates, "seed": [0, 1]])
    grid.steps { point in
        Train(point.name, model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k, split: split,
              loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: point["eta"]),
              epochs: epochs, batchSize: 10, seed: UInt64(point.int("seed")))
    }

    // View steps: they read only stored runs, so `experiments report` redraws them.
    Text("Mini-batch 10, cross-entropy, \(split.description) of mnist5k, \(epochs) epochs.")
    Figure("accuracy", title: "Test accuracy per epoch (mean of two seeds, band: min to max)") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try rates.map { eta in
            let runs = grid.points.filter { $0["eta"] == eta }.map(\.name)
            return try results.meanCurve(runs, metric: "test_accuracy", label: "eta \(eta)")
        }))
    }
    Table("Final test accuracy beside seed 003's") { results in
        .comparison(try rates.map { eta in
            let finals = try grid.runs(in: results).filter { $0.point["eta"] == eta }.map { try $0.run.final("test_accuracy") }
            return ReferenceRow("eta \(eta)", ours: finals.reduce(0, +) / Double(finals.count),
                                reference: eta == 0.5 ? 0.9514 : nil,
                                explanation: eta == 0.5 ? "seed 003: test error 4.86% after 30 epochs on 50,000 digits" : "")
        })
    }
}
