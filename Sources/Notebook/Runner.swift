import ConvNet
import Datasets
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
    /// Computes only slice `index` (from 1) of `count` of the study's runs: a job array.
    public var shard: (index: Int, count: Int)
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

    public init(results: URL = URL(fileURLWithPath: "results"), formats: [OutputFormat] = [.png, .svg],
                force: Bool = false, commandLine: String = CommandLine.arguments.joined(separator: " "),
                jobs: Int = 1, shard: (index: Int, count: Int) = (1, 1), checkpointEvery: Int = 1,
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
    /// "step: reason", one per failed or diverged run.
    public var failed: [String] = []
    /// Why figures were skipped (gnuplot missing or failing), if they were.
    public var figureProblem: String?
    /// Text or tables that could not be written from the stored runs (a metric no run
    /// records, a typo in a step name): the report says where, the command fails.
    public var viewProblems: [String] = []
    public var reportMarkdown: URL?
    public var reportHTML: URL?
    /// results/index.md, rewritten after the report.
    public var scoreboard: URL?
}

/// Runs a study's compute steps (reusing stored runs), then draws its figures and
/// writes its report from what is stored.
public final class Runner {
    public let study: Study
    public let context: StudyContext
    public let options: RunnerOptions
    private let log: (String) -> Void

    public init(study: Study, context: StudyContext, options: RunnerOptions,
                log: @escaping (String) -> Void = { print($0) }) {
        self.study = study
        self.context = context
        self.options = options
        self.log = log
    }

    var studyFolder: URL { options.results.appendingPathComponent(study.name, isDirectory: true) }
    /// Every profile's runs share one folder: a run file is named by its config's hash.
    var runsFolder: URL { studyFolder.appendingPathComponent("runs", isDirectory: true) }

    /// Which report this is: "default" (the plain profile), "quick", "full", or the profile
    /// and a hash of the seed, data and overrides when any differs from the plain profile.
    /// Each variant has its own report and figures, so no profile overwrites another's.
    var variant: String {
        let profile = context.profile == .standard ? "default" : context.profile.rawValue
        guard context.seed != 0 || context.data != nil || !context.parameters.overrides.isEmpty else { return profile }
        return profile + "-" + Datasets.SHA256.hex(Array(command("report").utf8)).prefix(8)
    }
    /// The default report sits in the study's folder, the others in a folder named after their variant.
    var reportFolder: URL {
        variant == "default" ? studyFolder : studyFolder.appendingPathComponent(variant, isDirectory: true)
    }
    var figuresFolder: URL { reportFolder.appendingPathComponent("figures", isDirectory: true) }

    /// The command that recomputes this study as configured.
    public var reproduceCommand: String { command("run") }

    /// `swift run experiments <verb> <study>` with this profile, seed, data and overrides.
    func command(_ verb: String) -> String {
        var parts = ["swift run experiments \(verb)", study.name]
        switch context.profile {
        case .quick: parts.append("--quick")
        case .full: parts.append("--full")
        case .standard: break
        }
        if context.seed != 0 { parts.append("--seed \(context.seed)") }
        switch context.data {
        case .idxFolder(let folder)?, .cifar10Folder(let folder)?: parts.append("--data \(folder)")
        case let named?: parts.append("--data \(DataSource.named.first { $0.source == named }!.name)")
        case nil: break
        }
        for (key, value) in context.parameters.overrides { parts.append("--set \(key)=\(value)") }
        return parts.joined(separator: " ")
    }

    // MARK: - run

