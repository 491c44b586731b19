import Foundation
import Plotting
import RunStore

/// How a study is run: where results go, which figure formats, what to recompute.
public struct RunnerOptions: Sendable {
    public var results: URL
    public var formats: [OutputFormat]
    /// Recompute runs even when a complete run with the same config is stored.
    public var force: Bool
    /// The exact command line, recorded in every run file.
    public var commandLine: String
    /// Runs computed at the same time (each run's products single-threaded, so results do not
    /// depend on it).
    public var jobs: Int
    /// Computes only this slice of the study's runs: a job array's task.
    public var shard: Shard
    /// A training run writes a checkpoint after every this many epochs (0: never) ...
    public var checkpointEvery: Int
    /// ... but not sooner than this many seconds after the last one, so that short epochs
    /// do not spend their time writing (a crash loses at most this much work).
    public var checkpointInterval: Double
    /// Progress bars on a terminal (never when output is not a terminal).
    public var progressBars: Bool
    /// False: store the runs and leave the report to `experiments report` (a Slurm array's
    /// tasks, whose report job follows them; two tasks never race to write it).
    public var writesReport = true
    /// Every study there is, for the scoreboard (results/index.md) written after a report;
    /// empty: no scoreboard.
    public var studies: [Study] = []

    public init(results: URL = URL(fileURLWithPath: Invocation.defaultResults), formats: [OutputFormat] = Invocation.defaultFormats,
                force: Bool = false, commandLine: String = CommandLine.arguments.map(shellQuoted).joined(separator: " "),
                jobs: Int = 1, shard: Shard = .whole, checkpointEvery: Int = 1,
                checkpointInterval: Double = 30, progressBars: Bool = true) {
        self.results = results
        self.formats = formats
        self.force = force
        self.commandLine = commandLine
        self.jobs = jobs
        self.shard = shard
        self.checkpointEvery = checkpointEvery
        self.checkpointInterval = checkpointInterval
        self.progressBars = progressBars
    }
}

/// What a `run` or `report` did, for the command line to sum up.
public struct RunnerOutcome: Sendable {
    public var computed: [String] = []
    public var reused: [String] = []
    /// Runs left to other shards (or being computed by another process), not yet stored.
    public var elsewhere: [String] = []
    /// "step: reason", one per failed run.
    public var failed: [String] = []
    /// Why figures were skipped (gnuplot missing or failing), if they were.
    public var figureProblem: String?
    public var reportMarkdown: URL?
    public var reportHTML: URL?
    /// results/index.md, rewritten after the report.
    public var scoreboard: URL?
    /// What the report shows, as values: its paragraphs, tables and reproduction rows.
    public var report: ReportContents?
}

/// A written report's content as values (tests read these rather than the Markdown).
public struct ReportContents: Sendable {
    public let paragraphs: [String]
    public let tables: [(title: String, content: TableContent)]
    /// The figures drawn, by title (a skipped one is not among them).
    public let figures: [String]
    public let reproductions: [Reproduction]

    /// The table with this title.
    public func table(_ title: String) -> TableContent? { tables.first { $0.title == title }?.content }
}

/// A study's runs and report: the plan says which runs there are and which to compute, an
/// executor computes them, the reporter draws the figures and writes the report from what is
/// stored. `run` does all three, `report` the last.
public final class Runner {
    public let study: Study
    let invocation: Invocation
    public let options: RunnerOptions
    private let folders: StudyFolders
    private let log: (String) -> Void

    public init(study: Study, context: StudyContext, options: RunnerOptions,
                log: @escaping (String) -> Void = { print($0) }) {
        self.study = study
        invocation = Invocation(study: study.name, context: context, results: options.results, formats: options.formats)
        self.options = options
        folders = StudyFolders(results: options.results, study: study.name, context: context)
        self.log = log
    }

    private func plan(creatingFolders: Bool = false) throws -> RunPlan {
        try RunPlan(study: study, context: invocation.context, runsFolder: folders.runs, log: log,
                    beforeReadingData: creatingFolders ? folders.create : {})
    }

    /// Where each of the study's compute steps has its run (whether or not it is there yet).
    public func runLocations() throws -> [(step: String, url: URL)] {
        try plan().runs.map { ($0.step.name, $0.url) }
    }

