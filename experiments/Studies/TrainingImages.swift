import Notebook

/// The images the training parts of init-study, activation-study and cost-study learn
/// from, chosen in one place: the 5,000-digit mnist5k subset in `--quick` and the default
/// profile; your own MNIST whenever `--data` is given; and in `--full`, without `--data`,
/// the full Fashion-MNIST, so that the texts' scale (50,000 training and 10,000 test
/// images) runs on real images either way.
struct TrainingImages {
    let source: DataSource
    let split: DataSplit
    let trainCount: Int
    let testCount: Int

    init(_ context: StudyContext) {
        let train = context.parameter("train", quick: 1000, standard: 4000, full: 50000,
                                      help: "training images (mnist5k; your MNIST with --data; Fashion-MNIST in --full without --data)")
        trainCount = train
        testCount = context.parameter("test", quick: 500, standard: 1000, full: 10000, help: "test images")
        source = Self.source(context)
        split = Self.split(of: source, train: train, test: testCount, seed: context.seed)
    }

    /// Your MNIST with `--data`; else the full Fashion-MNIST in `--full`; else mnist5k.
    static func source(_ context: StudyContext) -> DataSource {
        context.userMNIST ?? (context.profile == .full ? .fashionMNIST : .mnist5k)
    }

    /// mnist5k is one file, so its test images are drawn from it too (numpy's permutation, as
    /// the peer scripts); the other sets have test files of their own.
    static func split(of source: DataSource, train: Int, test: Int, seed: UInt32) -> DataSplit {
        source == .mnist5k ? .random(train: train, test: test, seed: seed) : .official(train: train, test: test, seed: seed)
    }

    /// Handwritten digits, which the texts' numbers are about (Fashion-MNIST is not).
    var areDigits: Bool { source != .fashionMNIST }

    /// "4000 train / 1000 test of mnist5k".
    var description: String { "\(split.description) of \(source.name)" }

    /// A paragraph for the report when the images are not the texts' digits.
    var caveat: String? {
        areDigits ? nil : "No `--data` was given, so `--full` trains on the full Fashion-MNIST at the texts' scale: "
            + "compare the trends with the texts, not the numbers (theirs are on MNIST digits). "
            + "Give your MNIST folder with `--data DIR` to stand beside their numbers."
    }
}
