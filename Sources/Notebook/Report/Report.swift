import Foundation
import Plotting
import RunStore

/// One piece of a report, in study order.
enum ReportBlock {
    case text(String)
    case figure(title: String, rendered: RenderedFigure)
    case figureSkipped(title: String, reason: String)
    case table(title: String, content: TableContent)
}

/// A study's report: its text, figures and tables, then a table of its runs, with each run's
/// exact config, environment and the command that reproduces it one click away.
struct Report {
    let study: Study
    let context: StudyContext
    let reproduceCommand: String
    /// The command that redraws exactly this report (same profile, seed, data, overrides).
    let redrawCommand: String
    let blocks: [ReportBlock]
    let runs: [StoredRun]
    let folder: URL

    /// When the report was written: one moment for both formats and the summary.
    let generated = ISO8601DateFormatter().string(from: Date())

    /// Paths in the report are relative to its folder (a variant's report reaches the shared
    /// runs as ../runs/...), so the study's folder can be moved whole.
    func relative(_ url: URL) -> String {
        let base = folder.standardizedFileURL.pathComponents, path = url.standardizedFileURL.pathComponents
        let common = zip(base, path).prefix { $0 == $1 }.count
        guard common > 1 else { return url.standardizedFileURL.path }
        return (Array(repeating: "..", count: base.count - common) + path[common...]).joined(separator: "/")
    }

    /// One row per run: its step, status, the config keys that differ and its headline metrics.
    var runsTable: TableContent { RunsTable(runs: runs, link: { relative($0.url) }).content }

    /// "mnist (SHA-256 ba89…), mnist5k (…)": the data sets the runs read, with their identity.
    var dataSets: String {
        var seen: [String] = []
        for run in runs {
            guard let name = run.attribute("data"), let identity = run.attribute("data_identity"), identity != "none" else { continue }
            let entry = "\(name) (SHA-256 \(identity.prefix(12))…)"
            if !seen.contains(entry) { seen.append(entry) }
        }
        return seen.isEmpty ? "none (every run makes its inputs from its seed)" : seen.joined(separator: ", ")
    }

    /// The run fields every run of the report has with the same value (the environment, the
    /// data, the commit...), with that value: the report lists them once.
    var sharedFields: [(label: String, value: String)] {
        guard runs.count > 1 else { return [] }
        return Self.runFields.compactMap { key, label in
            let values = Set(runs.map { $0.attribute(key) })
            guard values.count == 1, let value = values.first ?? nil else { return nil }
            return (label, value)
        }
    }

    /// The fields of one run that are not among `shared` (the report's `sharedFields`, computed once).
    func ownFields(of run: StoredRun, shared: [(label: String, value: String)]) -> [(label: String, value: String)] {
        let sharedLabels = Set(shared.map(\.label))
        return Self.runFields.compactMap { key, label in
            guard !sharedLabels.contains(label), let value = run.attribute(key) else { return nil }
            return (label, value)
        }
    }

    /// The run attributes the report lists, in this order, with their labels.
    static let runFields: [(String, String)] = [
        ("status", "status"), ("config", "config"), ("config_hash", "config hash"), ("seed", "seed"),
        ("data", "data"), ("data_identity", "data SHA-256"), ("created", "created"), ("finished", "finished"),
        ("wall_seconds", "wall seconds"), ("git_commit", "git commit"), ("swift_version", "Swift"),
        ("os", "OS"), ("cpu", "CPU"), ("isa", "instruction-set path"), ("host", "host"),
        ("command", "command line"), ("error", "error"),
    ]

    /// The one walk over the report that every format shares: the header, the study's
    /// blocks in order, the table of runs, the fields they share, each run's own.
    func render<Format: ReportFormat>(_ format: Format) -> String {
        var format = format
        format.header(self)
        for block in blocks {
            switch block {
            case .text(let text): format.text(text)
            case let .figure(title, rendered): format.figure(title: title, rendered: rendered, relative: relative)
            case let .figureSkipped(title, reason): format.figureSkipped(title: title, reason: reason)
            case let .table(title, content): format.table(title: title, content: content)
            }
        }
        format.heading("Runs")
        format.table(title: nil, content: runsTable)
        let shared = sharedFields
        if !shared.isEmpty { format.sharedFields(shared, runs: runs.count) }
        for run in runs { format.run(run, fields: ownFields(of: run, shared: shared), link: relative(run.url)) }
        format.footer(generated: generated)
        return format.output
    }

    func writeMarkdown() throws -> URL {
        let url = folder.appendingPathComponent("report.md")
        try writeText(render(MarkdownRenderer()), to: url)
        return url
    }

    func writeHTML() throws -> URL {
        let url = folder.appendingPathComponent("report.html")
        try writeText(render(HTMLRenderer()), to: url)
        return url
    }
}

/// A format a report is written in (Markdown, HTML): what each part of the report looks like
/// there. `Report.render` decides what the parts are and their order.
protocol ReportFormat {
    var output: String { get }
    mutating func header(_ report: Report)
    mutating func text(_ markdown: String)
    mutating func figure(title: String, rendered: RenderedFigure, relative: (URL) -> String)
    mutating func figureSkipped(title: String, reason: String)
    mutating func table(title: String?, content: TableContent)
    mutating func heading(_ text: String)
    mutating func sharedFields(_ fields: [(label: String, value: String)], runs: Int)
    mutating func run(_ run: StoredRun, fields: [(label: String, value: String)], link: String)
    mutating func footer(generated: String)
}

/// Writes a text file whole (atomically: a reader never sees half of it), or one clear line.
func writeText(_ text: String, to url: URL) throws {
    do {
        try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
        throw StudyError("cannot write \(url.path): \(describe(error))")
    }
}
