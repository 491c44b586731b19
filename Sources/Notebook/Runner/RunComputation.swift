import ConvNet
import Foundation
import RunStore

/// Computes one run into its own file, resuming from its checkpoint when it has one. A step
/// that throws leaves a run with status `failed` and the reason, so `list --runs` and the
/// report show what happened. Another process computing the same run is left alone.
struct RunComputation {
    let study: String
    let invocation: Invocation
    let options: RunnerOptions
    let log: (String) -> Void

    func compute(_ run: RunPlan.Run, position: String) throws -> ComputeResult {
        let step = run.step, url = run.url
        guard let lock = try RunLock(for: url) else {
            log("\(position) busy     \(step.name): another process is computing it; skipped")
            return .busy
        }
        defer { lock.release() }
        let earlier = options.force ? nil : run.existing.interrupted
        let resume = try earlier.map(resumePoint)
        log("\(position) \(resume == nil ? "running " : "resuming") \(step.name): \(step.summary)")

        let bar = options.jobs == 1 && options.progressBars ? ProgressBar.onTerminal(label: step.name) : nil
        // With several runs at a time, each line says which run it is about.
        let say: (String) -> Void = options.jobs > 1
            ? { [log] line in log("  \(step.name): \(line.trimmingCharacters(in: .whitespaces))") } : log
        let store = RunStoring(url: url, identity: identity(of: run, resuming: earlier), earlier: earlier)
        let recorder = RunRecorder(resumed: resume, checkpointEvery: options.checkpointEvery,
                                   checkpointInterval: options.checkpointInterval,
                                   threads: max(1, availableCores() / max(options.jobs, 1)),
                                   log: { line in bar?.clear(); say(line) }, progress: bar.map { bar in { bar.show($0) } },
                                   saveCheckpoint: { recorder, state in
                                       try store.checkpoints.submit(store.snapshot(recorder, .running, state))
                                   })
        // The bar goes before any line that follows the computation, however it ends.
        func computeStep() throws {
            defer { bar?.clear() }
            try step.compute(data: run.data, into: recorder)
        }
        do {
            try computeStep()
            try store.checkpoints.finish(store.snapshot(recorder, recorder.divergedEpoch == nil ? .complete : .diverged, nil))
        } catch let error as RunStoreError {
            throw error
        } catch {
            try store.checkpoints.finish(store.snapshot(recorder, .failed, nil, [("error", .string("\(error)"))]))
            log("\(position) failed   \(step.name): \(error)")
            return .failed("\(error)")
        }
        let file = try RunFile(url: url)
        let seconds = file.double("wall_seconds").map { String(format: "%.1f", $0) } ?? "?"
        let diverged = file.attributes["diverged_epoch"].map { " (diverged at epoch \($0))" } ?? ""
        log("\(position) stored   \(step.name) in \(seconds) s\(diverged): \(relativePath(url))")
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

    /// What a run file records of where it comes from. A resumed run keeps the identity it
    /// started with and counts its resumptions.
    private func identity(of run: RunPlan.Run, resuming earlier: RunFile?) -> [(String, AttributeValue)] {
        let context = invocation.context
        var attributes: [(String, AttributeValue)] = [
            ("study", .string(study)), ("step", .string(run.step.name)),
            ("run_id", .string(UUID().uuidString.lowercased())), ("profile", .string(context.profile.rawValue)),
            ("seed", .int(Int64(context.seed))), ("config", .string(run.step.config.canonicalJSON)),
            ("config_hash", .string(run.hash)), ("data", .string(run.data?.source.name ?? "none (made from the seed)")),
            ("data_identity", .string(run.data?.identity ?? "none")), ("created", .string(ISO8601DateFormatter().string(from: Date()))),
            ("command", .string(options.commandLine)), ("reproduce", .string(invocation.commandLine(.run))),
            ("engine_version", .int(Int64(Engine.version))),
            // The instruction-set path the kernels ran: every path gives the same bits
            // (`experiments verify` checks this machine's), so this is provenance, not identity.
            ("isa", .string(KernelPath.current.rawValue)),
        ]
        attributes += RunEnvironment.attributes
        if let earlier {
            for name in ["run_id", "created"] { if let value = earlier.attributes[name] { attributes.append((name, value)) } }
            attributes.append(("resumptions", .int((earlier.int("resumptions") ?? 0) + 1)))
        }
        return attributes
    }
}

/// Where a run in progress is written: the whole run so far, at each checkpoint (on the
/// `CheckpointWriter`'s thread while training goes on) and at the end with its final status.
private struct RunStoring {
    let url: URL
    let identity: [(String, AttributeValue)]
    let earlierSeconds: Double
    let earlierStoreSeconds: Double
    let start = Date()
    let checkpoints = CheckpointWriter()

    init(url: URL, identity: [(String, AttributeValue)], earlier: RunFile?) {
        self.url = url
        self.identity = identity
        earlierSeconds = earlier?.double("wall_seconds") ?? 0
        earlierStoreSeconds = earlier?.double("store_seconds") ?? 0
    }

    /// The run with `status` and (while running) the checkpoint. `store_seconds` is the time
    /// training waited for the store: the runner's overhead.
    func snapshot(_ recorder: RunRecorder, _ status: RunStatus, _ checkpoint: TrainingState?,
                  _ extra: [(String, AttributeValue)] = []) -> RunSnapshot {
        let seconds = earlierSeconds + Date().timeIntervalSince(start)
        let stored = earlierStoreSeconds + checkpoints.waitedSeconds
        return RunSnapshot(url: url, attributes: identity + extra + [
            ("wall_seconds", .double((seconds * 1000).rounded() / 1000)),
            ("store_seconds", .double((stored * 1e4).rounded() / 1e4)),
        ], contents: recorder.contents, checkpoint: checkpoint, status: status)
    }
}