    /// Computes what is not stored yet, then draws the figures and writes the report.
    public func run() throws -> RunnerOutcome {
        let steps = try study.steps(for: context)
        let computeSteps = try uniqueComputeSteps(steps)
        try prepareFolders()
        var outcome = RunnerOutcome()
        let located = try locate(computeSteps)
        // Which runs are stored, which this process computes, which other shards compute.
        // Shards split the study's list of runs (not the pending ones), so the slices do not
        // depend on what other shards have finished already.
        var pending: [PendingRun] = []
        for (index, run) in located.enumerated() {
            if !options.force, case .finished = run.existing {
                outcome.reused.append(run.step.name)
            } else if index % options.shard.count != options.shard.index - 1 {
                if case .finished = run.existing { outcome.reused.append(run.step.name) } else { outcome.elsewhere.append(run.step.name) }
            } else {
                pending.append(PendingRun(step: run.step, data: run.data, hash: run.hash, url: run.url,
                                          interrupted: options.force ? nil : run.existing.interrupted))
            }
        }
        log(plan(total: computeSteps.count, outcome: outcome, pending: pending.count))

        let total = pending.count
        let lock = NSLock()
        var problems: [Error] = []
        let work = { (number: Int) in
            let run = pending[number]
            do {
                let result = try self.compute(run, position: "[\(number + 1)/\(total)]")
                lock.withLock {
                    switch result {
                    case .computed: outcome.computed.append(run.step.name)
                    case .failed(let reason): outcome.failed.append("\(run.step.name): \(reason)")
                    case .busy: outcome.elsewhere.append(run.step.name)
                    }
                }
            } catch {
                lock.withLock { problems.append(error) }
            }
        }
        if options.jobs > 1 {
            let next = Counter()
            DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(total, 1))) { _ in
                while let number = next.take(below: total), lock.withLock({ problems.isEmpty }) { work(number) }
            }
        } else {
            for number in 0..<total where problems.isEmpty { work(number) }
        }
        if let problem = problems.first { throw problem }

        let reportCommand = command("report")
        guard options.writesReport else {
            log("runs stored; write the report with: \(reportCommand)")
            return outcome
        }
        guard outcome.elsewhere.isEmpty else {
            log("\(outcome.elsewhere.count) run(s) left to other shards or processes; once they are stored, write the report with: \(reportCommand)")
            return outcome
        }
        // A report shows finished runs only: a failed run leaves the last good report as it was.
        guard outcome.failed.isEmpty else {
            log("report not rewritten: \(outcome.failed.count) run(s) failed (their files record why; see 'experiments list --runs \(study.name)')")
            return outcome
        }
        let stored = try located.map { StoredRun(step: $0.step.name, file: try RunFile(url: $0.url)) }
        try writeReport(steps: steps, results: StudyResults(runs: stored, order: computeSteps.map(\.name)),
                        outcome: &outcome)
        return outcome
    }

    /// One line before any work: how much is stored, how much runs here, how much elsewhere.
    private func plan(total: Int, outcome: RunnerOutcome, pending: Int) -> String {
        var parts = ["\(study.name): \(total) run(s)", "\(outcome.reused.count) stored", "\(pending) to compute"]
        if options.shard.count > 1 {
            parts.append("\(outcome.elsewhere.count) for other shards (this is shard \(options.shard.index)/\(options.shard.count))")
        }
        if options.jobs > 1 && pending > 1 { parts.append("\(min(options.jobs, pending)) at a time") }
        return parts.joined(separator: ", ")
    }

    /// A compute step's run file and what is stored there.
    private struct LocatedRun {
        let step: any ComputeStep
        let data: LoadedData?
        let hash: String
        let url: URL
        let existing: Existing
    }

    /// Where each step's run lives: `<runs>/<step>-<hash of config, data, engine>.h5`, and
    /// what is there. The one lookup of `run` and `report`: a run of another config, data or
    /// engine version has another hash, so neither ever picks it. Every data set is read (and
    /// checked) first, so missing or malformed data stops the study before its first run.
    private func locate(_ computeSteps: [any ComputeStep]) throws -> [LocatedRun] {
        var loadedData: [DataSource: LoadedData] = [:]
        for source in computeSteps.compactMap(\.data) where loadedData[source] == nil {
            loadedData[source] = try DataLoader.load(source)
        }
        // A --data set is checked even when the study does not train on it, so a typo in a
        // path never passes silently.
        if let user = context.data, loadedData[user] == nil {
            _ = try DataLoader.load(user)
            log("note: \(study.name) does not use --data; its runs use the data sets its text names")
        }
        // Every step's request is checked against its data before any run is computed; a
        // config holding NaN or infinity has no cache key.
        for step in computeSteps {
            if let field = step.config.nonFiniteField {
                throw StudyError("step \(step.name): config\(field) is not a finite number")
            }
            guard let source = step.data, let data = loadedData[source] else { continue }
            do { try step.check(data) } catch { throw StudyError("step \(step.name): \(error)") }
        }
        return try computeSteps.map { step in
            let data = step.data.flatMap { loadedData[$0] }
            let hash = configHash(step, data: data)
            let url = runsFolder.appendingPathComponent("\(step.name)-\(hash).h5")
            return LocatedRun(step: step, data: data, hash: hash, url: url, existing: try inspect(url))
        }
    }

    private struct PendingRun {
        let step: any ComputeStep
        let data: LoadedData?
        let hash: String
        let url: URL
        /// A run that stopped mid-way and left a checkpoint to resume from.
        let interrupted: RunFile?
    }

    private enum Existing {
        case missing, finished(RunFile), unfinished(RunFile)

        var interrupted: RunFile? {
            guard case .unfinished(let file) = self, !file.checkpointNames.isEmpty else { return nil }
            return file
        }
    }

    /// What is stored at `url`. A complete or diverged run is a finished result (computing a
    /// diverged run again gives the same NaN); a running one was interrupted; a failed one is
    /// computed again. A file there that is not a readable run is moved aside, never overwritten.
    private func inspect(_ url: URL) throws -> Existing {
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        do {
            let file = try RunFile(url: url)
            return file.status == .complete || file.status == .diverged ? .finished(file) : .unfinished(file)
        } catch let error as RunStoreError where error.newerSchemaVersion != nil {
            throw StudyError("\(relative(url)) was written by a newer experiments (run schema \(error.newerSchemaVersion!), this one reads \(RunStore.schemaVersion)); update experiments or use another --results folder. Nothing was changed.")
        } catch {
            let aside = url.appendingPathExtension("unreadable-\(Int(Date().timeIntervalSince1970))")
            try FileManager.default.moveItem(at: url, to: aside)
            log("warning: \(error); moved it to \(relative(aside)) and recomputing")
            return .missing
        }
    }

    private enum ComputeResult { case computed, failed(String), busy }

    /// Computes one run into its own file, resuming from its checkpoint when it has one. A
    /// step that throws leaves a run with status `failed` and the reason, so `list --runs` and
    /// the report show what happened. Another process computing the same run is left alone.
    private func compute(_ pending: PendingRun, position: String) throws -> ComputeResult {
        let step = pending.step, url = pending.url
        guard let lock = try RunLock(for: url) else {
            log("\(position) busy     \(step.name): another process is computing it; skipped")
            return .busy
        }
        defer { lock.release() }
        let resume = try pending.interrupted.map(resumePoint)
        log("\(position) \(resume == nil ? "running " : "resuming") \(step.name): \(step.summary)")

        var identity = identityAttributes(of: step, data: pending.data, hash: pending.hash)
        let earlier = pending.interrupted
        if let earlier {
            // A resumed run keeps the identity it started with and counts its resumptions.
            for name in ["run_id", "created"] { if let value = earlier.attributes[name] { identity.append((name, value)) } }
            identity.append(("resumptions", .int((earlier.int("resumptions") ?? 0) + 1)))
        }
        let earlierSeconds = earlier?.double("wall_seconds") ?? 0, earlierStoreSeconds = earlier?.double("store_seconds") ?? 0
        let start = Date()
        let bar = options.jobs == 1 && options.progressBars ? ProgressBar.onTerminal(label: step.name) : nil
        // With several runs at a time, each line says which run it is about.
        let say: (String) -> Void = options.jobs > 1
            ? { [log] line in log("  \(step.name): \(line.trimmingCharacters(in: .whitespaces))") } : log
        let checkpoints = CheckpointWriter()
        // The whole run so far, with `status` and (while running) the checkpoint. `storeSeconds`
        // is the time training waited for the store: the runner's overhead.
        func snapshot(_ recorder: RunRecorder, _ status: RunStatus, _ checkpoint: TrainingState?,
                      _ extra: [(String, AttributeValue)] = []) -> RunSnapshot {
            let seconds = earlierSeconds + Date().timeIntervalSince(start)
            let stored = earlierStoreSeconds + checkpoints.waitedSeconds
            return RunSnapshot(url: url, attributes: identity + extra + [
                ("wall_seconds", .double((seconds * 1000).rounded() / 1000)),
                ("store_seconds", .double((stored * 1e4).rounded() / 1e4)),
            ], contents: recorder.contents, checkpoint: checkpoint, status: status)
        }
        let recorder = RunRecorder(resumed: resume, checkpointEvery: options.checkpointEvery,
                                   checkpointInterval: options.checkpointInterval,
                                   threads: max(1, availableCores() / max(options.jobs, 1)),
                                   log: { line in bar?.clear(); say(line) }, progress: bar.map { bar in { bar.show($0) } },
                                   saveCheckpoint: { recorder, state in
                                       try checkpoints.submit(snapshot(recorder, .running, state))
                                   })
        // The bar goes before any line that follows the computation, however it ends.
        func computeStep() throws {
            defer { bar?.clear() }
            try step.compute(data: pending.data, into: recorder)
        }
        do {
            try computeStep()
            try checkpoints.finish(snapshot(recorder, recorder.divergedEpoch == nil ? .complete : .diverged, nil))
        } catch let error as RunStoreError {
            throw error
        } catch {
            try checkpoints.finish(snapshot(recorder, .failed, nil, [("error", .string("\(error)"))]))
            log("\(position) failed   \(step.name): \(error)")
            return .failed("\(error)")
        }
        let file = try RunFile(url: url)
        let seconds = file.double("wall_seconds").map { String(format: "%.1f", $0) } ?? "?"
        let diverged = file.attributes["diverged_epoch"].map { " (diverged at epoch \($0))" } ?? ""
        log("\(position) stored   \(step.name) in \(seconds) s\(diverged): \(relative(url))")
        return .computed
    }

    /// The state, metrics and timings an interrupted run had at its last checkpoint.
    private func resumePoint(_ file: RunFile) throws -> ResumePoint {
        var state = TrainingState()
        for name in file.checkpointNames {
            switch try file.checkpoint(name) {
            case .floats(let values): state.floats[name] = values
            case .words(let words): state.words[name] = words.map { UInt64(bitPattern: $0) }
            }
        }
        let metrics = Dictionary(uniqueKeysWithValues: try file.metricNames.map { ($0, try file.metric($0)) })
        let timings = Dictionary(uniqueKeysWithValues: try file.timingNames.map { ($0, try file.timing($0)) })
        return ResumePoint(state: state, metrics: metrics, timings: timings)
    }

    private func identityAttributes(of step: any ComputeStep, data: LoadedData?, hash: String) -> [(String, AttributeValue)] {
        var attributes: [(String, AttributeValue)] = [
            ("study", .string(study.name)), ("step", .string(step.name)),
            ("run_id", .string(UUID().uuidString.lowercased())), ("profile", .string(context.profile.rawValue)),
            ("seed", .int(Int64(context.seed))), ("config", .string(step.config.canonicalJSON)),
            ("config_hash", .string(hash)), ("data", .string(data?.source.name ?? "none (made from the seed)")),
            ("data_identity", .string(data?.identity ?? "none")), ("created", .string(ISO8601DateFormatter().string(from: Date()))),
            ("command", .string(options.commandLine)), ("reproduce", .string(reproduceCommand)),
            ("engine_version", .int(Int64(Engine.version))),
            // The instruction-set path the kernels ran: every path gives the same bits
            // (`experiments verify` checks this machine's), so this is provenance, not identity.
            ("isa", .string(KernelPath.current.rawValue)),
        ]
        attributes += RunEnvironment.attributes
        return attributes
    }

    /// The cache key: the step's canonical config (derived from the whole step value,
    /// DerivedConfig.swift), the data's identity (its files' SHA-256), the run layout's
    /// schema version and the engine's version. Any change to one of them is a different run.
    func configHash(_ step: any ComputeStep, data: LoadedData?) -> String {
        let key = "schema=\(RunStore.schemaVersion)\nengine=\(Engine.version)\nconfig=\(step.config.canonicalJSON)\ndata=\(data?.identity ?? "none")\n"
        return String(Datasets.SHA256.hex(Array(key.utf8)).prefix(12))
    }

    /// Where each of the study's compute steps stores its run (whether or not it is there yet).
    public func runLocations() throws -> [(step: String, url: URL)] {
        try locate(try uniqueComputeSteps(try study.steps(for: context))).map { ($0.step.name, $0.url) }
    }

    // MARK: - report

    /// Redraws figures and rewrites the report from stored runs only; computes nothing.
    public func report() throws -> RunnerOutcome {
        let steps = try study.steps(for: context)
        let computeSteps = try uniqueComputeSteps(steps)
        try prepareFolders()
        let located = try locate(computeSteps)
        let missing = located.filter { if case .finished = $0.existing { return false } else { return true } }
        guard missing.isEmpty else {
            let names = missing.map(\.step.name)
            let listed = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            throw StudyError("\(study.name): no finished run for \(listed) in \(relative(runsFolder)); compute them with: \(reproduceCommand)")
        }
        var outcome = RunnerOutcome(reused: computeSteps.map(\.name))
        let stored = try located.map { StoredRun(step: $0.step.name, file: try RunFile(url: $0.url)) }
        try writeReport(steps: steps, results: StudyResults(runs: stored, order: computeSteps.map(\.name)),
                        outcome: &outcome)
        return outcome
    }

    private func writeReport(steps: [any StudyStep], results: StudyResults, outcome: inout RunnerOutcome) throws {
        let plotter: Plotter? = Plotter.findGnuplot() == nil ? nil : Plotter()
        if plotter == nil {
            outcome.figureProblem = "gnuplot not found on PATH: figures skipped (runs are stored; install it with scripts/setup.sh)"
        }
        var blocks: [ReportBlock] = []
        var reproductions: [Reproduction] = []
        for step in steps {
            switch step {
            case let text as Text:
                do { blocks.append(.text(try text.content(results))) } catch {
                    blocks.append(.problem("A paragraph could not be written: \(error)"))
                    outcome.viewProblems.append("a paragraph: \(error)")
                }
            case let figure as Figure:
                blocks.append(draw(figure, results: results, plotter: plotter, outcome: &outcome))
            case let table as Table:
                do { blocks.append(.table(title: table.title, content: try table.build(results))) } catch {
                    blocks.append(.problem("Table “\(table.title)” skipped: \(error)"))
                    outcome.viewProblems.append("table “\(table.title)”: \(error)")
                }
            case let rows as Reproductions:
                do {
                    let built = try rows.build(results)
                    reproductions += built
                    var table = Reproductions.table(built)
                    if variant != Scoreboard.textScale {
                        table.notes.append("This is the \(variant) report, at another scale or on other data than the texts': its verdicts are indicative. The scoreboard (results/index.md) counts those of the `--full` report.")
                    }
                    blocks.append(.table(title: rows.title, content: table))
                } catch {
                    blocks.append(.problem("Table “\(rows.title)” skipped: \(error)"))
                    outcome.viewProblems.append("table “\(rows.title)”: \(error)")
                }
            default:
                continue
            }
        }
        let report = Report(study: study, context: context, reproduceCommand: reproduceCommand,
                            redrawCommand: command("report"), blocks: blocks, runs: results.runs, folder: reportFolder)
        outcome.reportMarkdown = try report.writeMarkdown()
        outcome.reportHTML = try report.writeHTML()
        let summary = ReportSummary(
            study: study.name, variant: variant,
            report: outcome.reportMarkdown!.standardizedFileURL.path.replacingOccurrences(
                of: options.results.standardizedFileURL.path + "/", with: ""),
            generated: report.generated, runs: results.runs.count,
            failedRuns: results.runs.filter { $0.status != .complete && $0.status != .diverged }.count,
            wallSeconds: results.runs.reduce(0) { $0 + ($1.file.double("wall_seconds") ?? 0) },
            cpu: Set(results.runs.compactMap { $0.attribute("cpu") }).sorted().joined(separator: "; "),
            reproductions: reproductions)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeText(String(decoding: try encoder.encode(summary), as: UTF8.self),
                  to: reportFolder.appendingPathComponent(ReportSummary.fileName))
        if !options.studies.isEmpty {
            let index = try Scoreboard.write(results: options.results, studies: options.studies)
            outcome.scoreboard = index.markdown
        }
    }

    private func draw(_ figure: Figure, results: StudyResults, plotter: Plotter?,
                      outcome: inout RunnerOutcome) -> ReportBlock {
        do {
            let kind = try figure.build(results)
            guard let plotter else {
                return .figureSkipped(title: figure.title, reason: outcome.figureProblem ?? "gnuplot missing")
            }
            let spec = Plotting.Figure(name: figure.name, title: figure.title, kind: kind,
                                       width: figure.width, height: figure.height)
            let rendered = try plotter.render(spec, into: figuresFolder, formats: options.formats)
            return .figure(title: figure.title, rendered: rendered)
        } catch {
            let reason = "\(error)"
            if outcome.figureProblem == nil { outcome.figureProblem = "figure “\(figure.title)”: \(reason)" }
            return .figureSkipped(title: figure.title, reason: reason)
        }
    }

    // MARK: - helpers

    private func uniqueComputeSteps(_ steps: [any StudyStep]) throws -> [any ComputeStep] {
        let compute = steps.compactMap { $0 as? any ComputeStep }
        var seen = Set<String>()
        for step in compute where !seen.insert(step.name).inserted {
            throw StudyError("study \(study.name) names the step '\(step.name)' twice; step names must be unique")
        }
        return compute
    }

    /// Creates the study's folders, turning a permission or disk problem into one line.
    private func prepareFolders() throws {
        // A file where a folder of the path should be: Foundation only says "could not be completed".
        var ancestor = studyFolder
        while ancestor.path != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    throw StudyError("cannot create \(studyFolder.path): \(ancestor.path) is a file, not a folder")
                }
                break
            }
            ancestor.deleteLastPathComponent()
        }
        for folder in [runsFolder, reportFolder, figuresFolder] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw StudyError("cannot create \(folder.path): \(describe(error))")
            }
            guard FileManager.default.isWritableFile(atPath: folder.path) else {
                throw StudyError("results folder \(folder.path) is not writable")
            }
        }
    }

    func relative(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
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

