import ArgumentParser
import Foundation
import Notebook

struct CompareRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare stored runs: the config keys that differ, a metric's final and best values, overlaid curves.",
        discussion: """
        Takes run files or folders (a study folder, its runs/ folder); runs from any study or
        machine. Prints the table (the best value is the smallest for losses, costs, errors
        and times, the largest otherwise) and draws the metric's curves into --out. When the runs
        differ in how they were made (data, engine version, git commit, dense products, BLAS,
        CPU, Swift), a note on standard error says how, since equal configs may then give
        other numbers.

        Examples:
          experiments compare results/knn-baseline/runs/seed000-*.h5 results/knn-baseline/runs/mnist5k-*.h5
          experiments compare results/knn-baseline --metric accuracy_by_k --format csv
        """)

    @Argument(help: ArgumentHelp("Run files (.h5) or folders holding them.", valueName: "runs"))
    var paths: [String]

    @Option(help: "The metric to compare (default: test_accuracy, accuracy, or one every run has).")
    var metric: String?

    @Option(help: "Table format: md, csv or json.")
    var format: String = "md"

    @Option(name: [.customLong("out"), .customLong("output")], help: ArgumentHelp(
        "Where the overlaid-curves figure goes (PNG, SVG and its .gp script). Default: results/compare/<metric>-<hash of the compared files>, so one comparison never replaces another's figure.",
        valueName: "dir"))
    var out: String?

    func validate() throws {
        guard Comparison.Format(rawValue: format) != nil else {
            throw ValidationError("unknown table format '\(format)' (formats: md, csv, json)")
        }
    }

    func run() throws {
        let comparison = try Comparison(paths: paths, metric: metric)
        print(comparison.render(Comparison.Format(rawValue: format)!), terminator: "")
        let provenance = comparison.differingProvenance
        if !provenance.isEmpty {
            let lines = provenance.map { "  " + $0 + "\n" }.joined()
            FileHandle.standardError.write(Data("note: the runs were made differently, so equal configs may give other numbers:\n\(lines)".utf8))
        }
        let png = try comparison.drawFigure(into: URL(fileURLWithPath: out ?? comparison.defaultOutput, isDirectory: true))
        FileHandle.standardError.write(Data("figure: \(png.relativePath)\n".utf8))
    }
}
