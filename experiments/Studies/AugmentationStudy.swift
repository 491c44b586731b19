import Foundation
import Notebook

/// Seed 003 on expanding the training data (REFERENCE.md, "Augmentation").
let augmentationStudy = Study(
    "augmentation-study",
    title: "Augmentation: elastic distortions and affine warps of the training digits",
    summary: "what Simard's elastic distortion and affine warps do to real digits, and what they buy an MLP and a CNN on small training sets (seed 003)"
) { context in
    let seed = UInt64(context.seed)
    Text("""
    Seed 003 expands the training set with rotations, translations, skews and the elastic \
    distortions of Simard, Steinkraus and Platt (2003): displacement fields uniform in [-1, 1], \
    smoothed by a Gaussian of sigma 4 pixels, scaled by alpha 34, applied with bilinear \
    interpolation. Here every training epoch sees freshly distorted images, drawn from the run's \
    augmentation stream (so a run is reproducible and resumable to the bit).
    """)
    let examples = Compute("examples", summary: "a digit of each class 0 to 5 under elastic distortions and affine warps", data: .mnist5k,
                           AugmentationExamples(elastic: elasticExamples.map { [$0.alpha, $0.sigma] },
                                                affine: affineExamples.map(\.augmentation), seed: seed))
    examples
    Figure("elastic-examples", title: "Digits 0 to 5 (top row) under elastic distortions: one row per alpha and sigma",
           width: 760, height: 1000) { results in
        let run = try results.run(examples)
        let rows = try [("original", run.floats(originals).values)] + elasticExamples.enumerated().map { index, setting in
            ("alpha \(String(format: "%g", setting.alpha)), sigma \(String(format: "%g", setting.sigma))", try run.floats(elasticExample(index)).values)
        }
        return grid(rows)
    }
    Text("""
    What the two parameters do, as Simard et al. describe: a small sigma leaves the displacement \
    field nearly random, and the digit dissolves into noise; a large sigma smooths it into an almost \
    constant shift; alpha sets how far the strokes move. Sigma 4 with alpha 34 bends strokes the \
    way handwriting varies.
    """)
    Figure("affine-examples", title: "The same digits under random affine warps: one row per setting", width: 760, height: 620) { results in
        let run = try results.run(examples)
        return grid(try [("original", run.floats(originals).values)] + affineExamples.enumerated().map { index, setting in
            (setting.label, try run.floats(affineExample(index)).values)
        })
    }

    // MARK: Training with and without augmentation
    let sizes = context.parameter("sizes", quick: [300], standard: [500, 2000], full: [1000, 10000, 60000],
                                  help: "training-set sizes, comma-separated")
    let epochs = context.parameter("epochs", quick: 2, standard: 30, full: 30, help: "epochs of the MLP runs")
    let cnnEpochs = context.parameter("cnn_epochs", quick: 2, standard: 15, full: 20, help: "epochs of the CNN runs")
    let data = TrainingImages.source(context)
    let testCount = data == .mnist5k ? 1000 : 10000
    Text("""
    ## What augmentation buys on small training sets

    Simard's 800-unit MLP (784-800-10, sigmoid hidden units, softmax output, SGD eta 0.1, mini-batch \
    10, \(epochs) epochs) and seed 002's CNN with ReLU units (eta 0.1, batch 64, \(cnnEpochs) epochs), \
    each trained on \(sizes.map(String.init).joined(separator: " and ")) images of \(data.name) without \
    augmentation, with elastic distortions (alpha 34, sigma 4) and with affine warps (rotation ±15°, \
    shift ±2 pixels, shear ±0.2, scale ±10%), tested on \(testCount) other images.
    """)
    let splits = sizes.map { TrainingImages.split(of: data, train: $0, test: testCount, seed: context.seed) }
    let mlp = zip(sizes, splits).map { size, split in
        trainingAugmentations.map { setting in
            Train("mlp-\(size)-\(setting.step)", model: .mlp([784, 800, 10], .sigmoid, activateOutput: false), data: data, split: split,
                  loss: .softmaxLogLikelihood, weights: .nielsen, optimizer: Optimizer(learningRate: 0.1),
                  epochs: epochs, batchSize: 10, seed: seed, augmentation: setting.augmentation)
        }
    }
    let cnn = zip(sizes, splits).map { size, split in
        trainingAugmentations.map { setting in
            Train("cnn-\(size)-\(setting.step)", model: .seed002CNN(.activation(.relu)), data: data, split: split, loss: .softmaxLogLikelihood,
                  weights: .he, optimizer: Optimizer(learningRate: 0.1), epochs: cnnEpochs, batchSize: 64, seed: seed,
                  augmentation: setting.augmentation)
        }
    }
    for (mlpRuns, cnnRuns) in zip(mlp, cnn) {
        for (mlpRun, cnnRun) in zip(mlpRuns, cnnRuns) {
            mlpRun
            cnnRun
        }
    }
    Table("Test error (%) without and with augmentation, beside Simard et al. (2003, 50,000 MNIST digits)") { results in
        var rows: [[Cell]] = []
        for (network, runs) in [("784-800-10 MLP", mlp), ("CNN", cnn)] {
            for (size, sizeRuns) in zip(sizes, runs) {
                rows.append(["\(network), \(size) images"] + (try sizeRuns.map { step in
                    Cell.number(try testError(results, step), format: .decimals(2))
                }))
            }
        }
        rows.append(["Simard: 800-unit MLP, 50,000 digits", "1.6", "0.7", "—"])
        rows.append(["Simard: their CNN, 50,000 digits", "—", "0.4", "—"])
        return TableContent(columns: ["network, training images"] + trainingAugmentations.map(\.label), rows: rows, notes: [
            "Simard et al. train on 50,000 MNIST digits (and for hundreds of epochs); with \(sizes.map(String.init).joined(separator: " / ")) "
                + "images our errors are several times theirs, which is where augmentation should matter most.",
            "Final test error after the last epoch. An augmented run sees new images every epoch and converges more slowly: "
                + "with few epochs it may not profit yet (Simard et al. trained for hundreds).",
        ])
    }
    simardSection(context)
    Figure("accuracy", title: "Test accuracy per epoch on the smallest training set") { results in
        .lines(LinePlot(xLabel: "epoch", yLabel: "test accuracy", series: try [("MLP", mlp), ("CNN", cnn)].flatMap { network, runs in
            try zip(trainingAugmentations, runs.first ?? []).map { setting, step in
                let run = try results.run(step)
                return Series(label: "\(network), \(setting.label)", x: try run.metric(.epoch),
                              y: try run.metric(.testAccuracy), style: network == "MLP" ? .dashed : .linesPoints)
            }
        }))
    }
}

