import Foundation
import Plotting

/// The report could not be drawn from the stored runs: one line per view that failed (which
/// view, and why). Nothing was written: the previous report, its figures and its
/// reproductions.json are as they were, and the runs stay stored.
public struct ReportNotWritten: Error, CustomStringConvertible {
    public let lines: [String]
    public var description: String { lines.joined(separator: "; ") }
}

/// Draws a study's figures and writes its report, its reproductions.json and the scoreboard,
/// from stored runs only. Every view is evaluated before anything is written, so a view that
/// fails leaves the previous report whole.
struct Reporter {
    let study: Study
    let invocation: Invocation
    let folders: StudyFolders
    let options: RunnerOptions

    /// A view step's content, computed from the stored runs but not yet written.
    private enum View {
        case text(String)
        case figure(Figure, Plotting.Figure)
        case table(title: String, content: TableContent)
    }

    func write(steps: [any StudyStep], results: StudyResults, outcome: inout RunnerOutcome) throws {
        let (views, reproductions) = try evaluate(steps, results)
        let blocks = draw(views, outcome: &outcome)
        let report = Report(study: study, context: invocation.context, reproduceCommand: invocation.commandLine(.run),
                            redrawCommand: invocation.commandLine(.report), blocks: blocks, runs: results.runs,
                            folder: folders.report)
        outcome.report = ReportContents(
            paragraphs: blocks.compactMap { if case .text(let text) = $0 { return text } else { return nil } },
            tables: blocks.compactMap { if case let .table(title, content) = $0 { return (title, content) } else { return nil } },
            figures: blocks.compactMap { if case let .figure(title, _) = $0 { return title } else { return nil } },
            reproductions: reproductions)
        outcome.reportMarkdown = try report.writeMarkdown()
        outcome.reportHTML = try report.writeHTML()
        try writeSummary(of: report, runs: results.runs, reproductions: reproductions)
        if !options.studies.isEmpty {
            outcome.scoreboard = try Scoreboard.write(results: options.results, studies: options.studies).markdown
        }
    }

    /// Every view's content, or `ReportNotWritten` naming each view that failed.
    private func evaluate(_ steps: [any StudyStep], _ results: StudyResults) throws -> ([View], [Reproduction]) {
        var views: [View] = [], reproductions: [Reproduction] = [], failures: [String] = []
        var paragraphs = 0
        for step in steps {
            do {
                switch step {
                case let text as Text:
                    paragraphs += 1
                    views.append(.text(try text.content(results)))
                case let figure as Figure:
                    let spec = Plotting.Figure(name: figure.name, title: figure.title, kind: try figure.build(results),
                                               width: figure.width, height: figure.height)
                    try spec.validate()
                    views.append(.figure(figure, spec))
                case let table as Table:
                    views.append(.table(title: table.title, content: try table.build(results)))
                case let rows as Reproductions:
                    let built = try rows.build(results)
                    reproductions += built
                    views.append(.table(title: rows.title, content: scaleNoted(Reproductions.table(built))))
                default:
                    continue
                }
            } catch {
                failures.append("\(Self.describe(step, paragraph: paragraphs)) failed: \(error)")
            }
        }
        guard failures.isEmpty else {
            throw ReportNotWritten(lines: failures.map { "report not rewritten (the previous one is kept): \($0)" })
        }
        return (views, reproductions)
    }

    /// "figure “accuracy-vs-k”", "table “Means”", "paragraph 3" (the study's third Text).
    private static func describe(_ step: any StudyStep, paragraph: Int) -> String {
        switch step {
        case let figure as Figure: return "figure “\(figure.name)”"
        case let table as Table: return "table “\(table.title)”"
        case let rows as Reproductions: return "table “\(rows.title)”"
        default: return "paragraph \(paragraph)"
        }
    }

    /// A Reproductions table outside the texts' scale says its verdicts are indicative.
    private func scaleNoted(_ table: TableContent) -> TableContent {
        guard folders.variant != Scoreboard.textScale else { return table }
        var noted = table
        noted.notes.append("This is the \(folders.variant) report, at another scale or on other data than the texts': its verdicts are indicative. The scoreboard (results/index.md) counts those of the `--full` report.")
        return noted
    }

    /// Renders the figures through gnuplot. gnuplot missing or failing skips the figure with
    /// the reason (the report says so, the command exits non-zero); the rest is drawn.
    private func draw(_ views: [View], outcome: inout RunnerOutcome) -> [ReportBlock] {
        let plotter: Plotter? = Plotter.findGnuplot() == nil ? nil : Plotter()
        if plotter == nil {
            outcome.figureProblem = "gnuplot not found on PATH: figures skipped (runs are stored; install it with scripts/setup.sh)"
        }
        return views.map { view in
            switch view {
            case .text(let text): return .text(text)
            case let .table(title, content): return .table(title: title, content: content)
            case let .figure(figure, spec):
                guard let plotter else { return .figureSkipped(title: figure.title, reason: outcome.figureProblem!) }
                do {
                    return .figure(title: figure.title, rendered: try plotter.render(spec, into: folders.figures, formats: options.formats))
                } catch {
                    if outcome.figureProblem == nil { outcome.figureProblem = "figure “\(figure.title)”: \(error)" }
                    return .figureSkipped(title: figure.title, reason: "\(error)")
                }
            }
        }
    }

    /// reproductions.json beside the report: what the scoreboard reads.
    private func writeSummary(of report: Report, runs: [StoredRun], reproductions: [Reproduction]) throws {
        let markdown = folders.report.appendingPathComponent("report.md").standardizedFileURL.path
        let summary = ReportSummary(
            study: study.name, variant: folders.variant,
            report: markdown.replacingOccurrences(of: options.results.standardizedFileURL.path + "/", with: ""),
            generated: report.generated, runs: runs.count,
            failedRuns: runs.filter { $0.status != .complete && $0.status != .diverged }.count,
            wallSeconds: runs.reduce(0) { $0 + ($1.file.double("wall_seconds") ?? 0) },
            cpu: Set(runs.compactMap { $0.attribute("cpu") }).sorted().joined(separator: "; "),
            provenance: ReportSummary.Provenance(
                commits: Set(runs.compactMap { $0.attribute("git_commit") }).sorted(),
                engineVersions: Set(runs.compactMap { $0.attribute("engine_version").flatMap { Int($0) } }).sorted(),
                dataChecksums: Set(runs.compactMap { $0.attribute("data_identity") }.filter { $0 != "none" }).sorted()),
            reproductions: reproductions)
        try writeText(String(decoding: try ReportSummary.encoder.encode(summary), as: UTF8.self),
                      to: folders.report.appendingPathComponent(ReportSummary.fileName))
    }
}
