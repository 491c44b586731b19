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

    public init(results: URL = URL(fileURLWithPath: "results"), formats: [OutputFormat] = [.png, .svg],
                force: Bool = false, commandLine: String = CommandLine.arguments.joined(separator: " ")) {
        self.results = results
        self.formats = formats
        self.force = force
        self.commandLine = commandLine
    }
}

/// What a `run` or `report` did, for the command line to sum up.
public struct RunnerOutcome: Sendable {
    public var computed: [String] = []
    public var reused: [String] = []
    /// "step: reason", one per failed or diverged run.
    public var failed: [String] = []
    /// Why figures were skipped (gnuplot missing or failing), if they were.
    public var figureProblem: String?
    public var reportMarkdown: URL?
    public var reportHTML: URL?
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
    var runsFolder: URL { studyFolder.appendingPathComponent("runs", isDirectory: true) }
    var figuresFolder: URL { studyFolder.appendingPathComponent("figures", isDirectory: true) }

    /// The command that recomputes this study as configured.
    public var reproduceCommand: String {
        var parts = ["swift run experiments run", study.name]
        switch context.profile {
        case .quick: parts.append("--quick")
        case .full: parts.append("--full")
        case .standard: break
        }
        if context.seed != 0 { parts.append("--seed \(context.seed)") }
        if case .idxFolder(let folder)? = context.userMNIST { parts.append("--data \(folder)") }
        return parts.joined(separator: " ")
    }

    // MARK: - run

    /// Computes what is not stored yet, then draws the figures and writes the report.
    public func run() throws -> RunnerOutcome {
        let steps = study.steps(for: context)
        let computeSteps = try uniqueComputeSteps(steps)
        try prepareFolders()
        var outcome = RunnerOutcome()
        // Every data set is read (and checked) before anything is computed, so missing or
        // malformed data stops the study before its first run, not in the middle.
        var loadedData: [DataSource: LoadedData] = [:]
        for source in computeSteps.compactMap(\.data) where loadedData[source] == nil {
            loadedData[source] = try DataLoader.load(source)
        }
        // A --data folder is checked even when the study does not train on it, so a typo
        // in the path never passes silently.
        if let user = context.userMNIST, loadedData[user] == nil {
            _ = try DataLoader.load(user)
            log("note: \(study.name) does not use --data; its runs use the data sets its text names")
        }
        var stored: [StoredRun] = []

        for (number, step) in computeSteps.enumerated() {
            let position = "[\(number + 1)/\(computeSteps.count)]"
            let data = step.data.flatMap { loadedData[$0] }
            let url = runsFolder.appendingPathComponent("\(step.name)-\(configHash(step, data: data)).h5")

            if !options.force, let existing = try reusableRun(at: url) {
                log("\(position) cached   \(step.name): \(relative(url))")
                stored.append(StoredRun(step: step.name, file: existing))
                outcome.reused.append(step.name)
                continue
            }
            log("\(position) running  \(step.name): \(step.summary)")
            let (file, failure) = try compute(step, data: data, at: url)
            stored.append(StoredRun(step: step.name, file: file))
            if let failure {
                log("\(position) failed   \(step.name): \(failure)")
                outcome.failed.append("\(step.name): \(failure)")
            } else {
                let seconds = file.attributes["wall_seconds"].map(\.description) ?? "?"
                let diverged = file.attributes["diverged_epoch"].map { " (diverged at epoch \($0))" } ?? ""
                log("\(position) stored   \(step.name) in \(seconds) s\(diverged): \(relative(url))")
                outcome.computed.append(step.name)
            }
        }
        try writeReport(steps: steps, results: StudyResults(runs: stored, order: computeSteps.map(\.name)),
                        outcome: &outcome)
        return outcome
    }

