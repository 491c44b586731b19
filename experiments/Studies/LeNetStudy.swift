import Foundation
import Notebook

/// Seed 000's LeNet-style network and its k-NN baseline (REFERENCE.md, "Networks").
let lenetStudy = Study(
    "lenet-study",
    title: "A LeNet-style network on 1000 digits, beside seed 000's run and its k-NN baseline",
    summary: "seed 000's LeNet exactly as the text trains it (summed log-likelihood + sum(w^2), averaged momentum, batch 500), its learned filters and feature maps, and k-NN on the same split"
) { context in
    let seeds = context.parameter("seeds", quick: 1, standard: 5, full: 10, help: "training runs, each with its own initial weights")
    let epochs = context.parameter("epochs", quick: 5, standard: seed000Epochs, full: seed000Epochs, help: "epochs (the text: \(seed000Epochs))")
    // The text's own draw from MNIST (np.random.seed(0): 100 of the test file, then 1000 of the
    // training file), in every profile; --data draws as the other studies do.
    let data = context.data ?? .mnist
    let split: DataSplit = data == .mnist
        ? .testThenTrainDraw(train: 1000, test: 100, seed: context.seed) : TrainingImages.split(of: data, train: 1000, test: 100, seed: context.seed)
    Text("""
    The text's network: a 5x5 convolution to 6 maps, 2x2 max-pooling, a 5x5 convolution to 16 maps, \
    2x2 max-pooling (no nonlinearity after the convolutions, as in its code), tanh layers of 12 and 84 \
    units and a softmax over 10 classes; every parameter (biases too) drawn from N(0, 1) * 0.1; the cost \
    is the summed negative log-likelihood of a batch plus 1.0 * sum(p^2) over all parameters; momentum in \
    the form d = 0.9 d + 0.1 g, learning rate 1e-3, batches of 500 in a fixed order, \(epochs) epochs, on \
    1000 random training and 100 random test digits (\(split.description) of \(data.name)); \(seeds) run(s) \
    from different initial weights. k-NN (k = 5) runs on the very same split.
    """)
    let runs = Sweep.seeds("lenet", count: seeds, base: UInt64(context.seed))
    runs.steps { point in
        Train(point.name, model: lenet, data: data, split: split, loss: .softmaxLogLikelihood, reduction: .sum,
              weights: .gaussian(std: 0.1), biases: .gaussian(std: 0.1),
              optimizer: Optimizer(learningRate: 1e-3, method: .averagedMomentum(0.9), regularization: .penalty(coefficient: 1)),
              epochs: epochs, batchSize: 500, seed: point.seed, evaluateTrainingSet: true, shuffle: false,
              featureMapsOf: 0)
    }
    let knn = KNN("knn", data: data, split: split, k: 5)
    knn
    let published = Published("published-lenet", file: "seed000/lenet.json", columns: [(bookTrainError, 1), (bookTestError, 1)],
                              source: "seed 000's printed training log (autograd LeNet on MNIST)")
    published

    Figure("errors", title: "Error per epoch: ours (mean, band min-max) beside seed 000's log") { results in
        let book = try results.run(published)
        let knnError = 1 - (try results.run(knn).final(.accuracy))
        let bookTrain = try book.metric(bookTrainError), bookTest = try book.metric(bookTestError)
        return .lines(LinePlot(xLabel: "epochs trained", yLabel: "error", series: [
            try results.meanCurve(runs, metric: .trainEvalAccuracy, label: "ours, training error", transform: { 1 - $0 }),
            try results.meanCurve(runs, metric: .testAccuracy, label: "ours, test error", transform: { 1 - $0 }),
            Series(label: "seed 000, training error", x: bookTrain.indices.map(Double.init), y: bookTrain, style: .dashed),
            Series(label: "seed 000, test error", x: bookTest.indices.map(Double.init), y: bookTest, style: .dashed),
            Series(label: "k-NN (k = 5) on our split", x: [0, Double(max(epochs, bookTest.count))], y: [knnError, knnError], style: .lines),
        ], yRange: 0...1))
    }
    Table("Errors beside seed 000") { results in
        let book = try results.run(published)
        let ours = try runs.runs(in: results).map(\.run)
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        let finalTrain = try mean(ours.map { 1 - (try $0.final(.trainEvalAccuracy)) })
        let finalTest = try mean(ours.map { 1 - (try $0.final(.testAccuracy)) })
        let bestTest = try mean(ours.map { 1 - (try $0.best(.testAccuracy)) })
        let full = epochs >= seed000Epochs
        let why = "one run of the text against the mean of our \(seeds) run(s); 100 test digits make one digit 0.01"
        return .comparison([
            ReferenceRow("training error after the last epoch", ours: finalTrain, reference: full ? try book.final(bookTrainError) : nil, explanation: full ? why : "this profile trains \(epochs) epochs"),
            ReferenceRow("test error after the last epoch", ours: finalTest, reference: full ? try book.final(bookTestError) : nil, explanation: full ? why : ""),
            ReferenceRow("best test error", ours: bestTest, reference: full ? try book.metric(bookTestError).min() : nil, explanation: full ? why : ""),
            ReferenceRow("k-NN accuracy (k = 5), scored as the text's one-hot classifier", ours: try results.run(knn).final(.accuracyOneHot),
                         reference: seed000Accuracy.value,
                         explanation: split == .testThenTrainDraw(train: 1000, test: 100, seed: 0)
                             ? "the text's own digits and scoring" : "other digits than the text's (its draw is seed 0's, from MNIST)"),
        ], quantity: "error or accuracy", notes: [
            "The text prints the error before each epoch (row 0 is before training); ours is after each epoch, so its row i sits at x = i here.",
        ])
    }
    Reproductions("Seed 000's errors and k-NN accuracy") { results in
        let book = try results.run(published)
        let ours = try runs.runs(in: results).map(\.run)
        let blocked = epochs >= seed000Epochs ? nil : "the text's values are after \(seed000Epochs) epochs"
        func row(_ quantity: String, text: Double, images: Int, kind: Reproduction.Kind = .trained,
                 effect: Reproduction.Effect? = nil, _ values: [Double]) -> Reproduction {
            Reproduction(quantity, source: "seed 000", quote: "batch_size = 500 … num_epochs = 50", text: 100 * text,
                         ours: values.map { 100 * $0 }, kind: kind,
                         tolerance: .twoStandardErrors(percent: 100 * text, images: images, seeds: values.map { 100 * $0 }),
                         effect: effect, blockedBy: blocked)
        }
        // The text's test error is there to show the network beating its k-NN on the same 100 digits.
        let textTestError = try book.final(bookTestError), textKNNError = 1 - seed000Accuracy.value
        let overKNN = Reproduction.Effect(String(format: "the text's LeNet against its k-NN on the same digits (%.0f%% -> %.0f%% error)",
                                                 100 * textKNNError, 100 * textTestError), size: 100 * (textKNNError - textTestError))
        return [
            row("LeNet, 1000 random digits, after \(printedEpochs) epochs (the text's last printed row): training error (%)",
                text: try book.final(bookTrainError), images: 1000, try ours.map { try errorAfterPrinted($0, .trainEvalAccuracy) }),
            row("LeNet, after \(printedEpochs) epochs (the text's last printed row): test error (%)", text: textTestError, images: 100,
                effect: overKNN, try ours.map { try errorAfterPrinted($0, .testAccuracy) }),
            // The text's own minimum over the epochs of its test error: an epoch chosen on the test
            // set, so it says how low the curve dips, not what a model chosen fairly would score.
            row("LeNet: best test error over the epochs, chosen on the test set (%)", text: try book.metric(bookTestError).min() ?? .nan,
                images: 100, kind: .shownOnly("the text chose this epoch on its test set"),
                try ours.map { 1 - (try $0.best(.testAccuracy)) }),
            Reproduction("k-NN (k = 5) on the same digits, scored as the text's one-hot classifier: accuracy (%), one run (k-NN draws nothing at random)",
                         reference: seed000Accuracy.percent, quote: seed000KNNQuote, ours: [100 * (try results.run(knn).final(.accuracyOneHot))], kind: .trained,
                         tolerance: .absolute(0, because: "the text's own digits and scoring rule: each digit is classified alike, or the code differs"),
                         blockedBy: split == .testThenTrainDraw(train: 1000, test: 100, seed: 0) ? nil : "the text's draw is seed 0's, from MNIST"),
        ]
    }
    programRerunSection(ours: runs, book: published, epochs: epochs)
    Figure("filters", title: "The six learned 5x5 filters of the first convolution (run 1)", width: 700, height: 260) { results in
        let (shape, values) = try results.run(runs.points[0]).floats(.weights(layer: 0))
        let size = shape.dropFirst().reduce(1, *)
        return .imageGrid(ImageGrid(images: (0..<shape[0]).map { Array(values[($0 * size)..<(($0 + 1) * size)]) },
                                    imageRows: 5, imageColumns: 5, captions: (1...shape[0]).map { "filter \($0)" },
                                    columns: 6, symmetricColors: true))
    }
    Figure("feature-maps", title: "A test digit and its maps after each convolution (run 1)",
           width: 900, height: 460) { results in
        let run = try results.run(runs.points[0])
        let input = try run.floats(.featureMapsInput).values
        let first = try run.floats(.featureMaps(layer: 0)), second = try run.floats(.featureMaps(layer: 2))
        func maps(_ tensor: (shape: [Int], values: [Float])) -> [[Float]] {
            let size = tensor.shape.dropFirst().reduce(1, *)
            return (0..<tensor.shape[0]).map { Array(tensor.values[($0 * size)..<(($0 + 1) * size)]) }
        }
        return panels([
            (title: "input", kind: .imageGrid(ImageGrid(images: [input], imageRows: 28, imageColumns: 28, columns: 1))),
            (title: "first convolution", kind: .imageGrid(ImageGrid(images: maps(first), imageRows: 24, imageColumns: 24, columns: 3))),
            (title: "second convolution", kind: .imageGrid(ImageGrid(images: maps(second), imageRows: 8, imageColumns: 8, columns: 4))),
        ], columns: 3)
    }
}