// MARK: Simard's protocol
/// Simard, Steinkraus and Platt (2003), as published: "we used the first 50,000 patterns ... for
/// training, and the remaining 10,000 for validation", initial weights of "standard deviation =
/// 0.05", a learning rate that "started at 0.005 and is multiplied by 0.3 every 100 epochs",
/// cross-entropy, the 800-unit MLP without and with elastic distortions; tested on the 10,000
/// test digits. Theirs are single-sample updates; ours sum the gradients of 10 samples per step
/// (two cores cannot run hundreds of epochs of single-sample updates in an hour per run).
@StudyBuilder
private func simardSection(_ context: StudyContext) -> [any StudyStep] {
    // Measured on two cores (Zen 4): an epoch takes 10 s, 27 s with elastic distortions, so 130
    // epochs are about an hour for the distorted run: as close to the paper's hundreds as that allows.
    let simardEpochs = context.parameter("simard_epochs", quick: 2, standard: 10, full: 130,
                                         help: "epochs of Simard's protocol (the paper: hundreds; 130 is about an hour per distorted run on two cores)")
    let data = TrainingImages.source(context)
    // MNIST: the first 50,000 training digits, the last 10,000 of the 60,000 to validate on.
    let (train, validation) = data == .mnist ? (50000, 10000) : (4000, 500)
    let split = TrainingImages.split(of: data, train: train + validation, test: data == .mnist5k ? 500 : 10000, seed: context.seed)
    let runs = [(step: "simard-none", label: "without augmentation", augmentation: Augmentation.none, text: 1.6),
                (step: "simard-elastic", label: "with elastic distortions", augmentation: .elastic(alpha: 34, sigma: 4), text: 0.7)]
    let simard = { (name: String, augmentation: Augmentation, epochs: Int, batchSize: Int, seed: UInt64) in
        Train(name, model: .mlp([784, 800, 10], .sigmoid, activateOutput: false), data: data, split: split,
              loss: .softmaxLogLikelihood, reduction: .sum, weights: .gaussian(std: 0.05), biases: .gaussian(std: 0.05),
              optimizer: Optimizer(learningRate: 0.005), schedule: .step(every: 100, factor: 0.3),
              epochs: epochs, batchSize: batchSize, seed: seed, augmentation: augmentation, validation: validation)
    }
    let steps = runs.map { run in simard(run.step, run.augmentation, simardEpochs, 10, UInt64(context.seed)) }
    // More seeds of the plain run (an hour less each than the distorted one) give its row a
    // seed-to-seed spread.
    let plainSeeds = context.parameter("plain_seeds", quick: 1, standard: 1, full: 3,
                                       help: "runs of the plain protocol, each from its own seed (the distorted run, three times slower, has one)")
    let plainRepeats = Array(Sweep.repeats(runs[0].step, count: plainSeeds, base: UInt64(context.seed)) { name, seed in
        simard(name, .none, simardEpochs, 10, seed)
    }.dropFirst())
    // The paper's single-sample updates, for fewer epochs: beside our 10-sample steps at the
    // same epochs, it measures what the step size costs (or gains).
    let singleSampleEpochs = context.parameter("single_sample_epochs", quick: 1, standard: 2, full: 20,
                                               help: "epochs of the plain run with the paper's single-sample updates, beside ours of 10 samples")
    let singleSample = simard("simard-none-single-sample", .none, min(singleSampleEpochs, simardEpochs), 1, UInt64(context.seed))
    Text("""
    ## Simard et al.'s protocol

    Their 800-unit MLP as published: trained on \(train) images of \(data.name) with \(validation) more held out \
    for validation, weights and biases of standard deviation 0.05, cross-entropy on a softmax output, a learning \
    rate of 0.005 multiplied by 0.3 every 100 epochs, \(simardEpochs) epochs, without and with elastic distortions \
    (alpha 34, sigma 4). Their updates are single-sample; ours sum the gradients of 10 samples per step, so the \
    rate per sample is theirs. They trained for hundreds of epochs; `--full` runs 130, as many as two cores \
    allow in about an hour for the distorted run (each run's file records its wall time). For the same reason \
    the plain run is repeated from \(plainSeeds) seed(s) and the distorted one is run once.
    """)
    steps
    singleSample
    plainRepeats
    Table("Single-sample updates (the paper's) beside ours of 10 samples, without augmentation: test error (%)") { results in
        let ours = try results.run(steps[0]).metric(.testAccuracy), single = try results.run(singleSample).metric(.testAccuracy)
        let epochs = Array(Set([1, single.count / 3, 2 * single.count / 3, single.count].filter { $0 >= 1 })).sorted()
        return TableContent(columns: ["after epoch", "single-sample updates", "10-sample steps (ours)", "ours minus single-sample"],
                            rows: epochs.map { epoch in
            ["\(epoch)", .number(100 * (1 - single[epoch - 1]), format: .decimals(2)), .number(100 * (1 - ours[epoch - 1]), format: .decimals(2)),
             .number(100 * (single[epoch - 1] - ours[epoch - 1]), format: .signed(2))]
        }, notes: ["The same network, data, initial weights and rate per sample; only the number of samples per step differs."])
    }
    Table("The plain protocol from \(plainSeeds) seed(s): test error (%) after \(simardEpochs) epochs") { results in
        let errors = try ([steps[0]] + plainRepeats).map { try testError(results, $0) }
        return TableContent(columns: ["seed", "test error (%)"], rows: errors.enumerated().map { seed, error in
            ["\(seed)", .number(error, format: .decimals(2))]
        }, notes: ["How far one run of this setting strays from another: the row below reads all \(plainSeeds)."])
    }
    Reproductions("Simard et al.'s 800-unit MLP without and with elastic distortions") { results in
        try zip(runs, steps).map { run, step in
            let seeds = run.augmentation == .none ? [step] + plainRepeats : [step]
            let ours = try seeds.map { try testError(results, $0) }
            return Reproduction("784-800-10, Simard's protocol, \(run.label), after \(simardEpochs) epochs: test error (%), \(seeds.count) seed(s) (two cores allow no more)",
                         source: "Simard et al. 2003 (cited by seed 003)",
                         quote: "we used the first 50,000 patterns … for training, and the remaining 10,000 for validation", text: run.text,
                         ours: ours, kind: .trained,
                         tolerance: .twoStandardErrors(percent: run.text, images: 10000, seeds: ours),
                         effect: run.augmentation == .none ? nil : .init("the distortions' gain in the paper (\(runs[0].text) -> \(run.text))", size: runs[0].text - run.text),
                         blockedBy: data == .mnist && simardEpochs >= 130 ? nil : "the paper's protocol is MNIST's 50,000 digits for hundreds of epochs")
        }
    }
}

