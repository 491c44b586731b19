import Foundation

/// What a report leaves beside itself for the scoreboard: its study, variant and the
/// reference rows it showed (reproductions.json in the report's folder).
struct ReportSummary: Codable {
    let study: String
    /// "default", "quick", "full", or the profile and what else differs (`quick-seed3`).
    let variant: String
    /// The report's Markdown file, relative to the results folder.
    let report: String
    let generated: String
    let runs: Int
    /// Runs whose status is not complete (diverged runs are results, failed runs are not).
    let failedRuns: Int
    /// The runs' wall-clock seconds added up (what computing the variant from scratch took,
    /// one run at a time), and the CPU they ran on.
    /// (Optional: summaries written before they were recorded lack them.)
    let wallSeconds: Double?
    let cpu: String?
    /// What the rows were computed with: the runs' git commits, engine versions and data
    /// checksums (each distinct value once).
    let provenance: Provenance?
    let reproductions: [Reproduction]

    struct Provenance: Codable {
        let commits: [String]
        let engineVersions: [Int]
        let dataChecksums: [String]

        /// "commit 1a2b3c4, engine 6, data ba89e3…".
        var line: String {
            let data = dataChecksums.isEmpty ? "no data set" : "data " + dataChecksums.map { String($0.prefix(6)) + "…" }.joined(separator: ", ")
            return "commit \(commits.map { String($0.prefix(7)) }.joined(separator: ", ")), engine \(engineVersions.map(String.init).joined(separator: ", ")), \(data)"
        }
    }

    static let fileName = "reproductions.json"

    // A diverged seed's value is NaN, which plain JSON cannot hold: it is written as a string.
    private static let nonFinite = (positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity, negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return decoder
    }
}

/// results/index.md and results/index.html: every study that has reference numbers (a text's
/// number beside ours: a `Reproductions` table) with the reports it has, and one table of
/// every reference number the `--full` reports measured, with the count reproduced at the
/// texts' scale first. Written after every report, from the summaries on disk.
public enum Scoreboard {
    /// The variant whose numbers count: the texts' own scale, data and seed.
    static let textScale = "full"

    struct Entry {
        let study: Study
        let summaries: [ReportSummary]
        var full: ReportSummary? { summaries.first { $0.variant == Scoreboard.textScale } }

        /// A study the scoreboard is about: its body shows reference numbers at the texts'
        /// scale, or one of its reports did. A user's own study without any is left off.
        var hasReferenceNumbers: Bool {
            summaries.contains { !$0.reproductions.isEmpty }
                || ((try? study.steps(for: StudyContext(profile: .full)))?.contains { $0 is Reproductions } ?? false)
        }
    }

    public static func write(results: URL, studies: [Study]) throws -> (markdown: URL, html: URL) {
        let entries = studies.map { Entry(study: $0, summaries: summaries(of: $0, in: results)) }
        let markdown = results.appendingPathComponent("index.md"), html = results.appendingPathComponent("index.html")
        try writeText(render(entries), to: markdown)
        try writeText(HTMLPage.render(title: "Scoreboard: the texts' numbers, reproduced", markdown: render(entries)), to: html)
        return (markdown, html)
    }

    /// Every reproductions.json under results/<study>/ (the study folder and its variant folders).
    static func summaries(of study: Study, in results: URL) -> [ReportSummary] {
        let folder = results.appendingPathComponent(study.name)
        let subfolders = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return ([folder] + subfolders.map { folder.appendingPathComponent($0) }).compactMap { candidate in
            guard let data = try? Data(contentsOf: candidate.appendingPathComponent(ReportSummary.fileName)) else { return nil }
            return try? ReportSummary.decoder.decode(ReportSummary.self, from: data)
        }
    }

    /// The four kinds of row the scoreboard keeps apart; only the first makes the headline.
    enum Category: CaseIterable {
        case trained, check, shownOnly, blocked

        init(_ row: Reproduction) {
            if row.blockedBy != nil { self = .blocked; return }
            switch row.kind {
            case .trained: self = .trained
            case .check: self = .check
            case .shownOnly: self = .shownOnly
            }
        }

        var heading: String {
            switch self {
            case .trained: return "Trained reproductions: a network trained (or a classifier fitted) on data beside a number the texts print or their code recorded"
            case .check: return "Checks: identities, analytic values and simulations of formulas (they cannot miss unless the code is wrong)"
            case .shownOnly: return "Shown, not counted: the text does not give the setting, or chose the number on its test set"
            case .blocked: return "Not judged on these data sets: the text measured them on CIFAR-10 (or a run longer than this report's)"
            }
        }
    }

