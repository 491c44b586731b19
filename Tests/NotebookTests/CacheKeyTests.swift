import XCTest
@testable import Notebook

/// The cache key is derived from the whole step (DerivedConfig.swift): changing any stored
/// property of a step, or of its parts, gives another key; only the listed exclusions do
/// not. A property added to a step without a line here fails the test, so nobody can add
/// an option that silently reuses runs computed without it.
final class CacheKeyTests: XCTestCase {
    private let train = Train("t", model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k,
                              split: .random(train: 100, test: 50, seed: 0), loss: .crossEntropy, weights: .nielsen,
                              optimizer: Optimizer(learningRate: 0.5), epochs: 2, batchSize: 10, seed: 1)

    /// Applies each mutation to a copy of `base` and requires another config; requires the
    /// mutations and exclusions to name every stored property, and the exclusions to keep the config.
    private func assertEveryProperty<Step: ComputeStep>(of base: Step, _ mutations: [String: (inout Step) -> Void],
                                                        excluded: [String: (inout Step) -> Void], file: StaticString = #filePath,
                                                        line: UInt = #line) {
        let properties = Set(Mirror(reflecting: base).children.compactMap(\.label))
        XCTAssertEqual(properties, Set(mutations.keys).union(excluded.keys),
                       "\(Step.self): every stored property needs a mutation here (or an exclusion)", file: file, line: line)
        XCTAssertEqual(Set(excluded.keys), Step.keyExclusions, file: file, line: line)
        var configs = [base.config.canonicalJSON]
        for (property, mutate) in mutations.sorted(by: { $0.key < $1.key }) {
            var changed = base
            mutate(&changed)
            XCTAssertFalse(configs.contains(changed.config.canonicalJSON), "\(Step.self).\(property) does not reach the key",
                           file: file, line: line)
            configs.append(changed.config.canonicalJSON)
        }
        for (property, mutate) in excluded {
            var changed = base
            mutate(&changed)
            XCTAssertEqual(changed.config, base.config, "\(Step.self).\(property) is excluded", file: file, line: line)
        }
    }

    func testEveryPropertyOfTrainReachesTheKey() {
        assertEveryProperty(of: train, [
            "source": { $0.source = .mnist }, "split": { $0.split = .random(train: 100, test: 50, seed: 1) },
            "model": { $0.model = .mlp([784, 31, 10], .sigmoid) }, "loss": { $0.loss = .quadratic },
            "reduction": { $0.reduction = .sum }, "weights": { $0.weights = .he }, "biases": { $0.biases = .constant(0.1) },
            "optimizer": { $0.optimizer.learningRate = 0.25 }, "schedule": { $0.schedule = .step(every: 2, factor: 0.5) },
            "earlyStopping": { $0.earlyStopping = EarlyStopping(patience: 3) }, "monitor": { $0.monitor = .testLoss },
            "epochs": { $0.epochs = 3 }, "batchSize": { $0.batchSize = 11 }, "seed": { $0.seed = 2 },
            "evaluateTrainingSet": { $0.evaluateTrainingSet = true }, "augmentation": { $0.augmentation = .elastic(alpha: 34, sigma: 4) },
            "shuffle": { $0.shuffle = false }, "sortByLabel": { $0.sortByLabel = true },
            "recordBatchLosses": { $0.recordBatchLosses = true }, "abortAbove": { $0.abortAbove = 3 },
            "featureMapsOf": { $0.featureMapsOf = 0 }, "validation": { $0.validation = 10 }, "classes": { $0.classes = [0, 1] },
            "inputScaling": { $0.inputScaling = .raw }, "validationDistortion": { $0.validationDistortion = .affine(degrees: 1, shift: 0, shear: 0, scale: 0) },
            "recordUpdateSigns": { $0.recordUpdateSigns = true },
        ], excluded: ["name": { $0.name = "renamed" }])
    }

    /// The parts of a step reach the key too: each of the optimiser's properties.
    func testEveryPropertyOfTheOptimizerReachesTheKey() {
        let properties = Set(Mirror(reflecting: train.optimizer).children.compactMap(\.label))
        XCTAssertEqual(properties, ["learningRate", "method", "regularization"])
        var keys = Set([train.config.canonicalJSON])
        for mutate in [{ (t: inout Train) in t.optimizer.learningRate = 0.3 }, { $0.optimizer.method = .momentum(0.9) },
                       { $0.optimizer.method = .momentum(0.8) }, { $0.optimizer.regularization = .l2(lambda: 5) },
                       { $0.optimizer.regularization = .l1(lambda: 5) }] {
            var changed = train
            mutate(&changed)
            XCTAssertTrue(keys.insert(changed.config.canonicalJSON).inserted, changed.config.canonicalJSON)
        }
    }

    func testEveryPropertyOfKNNReachesTheKey() {
        let knn = KNN("k", data: .mnist5k, split: .random(train: 100, test: 50, seed: 0))
        assertEveryProperty(of: knn, [
            "source": { $0.source = .fashionMNIST }, "split": { $0.split = .random(train: 101, test: 50, seed: 0) },
            "k": { $0.k = 3 }, "ks": { $0.ks = 1...9 }, "keepMisclassified": { $0.keepMisclassified = 3 },
        ], excluded: ["name": { $0.name = "renamed" }])
    }

    /// A computation's config is its input: every property of it reaches the key, under the
    /// computation's kind; its log line and its name do not.
    func testAComputationsInputIsItsConfig() {
        let step = Compute("c", summary: "s", Rate(eta: 0.15))
        let other = Compute("d", summary: "another line", Rate(eta: 0.15))
        XCTAssertEqual(step.config, other.config)
        XCTAssertEqual(step.config.canonicalJSON,
                       #"{"data":null,"inputs":{"epochs":300,"eta":0.15,"method":"rate"},"method":"compute"}"#)
        XCTAssertNotEqual(step.config, Compute("c", summary: "s", Rate(eta: 0.3)).config)
        XCTAssertNotEqual(step.config, Compute("c", summary: "s", Rate(eta: 0.15, epochs: 30)).config)
        XCTAssertNotEqual(step.config, Compute("c", summary: "s", data: .mnist5k, Rate(eta: 0.15)).config)
        XCTAssertEqual(Compute<Rate>.keyExclusions, ["name", "summary"])
    }

    /// NaN or infinity in a config is named, so the runner can refuse it in one line.
    func testANonFiniteNumberIsFoundByItsPath() {
        var step = train
        XCTAssertNil(step.config.nonFiniteField)
        step.abortAbove = .infinity
        XCTAssertEqual(step.config.nonFiniteField, ".abort_above")
        step.abortAbove = nil
        step.optimizer.learningRate = .nan
        XCTAssertEqual(step.config.nonFiniteField, ".optimizer.learning_rate")
    }

    /// The key's text: snake_case names, the step's kind, enums by case.
    func testTheDerivedConfigReadsAsJSON() {
        let config = train.config
        XCTAssertEqual(config["method"], "train")
        XCTAssertEqual(config["batch_size"], 10)
        XCTAssertEqual(config["loss"], "cross_entropy")
        XCTAssertEqual(config["abort_above"], .null)
        XCTAssertEqual(config["source"], "mnist5k")
        XCTAssertNil(config["name"])
    }
}

/// A computation with two inputs, one of them defaulted.
private struct Rate: Computation {
    let eta: Double
    var epochs = 300
    func compute(data: LoadedData?, into run: RunRecorder) throws { try run.metric(Metric("eta"), [eta]) }
}
