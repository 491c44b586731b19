import Notebook

/// Mini-batch size against learning rate on Nielsen's 784-30-10: where is the good region,
/// and what does each mini-batch size cost in time?
let batchRateStudy = Study(
    "batch-rate-study",
    title: "Mini-batch size against learning rate on a 784-30-10 sigmoid network",
    summary: "a grid of mini-batch sizes and learning rates: a heatmap, a table with the time per epoch, panels"
) { context in
    let epochs = context.parameter("epochs", quick: 2, standard: 5, full: 10, help: "epochs per run")
    let batches = context.parameter("batches", default: [10, 50, 250], help: "mini-batch sizes")
    let rates = context.parameter("etas", default: [0.1, 0.5, 2.5], help: "learning rates")
    // `--data fashion` (or a folder of your own IDX files) runs the same grid on other images.
    let data = context.data ?? .mnist5k
    let split = DataSplit.random(train: 1000, test: 500, seed: context.seed)

    // The numbers the grid varies, declared once and read back as point[batch] (an Int) and point[eta].
    let batch = Axis<Int>("batch"), eta = Axis<Double>("eta")
    let grid = Sweep.grid("mlp", batch.over(batches), eta.over(rates))
    grid.steps { point in
        Train(point.name, model: .mlp([784, 30, 10], .sigmoid), data: data, split: split,
              loss: .crossEntropy, weights: .nielsen, optimizer: Optimizer(learningRate: point[eta]),
              epochs: epochs, batchSize: point[batch], seed: UInt64(context.seed))
    }

    Text("784-30-10, cross-entropy, \(split.description) of \(data.name), \(epochs) epochs per cell.")
    Figure("accuracy-grid", title: "Final test accuracy for each mini-batch size and learning rate") { results in
        .heatmap(Heatmap(values: try batches.map { b in
                             try rates.map { e in try results.run(grid.point(batch.at(b), eta.at(e))).final(.testAccuracy) }
                         },
                         rowLabels: batches.map(String.init), columnLabels: rates.map { "\($0)" },
                         xLabel: "learning rate", yLabel: "mini-batch size", colorBarLabel: "test accuracy"))
    }
    Table("Time per epoch and final test accuracy") { results in
        TableContent(columns: ["mini-batch", "eta", "seconds per epoch", "test accuracy"],
                     rows: try grid.runs(in: results).map { point, run in
            let seconds = try run.timing(.epochSeconds)
            return ["\(point[batch])", "\(point[eta])", .number(seconds.reduce(0, +) / Double(seconds.count), format: .decimals(3)),
                    .number(try run.final(.testAccuracy))]
        })
    }
    // A sentence computed from the stored runs, so it stays true when they change.
    Text { results in
        let cells = try grid.runs(in: results).map { (point: $0.point, accuracy: try $0.run.final(.testAccuracy)) }
        let best = cells.max { $0.accuracy < $1.accuracy }!
        return "The best cell: mini-batch \(best.point[batch]), eta \(best.point[eta]), test accuracy \(formatNumber(best.accuracy))."
    }
    Figure("curves", title: "Test accuracy per epoch, one panel per mini-batch size", width: 1000) { results in
        panels(try batches.map { b in
            (title: "mini-batch \(b)", kind: .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try rates.map { e in
                let run = try results.run(grid.point(batch.at(b), eta.at(e)))
                return Series(label: "eta \(e)", x: try run.metric(.epoch), y: try run.metric(.testAccuracy))
            })))
        }, columns: batches.count)
    }
}