/// A run's test error after its last epoch, in percent.
private func testError(_ results: StudyResults, _ step: Train) throws -> Double {
    100 * (1 - (try results.run(step).final(.testAccuracy)))
}

/// One row of images per (caption, pixels of six 28x28 digits).
private func grid(_ rows: [(String, [Float])]) -> FigureKind {
    var images: [[Float]] = [], captions: [String] = []
    for (caption, pixels) in rows {
        for digit in 0..<6 {
            images.append(Array(pixels[(digit * 784)..<((digit + 1) * 784)]))
            captions.append(digit == 0 ? caption : "")
        }
    }
    return .imageGrid(ImageGrid(images: images, imageRows: 28, imageColumns: 28, captions: captions, columns: 6))
}

private let elasticExamples: [(alpha: Double, sigma: Double)] = [(8, 4), (34, 4), (60, 4), (34, 2), (34, 8)]

// The example digits as stored: as they are, and under the i-th distortion of each kind.
private let originals = Tensor("originals")
private func elasticExample(_ index: Int) -> Tensor { Tensor("elastic\(index)") }
private func affineExample(_ index: Int) -> Tensor { Tensor("affine\(index)") }

/// The first digit of each class 0 to 5 (mnist5k is sorted by class), as it is, under each
/// elastic distortion [alpha, sigma] and under each affine warp; example i draws from seed + i.
private struct AugmentationExamples: Computation {
    var digits = "first of each class 0-5"
    let elastic: [[Double]]
    let affine: [Augmentation]
    let seed: UInt64

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        guard let data else { throw StudyError("examples: no data") }
        let digits = data.train.subset((0..<6).compactMap { label in data.train.labels.firstIndex(of: Int32(label)) })
        try run.tensor(originals, shape: [6, 28, 28], digits.pixels)
        for (index, setting) in elastic.enumerated() {
            let distorted = Augmentation.elastic(alpha: setting[0], sigma: setting[1]).distort(digits, seed: seed &+ UInt64(index))
            try run.tensor(elasticExample(index), shape: [6, 28, 28], distorted.pixels)
        }
        for (index, warp) in affine.enumerated() {
            try run.tensor(affineExample(index), shape: [6, 28, 28], warp.distort(digits, seed: seed &+ UInt64(index)).pixels)
        }
    }
}

private struct AffineExample {
    let label: String
    let augmentation: Augmentation
}

private let affineExamples: [AffineExample] = [
    AffineExample(label: "rotation ±15°", augmentation: .affine(degrees: 15, shift: 0, shear: 0, scale: 0)),
    AffineExample(label: "shift ±2 pixels", augmentation: .affine(degrees: 0, shift: 2, shear: 0, scale: 0)),
    AffineExample(label: "shear ±0.3", augmentation: .affine(degrees: 0, shift: 0, shear: 0.3, scale: 0)),
    AffineExample(label: "all, as trained", augmentation: .affine(degrees: 15, shift: 2, shear: 0.2, scale: 0.1)),
]

private let trainingAugmentations: [(step: String, label: String, augmentation: Augmentation)] = [
    ("none", "none", .none),
    ("elastic", "elastic (alpha 34, sigma 4)", .elastic(alpha: 34, sigma: 4)),
    ("affine", "affine warps", .affine(degrees: 15, shift: 2, shear: 0.2, scale: 0.1)),
]
