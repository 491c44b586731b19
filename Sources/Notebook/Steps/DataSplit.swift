import Datasets

/// Study files name data sets with the Datasets module's own value.
public typealias DataSource = Datasets.DataSource

/// Which samples of a data set a step trains and tests on.
public enum DataSplit: Hashable, Sendable {
    /// A seeded random draw from the training file (numpy's `RandomState(seed).permutation`,
    /// the same indices as the peer scripts): first `train`, then `test` samples.
    case random(train: Int, test: Int, seed: UInt32)
    /// The data set's own train and test files; `nil` limits mean all samples, otherwise a
    /// seeded random subset of that size.
    case official(train: Int?, test: Int?, seed: UInt32)
    /// The first `train` images of the training file and the first `test` of the test file,
    /// in file order: how Nielsen's mnist_loader cuts MNIST (the first 50,000 training images;
    /// his overfitting demo, the first 1,000).
    case leading(train: Int, test: Int)
    /// The first `train` images of the training file to train on, and its last `validation`
    /// images to measure on (they stand in the run's test slot): Nielsen's validation_data,
    /// the last 10,000 of MNIST's 60,000 training images.
    case leadingWithValidation(train: Int, validation: Int)
    /// Seed 000's own draw: with numpy's `RandomState(seed)`, first `permutation(len(test
    /// file))[:test]` from the test file, then `permutation(len(training file))[:train]` from
    /// the training file, in that order from one generator (the text's `np.random.seed(0)`).
    case testThenTrainDraw(train: Int, test: Int, seed: UInt32)

    /// The chosen samples and their indices in the files they come from.
    struct Selection {
        var train: ImageSet, test: ImageSet
        let trainIndices: [Int], testIndices: [Int]

        /// The same selection without its last `count` training samples.
        func withoutLastTrainingImages(_ count: Int) -> Selection {
            let kept = Array(0..<(train.count - count))
            return Selection(train: train.subset(kept), test: test, trainIndices: Array(trainIndices.prefix(kept.count)),
                             testIndices: testIndices)
        }

        /// Only the samples of `classes`, relabelled by their position in it.
        func keeping(classes: [Int32]) -> Selection {
            let (train, trainKept) = self.train.keeping(classes: classes), (test, testKept) = self.test.keeping(classes: classes)
            return Selection(train: train, test: test, trainIndices: trainKept.map { trainIndices[$0] },
                             testIndices: testKept.map { testIndices[$0] })
        }

        /// The training samples in order of their labels (a stable sort: ties keep their order).
        func sortedByTrainingLabel() -> Selection {
            let order = (0..<train.count).sorted { (train.labels[$0], $0) < (train.labels[$1], $1) }
            return Selection(train: train.subset(order), test: test, trainIndices: order.map { trainIndices[$0] },
                             testIndices: testIndices)
        }
    }

    /// How many training images the split takes from `data`.
    func trainingCount(_ data: LoadedData) -> Int {
        switch self {
        case let .random(train, _, _), let .leading(train, _), let .leadingWithValidation(train, _),
             let .testThenTrainDraw(train, _, _): return train
        case let .official(train, _, _): return train ?? data.train.count
        }
    }

    /// Throws when the data holds fewer images than the split asks for (never a silent shrink).
    func check(_ data: LoadedData) throws {
        let (train, test) = (data.train.count, data.test.count)
        func refuse(_ what: String) -> DataError { DataError("\(data.source.name) holds \(train) training and \(test) test images: \(what)") }
        switch self {
        case let .random(wanted, wantedTest, _):
            guard wanted + wantedTest <= train else { throw refuse("cannot draw \(wanted) + \(wantedTest) from its training images") }
        case let .official(wanted, wantedTest, _):
            guard (wanted ?? 0) <= train, (wantedTest ?? 0) <= test else {
                throw refuse("cannot take \(wanted.map(String.init) ?? "all") training and \(wantedTest.map(String.init) ?? "all") test images")
            }
        case let .leading(wanted, wantedTest):
            guard wanted <= train, wantedTest <= test else { throw refuse("cannot take the first \(wanted) and \(wantedTest)") }
        case let .leadingWithValidation(wanted, validation):
            guard wanted + validation <= train else { throw refuse("cannot train on the first \(wanted) and validate on the last \(validation)") }
        case let .testThenTrainDraw(wanted, wantedTest, _):
            guard wanted <= train, wantedTest <= test else { throw refuse("cannot draw \(wanted) training and \(wantedTest) test images") }
        }
    }

    func select(from data: LoadedData) throws -> Selection {
        try check(data)
        switch self {
        case let .random(train, test, seed):
            let (trainIdx, testIdx) = try randomSplit(count: data.train.count, train: train, test: test, seed: seed)
            return Selection(train: data.train.subset(trainIdx), test: data.train.subset(testIdx),
                             trainIndices: trainIdx, testIndices: testIdx)
        case let .official(train, test, seed):
            let trainIdx = try subsetIndices(data.train.count, limit: train, seed: seed)
            // A different stream for the test subset, so the two draws are independent.
            let testIdx = try subsetIndices(data.test.count, limit: test, seed: seed &+ 1)
            return Selection(train: data.train.subset(trainIdx), test: data.test.subset(testIdx),
                             trainIndices: trainIdx, testIndices: testIdx)
        case let .leading(train, test):
            let trainIdx = Array(0..<train), testIdx = Array(0..<test)
            return Selection(train: data.train.subset(trainIdx), test: data.test.subset(testIdx),
                             trainIndices: trainIdx, testIndices: testIdx)
        case let .leadingWithValidation(train, validation):
            let trainIdx = Array(0..<train), validationIdx = Array((data.train.count - validation)..<data.train.count)
            return Selection(train: data.train.subset(trainIdx), test: data.train.subset(validationIdx),
                             trainIndices: trainIdx, testIndices: validationIdx)
        case let .testThenTrainDraw(train, test, seed):
            var random = NumpyRandomState(seed: seed)
            let testIdx = Array(random.permutation(data.test.count).prefix(test))
            let trainIdx = Array(random.permutation(data.train.count).prefix(train))
            return Selection(train: data.train.subset(trainIdx), test: data.test.subset(testIdx),
                             trainIndices: trainIdx, testIndices: testIdx)
        }
    }

    public var description: String {
        switch self {
        case let .random(train, test, _): return "\(train) train / \(test) test"
        case let .official(train, test, _):
            return "\(train.map(String.init) ?? "all") train / \(test.map(String.init) ?? "all") test"
        case let .leading(train, test): return "the first \(train) train / \(test) test"
        case let .leadingWithValidation(train, validation): return "the first \(train) train / the last \(validation) training images as validation"
        case let .testThenTrainDraw(train, test, _): return "\(train) train / \(test) test"
        }
    }
}

extension ImageSet {
    /// Only the images of `classes`, relabelled by their position in it, and the positions kept.
    func keeping(classes: [Int32]) -> (images: ImageSet, kept: [Int]) {
        let kept = (0..<count).filter { classes.contains(labels[$0]) }
        var subset = self.subset(kept)
        subset.labels = subset.labels.map { Int32(classes.firstIndex(of: $0)!) }
        return (subset, kept)
    }
}

private func subsetIndices(_ count: Int, limit: Int?, seed: UInt32) throws -> [Int] {
    guard let limit, limit < count else { return Array(0..<count) }
    return try randomSplit(count: count, train: limit, test: 0, seed: seed).train.sorted()
}
