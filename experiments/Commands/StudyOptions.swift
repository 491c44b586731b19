import ArgumentParser
import Foundation
import Notebook

/// The options shared by `run` and `report`: which study, at which size, on which data.
struct StudyOptions: ParsableArguments {
    @Argument(help: "The study (see 'experiments list').")
    var study: String?

    @Flag(help: "Small sizes: seconds per study, what the tests and CI run.")
    var quick = false

    @Flag(help: "The source texts' scale (hours are fine).")
    var full = false

    @Option(help: "The seed of every random choice: data splits, initial weights, shuffling.")
    var seed: UInt32 = 0

    @Option(help: ArgumentHelp("The data set: mnist (the original 60,000 / 10,000), mnist5k (5,000 digits), fashion (Fashion-MNIST), or a folder of MNIST-format IDX files (train-images-idx3-ubyte[.gz] and the other three). Default: mnist5k, and mnist with --full.", valueName: "name|dir"))
    var data: String?

    @Option(help: ArgumentHelp("Where results go: <results>/<study>/runs, figures, report.", valueName: "dir"))
    var results = Invocation.defaultResults

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Override a study parameter, e.g. --set epochs=5 (repeatable; 'experiments list <study>' shows them). Part of the runs' config, so it never reuses runs made without it.",
        valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Figure formats, comma-separated: png, svg, pdf, tex (cairolatex for LaTeX).", valueName: "list"))
    var format = Invocation.defaultFormats.map(\.rawValue).joined(separator: ",")

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full exclude each other") }
        _ = try formats()
        _ = try parsedOverrides()
        _ = try dataSource()
    }

    func dataSource() throws -> DataSource? {
        do { return try data.map(DataSource.init(argument:)) } catch { throw ValidationError("\(error)") }
    }

    func parsedOverrides() throws -> [(key: String, value: String)] {
        try overrides.map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--set expects key=value, got '\(item)'")
            }
            return (parts[0], parts[1])
        }
    }

    var profile: Profile { quick ? .quick : (full ? .full : .standard) }

    func formats() throws -> [OutputFormat] {
        try format.split(separator: ",").map { name in
            guard let format = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("unknown figure format '\(name)' (formats: png, svg, pdf, tex)")
            }
            return format
        }
    }

    func resolvedStudy() throws -> Study {
        guard let study else { throw ValidationError("missing the study to run (see 'experiments list')") }
        return try Catalog.study(named: study)
    }

    var context: StudyContext {
        StudyContext(profile: profile, seed: seed,
                     data: (try? dataSource()) ?? nil,
                     overrides: (try? parsedOverrides()) ?? [])
    }

    func runnerOptions(force: Bool = false) throws -> RunnerOptions {
        var options = RunnerOptions(results: URL(fileURLWithPath: results, isDirectory: true), formats: try formats(), force: force)
        options.studies = Catalog.studies
        return options
    }
}

/// Prints where the report is and turns what went wrong into the exit status.
func finish(_ outcome: RunnerOutcome) throws {
    if let markdown = outcome.reportMarkdown, let html = outcome.reportHTML {
        print("report: \(markdown.relativePath)\n        \(html.relativePath)")
    }
    if let scoreboard = outcome.scoreboard { print("scoreboard: \(scoreboard.relativePath)") }
    if !outcome.failed.isEmpty {
        throw StudyError("\(outcome.failed.count) run(s) failed: \(outcome.failed.joined(separator: "; "))")
    }
    if let problem = outcome.figureProblem { throw StudyError(problem) }
}

/// `run` and `submit` both take --checkpoint-interval.
func validateCheckpointInterval(_ seconds: Double) throws {
    guard seconds >= 0, seconds.isFinite else {
        throw ValidationError("--checkpoint-interval must be 0 or more seconds, got \(seconds)")
    }
}
