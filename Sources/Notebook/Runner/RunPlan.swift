import ConvNet
import Datasets
import Foundation
import RunStore

/// Which runs a study needs for its context, where each is stored, and which of them this
/// process computes: the stored ones are reused, the others are this shard's or another's.
/// Making a plan reads every data set (missing or malformed data stops the study before its
/// first run) and the runs folder; it computes nothing.
struct RunPlan {
    /// A compute step's run: where it is (or will be) stored and what is there now.
    struct Run {
        let step: any ComputeStep
        let data: LoadedData?
        let hash: String
        let url: URL
        let existing: Existing
        /// The earlier step of the study with the same cache key, whose run this one shares.
        let twin: String?
    }

    enum Existing {
        case missing, finished(RunFile), unfinished(RunFile)

        var isFinished: Bool { if case .finished = self { return true } else { return false } }
        /// A run that stopped mid-way and left a checkpoint to resume from.
        var interrupted: RunFile? {
            guard case .unfinished(let file) = self, !file.checkpointNames.isEmpty else { return nil }
            return file
        }
    }

    let steps: [any StudyStep]
    /// One per compute step, in study order.
    let runs: [Run]

    /// The steps of the study for `context`, their runs located in `runsFolder`.
    /// `beforeReadingData` runs once the steps are known to be valid (`run` creates the folders there).
    init(study: Study, context: StudyContext, runsFolder: URL, log: @escaping (String) -> Void,
         beforeReadingData: () throws -> Void = {}) throws {
        steps = try study.steps(for: context)
        let compute = steps.compactMap { $0 as? any ComputeStep }
        var seen = Set<String>()
        for step in compute where !seen.insert(step.name).inserted {
            throw StudyError("study \(study.name) names the step '\(step.name)' twice; step names must be unique")
        }
        try beforeReadingData()
        let data = try Self.loadData(of: compute, userData: context.data, study: study.name, log: log)
        runs = try RunLocator(folder: runsFolder, log: log).locate(compute, data: data)
    }

    /// Reads and checks every data set the steps need, before any run is computed. A --data
    /// set is read even when no step uses it, so a typo in a path never passes silently; a
    /// config holding NaN or infinity has no cache key.
    private static func loadData(of steps: [any ComputeStep], userData: DataSource?, study: String,
                                 log: (String) -> Void) throws -> [DataSource: LoadedData] {
        var loaded: [DataSource: LoadedData] = [:]
        for source in steps.compactMap(\.data) where loaded[source] == nil {
            loaded[source] = try DataLoader.load(source)
        }
        if let userData, loaded[userData] == nil {
            _ = try DataLoader.load(userData)
            log("note: \(study) does not use --data; its runs use the data sets its text names")
        }
        for step in steps {
            if let field = step.config.nonFiniteField {
                throw StudyError("step \(step.name): config\(field) is not a finite number")
            }
            guard let source = step.data, let data = loaded[source] else { continue }
            do { try step.check(data) } catch { throw StudyError("step \(step.name): \(error)") }
        }
        return loaded
    }

    var computeStepNames: [String] { runs.map(\.step.name) }

    /// The runs that are not finished yet (`report` names them).
    var unfinished: [Run] { runs.filter { !$0.existing.isFinished } }

    /// What this process does with each run. Shards split the study's list of runs (not the
    /// pending ones), so the slices do not depend on what other shards have finished; a run
    /// that shares its twin's config goes with the twin.
    func slice(shard: Shard, force: Bool) -> Slice {
        var slice = Slice()
        let index = Dictionary(runs.enumerated().map { ($1.step.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (position, run) in runs.enumerated() {
            let owner = run.twin.flatMap { index[$0] } ?? position
            if !force && run.existing.isFinished {
                slice.stored.append(run.step.name)
            } else if !shard.owns(owner) {
                if run.existing.isFinished { slice.stored.append(run.step.name) } else { slice.elsewhere.append(run.step.name) }
            } else if let twin = run.twin {
                slice.sharing.append((run.step.name, twin))
            } else {
                slice.pending.append(run)
            }
        }
        return slice
    }

    /// This process's part of a plan.
    struct Slice {
        var stored: [String] = []
        var elsewhere: [String] = []
        /// Runs computed here, once each.
        var pending: [Run] = []
        /// Steps whose twin (an earlier step with the same config) is computed here: they share its run.
        var sharing: [(step: String, twin: String)] = []
    }
}

/// Slice `index` (from 1) of `count` of a study's runs: a Slurm job array's task, or the
/// whole study when `count` is 1.
public struct Shard: Sendable {
    public let index: Int
    public let count: Int
    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    func owns(_ position: Int) -> Bool { position % count == index - 1 }
}
