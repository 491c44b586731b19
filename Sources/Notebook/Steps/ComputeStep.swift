import Datasets
import RunStore

/// A step that computes one run and stores it in its own HDF5 file.
public protocol ComputeStep: StudyStep {
    /// Unique within the study; the run file is `<name>-<config hash>.h5`.
    var name: String { get }
    /// The data set the step reads (its identity is part of the cache key), or nil for a
    /// step that makes its own inputs from its seed.
    var data: DataSource? { get }
    /// Everything that determines the result, including the seed.
    var config: ConfigValue { get }
    /// One line for logs: what this run computes.
    var summary: String { get }
    /// Computes the run from the loaded data (nil when `data` is nil) and records its results.
    func compute(data: LoadedData?, into run: RunRecorder) throws
}

/// A compute step written as a closure in the study file (issue 4's custom step): it
/// receives the run handle and records whatever it computes. Its config must hold every
/// number the closure's result depends on, since that is the cache key.
public struct Compute: ComputeStep {
    public let name: String
    public let data: DataSource?
    public let config: ConfigValue
    public let summary: String
    private let body: (LoadedData?, RunRecorder) throws -> Void

    public init(_ name: String, summary: String, data: DataSource? = nil, config: ConfigValue,
                _ body: @escaping (LoadedData?, RunRecorder) throws -> Void) {
        self.name = name
        self.summary = summary
        self.data = data
        self.config = config
        self.body = body
    }

    public func compute(data: LoadedData?, into run: RunRecorder) throws { try body(data, run) }
}

/// What a compute step writes into its run file; it never sees HDF5 itself.
public final class RunRecorder {
    private let writer: RunWriter
    /// Lines a step wants the user to see as it works (one line each).
    let log: (String) -> Void

    init(writer: RunWriter, log: @escaping (String) -> Void) {
        self.writer = writer
        self.log = log
    }

    /// A 1-D series, one value per epoch or per point of a curve.
    public func metric(_ name: String, _ values: [Double], unit: String = "", description: String = "") throws {
        try writer.writeMetric(name, values, unit: unit, description: description)
    }

    public func tensor(_ name: String, shape: [Int], _ values: [Float]) throws {
        try writer.writeTensor(name, shape: shape, values)
    }

    public func tensor(_ name: String, shape: [Int], _ values: [Int32]) throws {
        try writer.writeTensor(name, shape: shape, values)
    }

    /// Sample bookkeeping: which samples were used, what was predicted (/data/<name>).
    public func data(_ name: String, _ values: [Int32]) throws {
        try writer.writeData(name, values)
    }

    public func attribute(_ name: String, _ value: String) throws { try writer.setAttribute(name, .string(value)) }
    public func attribute(_ name: String, _ value: Double) throws { try writer.setAttribute(name, .double(value)) }
    public func attribute(_ name: String, _ value: Int) throws { try writer.setAttribute(name, .int(Int64(value))) }

    /// Prints a progress line for the user.
    public func say(_ line: String) { log(line) }

    /// The run ends as `diverged` (its loss became NaN or infinite): a result, not an error.
    public private(set) var divergedEpoch: Int?

    public func markDiverged(epoch: Int) throws {
        divergedEpoch = epoch
        try writer.setAttribute("diverged_epoch", .int(Int64(epoch)))
    }
}
