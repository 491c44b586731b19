import Foundation
import RunStore

/// The x axis of the compare page's curves.
public enum XAxis: String, Sendable {
    /// The run's `epoch` (or `k`) metric when it matches the curve in length, else 1, 2, ...
    case epoch
    /// Wall-clock seconds since the run started: the running sum of its epochs' times.
    case wall
}

/// Runs picked for the compare page, in the order asked for: what differs in their configs,
/// their legend labels, and their curves read from the files (briefly, one at a time).
public struct RunSelection: Sendable {
    public let runs: [IndexedRun]
    /// Asked-for ids the index does not hold, and ids of files that are not readable runs.
    public let unknown: [String]
    /// The config keys whose values differ between the runs (RunStore.differingKeys).
    public let differingKeys: [String]

    public init(ids: [String], in snapshot: IndexSnapshot) {
        let found = ids.map { ($0, snapshot.run($0)) }
        runs = found.compactMap { $0.1?.contents == nil ? nil : $0.1 }
        unknown = found.filter { $0.1?.contents == nil }.map(\.0)
        differingKeys = differingConfigKeys(among: runs.map { $0.contents!.config })
    }

    /// "init=he, lr=0.1": the differing keys' values, so a legend tells the runs apart; runs
    /// that differ in no key are named by study and step.
    public func label(of run: IndexedRun) -> String {
        let contents = run.contents!
        guard !differingKeys.isEmpty else { return "\(contents.study)/\(contents.step)" }
        return differingKeys.map { "\($0)=\(contents.config[$0] ?? "—")" }.joined(separator: ", ")
    }

    /// The metrics at least one selected run has.
    public var metricNames: [String] {
        Set(runs.flatMap { $0.contents!.summaries.keys }).sorted()
    }

    /// The metric's curve of one run, nil when the run lacks the metric or its file can no
    /// longer be read (it may be mid-rename by a checkpoint: the next refresh shows it again).
    public func curve(of run: IndexedRun, metric: String, x axis: XAxis) -> [Point]? {
        let file = run.contents!.run
        guard let values = try? file.metric(metric), !values.isEmpty else { return nil }
        let xs = xValues(file, count: values.count, axis: axis)
        return zip(xs, values).map { Point(x: $0, y: $1) }
    }

    private func xValues(_ file: RunFile, count: Int, axis: XAxis) -> [Double] {
        if axis == .wall, let seconds = try? file.timing("epoch_seconds"), seconds.count == count {
            return seconds.reduce(into: [Double]()) { sums, value in sums.append((sums.last ?? 0) + value) }
        }
        for name in ["epoch", "k"] where file.metricNames.contains(name) {
            if let values = try? file.metric(name), values.count == count { return values }
        }
        return (1...count).map(Double.init)
    }

    /// The runs grouped by the value of config key `key` (runs lacking it in one group "—"),
    /// groups in order of their values.
    public func groups(by key: String) -> [(value: String, runs: [IndexedRun])] {
        let grouped = Dictionary(grouping: runs) { $0.contents!.config[key] ?? "—" }
        return grouped.keys.sorted { (Double($0) ?? .infinity, $0) < (Double($1) ?? .infinity, $1) }
            .map { ($0, grouped[$0]!) }
    }
}
