import Foundation
import Notebook

/// Seed 001's hyper-parameter search (REFERENCE.md, "Babysitting the learning process").
let randomSearchStudy = Study(
    "random-search",
    title: "Random search for the learning rate and regularisation, coarse to fine, against a grid",
    summary: "seed 001's coarse-to-fine random search in log space (lr and reg) on a 784-50-10 ReLU net, and a grid with the same budget (Bergstra & Bengio 2012)"
) { context in
    let coarseTrials = context.parameter("coarse_trials", quick: 6, standard: 30, full: 100, help: "trials of the coarse stage (the slides: 100)")
    let fineTrials = context.parameter("fine_trials", quick: 4, standard: 20, full: 100, help: "trials of the fine stage")
    let epochs = context.parameter("epochs", quick: 1, standard: 5, full: 5, help: "epochs per trial (the slides: 5)")
    let images = TrainingImages(context, fullTrain: 60000)
    // Trials are scored on a validation set held out of the training images (in --full the last
    // 10,000 of MNIST's 60,000, Nielsen's validation_data); the test images judge the chosen trials only.
    let validation = context.parameter("validation", quick: 200, standard: 1000, full: 10000,
                                       help: "training images held out to score the trials on")
    let trainedOn = images.trainCount - validation
    let searchSeed = UInt64(context.seed) &+ 1
    // The slides' learning rates (10^-6 to 10^-3) suit their standardised CIFAR inputs; on raw MNIST
    // pixels in [0, 1] a 1e-4 * randn net does not leave chance with them in 5 epochs (measured:
    // the best of 30 trials scored 0.097), so both stages sit three decades higher here.
    let lrRange = (low: context.parameter("coarse_lr_low", default: 1e-3, help: "coarse stage: lowest learning rate (the slides: 1e-6)"),
                   high: context.parameter("coarse_lr_high", default: 1.0, help: "coarse stage: highest learning rate (the slides: 1e-3)"))
    let fineRange = (low: context.parameter("fine_lr_low", default: 0.1, help: "fine stage: lowest learning rate (the slides: 1e-4)"),
                     high: context.parameter("fine_lr_high", default: 1.0, help: "fine stage: highest learning rate (the slides: 1e-3)"))
    let coarse = Sweep.random("coarse", count: coarseTrials, seed: searchSeed,
                              learningRate.drawn(.logUniform(lrRange.low, lrRange.high)), regularization.drawn(.logUniform(1e-5, 1e5)))
    let fine = Sweep.random("fine", count: fineTrials, seed: searchSeed &+ 1,
                            learningRate.drawn(.logUniform(fineRange.low, fineRange.high)), regularization.drawn(.logUniform(1e-4, 1)))
    let side = max(2, Int(Double(coarseTrials).squareRoot()))
    let grid = Sweep.grid("grid", learningRate.over(logSpaced(lrRange.low, lrRange.high, side)), regularization.over(logSpaced(1e-5, 1e5, side)))
    Text("""
    The slides' recipe: a two-layer network (here \(images.inputs)-50-10, ReLU, softmax, weights 1e-4 * randn, \
    biases 0, SGD with mini-batches of 100), trials of \(epochs) epochs each, first a coarse stage with \
    reg = 10^U(-5, 5) and lr = 10^U(-6, -3), then a fine stage with reg = 10^U(-4, 0) and \
    lr = 10^U(-4, -3). Those learning rates suit the slides' standardised CIFAR-10 inputs; on raw \
    MNIST pixels the same network stays at chance with them (an earlier run of this study with the \
    slides' range, at commit 2b5f79d on mnist5k, scored 0.097 with the best of 30 trials), so here the coarse stage draws lr from \(formatNumber(lrRange.low)) to \(formatNumber(lrRange.high)) \
    (\(coarseTrials) trials) and the fine stage from \(formatNumber(fineRange.low)) to \(formatNumber(fineRange.high)) \
    (\(fineTrials) trials; `--set coarse_lr_low=1e-6 --set coarse_lr_high=1e-3` restores the slides' \
    range). Of \(images.description), each trial trains on the first \(trainedOn) training images \
    and is scored on the last \(validation), a validation set it never trains on; the test images \
    judge only the trials the search chose. reg is the slides' \
    0.5 * reg * sum(W^2) added to the mean loss, i.e. Nielsen's L2 with lambda = reg * n. A grid \
    with as many trials as the coarse stage shows why random search covers the parameter that \
    matters (here the learning rate) with more distinct values (Bergstra & Bengio 2012).
    """)
    for sweep in [coarse, fine, grid] {
        sweep.steps { point in
            Train(point.name, model: .mlp([images.inputs, 50, 10], .relu, activateOutput: false), data: images.source, split: images.split,
                  loss: .softmaxLogLikelihood, weights: .gaussian(std: 1e-4),
                  optimizer: Optimizer(learningRate: point[learningRate],
                                       regularization: .l2(lambda: point[regularization] * Double(trainedOn))),
                  epochs: epochs, batchSize: 100, seed: UInt64(context.seed), validation: validation)
        }
    }
    Figure("accuracy-vs-lr", title: "Validation accuracy against the learning rate (log scale)") { results in
        .lines(LinePlot(xLabel: "learning rate", yLabel: "validation accuracy", logX: true, series: try [
            ("coarse random", coarse), ("fine random", fine), ("grid", grid),
        ].map { label, sweep in
            let trials = try sweep.runs(in: results)
            return Series(label: label, x: trials.map { $0.point[learningRate] }, y: try trials.map { try $0.run.best(.validationAccuracy) }, style: .points)
        }))
    }
    Figure("trials", title: "Validation accuracy over learning rate and regularisation (log scales), every trial") { results in
        let trials = try [coarse, fine, grid].flatMap { try $0.runs(in: results) }
        // Accuracy bands as point colours: gnuplot's line plots have no colour scale, and four
        // bands read at a glance where the good region lies.
        let bands: [(label: String, contains: (Double) -> Bool)] = [
            ("accuracy 0.9 or more", { $0 >= 0.9 }), ("0.5 to 0.9", { (0.5..<0.9).contains($0) }),
            ("below 0.5", { $0 < 0.5 }), ("diverged", { $0.isNaN }),
        ]
        let scored = try trials.map { ($0.point, try $0.run.best(.validationAccuracy)) }
        return .lines(LinePlot(xLabel: "learning rate", yLabel: "reg", logX: true, logY: true, series: bands.compactMap { band in
            let members = scored.filter { band.contains($0.1) }
            guard !members.isEmpty else { return nil }
            return Series(label: "\(band.label) (\(members.count))", x: members.map { $0.0[learningRate] }, y: members.map { $0.0[regularization] }, style: .points)
        }))
    }
    Table("The best trials") { results in
        let all = try [coarse, fine, grid].flatMap { sweep in try sweep.runs(in: results).map { (stage: sweep.name, $0.point, $0.run) } }
        // A diverged trial has no accuracy: it ranks last.
        func score(_ run: StoredRun) throws -> Double {
            let best = try run.best(.validationAccuracy)
            return best.isNaN ? -1 : best
        }
        let ranked = try all.map { ($0, try score($0.2)) }.sorted { $0.1 > $1.1 }.prefix(8)
        var notes: [String] = []
        if let best = try coarse.runs(in: results).max(by: { try score($0.run) < score($1.run) }) {
            // Within a tenth of the log range of an end: the best may lie beyond it.
            func nearEdge(_ value: Double, _ low: Double, _ high: Double) -> Bool {
                let position = (log10(value) - log10(low)) / (log10(high) - log10(low))
                return position < 0.1 || position > 0.9
            }
            if nearEdge(best.point[learningRate], lrRange.low, lrRange.high) || nearEdge(best.point[regularization], 1e-5, 1e5) {
                notes.append(String(format: "Warning: the coarse stage's best trial (lr %.3g, reg %.3g) sits near the edge of its range: the best values may lie outside it, so widen the range there.",
                                    best.point[learningRate], best.point[regularization]))
            }
        }
        notes.append("Distinct learning rates tried: coarse random \(coarse.points.count), grid \(Set(grid.points.map { $0[learningRate] }).count) — for the same number of trials.")
        notes.append("Ranked by their best validation accuracy; the test accuracy (after the last epoch) is shown for these chosen trials only.")
        return TableContent(columns: ["stage", "learning rate", "reg", "validation accuracy", "test accuracy"],
                            rows: try ranked.map { trial, accuracy in
            [trial.stage, String(format: "%.3g", trial.1[learningRate]), String(format: "%.3g", trial.1[regularization]),
             accuracy < 0 ? "diverged" : formatNumber(accuracy), accuracy < 0 ? "—" : formatNumber(try trial.2.final(.testAccuracy))]
        }, notes: notes)
    }
}

/// `count` values from `low` to `high`, evenly spaced in log space (our own exp and log:
/// the values are configs, and libm's differ between systems).
private func logSpaced(_ low: Double, _ high: Double, _ count: Int) -> [Double] {
    (0..<count).map {
        PortableMath.exp(PortableMath.log(low)
                         + (PortableMath.log(high) - PortableMath.log(low)) * Double($0) / Double(max(count - 1, 1)))
    }
}

// The numbers the searches vary: the learning rate and the L2 strength per image.
private let learningRate = Axis<Double>("lr")
private let regularization = Axis<Double>("reg")