// MARK: Seed 000's program run again
/// The text's own program, run by scripts/seed000-lenet.py from seeded initial weights (the
/// text's are unseeded): as printed, and with its max-pooling made the ordinary 2x2 kind. Its
/// `maxpool_layer` reshapes each H x W map to (2, H/2, 2, W/2) and takes the maximum over the
/// two 2s, so it pools pixels half a map apart, not neighbours; our engine pools neighbours.
@StudyBuilder
private func programRerunSection(ours runs: Sweep, book published: Published, epochs: Int) -> [any StudyStep] {
    let programs = [
        (label: "its program as printed", step: Published("seed000-program", file: "seed000/lenet-program-as-printed.json",
            columns: [(bookTrainError, 1), (bookTestError, 1)], source: "seed 000's program as printed, run by scripts/seed000-lenet.py (one value per weight seed)")),
        (label: "its program with ordinary 2x2 max-pooling", step: Published("seed000-program-ordinary-pooling", file: "seed000/lenet-program-ordinary-pooling.json",
            columns: [(bookTrainError, 1), (bookTestError, 1)], source: "seed 000's program with ordinary max-pooling, run by scripts/seed000-lenet.py (one value per weight seed)")),
    ]
    Text("""
    ## Seed 000's program, run again

    The text's training log is one run from unseeded initial weights. `scripts/seed000-lenet.py` runs its \
    program (autograd, the same draw of digits) from seeded weights, as printed and with ordinary 2x2 \
    max-pooling: the printed `maxpool_layer` reshapes each map to (2, H/2, 2, W/2) and pools pixels half \
    a map apart (autograd's convnet example had this bug until its commit 434730b, "fixed reshape bug in \
    maxpool layer", June 2017). Our network pools neighbours, as LeNet does.
    """)
    programs.map(\.step)
    Table("Errors after \(printedEpochs) epochs (the text's last printed row): the text, its program run again, ours") { results in
        func row(_ label: String, _ train: [Double], _ test: [Double]) -> [Cell] {
            func spread(_ values: [Double]) -> Cell {
                .text(values.count == 1 ? String(format: "%.3f", values[0])
                      : String(format: "%.3f (%.3f–%.3f)", values.reduce(0, +) / Double(values.count), values.min()!, values.max()!))
            }
            return [.text(label), .text("\(train.count)"), spread(train), spread(test)]
        }
        let book = try results.run(published)
        let ourRuns = try runs.runs(in: results).map(\.run)
        return TableContent(columns: ["", "runs", "training error: mean (min–max)", "test error: mean (min–max)"], rows: [
            row("the text's printed log", [try book.final(bookTrainError)], [try book.final(bookTestError)]),
        ] + (try programs.map { program in
            let run = try results.run(program.step)
            return row(program.label, try run.metric(bookTrainError), try run.metric(bookTestError))
        }) + [
            row("ours (this engine, ordinary pooling)", try ourRuns.map { try errorAfterPrinted($0, .trainEvalAccuracy) },
                try ourRuns.map { try errorAfterPrinted($0, .testAccuracy) }),
        ], notes: ["Each program run is one seed of initial weights; the digits are the text's draw in every run."])
    }
    Reproductions("Our engine beside the text's program with ordinary pooling") { results in
        let program = try results.run(programs[1].step).metric(bookTrainError).map { 100 * $0 }
        let ours = try runs.runs(in: results).map { 100 * (try errorAfterPrinted($0.run, .trainEvalAccuracy)) }
        return [Reproduction("LeNet, after \(printedEpochs) epochs: training error (%), ours beside the mean of the text's program with ordinary pooling",
                             source: "scripts/seed000-lenet.py", text: program.reduce(0, +) / Double(program.count), ours: ours,
                             kind: .shownOnly("not a number the text prints: its program, rerun with ordinary pooling, to find the cause of the miss above"),
                             tolerance: .twoStandardErrorsOfDifference(ours: ours, theirs: program),
                             blockedBy: epochs >= printedEpochs ? nil : "the program's values are after \(printedEpochs) epochs")]
    }
}

/// Seed 000's layer_specs: conv 6@5x5, max-pool, conv 16@5x5, max-pool, tanh 12, tanh 84, softmax 10.
private let lenet = ModelSpec(input: [1, 28, 28], layers: [
    .conv(filters: 6, kernel: 5), .maxPool(2),
    .conv(filters: 16, kernel: 5), .maxPool(2),
    .dense(12), .activation(.tanh), .dense(84), .activation(.tanh), .dense(10),
])

/// Seed 000's "num_epochs = 50". Its log prints the errors before each epoch, so its last row
/// is after one epoch fewer of updates.
private let seed000Epochs = 50, printedEpochs = seed000Epochs - 1

/// 1 - an accuracy of ours after as many epochs as the text's last printed row (our index i is
/// after i + 1 epochs); a shorter profile (its rows are blocked) reads its last epoch.
private func errorAfterPrinted(_ run: StoredRun, _ metric: Metric) throws -> Double {
    let curve = try run.metric(metric)
    return 1 - curve[min(printedEpochs, curve.count) - 1]
}

/// The columns of seed 000's printed log, as the published run stores them.
private let bookTrainError = Metric("train_error"), bookTestError = Metric("test_error")
