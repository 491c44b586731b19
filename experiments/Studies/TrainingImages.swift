import Notebook

/// The images the studies' networks learn from, chosen in one place: the 5,000-digit mnist5k
/// subset in `--quick` and the default profile, the original MNIST in `--full` (the texts'
/// digits at the texts' scale), and whatever `--data` names.
struct TrainingImages {
    let source: DataSource
    let split: DataSplit
    let trainCount: Int
    let testCount: Int

    /// `fullTrain`: the text's training-set size, 50,000 for Nielsen's (seed 003), 60,000 for seed 002.
    init(_ context: StudyContext, fullTrain: Int = 50000) {
        let train = context.parameter("train", quick: 1000, standard: 4000, full: fullTrain,
                                      help: "training images (of mnist5k; of MNIST in --full, the first ones as Nielsen's loader takes them)")
        trainCount = train
        let test = context.parameter("test", quick: 500, standard: 1000, full: 10000, help: "test images")
        testCount = test
        source = Self.source(context)
        split = Self.split(of: source, train: train, test: testCount, seed: context.seed)
    }

    /// What `--data` names; else MNIST in `--full`; else mnist5k.
    static func source(_ context: StudyContext) -> DataSource {
        context.data ?? (context.profile == .full ? .mnist : .mnist5k)
    }

    /// mnist5k is one file, so its test images are drawn from it too (numpy's permutation, as
    /// the peer scripts); MNIST gives its first images, as Nielsen's loader does (his 50,000
    /// training images are the first of the 60,000); other sets a seeded draw from their files.
    static func split(of source: DataSource, train: Int, test: Int, seed: UInt32) -> DataSplit {
        switch source {
        case .mnist5k: return .random(train: train, test: test, seed: seed)
        case .mnist: return .leading(train: train, test: test)
        case .fashionMNIST, .idxFolder, .cifar10Folder: return .official(train: train, test: test, seed: seed)
        }
    }

    /// The split with `validation` images held out after the training images, for runs that
    /// choose an epoch on them (`Train(validation:)` takes the last ones): on MNIST Nielsen's own
    /// (his 50,000 training images, then the next 10,000 of the 60,000); on a smaller set they
    /// come out of the training images. Also how many images are then trained on.
    func holdingOut(_ validation: Int, seed: UInt32) -> (split: DataSplit, trained: Int) {
        guard source == .mnist else { return (split, trainCount - validation) }
        return (Self.split(of: source, train: trainCount + validation, test: testCount, seed: seed), trainCount)
    }

    /// Handwritten digits, which the texts' numbers are about (Fashion-MNIST is not).
    var areDigits: Bool { source.isDigits }

    /// One image's shape, [channels, rows, columns], and its number of values: a network's input.
    var shape: [Int] { source.imageShape }
    var inputs: Int { shape.reduce(1, *) }

    /// CIFAR-10, on which seed 001 measured the numbers its slides quote.
    var isCIFAR10: Bool { if case .cifar10Folder = source { return true } else { return false } }

    /// "4000 train / 1000 test of mnist5k".
    var description: String { "\(split.description) of \(source.name)" }

    /// A paragraph for the report when the images are not the texts' digits.
    var caveat: String? {
        areDigits ? nil : "These runs train on Fashion-MNIST (`--data fashion`): compare the trends with the texts, "
            + "not the numbers (theirs are on MNIST digits)."
    }
}
