import Foundation
import Plotting

/// The report as one self-contained HTML page: PNG figures are embedded, so the page
/// opens in any browser with no server, and still links the SVG, PDF, script and data
/// files beside it.
struct HTMLRenderer: ReportFormat {
    private var title = "", body = ""

    var output: String { HTMLPage.page(title: title, body: body) }

    mutating func header(_ report: Report) {
        title = report.study.title
        body += "<h1>\(escape(report.study.title))</h1>\n"
        body += "<p class=\"meta\">Study <code>\(escape(report.study.name))</code>, profile <code>\(report.context.profile.rawValue)</code>, seed \(report.context.seed). "
        body += "Reproduce with <code>\(escape(report.reproduceCommand))</code>; redraw from the stored runs with "
        body += "<code>\(escape(report.redrawCommand))</code>.<br>Data: \(escape(report.dataSets)).</p>\n"
    }

    mutating func text(_ text: String) { body += paragraphs(text) }

    mutating func figure(title: String, rendered: RenderedFigure, relative: (URL) -> String) {
        body += figure(title, rendered, relative)
    }

    mutating func figureSkipped(title: String, reason: String) {
        body += "<div class=\"problem\"><strong>Figure skipped: \(escape(title)).</strong> \(escape(reason))</div>\n"
    }

    mutating func table(title: String?, content: TableContent) { body += table(title, content) }

    mutating func heading(_ text: String) { body += "<h2>\(escape(text))</h2>\n" }

    mutating func sharedFields(_ fields: [(label: String, value: String)], runs: Int) {
        body += "<p>Common to all \(runs) runs:</p>\n<table>\n"
        for (label, value) in fields { body += "<tr><th>\(escape(label))</th><td><code>\(escape(value))</code></td></tr>\n" }
        body += "</table>\n"
    }

    mutating func run(_ run: StoredRun, fields: [(label: String, value: String)], link: String) {
        body += "<details><summary><code>\(escape(run.step))</code> — \(escape(run.attribute("status") ?? "?"))"
        body += " — <a href=\"\(escape(link))\">\(escape(link))</a></summary>\n<table>\n"
        for (label, value) in fields {
            body += "<tr><th>\(escape(label))</th><td><code>\(escape(value))</code></td></tr>\n"
        }
        body += "</table></details>\n"
    }

    mutating func footer(generated: String) {
        body += "<p class=\"meta\">Generated \(escape(generated)) by <code>experiments</code>.</p>\n"
    }

    private func figure(_ title: String, _ rendered: RenderedFigure, _ relative: (URL) -> String) -> String {
        var out = "<figure>\n"
        if let png = rendered.outputs[.png], let data = try? Data(contentsOf: png) {
            out += "<img alt=\"\(escape(title))\" src=\"data:image/png;base64,\(data.base64EncodedString())\">\n"
        } else if let svg = rendered.outputs[.svg] {
            out += "<img alt=\"\(escape(title))\" src=\"\(escape(relative(svg)))\">\n"
        }
        var links = OutputFormat.allCases.compactMap { format in
            rendered.outputs[format].map { "<a href=\"\(escape(relative($0)))\">\(format.rawValue.uppercased())</a>" }
        }
        links.append("<a href=\"\(escape(relative(rendered.script)))\">gnuplot script</a>")
        links.append("<a href=\"\(escape(relative(rendered.data)))\">data</a>")
        out += "<figcaption><strong>\(escape(title)).</strong> \(links.joined(separator: " · "))</figcaption>\n</figure>\n"
        return out
    }

    private func table(_ title: String?, _ content: TableContent) -> String {
        var out = "<table class=\"data\">\n" + (title.map { "<caption>\(inline($0))</caption>\n" } ?? "") + "<tr>"
        out += content.columns.map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"
        for row in content.rows {
            out += "<tr>" + row.map { "<td>\(inline($0.description))</td>" }.joined() + "</tr>\n"
        }
        out += "</table>\n"
        if !content.notes.isEmpty {
            out += "<ul class=\"notes\">" + content.notes.map { "<li>\(inline($0))</li>" }.joined() + "</ul>\n"
        }
        return out
    }

    /// Blank lines separate paragraphs; lines starting with "- " form a list.
    private func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { para -> String in
            let lines = para.split(separator: "\n").map(String.init)
            if !lines.isEmpty && lines.allSatisfy({ $0.hasPrefix("- ") }) {
                return "<ul>" + lines.map { "<li>\(inline(String($0.dropFirst(2))))</li>" }.joined() + "</ul>\n"
            }
            if let heading = lines.first, heading.hasPrefix("## "), lines.count == 1 {
                return "<h2>\(inline(String(heading.dropFirst(3))))</h2>\n"
            }
            return "<p>\(inline(para))</p>\n"
        }.joined()
    }
}

func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// The inline Markdown a study's text uses: `code`, **bold**, *italic*, [text](url).
func inline(_ text: String) -> String {
    var html = escape(text)
    let rules: [(String, String)] = [
        ("`([^`]+)`", "<code>$1</code>"),
        ("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>"),
        ("\\*([^*]+)\\*", "<em>$1</em>"),
        ("\\[([^\\]]+)\\]\\(([^)]+)\\)", "<a href=\"$2\">$1</a>"),
    ]
    for (pattern, template) in rules {
        html = html.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
    }
    return html
}
