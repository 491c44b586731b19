import ArgumentParser
import Foundation
import Notebook

struct RunStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a study: compute what is not stored yet, draw its figures, write its report.",
        discussion: """
        Each compute step is one run, stored as results/<study>/runs/<step>-<hash>.h5; the hash covers the step's config, the data's checksum, the file layout's version and the engine's. A complete run with the same hash is reused (use --force to recompute). Training runs checkpoint as they go: after a crash or kill, the same command resumes them, and they end bit-identical to an uninterrupted run. Each profile (and each other --seed, --data or --set) has its own report; every report also rewrites the scoreboard, results/index.md.

        Examples:
          experiments run init-study --quick
          experiments run cost-study --full              the texts' scale, on the original MNIST
          experiments run cost-study --data fashion      another data set (mnist, mnist5k, fashion, or a folder)
          experiments run init-study --set epochs=10     override a parameter (see 'experiments list init-study')
          experiments run knn-baseline --data ~/mnist    also run on your own MNIST files
          experiments run learning-rate-study --data ~/cifar-10-batches-bin   the slides' CIFAR-10 numbers
          experiments run activation-study --jobs 2      two runs at a time (same results as --jobs 1)
          experiments run init-study --shard 2/4         the 2nd of 4 slices of the runs (a Slurm job array)
          experiments run knn-baseline --format png,pdf,tex
        """)

    @OptionGroup var options: StudyOptions

    @Flag(help: "Recompute every run, even those already stored.")
    var force = false

    @Option(help: "Runs computed at the same time, sharing the cores (each gets cores / jobs threads); results are bit-identical to --jobs 1.")
    var jobs = 1

    @Option(help: ArgumentHelp("Compute only the i-th of n slices of the study's runs (i from 1), e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT; the report is written once every slice is stored.", valueName: "i/n"))
    var shard = "1/1"

    @Option(help: ArgumentHelp("Checkpoint training runs after every this many epochs (0: never) ...", valueName: "epochs"))
    var checkpointEvery = 1

    @Option(help: ArgumentHelp("... once at least this many seconds passed since the last checkpoint (a crash loses at most this much work).", valueName: "seconds"))
    var checkpointInterval = 30.0

    @Flag(name: .shortAndLong, help: "Print only problems and where the report is: no per-run lines, no progress bars.")
    var quiet = false

    @Flag(help: "Store the runs only and leave the report to 'experiments report' (what the tasks of 'experiments submit' do).")
    var noReport = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every must be 0 or more, got \(checkpointEvery)") }
        try validateCheckpointInterval(checkpointInterval)
        _ = try parsedShard()
    }

    func parsedShard() throws -> Shard {
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, (1...count).contains(index) else {
            throw ValidationError("--shard expects i/n with 1 <= i <= n (e.g. 2/4), got '\(shard)'")
        }
        return Shard(index: index, count: count)
    }

    func run() throws {
        let study = try options.resolvedStudy()
        var runnerOptions = try options.runnerOptions(force: force)
        runnerOptions.jobs = jobs
        runnerOptions.shard = try parsedShard()
        runnerOptions.checkpointEvery = checkpointEvery
        runnerOptions.checkpointInterval = checkpointInterval
        runnerOptions.progressBars = !quiet
        runnerOptions.writesReport = !noReport
        let runner = Runner(study: study, context: options.context, options: runnerOptions,
                            log: quiet ? { _ in } : { print($0) })
        try finish(try runner.run())
    }
}

struct ReportStudy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Redraw a study's figures and report from its stored runs, computing nothing.",
        discussion: """
        Give the same profile, seed, data and --set as the run (they choose which runs belong
        to the study); each such variant has its own report: results/<study>/report.md for the
        default profile, results/<study>/quick/ and results/<study>/full/ for the others.
        Stored run files are only read, never changed. Every report also rewrites the
        scoreboard, results/index.md and index.html: each study's reports and every reference
        number of the texts beside ours, with the count reproduced at the texts' scale.

        Examples:
          experiments report knn-baseline --quick
          experiments report knn-baseline --format svg,pdf
          experiments report --all --full       every study whose --full runs are stored, then the scoreboard
        """)

    @OptionGroup var options: StudyOptions

    @Flag(help: "Redraw the report of every study whose runs of this profile are all stored (the others are named), then the scoreboard.")
    var all = false

    func validate() throws {
        if all && options.study != nil { throw ValidationError("give a study or --all, not both") }
    }

    func run() throws {
        guard all else {
            let runner = Runner(study: try options.resolvedStudy(), context: options.context, options: try options.runnerOptions())
            try finish(try runner.report())
            return
        }
        var runnerOptions = try options.runnerOptions()
        for study in Catalog.studies {
            do {
                let outcome = try Runner(study: study, context: options.context, options: runnerOptions, log: { _ in }).report()
                print("\(study.name): \(outcome.reportMarkdown.map(\.relativePath) ?? "no report")")
            } catch {
                print("\(study.name): skipped: \(error)")
            }
        }
        runnerOptions.studies = Catalog.studies
        print("scoreboard: \(try Scoreboard.write(results: runnerOptions.results, studies: Catalog.studies).markdown.relativePath)")
    }
}

struct ListStudies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the studies, a study's parameters, or with --runs the stored runs.",
        discussion: """
        Examples:
          experiments list                      the studies, one line each
          experiments list init-study           what init-study computes, how long its stored reports took, its --set parameters
          experiments list --runs               every stored run: status, age, headline metric
          experiments list --runs knn-baseline  the runs of one study
        """)

    @Flag(help: "List stored runs instead of studies.")
    var runs = false

    @Argument(help: "A study: its parameters, or with --runs only its runs.")
    var study: String?

    @Option(help: ArgumentHelp("The results folder to look in.", valueName: "dir"))
    var results = "results"

    func run() throws {
        if runs {
            print(try listRuns(in: URL(fileURLWithPath: results, isDirectory: true), study: study), terminator: "")
            return
        }
        if let study {
            print(try describeStudy(try Catalog.study(named: study), results: URL(fileURLWithPath: results, isDirectory: true)),
                  terminator: "")
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
