import Foundation
import Plotting

/// The report as Markdown: readable as plain text, rendered by any Markdown viewer.
struct MarkdownRenderer: ReportFormat {
    private(set) var output = ""

    mutating func header(_ report: Report) {
        output += "# \(report.study.title)\n\n"
        output += "Study `\(report.study.name)`, profile `\(report.context.profile.rawValue)`, seed \(report.context.seed). "
        output += "Reproduce with `\(report.reproduceCommand)`; redraw from the stored runs with "
        output += "`\(report.redrawCommand)`.\n\n"
        output += "Data: \(report.dataSets).\n\n"
    }

    mutating func text(_ text: String) { output += text + "\n\n" }

    mutating func figure(title: String, rendered: RenderedFigure, relative: (URL) -> String) {
        let image = rendered.outputs[.png] ?? rendered.outputs[.svg] ?? rendered.script
        output += "![\(title)](\(relative(image)))\n\n"
        output += "*\(title).* " + links(rendered, relative).joined(separator: " · ") + "\n\n"
    }

    mutating func figureSkipped(title: String, reason: String) { output += "> **Figure skipped: \(title).** \(reason)\n\n" }

    mutating func table(title: String?, content: TableContent) {
        output += (title.map { "**\($0)**\n\n" } ?? "") + tableWithNotes(content)
    }

    mutating func heading(_ text: String) { output += "## \(text)\n\n" }

    mutating func sharedFields(_ fields: [(label: String, value: String)], runs: Int) {
        output += "Common to all \(runs) runs:\n\n| attribute | value |\n| --- | --- |\n"
        for (label, value) in fields { output += "| \(label) | \(cell(value)) |\n" }
        output += "\n"
    }

    /// A run's own fields (its full config among them) in a collapsed block, which GitHub and
    /// most viewers fold away.
    mutating func run(_ run: StoredRun, fields: [(label: String, value: String)], link: String) {
        output += "<details><summary><code>\(run.step)</code>: config and record</summary>\n\n"
        output += "| attribute | value |\n| --- | --- |\n"
        for (label, value) in fields { output += "| \(label) | \(cell(value)) |\n" }
        output += "\n</details>\n\n"
    }

    mutating func footer(generated: String) { output += "_Generated \(generated) by `experiments`._\n" }

    private func links(_ rendered: RenderedFigure, _ relative: (URL) -> String) -> [String] {
        var parts = OutputFormat.allCases.compactMap { format in
            rendered.outputs[format].map { "[\(format.rawValue.uppercased())](\(relative($0)))" }
        }
        parts.append("[gnuplot script](\(relative(rendered.script)))")
        parts.append("[data](\(relative(rendered.data)))")
        return parts
    }

    /// A pipe table and its notes as a list, then a blank line.
    private func tableWithNotes(_ content: TableContent) -> String {
        var out = table(content) + "\n"
        for note in content.notes { out += "- \(note)\n" }
        return out + (content.notes.isEmpty ? "" : "\n")
    }

    private func table(_ content: TableContent) -> String {
        var out = "| " + content.columns.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: " --- |", count: content.columns.count) + "\n"
        for row in content.rows { out += "| " + row.map { cell($0.description) }.joined(separator: " | ") + " |\n" }
        return out
    }

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
