import Foundation
import Plotting
import RunStore

/// One stored run as view steps see it: read-only, straight from its HDF5 file.
public struct StoredRun {
    public let step: String
    public let file: RunFile

    public var url: URL { file.url }
    public var status: RunStatus? { file.status }
    /// An attribute as text (nil when the run has none).
    public func attribute(_ attribute: RunAttribute) -> String? { self.attribute(attribute.name) }
    func attribute(_ name: String) -> String? { file.attributes[name].map(\.description) }

    public func metric(_ metric: Metric) throws -> [Double] { try file.metric(metric.name) }

    /// Wall-clock seconds (e.g. `epoch_seconds`): not a metric, since no two runs share them.
    /// Runs written before timings had a group of their own kept them as metrics.
    public func timing(_ timing: Timing) throws -> [Double] {
        let name = timing.name
        return !file.timingNames.contains(name) && file.metricNames.contains(name) ? try file.metric(name) : try file.timing(name)
    }

    /// The last value of a metric (a final accuracy, a one-value metric).
    public func final(_ metric: Metric) throws -> Double { try self.metric(metric).last ?? .nan }

    /// A per-epoch loss plus Nielsen's L2 term (lambda / 2n) sum(w^2) from the stored weight
    /// norms: the cost network2.py's monitor_training_cost reports (Train records the loss alone).
    public func withL2Term(_ loss: [Double], lambda: Double, trainingSize: Int) throws -> [Double] {
        let norms = try file.metricNames.filter { $0.hasPrefix("weight_norm_layer") }.map { try metric(Metric($0)) }
        return loss.indices.map { epoch in
            loss[epoch] + 0.5 * lambda / Double(trainingSize) * norms.map { $0[epoch] * $0[epoch] }.reduce(0, +)
        }
    }

    /// The best (largest) value of a metric.
    public func best(_ metric: Metric) throws -> Double { try self.metric(metric).max() ?? .nan }

    public func tensor(_ tensor: Tensor) throws -> StoredTensor { try file.tensor(tensor.name) }

    /// A float32 tensor as shape and values; int32 tensors are converted.
    public func floats(_ name: Tensor) throws -> (shape: [Int], values: [Float]) {
        switch try tensor(name) {
        case let .float32(shape, values): return (shape, values)
        case let .int32(shape, values): return (shape, values.map(Float.init))
        }
    }

    /// An int32 tensor as shape and values.
    public func ints(_ name: Tensor) throws -> (shape: [Int], values: [Int32]) {
        switch try tensor(name) {
        case let .int32(shape, values): return (shape, values)
        case .float32: throw StudyError("\(url.path): tensor '\(name)' holds floats, not integers")
        }
    }

    public func data(_ list: SampleList) throws -> [Int32] { try file.data(list.name) }
}

/// The stored runs of a study, by step name: all that a view step may read.
public final class StudyResults {
    private let byStep: [String: StoredRun]
    /// Compute steps in the order the study lists them.
    let order: [String]

    init(runs: [StoredRun], order: [String]) {
        self.byStep = Dictionary(runs.map { ($0.step, $0) }, uniquingKeysWith: { _, last in last })
        self.order = order
    }

    /// By name: for the library itself (sweeps, reports); study files hold handles.
    func run(_ step: String) throws -> StoredRun {
        guard let run = byStep[step] else {
            throw StudyError("no stored run for step '\(step)' (stored: \(order.filter { byStep[$0] != nil }.joined(separator: ", ")))")
        }
        return run
    }

    /// The run of a step the study holds as a value (`let net = Train(...)`, then `net` on a
    /// line of its own to add it): a misspelt handle is a compile error, where a misspelt
    /// name is found only when the report is drawn.
    public func run(_ step: some ComputeStep) throws -> StoredRun { try run(step.name) }

    /// The run of a sweep's point (`sweep.points`, or a `Choices` sweep's).
    public func run(_ point: SweepPoint) throws -> StoredRun { try run(point.name) }

    /// All stored runs in study order.
    public var runs: [StoredRun] { order.compactMap { byStep[$0] } }

    /// A metric's curve averaged over repeated runs (e.g. one per seed), x = 1, 2, ..., with a
    /// min-max band when there is more than one run. Curves are cut to the shortest, since a
    /// diverged run stops early. `transform` applies to each value first (e.g. error = 1 - accuracy).
    public func meanCurve(_ steps: [any ComputeStep], metric: Metric, label: String, style: SeriesStyle = .linesPoints,
                          transform: (Double) -> Double = { $0 }) throws -> Series {
        try meanCurve(steps.map(\.name), metric: metric, label: label, style: style, transform: transform)
    }

    /// `meanCurve` over points of a sweep (e.g. every seed of one `Choices` value: `points(of:)`).
    public func meanCurve(_ points: [SweepPoint], metric: Metric, label: String, style: SeriesStyle = .linesPoints,
                          transform: (Double) -> Double = { $0 }) throws -> Series {
        try meanCurve(points.map(\.name), metric: metric, label: label, style: style, transform: transform)
    }

    func meanCurve(_ steps: [String], metric: Metric, label: String, style: SeriesStyle = .linesPoints,
                   transform: (Double) -> Double = { $0 }) throws -> Series {
        let curves = try steps.map { try run($0).metric(metric).map(transform) }
        let length = curves.map(\.count).min() ?? 0
        let points = (0..<length).map { e in curves.map { $0[e] } }
        let band = curves.count > 1 && length > 0
            ? Band(low: points.map { $0.min()! }, high: points.map { $0.max()! }) : nil
        return Series(label: label, x: (0..<length).map { Double($0 + 1) },
                      y: points.map { $0.reduce(0, +) / Double(curves.count) }, band: band, style: style)
    }
}

/// A study-level error: one line for the user.
public struct StudyError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