    static func render(_ all: [Entry]) -> String {
        let entries = all.filter(\.hasReferenceNumbers)
        let rows = entries.flatMap { entry in (entry.full?.reproductions ?? []).map { (entry, $0) } }
        let trained = rows.filter { Category($0.1) == .trained }
        let reproduced = trained.filter { $0.1.verdict == .reproduced }.count
        let missing = entries.filter { $0.full == nil }.map(\.study.name)
        var out = "# Scoreboard: the texts' numbers, reproduced\n\n"
        out += "**\(reproduced) of \(trained.count) trained reproductions at the texts' scale**"
        out += " (from each study's `--full` report; checks, rows the text does not set and rows that need CIFAR-10 are listed apart and not counted)."
        let inconclusive = trained.filter { if case .tooWide = $0.1.verdict { return true } else { return false } }.count
        if inconclusive > 0 {
            out += " \(inconclusive) more are inconclusive: within a tolerance as wide as the effect the row is there to show."
        }
        if !missing.isEmpty {
            out += " Not yet run at the texts' scale: \(missing.map { "`\($0)`" }.joined(separator: ", "))"
            out += " (`swift run experiments run <study> --full`)."
        }
        let fullReports = entries.compactMap(\.full)
        if !fullReports.isEmpty {
            // The issue's budget is the whole scoreboard within about 8 hours on two cores.
            let seconds = fullReports.compactMap(\.wallSeconds).reduce(0, +)
            let cpus = Set(fullReports.map { $0.cpu ?? "an unrecorded CPU" }).sorted().joined(separator: "; ")
            out += " The \(fullReports.count) `--full` reports' runs took \(describeDuration(seconds)) in all, each run's wall time added up, on \(cpus) (a run that shared the cores with other runs counts its whole wall time)."
        }
        out += "\n\n" + studiesTable(entries)
        if rows.isEmpty { return out + "\nNo `--full` report has been written yet.\n" + footer }
        for category in Category.allCases {
            let members = rows.filter { Category($0.1) == category }
            guard !members.isEmpty else { continue }
            let judged = members.filter { $0.1.blockedBy == nil }
            let count = category == .blocked ? "\(members.count) rows" : "\(judged.filter { $0.1.verdict == .reproduced }.count) of \(judged.count) within tolerance"
            out += "\n## \(category.heading)\n\n\(count).\n\n"
            out += "| study | quantity | text | ours | tolerance | verdict | computed with |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            for (entry, row) in members {
                let link = entry.full.map { "[`\(entry.study.name)`](\($0.report))" } ?? "`\(entry.study.name)`"
                out += "| \(link) | \(cell(row.quantity)) (\(row.source)) | \(row.format(row.text)) | \(row.oursText) "
                out += "| ±\(Reproduction.format(row.tolerance.width)) | \(cell(row.verdict.label)) | \(entry.full?.provenance?.line ?? "not recorded") |\n"
            }
        }
        return out + footer
    }

    private static var footer: String {
        "\n_Generated \(ISO8601DateFormatter().string(from: Date())) by `experiments` from the stored reports;"
            + " rewrite it with `swift run experiments report --all`._\n"
    }

    /// Each study with its reports, runs and its count of trained reproductions at the texts' scale.
    private static func studiesTable(_ entries: [Entry]) -> String {
        var out = "## Studies\n\n| study | reports | runs | trained reproductions at the texts' scale |\n| --- | --- | --- | --- |\n"
        for entry in entries {
            let reports = entry.summaries.map { "[\($0.variant)](\($0.report))" }.joined(separator: ", ")
            let runs = entry.summaries.map { summary in
                "\(summary.variant): \(summary.runs)" + (summary.failedRuns > 0 ? " (\(summary.failedRuns) not complete)" : "")
            }.joined(separator: "; ")
            let score = entry.full.map { full in
                let own = full.reproductions.filter { Category($0) == .trained }
                return "\(own.filter { $0.verdict == .reproduced }.count) of \(own.count) reproduced"
            } ?? "no `--full` report yet"
            out += "| `\(entry.study.name)` | \(reports.isEmpty ? "none yet" : reports) | \(runs.isEmpty ? "—" : runs) | \(score) |\n"
        }
        return out
    }

    private static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
