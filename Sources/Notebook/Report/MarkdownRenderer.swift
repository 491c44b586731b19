import Plotting

/// The report as Markdown: readable as plain text, rendered by any Markdown viewer.
struct MarkdownRenderer {
    let report: Report

    func render() -> String {
        var out = "# \(report.study.title)\n\n"
        out += "Study `\(report.study.name)`, profile `\(report.context.profile.rawValue)`, seed \(report.context.seed). "
        out += "Reproduce with `\(report.reproduceCommand)`; redraw from the stored runs with "
        out += "`\(report.redrawCommand)`.\n\n"
        out += "Data: \(report.dataSets).\n\n"
        for block in report.blocks {
            switch block {
            case .text(let text):
                out += text + "\n\n"
            case let .figure(title, rendered):
                let image = rendered.outputs[.png] ?? rendered.outputs[.svg] ?? rendered.script
                out += "![\(title)](\(report.relative(image)))\n\n"
                out += "*\(title).* " + links(rendered).joined(separator: " · ") + "\n\n"
            case let .figureSkipped(title, reason):
                out += "> **Figure skipped: \(title).** \(reason)\n\n"
            case let .table(title, content):
                out += "**\(title)**\n\n" + tableWithNotes(content)
            }
        }
        return out + runs() + "_Generated \(report.generated) by `experiments`._\n"
    }

    /// The table of runs, the fields they share, then each run's own fields (its full config
    /// among them) in a collapsed block, which GitHub and most viewers fold away.
    private func runs() -> String {
        var out = "## Runs\n\n" + tableWithNotes(report.runsTable)
        let shared = report.sharedFields
        if !shared.isEmpty {
            out += "Common to all \(report.runs.count) runs:\n\n| attribute | value |\n| --- | --- |\n"
            for (label, value) in shared { out += "| \(label) | \(cell(value)) |\n" }
            out += "\n"
        }
        for run in report.runs {
            out += "<details><summary><code>\(run.step)</code>: config and record</summary>\n\n"
            out += "| attribute | value |\n| --- | --- |\n"
            for (label, value) in report.ownFields(of: run, shared: shared) { out += "| \(label) | \(cell(value)) |\n" }
            out += "\n</details>\n\n"
        }
        return out
    }

    private func links(_ rendered: RenderedFigure) -> [String] {
        var parts = OutputFormat.allCases.compactMap { format in
            rendered.outputs[format].map { "[\(format.rawValue.uppercased())](\(report.relative($0)))" }
        }
        parts.append("[gnuplot script](\(report.relative(rendered.script)))")
        parts.append("[data](\(report.relative(rendered.data)))")
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
