import ArgumentParser
import Foundation
import Notebook

struct RunStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a study: compute what is not stored yet, draw its figures, write its report.",
        discussion: """
        Each compute step is one run, stored as results/<study>/runs/<step>-<hash>.h5; the
        hash covers the step's config, the data's checksum and the file layout's version.
        A complete run with the same hash is reused (use --force to recompute).

        Examples:
          experiments run knn-baseline --quick
          experiments run knn-baseline --data ~/mnist      also run on your own MNIST files
          experiments run knn-baseline --format png,pdf,tex
        """)

    @OptionGroup var options: StudyOptions

    @Flag(help: "Recompute every run, even those already stored.")
    var force = false

    func run() throws {
        let study = try options.resolvedStudy()
        let runner = Runner(study: study, context: options.context, options: try options.runnerOptions(force: force))
        try finish(try runner.run())
    }
}

struct ReportStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Redraw a study's figures and report from its stored runs, computing nothing.",
        discussion: """
        Give the same profile, seed and data as the run (they choose which runs belong to
        the study). Stored run files are only read, never changed.

        Examples:
          experiments report knn-baseline --quick
          experiments report knn-baseline --format svg,pdf
        """)

    @OptionGroup var options: StudyOptions

    func run() throws {
        let study = try options.resolvedStudy()
        let runner = Runner(study: study, context: options.context, options: try options.runnerOptions())
        try finish(try runner.report())
    }
}

struct ListStudies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the studies, or with --runs the stored runs.",
        discussion: """
        Examples:
          experiments list                      the studies, one line each
          experiments list --runs               every stored run: status, age, headline metric
          experiments list --runs knn-baseline  the runs of one study
        """)

    @Flag(help: "List stored runs instead of studies.")
    var runs = false

    @Argument(help: "With --runs: only this study's runs.")
    var study: String?

    @Option(help: ArgumentHelp("The results folder to look in.", valueName: "dir"))
    var results = "results"

    func validate() throws {
        if study != nil && !runs { throw ValidationError("a study name goes with --runs (experiments list --runs <study>)") }
    }

    func run() throws {
        if runs {
            print(try listRuns(in: URL(fileURLWithPath: results, isDirectory: true), study: study), terminator: "")
            return
        }
        let width = Catalog.studies.map(\.name.count).max() ?? 0
        for study in Catalog.studies {
            print("\(study.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(study.summary)")
        }
    }
}

struct ShowRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a stored run: attributes, metrics (first, last, max) and tensor shapes.",
        discussion: "Example:\n  experiments show results/knn-baseline/runs/seed000-<hash>.h5")

    @Argument(help: ArgumentHelp("A run file (.h5) written by 'experiments run'.", valueName: "file"))
    var file: String

    func run() throws {
        print(try describeRun(at: URL(fileURLWithPath: file)), terminator: "")
    }
}
