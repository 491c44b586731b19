import Foundation
import RunStore

/// How the compare page shows one selected run wherever it appears: its legend label, its
/// colour (and the faint one of its raw curve) and its status.
struct SelectedRun: Encodable {
    let id, label, colour, faintColour, status: String

    init(_ run: IndexedRun, in selection: RunSelection) {
        id = run.id
        label = selection.label(of: run)
        let colour = RunColour(for: run.id)
        self.colour = colour.css()
        faintColour = colour.css(alpha: 0.3)
        status = run.state.label
    }
}

/// GET /api/diff: the config keys that differ between the selected runs, with each run's value.
struct DiffResponse: Encodable {
    struct Run: Encodable {
        let run: SelectedRun
        let values: [String: String]
    }

    let keys: [String]
    let runs: [Run]
    let unknown: [String]
    /// The metrics at least one of the runs has, for the compare page's metric picker.
    let metricNames: [String]

    init(_ selection: RunSelection) {
        keys = selection.differingKeys
        runs = selection.runs.map { run in
            Run(run: SelectedRun(run, in: selection), values: run.contents!.config.filter { selection.differingKeys.contains($0.key) })
        }
        unknown = selection.unknown
        metricNames = selection.metricNames
    }
}

/// GET /api/csv: the selected runs' curves of one metric, one row per point, with the study,
/// step and every differing config key, so a spreadsheet can group and pivot them.
func selectionCSV(_ selection: RunSelection, metric: String, axis: XAxis) -> String {
    let header = ["run", "study", "step"] + selection.differingKeys + [axis == .wall ? "seconds" : "epoch", metric]
    var lines = [header.map(csvField).joined(separator: ",")]
    for run in selection.runs {
        let contents = run.contents!
        let fixed = [run.id, contents.study, contents.step] + selection.differingKeys.map { contents.config[$0] ?? "" }
        for point in selection.curve(of: run, metric: metric, x: axis) ?? [] {
            lines.append((fixed + [csvNumber(point.x), csvNumber(point.y)]).map(csvField).joined(separator: ","))
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

/// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
func csvField(_ text: String) -> String {
    text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
}

/// Shortest round-trip text of a number; NaN and infinities as Swift spells them ("nan", "inf").
private func csvNumber(_ value: Double) -> String {
    value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
}

/// GET /api/run: everything the run page shows of one run.
struct RunDetailResponse: Encodable {
    struct Metric: Encodable {
        let name, unit: String
        /// How many values it holds, and their summary.
        let points: Int
        let summary: MetricSummary
    }

    /// A report naming the run: its page (nil if only report.md exists) and its figures' keys.
    struct Report: Encodable {
        let folder: ReportFolder
        let page: String?
        let figures: [String]
    }

    /// The id; the words shown of its state, and one word for the page's styles.
    let id, status, state: String
    /// [name, value] rows, sorted by name; tensors as [name, "3 × 4"].
    let attributes, config, tensors: [[String]]
    let metrics: [Metric]
    let reports: [Report]

    init(_ run: IndexedRun, snapshot: IndexSnapshot) {
        id = run.id
        status = run.state.label
        state = run.state.kind
        let contents = run.contents
        // The config is listed key by key below; the raw JSON adds nothing.
        attributes = (contents?.run.attributes ?? [:]).filter { $0.key != "config" }.sorted { $0.key < $1.key }
            .map { [$0.key, $0.value.description] }
        config = (contents?.config ?? [:]).sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
        metrics = (contents?.summaries ?? [:]).sorted { $0.key < $1.key }.map { name, summary in
            let unit = (try? contents?.run.metricInfo(name).unit) ?? nil
            return Metric(name: name, unit: unit ?? "", points: summary.count, summary: summary)
        }
        let shapes = (try? contents?.run.tensorShapes()) ?? [:]
        tensors = (shapes ?? [:]).sorted { $0.key < $1.key }.map { [$0.key, $0.value.map(String.init).joined(separator: " × ")] }
        reports = run.reports.map { folder in
            let page = folder.id + "/report.html"
            return Report(folder: folder, page: snapshot.artifacts[page] == nil ? nil : page, figures: snapshot.figures(of: folder))
        }
    }
}