    /// A complete run stored at `url`, or nil when it must be computed. A file there
    /// that is not a readable run is moved aside, never overwritten.
    private func reusableRun(at url: URL) throws -> RunFile? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let file = try RunFile(url: url)
            // A diverged run is a finished result too: computing it again gives the same NaN.
            return file.status == .complete || file.status == .diverged ? file : nil
        } catch {
            let aside = url.appendingPathExtension("unreadable-\(Int(Date().timeIntervalSince1970))")
            try FileManager.default.moveItem(at: url, to: aside)
            log("warning: \(error); moved it to \(relative(aside)) and recomputing")
            return nil
        }
    }

    /// Computes one run into its own file. A step that throws leaves a run with status
    /// `failed` and the reason, so `list --runs` and the report show what happened.
    private func compute(_ step: any ComputeStep, data: LoadedData?, at url: URL) throws -> (RunFile, String?) {
        let writer = try RunWriter(finalURL: url)
        var failure: String?
        do {
            try writeIdentity(of: step, data: data, hash: configHash(step, data: data), into: writer)
            let start = Date()
            let recorder = RunRecorder(writer: writer, log: log)
            try step.compute(data: data, into: recorder)
            try writer.setAttribute("wall_seconds", .double((Date().timeIntervalSince(start) * 1000).rounded() / 1000))
            try writer.commit(status: recorder.divergedEpoch == nil ? .complete : .diverged)
        } catch let error as RunStoreError {
            writer.abandon()
            throw error
        } catch {
            failure = "\(error)"
            try writer.setAttribute("error", .string("\(error)"))
            try writer.commit(status: .failed)
        }
        return (try RunFile(url: url), failure)
    }

    private func writeIdentity(of step: any ComputeStep, data: LoadedData?, hash: String, into writer: RunWriter) throws {
        let iso = ISO8601DateFormatter()
        try writer.setAttribute("study", .string(study.name))
        try writer.setAttribute("step", .string(step.name))
        try writer.setAttribute("run_id", .string(UUID().uuidString.lowercased()))
        try writer.setAttribute("profile", .string(context.profile.rawValue))
        try writer.setAttribute("seed", .int(Int64(context.seed)))
        try writer.setAttribute("config", .string(step.config.canonicalJSON))
        try writer.setAttribute("config_hash", .string(hash))
        try writer.setAttribute("data", .string(data?.source.name ?? "none (made from the seed)"))
        try writer.setAttribute("data_identity", .string(data?.identity ?? "none"))
        try writer.setAttribute("created", .string(iso.string(from: Date())))
        try writer.setAttribute("command", .string(options.commandLine))
        try writer.setAttribute("reproduce", .string(reproduceCommand))
        try writer.setAttribute("threads", .int(Int64(RunEnvironment.blasThreads)))
        try writer.setAttribute("engine_version", .int(Int64(Engine.version)))
        for (name, value) in RunEnvironment.attributes { try writer.setAttribute(name, value) }
    }

    /// The cache key: the step's canonical config, the data's identity, the run layout's
    /// schema version and the engine's version. Any change to one of them is a different run.
    func configHash(_ step: any ComputeStep, data: LoadedData?) -> String {
        let key = "schema=\(RunStore.schemaVersion)\nengine=\(Engine.version)\nconfig=\(step.config.canonicalJSON)\ndata=\(data?.identity ?? "none")\n"
        return String(Datasets.SHA256.hex(Array(key.utf8)).prefix(12))
    }

    // MARK: - report

    /// Redraws figures and rewrites the report from stored runs only; computes nothing.
    public func report() throws -> RunnerOutcome {
        let steps = study.steps(for: context)
        let computeSteps = try uniqueComputeSteps(steps)
        var stored: [StoredRun] = []
        var missing: [String] = []
        for step in computeSteps {
            if let file = try storedRun(for: step) {
                stored.append(StoredRun(step: step.name, file: file))
            } else {
                missing.append(step.name)
            }
        }
        guard missing.isEmpty else {
            throw StudyError("\(study.name): no stored run for \(missing.joined(separator: ", ")) in \(relative(runsFolder)); compute them with: \(reproduceCommand)")
        }
        try prepareFolders()
        var outcome = RunnerOutcome(reused: computeSteps.map(\.name))
        try writeReport(steps: steps, results: StudyResults(runs: stored, order: computeSteps.map(\.name)),
                        outcome: &outcome)
        return outcome
    }

    /// The newest finished run of a step whose stored config equals the step's config.
    private func storedRun(for step: any ComputeStep) throws -> RunFile? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []
        let config = step.config.canonicalJSON
        let candidates = names.filter { $0.hasPrefix(step.name + "-") && $0.hasSuffix(".h5") }
            .compactMap { try? RunFile(url: runsFolder.appendingPathComponent($0)) }
            .filter { $0.string("config") == config && $0.status != .running }
        return candidates.max { ($0.string("finished") ?? "") < ($1.string("finished") ?? "") }
    }

    private func writeReport(steps: [any StudyStep], results: StudyResults, outcome: inout RunnerOutcome) throws {
        let plotter: Plotter? = Plotter.findGnuplot() == nil ? nil : Plotter()
        if plotter == nil {
            outcome.figureProblem = "gnuplot not found on PATH: figures skipped (runs are stored; install it with scripts/setup.sh)"
        }
        var blocks: [ReportBlock] = []
        for step in steps {
            switch step {
            case let text as Text:
                do { blocks.append(.text(try text.content(results))) } catch {
                    blocks.append(.problem("A paragraph could not be written: \(error)"))
                }
            case let figure as Figure:
                blocks.append(draw(figure, results: results, plotter: plotter, outcome: &outcome))
            case let table as Table:
                do { blocks.append(.table(title: table.title, content: try table.build(results))) } catch {
                    blocks.append(.problem("Table “\(table.title)” skipped: \(error)"))
                }
            default:
                continue
            }
        }
        let report = Report(study: study, context: context, reproduceCommand: reproduceCommand,
                            blocks: blocks, runs: results.runs, folder: studyFolder)
        outcome.reportMarkdown = try report.writeMarkdown()
        outcome.reportHTML = try report.writeHTML()
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
        for folder in [runsFolder, figuresFolder] {
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
