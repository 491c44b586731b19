import ConvNet
import Datasets
import Foundation
import RunStore

/// A step that computes one run and stores it in its own HDF5 file.
public protocol ComputeStep: StudyStep {
    /// Unique within the study; the run file is `<name>-<config hash>.h5`.
    var name: String { get }
    /// The data set the step reads (its identity is part of the cache key), or nil for a
    /// step that makes its own inputs from its seed.
    var data: DataSource? { get }
    /// Stored properties that do not determine the result and stay out of the config and
    /// the cache key (by default only the step's name; DerivedConfig.swift derives the rest).
    static var keyExclusions: Set<String> { get }
    /// The step's kind in its config (`method`): by default its type's name in snake_case.
    static var method: String { get }
    /// One line for logs: what this run computes.
    var summary: String { get }
    /// Computes the run from the loaded data (nil when `data` is nil) and records its results.
    func compute(data: LoadedData?, into run: RunRecorder) throws
    /// Throws when the loaded data cannot serve this step (more images asked for than it
    /// holds, a model whose input does not fit its images): checked for every step before
    /// any run is computed.
    func check(_ data: LoadedData) throws
}

extension ComputeStep {
    public func check(_ data: LoadedData) throws {}
    public static var keyExclusions: Set<String> { ["name"] }
    public static var method: String { snakeCase(String(describing: Self.self)) }
}

/// The data a compute step reads, as study files see it.
public typealias LoadedData = Datasets.LoadedData

/// A custom computation of a study file: a value whose stored properties are all it may
/// read (its methods see `self` and nothing of the study around it), so its config, derived
/// from those properties like a step's, is exactly its input (Sacred's rule: the config is
/// the function's input). Declared at file scope in the study file:
///
///     private struct OneNeuron: Computation {
///         let eta = 0.15, epochs = 300
///         func compute(data: LoadedData?, into run: RunRecorder) throws { ... }
///     }
public protocol Computation: Sendable {
    /// Computes the run from the loaded data (nil when the step names none) and records it.
    func compute(data: LoadedData?, into run: RunRecorder) throws
}

/// A compute step that runs a `Computation`: `Compute("neuron", summary: "...", OneNeuron())`.
/// Its config is {"method": "compute", "data": ..., "inputs": {"method": <the computation's
/// kind>, <its properties>...}}.
public struct Compute<Input: Computation>: ComputeStep {
    public let name: String
    public let data: DataSource?
    public let inputs: Input
    public let summary: String

    public init(_ name: String, summary: String, data: DataSource? = nil, _ input: Input) {
        self.name = name
        self.summary = summary
        self.data = data
        inputs = input
    }

    /// The summary is a log line.
    public static var keyExclusions: Set<String> { ["name", "summary"] }
    /// One kind for every computation; `inputs` names which.
    public static var method: String { "compute" }

    public func compute(data: LoadedData?, into run: RunRecorder) throws { try inputs.compute(data: data, into: run) }
}

/// What a compute step writes into its run file; it never sees HDF5 itself. Everything
/// is kept in memory until the runner writes the run (at each checkpoint and at the end),
/// so a file on disk is always a whole, readable run.
public final class RunRecorder {
    /// Where an interrupted run stopped: its last checkpoint, to continue from.
    public let resumed: ResumePoint?
    /// Checkpoint after every this many epochs (0: never) ...
    let checkpointEvery: Int
    /// ... once at least this many seconds have passed since the last one (or the start).
    let checkpointInterval: Double
    private var lastCheckpoint = Date()
    /// Threads a training run may use (the cores shared out between `--jobs`); results do
    /// not depend on it.
    public let threads: Int
    /// Lines a step wants the user to see as it works (one line each).
    let log: (String) -> Void
    /// Writes the run so far with a checkpoint (status running).
    private let saveCheckpoint: (RunRecorder, TrainingState) throws -> Void
    private let progressSink: ((Progress) -> Void)?

    /// Everything recorded so far (a value: a checkpoint takes a copy and writes it while
    /// training goes on).
    private(set) var contents = RunContents()

    init(resumed: ResumePoint? = nil, checkpointEvery: Int = 1, checkpointInterval: Double = 0,
         threads: Int = ProcessInfo.processInfo.activeProcessorCount, log: @escaping (String) -> Void,
         progress: ((Progress) -> Void)? = nil,
         saveCheckpoint: @escaping (RunRecorder, TrainingState) throws -> Void = { _, _ in }) {
        self.resumed = resumed
        self.checkpointEvery = checkpointEvery
        self.checkpointInterval = checkpointInterval
        self.threads = max(1, threads)
        self.log = log
        self.progressSink = progress
        self.saveCheckpoint = saveCheckpoint
    }

    /// A 1-D series, one value per epoch or per point of a curve (replaces one of the same name).
    public func metric(_ metric: Metric, _ values: [Double], unit: String = "", description: String = "") throws {
        contents.metrics.removeAll { $0.name == metric.name }
        contents.metrics.append((metric.name, values, unit, description))
    }

