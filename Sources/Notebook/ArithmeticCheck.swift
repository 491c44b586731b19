import ConvNet
import Datasets
import Foundation
import RunStore

/// The proof that every instruction-set path computes the same bits: a small study whose
/// runs touch every kind of arithmetic that reaches a stored number (convolutions, dense
/// layers, ReLU, sigmoid, tanh and ELU, softmax, quadratic and cross-entropy costs, L2,
/// momentum and Adam, batch norm, elastic and affine augmentation, k-NN), computed on each
/// path this CPU runs and compared, dataset by dataset, with SHA-256 digests committed in
/// the repository (ArithmeticDigests.swift). A machine without AVX-512 thus checks its paths
/// against digests an AVX-512 machine produced, and the other way round.
public enum ArithmeticCheck {
    /// A few hundred real digits, one epoch each: seconds per path, even the portable one.
    static let split = DataSplit.random(train: 300, test: 100, seed: 0)

    public static let study = Study("arithmetic-check", title: "The same bits on every instruction-set path",
                                    summary: "small runs of every kind of arithmetic, digested dataset by dataset") { _ in
        Train("cnn-relu", model: .seed002CNN(.activation(.relu)), data: .mnist5k, split: split,
              loss: .softmaxLogLikelihood, weights: .xavierNormal, optimizer: Optimizer(learningRate: 0.1),
              epochs: 1, batchSize: 10, seed: 1)
        Train("cnn-sigmoid", model: .seed002CNN(.activation(.sigmoid), outputActivation: .activation(.sigmoid)),
              data: .mnist5k, split: split, loss: .quadratic, weights: .xavierNormal,
              optimizer: Optimizer(learningRate: 3.0), epochs: 1, batchSize: 64, seed: 2,
              augmentation: .affine(degrees: 15, shift: 2, shear: 0.2, scale: 0.1))
        Train("mlp-l2-momentum", model: .mlp([784, 30, 10], .sigmoid), data: .mnist5k, split: split,
              loss: .crossEntropy, weights: .nielsen, biases: .gaussian(std: 1),
              optimizer: Optimizer(learningRate: 0.5, method: .momentum(0.9), regularization: .l2(lambda: 5)),
              epochs: 2, batchSize: 10, seed: 3, augmentation: .elastic(alpha: 34, sigma: 4))
        Train("batch-norm", model: ModelSpec(input: [784], layers: [.dense(64), .batchNorm, .activation(.tanh),
                                                                   .dense(32), .activation(.elu), .dense(10)]),
              data: .mnist5k, split: split, loss: .softmaxLogLikelihood, weights: .he,
              optimizer: Optimizer(learningRate: 0.01, method: .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)),
              epochs: 1, batchSize: 32, seed: 4)
        KNN("knn", data: .mnist5k, split: .random(train: 1000, test: 100, seed: 0), k: 5, ks: 1...15)
    }

    /// What a path's runs gave against what was expected.
    public enum Outcome: Equatable, Sendable {
        case match(datasets: Int)
        /// The first dataset (in sorted order) whose digest differs or is missing.
        case differs(dataset: String, differing: Int)
    }

    /// Compares digests: every expected dataset must be there with the same digest, and no
    /// other dataset may appear.
    public static func compare(_ digests: [String: String], with expected: [String: String]) -> Outcome {
        let names = Set(digests.keys).union(expected.keys).sorted()
        let differing = names.filter { digests[$0] != expected[$0] }
        guard let first = differing.first else { return .match(datasets: names.count) }
        return .differs(dataset: first, differing: differing.count)
    }

    /// Computes the check's runs on the current path into `folder`; returns each dataset's
    /// digest, keyed `<step>/<group>/<dataset>`.
    public static func compute(into folder: URL, log: @escaping (String) -> Void = { _ in }) throws -> [String: String] {
        var options = RunnerOptions(results: folder, commandLine: "experiments verify", progressBars: false)
        options.writesReport = false
        let runner = Runner(study: study, context: StudyContext(profile: .quick), options: options, log: log)
        let outcome = try runner.run()
        if let failed = outcome.failed.first { throw StudyError("the check's run \(failed)") }
        return try digests(of: runner.runLocations())
    }

    /// The digests of stored runs, keyed `<step>/<group>/<dataset>`.
    public static func digests(of runs: [(step: String, url: URL)]) throws -> [String: String] {
        var all: [String: String] = [:]
        for run in runs {
            for (name, digest) in try datasetDigests(at: run.url) { all["\(run.step)/\(name)"] = digest }
        }
        return all
    }

    /// The committed digests (ArithmeticDigests.swift), keyed as `compute` returns them.
    public static var expected: [String: String] {
        Dictionary(uniqueKeysWithValues: committedDigests.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        })
    }

    /// The digests as ArithmeticDigests.swift holds them: one `name digest` line each, sorted.
    public static func listing(_ digests: [String: String]) -> String {
        digests.keys.sorted().map { "\($0) \(digests[$0]!)" }.joined(separator: "\n")
    }
}

/// SHA-256 of every stored dataset of a run: metrics (float64), tensors (shape and values)
/// and data (int32), by `<group>/<name>`. Timings measure the machine, and attributes say
/// when and where a run was made, so neither is digested.
public func datasetDigests(at url: URL) throws -> [String: String] {
    let file = try RunFile(url: url)
    // A run still running, failed or interrupted holds only part of its datasets.
    guard file.status == .complete || file.status == .diverged else {
        throw StudyError("\(url.path) is \(file.status?.rawValue ?? "of unknown status"), not a finished run: compute it again with 'experiments run'")
    }
    func digest<T>(_ values: [T]) -> String { values.withUnsafeBytes { Datasets.SHA256.hex(Array($0)) } }
    var digests: [String: String] = [:]
    for name in file.metricNames { digests["metrics/\(name)"] = digest(try file.metric(name).map(\.bitPattern.littleEndian)) }
    for name in file.dataNames { digests["data/\(name)"] = digest(try file.data(name).map(\.littleEndian)) }
    for name in file.tensorNames {
        switch try file.tensor(name) {
        case let .float32(shape, values):
            digests["tensors/\(name)"] = digest(shape.map { Int64($0).littleEndian } + values.map { Int64($0.bitPattern) })
        case let .int32(shape, values):
            digests["tensors/\(name)"] = digest(shape.map { Int64($0).littleEndian } + values.map { Int64($0) })
        }
    }
    return digests
}
