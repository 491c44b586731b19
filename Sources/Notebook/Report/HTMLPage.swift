import Foundation

/// A self-contained HTML page (inline style, no scripts), shared by the reports and the
/// scoreboard.
enum HTMLPage {
    /// A page from the Markdown the scoreboard writes: headings, paragraphs and pipe tables
    /// with inline Markdown in their cells.
    static func render(title: String, markdown: String) -> String {
        var body = ""
        var table: [[String]] = []
        func flushTable() {
            guard let header = table.first else { return }
            body += "<table class=\"data\">\n<tr>" + header.map { "<th>\(inline($0))</th>" }.joined() + "</tr>\n"
            for row in table.dropFirst(2) { body += "<tr>" + row.map { "<td>\(inline($0))</td>" }.joined() + "</tr>\n" }
            body += "</table>\n"
            table = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                table.append(cells(line))
                continue
            }
            flushTable()
            if line.hasPrefix("## ") {
                body += "<h2>\(inline(String(line.dropFirst(3))))</h2>\n"
            } else if line.hasPrefix("# ") {
                body += "<h1>\(inline(String(line.dropFirst(2))))</h1>\n"
            } else if !line.isEmpty {
                body += "<p>\(inline(line))</p>\n"
            }
        }
        flushTable()
        return page(title: title, body: body)
    }

    /// The cells of a pipe-table row; "\\|" is a literal bar.
    private static func cells(_ line: String) -> [String] {
        let placeholder = "\u{1}"
        return line.replacingOccurrences(of: "\\|", with: placeholder).split(separator: "|", omittingEmptySubsequences: false)
            .dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: placeholder, with: "|") }
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
        h1 { margin-bottom: 0.2rem; } .meta { color: #666; font-size: 0.9rem; }
        code { background: #f4f4f4; padding: 0 0.2rem; border-radius: 3px; font-size: 0.9em; }
        figure { margin: 1.5rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
        figcaption { font-size: 0.9rem; color: #444; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
        th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        table.data caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
        table.data th { background: #f4f4f4; }
        .problem { background: #fff4e5; border-left: 4px solid #f0a030; padding: 0.5rem 0.8rem; margin: 1rem 0; }
        details { margin: 0.5rem 0; } summary { cursor: pointer; }
        ul.notes { font-size: 0.85rem; color: #555; }
        </style></head>
        <body>
        \(body)
        </body></html>

        """
    }
}