    /// Wall-clock numbers: kept apart from metrics, since no two runs share them.
    public func timing(_ timing: Timing, _ values: [Double]) {
        contents.timings.removeAll { $0.name == timing.name }
        contents.timings.append((timing.name, values, timing.meaning))
    }

    public func tensor(_ tensor: Tensor, shape: [Int], _ values: [Float]) throws {
        try checkShape(tensor.name, shape, values.count)
        contents.floatTensors.removeAll { $0.name == tensor.name }
        contents.floatTensors.append((tensor.name, shape, values))
    }

    public func tensor(_ tensor: Tensor, shape: [Int], _ values: [Int32]) throws {
        try checkShape(tensor.name, shape, values.count)
        contents.intTensors.removeAll { $0.name == tensor.name }
        contents.intTensors.append((tensor.name, shape, values))
    }

    /// Sample bookkeeping: which samples were used, what was predicted (/data/<name>).
    public func data(_ list: SampleList, _ values: [Int32]) throws {
        contents.dataSets.removeAll { $0.name == list.name }
        contents.dataSets.append((list.name, values))
    }

    public func attribute(_ attribute: RunAttribute, _ value: String) throws { set(attribute.name, .string(value)) }
    public func attribute(_ attribute: RunAttribute, _ value: Double) throws { set(attribute.name, .double(value)) }
    public func attribute(_ attribute: RunAttribute, _ value: Int) throws { set(attribute.name, .int(Int64(value))) }

    /// Prints a progress line for the user.
    public func say(_ line: String) { log(line) }

    /// Reports progress within an epoch (a progress bar on a terminal, nothing otherwise).
    public func progress(_ progress: Progress) { progressSink?(progress) }

    /// Whether to checkpoint after `epoch` (from 1) of `epochs`; never after the last one,
    /// which the finished run stores anyway. When checkpoints are made does not change any
    /// result: a restored state is exact.
    public func checkpointDue(after epoch: Int, of epochs: Int) -> Bool {
        checkpointEvery > 0 && epoch < epochs && epoch % checkpointEvery == 0
            && Date().timeIntervalSince(lastCheckpoint) >= checkpointInterval
    }

    /// Writes the run as recorded so far, with `state` to resume from.
    public func checkpoint(_ state: TrainingState) throws {
        try saveCheckpoint(self, state)
        lastCheckpoint = Date()
    }

    /// The run ends as `diverged` (its loss became NaN or infinite): a result, not an error.
    public private(set) var divergedEpoch: Int?

    public func markDiverged(epoch: Int) throws {
        divergedEpoch = epoch
        set(RunAttribute.divergedEpoch.name, .int(Int64(epoch)))
    }

    private func set(_ name: String, _ value: AttributeValue) {
        contents.attributes.removeAll { $0.name == name }
        contents.attributes.append((name, value))
    }

    private func checkShape(_ name: String, _ shape: [Int], _ count: Int) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw StudyError("tensor '\(name)' has shape \(shape) but \(count) values")
        }
    }
}

/// What a run has recorded: written whole into its file at each checkpoint and at the end.
struct RunContents {
    var metrics: [(name: String, values: [Double], unit: String, description: String)] = []
    var timings: [(name: String, values: [Double], description: String)] = []
    var floatTensors: [(name: String, shape: [Int], values: [Float])] = []
    var intTensors: [(name: String, shape: [Int], values: [Int32])] = []
    var dataSets: [(name: String, values: [Int32])] = []
    var attributes: [(name: String, value: AttributeValue)] = []

    /// Writes everything into a run file being written.
    func write(into writer: RunWriter) throws {
        for (name, value) in attributes { try writer.setAttribute(name, value) }
        for metric in metrics {
            try writer.writeMetric(metric.name, metric.values, unit: metric.unit, description: metric.description)
        }
        for timing in timings { try writer.writeTiming(timing.name, timing.values, description: timing.description) }
        for tensor in floatTensors { try writer.writeTensor(tensor.name, shape: tensor.shape, tensor.values) }
        for tensor in intTensors { try writer.writeTensor(tensor.name, shape: tensor.shape, tensor.values) }
        for data in dataSets { try writer.writeData(data.name, data.values) }
    }
}

/// Progress within a run, for a progress bar.
public struct Progress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    /// Mean training loss so far in this epoch.
    public var loss: Double
    /// Training samples processed so far in this epoch.
    public var samples: Int

    public init(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, samples: Int) {
        (self.epoch, self.epochs, self.batch, self.batches, self.loss, self.samples) = (epoch, epochs, batch, batches, loss, samples)
    }
}

/// What an interrupted run had recorded at its last checkpoint.
public struct ResumePoint {
    public let state: TrainingState
    public let metrics: [String: [Double]]
    public let timings: [String: [Double]]
}