    /// Computes what is not stored yet, then draws the figures and writes the report.
    public func run() throws -> RunnerOutcome {
        let plan = try plan(creatingFolders: true)
        let slice = plan.slice(shard: options.shard, force: options.force)
        log(planLine(slice, total: plan.runs.count))
        let computation = RunComputation(study: study.name, invocation: invocation, options: options, log: log)
        let results = try LocalThreads(jobs: options.jobs).execute(slice.pending) { run, position in
            try computation.compute(run, position: position)
        }
        var outcome = RunnerOutcome(reused: slice.stored, elsewhere: slice.elsewhere)
        var byStep: [String: ComputeResult] = [:]
        for (run, result) in zip(slice.pending, results) {
            byStep[run.step.name] = result
            record(result, of: run.step.name, in: &outcome)
        }
        for (step, twin) in slice.sharing {
            guard let result = byStep[twin] else { continue }
            if case .computed = result { outcome.reused.append(step) } else { record(result, of: step, in: &outcome) }
        }
        try writeReportIfComplete(plan, outcome: &outcome)
        return outcome
    }

    private func record(_ result: ComputeResult, of step: String, in outcome: inout RunnerOutcome) {
        switch result {
        case .computed: outcome.computed.append(step)
        case .failed(let reason): outcome.failed.append("\(step): \(reason)")
        case .busy: outcome.elsewhere.append(step)
        }
    }

    /// One line before any work: how much is stored, how much runs here, how much elsewhere.
    private func planLine(_ slice: RunPlan.Slice, total: Int) -> String {
        var parts = ["\(study.name): \(total) run(s)", "\(slice.stored.count) stored", "\(slice.pending.count) to compute"]
        if !slice.sharing.isEmpty { parts.append("\(slice.sharing.count) sharing the run of an identical config") }
        if options.shard.count > 1 {
            parts.append("\(slice.elsewhere.count) for other shards (this is shard \(options.shard.index)/\(options.shard.count))")
        }
        if options.jobs > 1 && slice.pending.count > 1 { parts.append("\(min(options.jobs, slice.pending.count)) at a time") }
        return parts.joined(separator: ", ")
    }

    /// The report, once every run is stored and none failed: a report shows finished runs
    /// only, so a failed run leaves the last good report as it was.
    private func writeReportIfComplete(_ plan: RunPlan, outcome: inout RunnerOutcome) throws {
        let redraw = invocation.commandLine(.report)
        guard options.writesReport else {
            log("runs stored; write the report with: \(redraw)")
            return
        }
        guard outcome.elsewhere.isEmpty else {
            log("\(outcome.elsewhere.count) run(s) left to other shards or processes; once they are stored, write the report with: \(redraw)")
            return
        }
        guard outcome.failed.isEmpty else {
            log("report not rewritten: \(outcome.failed.count) run(s) failed (their files record why; see 'experiments list --runs \(study.name)')")
            return
        }
        try writeReport(plan, outcome: &outcome)
    }

    /// Redraws figures and rewrites the report from stored runs only; computes nothing.
    public func report() throws -> RunnerOutcome {
        let plan = try plan(creatingFolders: true)
        let names = plan.unfinished.map(\.step.name)
        guard names.isEmpty else {
            let listed = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            throw StudyError("\(study.name): no finished run for \(listed) in \(relativePath(folders.runs)); compute them with: \(invocation.commandLine(.run))")
        }
        var outcome = RunnerOutcome(reused: plan.computeStepNames)
        try writeReport(plan, outcome: &outcome)
        return outcome
    }

    private func writeReport(_ plan: RunPlan, outcome: inout RunnerOutcome) throws {
        // Read afresh: a run computed above was not in the plan's files yet.
        let stored = try plan.runs.map { StoredRun(step: $0.step.name, file: try RunFile(url: $0.url)) }
        let reporter = Reporter(study: study, invocation: invocation, folders: folders, options: options)
        try reporter.write(steps: plan.steps, results: StudyResults(runs: stored, order: plan.computeStepNames),
                           outcome: &outcome)
    }
}

/// The short reason of a Foundation file error ("permission denied", "no space left").
func describe(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
       let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
        return String(cString: strerror(code.rawValue)).lowercased()
    }
    return ns.localizedDescription
}
