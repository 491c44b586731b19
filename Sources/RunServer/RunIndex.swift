import Foundation
import RunStore

/// Every run file under a results folder, with its reports and figures. `refresh()` lists the
/// folder again and reads only files that are new or were rewritten, so a running study's
/// checkpoints show up within one refresh, and 10,000 unchanged runs cost one stat each.
/// Readers take an immutable snapshot; the HTTP layer never sees a file path.
public final class RunIndex: @unchecked Sendable {
    public let results: URL
    private let lock = NSLock()
    private let refreshing = NSLock()
    private var current = IndexSnapshot()

    /// `results` is resolved once, so a results folder that is itself a symlink works, and any
    /// file whose real path leaves it is not indexed.
    public init(results: URL) {
        self.results = results.resolvingSymlinksInPath().standardizedFileURL
    }

    public var snapshot: IndexSnapshot {
        lock.withLock { current }
    }

    /// Lists the folder again; returns whether anything changed (then `generation` grows).
    @discardableResult
    public func refresh() -> Bool {
        refreshing.withLock {
            let previous = snapshot
            let locks = HeldLocks.current()
            let listing = ResultsListing(root: results)
            var changed = listing.runFiles.count != previous.runs.count
            var runs: [IndexedRun] = []
            runs.reserveCapacity(listing.runFiles.count)
            for (id, url) in listing.runFiles {
                guard let stamp = FileStamp(url: url) else { continue }
                var run: IndexedRun
                if let old = previous.run(id), old.file == stamp {
                    run = old
                } else {
                    run = Self.read(id: id, stamp: stamp)
                    changed = true
                }
                // Only a file that says running can be running or interrupted: the others' locks are not looked at.
                if let contents = run.contents, contents.status == .running {
                    let state = RunState(status: contents.status, lockHeld: locks.isHeld(forRun: url),
                                         epochsDone: contents.epochsDone, epochsPlanned: contents.epochsPlanned)
                    if state != run.state {
                        run.state = state
                        run.searchText = run.makeSearchText()
                        changed = true
                    }
                }
                let reports = listing.reportsNaming[id] ?? []
                if reports != run.reports {
                    run.reports = reports
                    changed = true
                }
                runs.append(run)
            }
            changed = changed || listing.artifacts != previous.artifacts
            guard changed else { return false }
            let next = IndexSnapshot(runs: runs, artifacts: listing.artifacts, generation: previous.generation + 1)
            lock.withLock { current = next }
            return true
        }
    }

    private static func read(id: String, stamp: FileStamp) -> IndexedRun {
        do {
            let contents = try RunContents(reading: stamp.url)
            return IndexedRun(id: id, file: stamp, contents: contents,
                              state: RunState(status: contents.status, lockHeld: false,
                                              epochsDone: contents.epochsDone, epochsPlanned: contents.epochsPlanned))
        } catch {
            // RunStore's message starts with the path; the table shows the reason only.
            let reason = "\(error)".components(separatedBy: ": ").dropFirst().joined(separator: ": ")
            return IndexedRun(id: id, file: stamp, contents: nil, state: .unreadable(reason.isEmpty ? "\(error)" : reason))
        }
    }
}

/// The index at one moment: runs sorted by id, and the report files the pages link to.
public struct IndexSnapshot: Sendable {
    public let runs: [IndexedRun]
    private let positions: [String: Int]
    /// Report pages and figures by their key (their path under the results folder), found by
    /// listing the folder: the only files besides runs the server ever sends.
    public let artifacts: [String: URL]
    /// Grows whenever a refresh found something new: the pages poll it to redraw.
    public let generation: Int
    /// Every config key and metric name some run has, for the pickers.
    public let configKeys: [String]
    public let metricNames: [String]

    init(runs: [IndexedRun] = [], artifacts: [String: URL] = [:], generation: Int = 0) {
        self.runs = runs
        self.artifacts = artifacts
        self.generation = generation
        positions = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.id, $0) })
        configKeys = Set(runs.flatMap { $0.contents?.config.keys.map { $0 } ?? [] }).sorted()
        metricNames = Set(runs.flatMap { $0.contents?.summaries.keys.map { $0 } ?? [] }).sorted()
    }

    public func run(_ id: String) -> IndexedRun? {
        positions[id].map { runs[$0] }
    }

    /// The figures of a report folder: its `figures/*.png` artifacts' keys.
    public func figures(of report: ReportFolder) -> [String] {
        artifacts.keys.filter { $0.hasPrefix(report.id + "/figures/") && $0.hasSuffix(".png") }.sorted()
    }
}
