import Foundation
import Plotting
import RunStore

/// One piece of a report, in study order.
enum ReportBlock {
    case text(String)
    case figure(title: String, rendered: RenderedFigure)
    case figureSkipped(title: String, reason: String)
    case table(title: String, content: TableContent)
    /// Something a view step could not draw (a missing metric, a failed run).
    case problem(String)
}

/// A study's report: its text, figures and tables, then every run with its exact
/// config, environment and the command that reproduces it.
struct Report {
    let study: Study
    let context: StudyContext
    let reproduceCommand: String
    let blocks: [ReportBlock]
    let runs: [StoredRun]
    let folder: URL

    var generated: String { ISO8601DateFormatter().string(from: Date()) }

    /// Paths in the report are relative to its folder, so the folder can be moved whole.
    func relative(_ url: URL) -> String {
        let base = folder.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// The run attributes the report lists, in this order, with their labels.
    static let runFields: [(String, String)] = [
        ("status", "status"), ("config", "config"), ("config_hash", "config hash"), ("seed", "seed"),
        ("data", "data"), ("data_identity", "data SHA-256"), ("created", "created"), ("finished", "finished"),
        ("wall_seconds", "wall seconds"), ("git_commit", "git commit"), ("swift_version", "Swift"),
        ("os", "OS"), ("cpu", "CPU"), ("blas", "BLAS"), ("blas_kernels", "BLAS kernels"),
        ("dense_products", "dense products"), ("threads", "BLAS threads"), ("host", "host"),
        ("command", "command line"), ("error", "error"),
    ]

    func writeMarkdown() throws -> URL {
        let url = folder.appendingPathComponent("report.md")
        try write(MarkdownRenderer(report: self).render(), to: url)
        return url
    }

    func writeHTML() throws -> URL {
        let url = folder.appendingPathComponent("report.html")
        try write(HTMLRenderer(report: self).render(), to: url)
        return url
    }

    private func write(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw StudyError("cannot write \(url.path): \(describe(error))")
        }
    }
}
