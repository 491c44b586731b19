import Foundation
import Datasets
import Plotting
import RunStore

/// `experiments compare`: stored runs from any study or machine side by side — the config
/// keys that differ, a chosen metric's final and best values, and its curves overlaid.
public struct Comparison {
    public struct Entry {
        public let label: String
        public let file: RunFile
        /// The run's config flattened to dotted keys (`split.train`), values as canonical JSON.
        public let config: [String: String]
    }

    public let entries: [Entry]
    public let metric: String

    /// The runs in `paths`: run files, or folders searched for `*.h5` (a study folder, its
    /// runs folder). `metric` nil picks the first of test_accuracy, accuracy, or a metric
    /// every run has.
    public init(paths: [String], metric: String?) throws {
        let files = try paths.flatMap { try runFiles(at: $0) }
        guard files.count >= 2 else {
            throw StudyError("compare needs at least two runs (found \(files.count) in \(paths.joined(separator: ", ")))")
        }
        let runs = try files.map { try RunFile(url: $0) }
        let labels = runs.map { "\($0.string("study") ?? "?")/\($0.string("step") ?? $0.url.lastPathComponent)" }
        let unique = Set(labels).count == labels.count
        entries = zip(runs, labels).map { run, label in
            Entry(label: unique ? label : "\(label) (\(run.url.lastPathComponent))", file: run,
                  config: flattenConfig(run.string("config") ?? "{}"))
        }
        let shared = entries.dropFirst().reduce(Set(entries[0].file.metricNames)) { $0.intersection($1.file.metricNames) }
        if let metric {
            guard entries.contains(where: { $0.file.metricNames.contains(metric) }) else {
                throw StudyError("no run has the metric '\(metric)' (shared metrics: \(shared.sorted().joined(separator: ", ")))")
            }
            self.metric = metric
        } else if let chosen = ["test_accuracy", "accuracy"].first(where: shared.contains) ?? shared.sorted().first {
            self.metric = chosen
        } else {
            throw StudyError("these runs have no metric in common; name one with --metric")
        }
    }

    /// Config keys whose values are not the same in every run (missing counts as different).
    public var differingKeys: [String] {
        differingConfigKeys(among: entries.map(\.config))
    }

    /// What a run records of how and where it was made, besides its config: when one of these
    /// differs, the same config may give other numbers (another engine or data, other rounding).
    static let provenance: [(attribute: String, label: String)] = [
        ("data_identity", "data SHA-256"), ("engine_version", "engine version"), ("git_commit", "git commit"),
        ("isa", "instruction-set path"), ("cpu", "CPU"), ("swift_version", "Swift"),
    ]

    /// One line per provenance attribute whose value is not the same in every run: each value
    /// with how many runs have it ("engine version: 3 (2 runs), 4 (1 run)").
    public var differingProvenance: [String] {
        Self.provenance.compactMap { attribute, label in
            let values = entries.map { $0.file.attributes[attribute]?.description ?? "not recorded" }
            var counts: [String: Int] = [:]
            for value in values { counts[value, default: 0] += 1 }
            guard counts.count > 1 else { return nil }
            let distinct = values.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return "\(label): " + distinct.map { "\($0) (\(counts[$0]!) run\(counts[$0]! == 1 ? "" : "s"))" }
                .joined(separator: ", ")
        }
    }

    /// The table: run, status, differing config keys, the metric's final and best (the
    /// smallest of a loss or an error, the largest otherwise), wall time.
    public var table: TableContent {
        let keys = differingKeys
        let lower = MetricGoal.lowerIsBetter(metric)
        let rows = entries.map { entry -> [String] in
            let values = (try? entry.file.metric(metric)) ?? nil
            let final = values.map { $0.last.map { formatNumber($0) } ?? "empty" } ?? "— (no \(metric))"
            let finite = values?.filter(\.isFinite) ?? []
            let best = (lower ? finite.min() : finite.max()).map { formatNumber($0) } ?? "—"
            return [entry.label, entry.file.string("status") ?? "?"] + keys.map { entry.config[$0] ?? "—" }
                + [final, best, entry.file.attributes["wall_seconds"]?.description ?? "—"]
        }
        return TableContent(columns: ["run", "status"] + keys + ["\(metric) (final)", "\(metric) (best: \(lower ? "min" : "max"))", "wall s"],
                            rows: rows.map { $0.map(Cell.text) })
    }

    /// Where a comparison's figure goes unless --out says: results/compare/<metric>-<hash of
    /// the compared files>, so comparing other runs never replaces an earlier figure.
    public var defaultOutput: String {
        let files = entries.map { $0.file.url.standardizedFileURL.path }.sorted().joined(separator: "\n")
        return "results/compare/\(metric)-\(Datasets.SHA256.hex(Array(files.utf8)).prefix(8))"
    }

    /// The metric's curves overlaid (x: the run's `epoch` or `k` metric when it matches in
    /// length, else 1, 2, ...); runs without the metric are left out of the figure only.
    public var figure: Plotting.Figure {
        var xNames = Set<String>()
        let series = entries.compactMap { entry -> Series? in
            guard let y = try? entry.file.metric(metric), !y.isEmpty else { return nil }
            let axis = ["epoch", "k"].lazy.compactMap { name in
                (try? entry.file.metric(name)).flatMap { $0.count == y.count ? (name, $0) : nil }
            }.first ?? ("point", (1...y.count).map(Double.init))
            xNames.insert(axis.0)
            return Series(label: entry.label, x: axis.1, y: y, style: y.count == 1 ? .points : .linesPoints)
        }
        let xLabel = xNames.count == 1 ? xNames.first! : xNames.sorted().joined(separator: " or ")
        return Plotting.Figure(name: "compare-\(metric)", title: "\(metric) of \(entries.count) runs",
                               kind: .lines(LinePlot(xLabel: xLabel, yLabel: metric, series: series)))
    }

    /// Draws `figure` into `folder` (PNG, SVG and the .gp script); returns the PNG.
    public func drawFigure(into folder: URL) throws -> URL {
        let rendered = try Plotter().render(figure, into: folder, formats: [.png, .svg])
        return rendered.outputs[.png] ?? rendered.script
    }

    public enum Format: String, CaseIterable { case md, csv, json }

    public func render(_ format: Format) -> String {
        let content = table
        switch format {
        case .md:
            var out = "| " + content.columns.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: " --- |", count: content.columns.count) + "\n"
            for row in content.rows { out += "| " + row.map { "\($0)".replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            return out
        case .csv:
            func field(_ s: String) -> String { s.contains(where: { ",\"\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
            return ([content.columns] + content.rows.map { $0.map(\.description) }).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .json:
            let objects = content.rows.map { row in
                "{" + zip(content.columns, row).map { "\(jsonQuoted($0)):\(jsonQuoted($1.description))" }.joined(separator: ",") + "}"
            }
            return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
        }
    }
}

/// A run file, or the `*.h5` files below a folder (sorted, partial files excluded).
private func runFiles(at path: String) throws -> [URL] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        throw StudyError("\(path): no such file or folder")
    }
    guard isFolder.boolValue else { return [URL(fileURLWithPath: path)] }
    let root = URL(fileURLWithPath: path)
    let found = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
        .compactMap { $0 as? URL }.filter { $0.pathExtension == "h5" } ?? []
    guard !found.isEmpty else { throw StudyError("\(path): no run files (*.h5) in this folder") }
    return found.sorted { $0.path < $1.path }
}
