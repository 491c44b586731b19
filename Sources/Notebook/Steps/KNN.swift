import Baselines
import Datasets
import Foundation

/// k-nearest neighbours on raw pixels with Euclidean distance (seed 000's baseline).
///
/// One search finds the `ks.upperBound` nearest training digits of every test digit; the
/// vote is then taken for every k in `ks`, so accuracy against k costs one search.
/// The run stores: `/data/{train_indices,test_indices,test_labels,predictions}` (for `k`),
/// metrics `accuracy` (at `k`), `k` and `accuracy_by_k` (the curve), the timing `queries_per_second`,
/// tensors `confusion` (true x predicted counts) and `misclassified_images` with
/// `misclassified_labels` (true, predicted) for the first few errors.
public struct KNN: ComputeStep {
    public var name: String
    public var source: DataSource
    public var data: DataSource? { source }
    public var split: DataSplit
    public var k: Int
    public var ks: ClosedRange<Int>
    /// How many misclassified test digits to keep for the report's image grid.
    public var keepMisclassified: Int

    public init(_ name: String, data: DataSource, split: DataSplit, k: Int = 5,
                ks: ClosedRange<Int> = 1...15, keepMisclassified: Int = 24) {
        precondition(ks.contains(k) && ks.lowerBound >= 1, "k must lie in ks")
        self.name = name
        self.source = data
        self.split = split
        self.k = k
        self.ks = ks
        self.keepMisclassified = keepMisclassified
    }

    public var summary: String { "k-NN (k=\(k), k curve \(ks.lowerBound)...\(ks.upperBound)) on \(source.name), \(split.description)" }

    public func check(_ data: LoadedData) throws {
        try split.check(data)
        guard ks.lowerBound >= 1, ks.contains(k) else { throw StudyError("k = \(k) must lie in ks \(ks), which start at 1 or more") }
        let training = split.trainingCount(data)
        guard ks.upperBound <= training else {
            throw StudyError("ks reaches \(ks.upperBound) neighbours, but only \(training) training images are drawn")
        }
    }

    public func compute(data loaded: LoadedData?, into run: RunRecorder) throws {
        let chosen = try split.select(from: try requireData(loaded, for: name))
        let train = chosen.train, test = chosen.test
        let start = Date()
        let neighbours = try NearestNeighbours(maxK: ks.upperBound)
            .search(train: train.pixels, queries: test.pixels, dimension: train.pixelsPerImage)
        var accuracies: [Double] = []
        var predictions: [Int32] = []
        for kk in ks {
            let votes = NearestNeighbours.vote(neighbours, labels: train.labels, k: kk)
            accuracies.append(accuracy(votes, test.labels))
            if kk == k { predictions = votes }
        }
        let seconds = Date().timeIntervalSince(start)

        try run.data(.trainIndices, chosen.trainIndices.map { Int32($0) })
        try run.data(.testIndices, chosen.testIndices.map { Int32($0) })
        try run.data(.testLabels, test.labels)
        try run.data(.predictions, predictions)
        try run.metric(.accuracy, [accuracy(predictions, test.labels)], unit: "fraction",
                       description: "test accuracy at k = \(k)")
        try run.metric(.accuracyOneHot, [oneHotAccuracy(neighbours, train: train.labels, test: test.labels)], unit: "fraction",
                       description: "test accuracy at k = \(k) scored as a multi-output classifier of one-hot labels (seed 000)")
        try run.metric(.k, ks.map(Double.init), description: "number of neighbours voting")
        try run.metric(.accuracyByK, accuracies, unit: "fraction", description: "test accuracy for each k")
        // A measure of the machine, not of the result: a timing, which two runs of one config do not share.
        run.timing(.queriesPerSecond, [Double(test.count) / max(seconds, 1e-9)])

        let classes = source.classNames.count
        try run.tensor(.confusion, shape: [classes, classes],
                       confusionMatrix(truth: test.labels, predicted: predictions, classes: classes))
        let wrong = (0..<test.count).filter { predictions[$0] != test.labels[$0] }.prefix(keepMisclassified)
        try run.tensor(.misclassifiedImages, shape: [wrong.count, test.rows, test.columns],
                       wrong.flatMap { Array(test.image($0)) })
        try run.tensor(.misclassifiedLabels, shape: [wrong.count, 2],
                       wrong.flatMap { [test.labels[$0], predictions[$0]] })
        try run.attribute(.classNames, source.classNames.joined(separator: ","))
    }
}

extension KNN {
    /// Seed 000's score: scikit-learn's `KNeighborsClassifier` fitted on one-hot labels votes
    /// each output 0 or 1 by its own majority (a tie goes to 0), and `np.all` counts a digit
    /// only when every output matches: when more than half of its k neighbours carry its label.
    func oneHotAccuracy(_ neighbours: NearestNeighbours.Neighbours, train labels: [Int32], test truth: [Int32]) -> Double {
        guard !truth.isEmpty else { return .nan }
        let correct = truth.indices.filter { q in
            2 * neighbours.indices(ofQuery: q).prefix(k).filter { labels[Int($0)] == truth[q] }.count > k
        }.count
        return Double(correct) / Double(truth.count)
    }
}

/// The loaded data of a step that declared a data source (the runner always passes it).
func requireData(_ data: LoadedData?, for step: String) throws -> LoadedData {
    guard let data else { throw StudyError("step '\(step)' needs its data set, and none was loaded") }
    return data
}

func accuracy(_ predicted: [Int32], _ truth: [Int32]) -> Double {
    guard !truth.isEmpty else { return .nan }
    return Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
}

/// Counts per (true class, predicted class), row-major.
func confusionMatrix(truth: [Int32], predicted: [Int32], classes: Int) -> [Int32] {
    var counts = [Int32](repeating: 0, count: classes * classes)
    for (t, p) in zip(truth, predicted) { counts[Int(t) * classes + Int(p)] += 1 }
    return counts
}
