import ConvNet
import Datasets
import Foundation
import RunStore

/// Finds each compute step's run by its cache key. A run is stored as
/// `<runs>/<step>-<key>.h5`; a run of another config, data or engine version has another key,
/// so no lookup ever picks it. Steps of one study with the same key (identical configs under
/// other names) share one run: the first's, or any finished run of that key in the folder.
struct RunLocator {
    let folder: URL
    let log: (String) -> Void

    func locate(_ steps: [any ComputeStep], data: [DataSource: LoadedData]) throws -> [RunPlan.Run] {
        let stored = storedFilesByKey()
        var first: [String: RunPlan.Run] = [:]
        return try steps.map { step in
            let loaded = step.data.flatMap { data[$0] }
            let hash = RunLocator.key(of: step, data: loaded)
            if let twin = first[hash] {
                return RunPlan.Run(step: step, data: loaded, hash: hash, url: twin.url, existing: twin.existing,
                                   twin: twin.step.name)
            }
            let own = folder.appendingPathComponent("\(step.name)-\(hash).h5")
            var (url, existing) = (own, try inspect(own))
            if !existing.isFinished, let other = finishedRun(among: stored[hash] ?? [], besides: own) {
                (url, existing) = (other.url, .finished(other))
            }
            let run = RunPlan.Run(step: step, data: loaded, hash: hash, url: url, existing: existing, twin: nil)
            first[hash] = run
            return run
        }
    }

    /// The cache key: the step's canonical config (derived from the whole step value,
    /// DerivedConfig.swift), the data's identity (its files' SHA-256), the run layout's
    /// schema version and the engine's version. Any change to one of them is a different run.
    static func key(of step: any ComputeStep, data: LoadedData?) -> String {
        let key = "schema=\(RunStore.schemaVersion)\nengine=\(Engine.version)\nconfig=\(step.config.canonicalJSON)\ndata=\(data?.identity ?? "none")\n"
        return String(Datasets.SHA256.hex(Array(key.utf8)).prefix(12))
    }

    /// The run files in the folder by their key (the 12 characters after the last "-").
    private func storedFilesByKey() -> [String: [URL]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var byKey: [String: [URL]] = [:]
        for name in names.sorted() where name.hasSuffix(".h5") {
            guard let dash = name.dropLast(3).lastIndex(of: "-") else { continue }
            byKey[String(name[name.index(after: dash)...].dropLast(3)), default: []].append(folder.appendingPathComponent(name))
        }
        return byKey
    }

    /// A complete or diverged run among `candidates` (another step's name, the same key).
    private func finishedRun(among candidates: [URL], besides own: URL) -> RunFile? {
        for url in candidates where url.lastPathComponent != own.lastPathComponent {
            if let file = try? RunFile(url: url), file.status == .complete || file.status == .diverged { return file }
        }
        return nil
    }

    /// What is stored at `url`. A complete or diverged run is a finished result (computing a
    /// diverged run again gives the same NaN); a running one was interrupted; a failed one is
    /// computed again. A file there that is not a readable run is moved aside, never overwritten.
    private func inspect(_ url: URL) throws -> RunPlan.Existing {
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        do {
            let file = try RunFile(url: url)
            return file.status == .complete || file.status == .diverged ? .finished(file) : .unfinished(file)
        } catch let error as RunStoreError where error.newerSchemaVersion != nil {
            throw StudyError("\(relativePath(url)) was written by a newer experiments (run schema \(error.newerSchemaVersion!), this one reads \(RunStore.schemaVersion)); update experiments or use another --results folder. Nothing was changed.")
        } catch {
            let aside = url.appendingPathExtension("unreadable-\(Int(Date().timeIntervalSince1970))")
            try FileManager.default.moveItem(at: url, to: aside)
            log("warning: \(error); moved it to \(relativePath(aside)) and recomputing")
            return .missing
        }
    }
}

/// A path relative to the working directory when it is below it, for messages.
func relativePath(_ url: URL) -> String {
    let cwd = FileManager.default.currentDirectoryPath + "/"
    return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
}
