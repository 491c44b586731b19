import Foundation
import RunStore

/// What the index keeps of one run file: read once when the file appears or changes, so a
/// page of the runs table never opens a file.
public struct IndexedRun: Sendable {
    /// The run's name in URLs: its path under the results folder without ".h5". The server
    /// looks ids up in the index only; an id never becomes a path.
    public let id: String
    public let file: FileStamp
    public internal(set) var state: RunState
    /// The reports whose text names this run file.
    public internal(set) var reports: [ReportFolder] = []
    /// nil when the file is not a readable run (`state` says why).
    public let contents: RunContents?
    /// Lower-case text the filter searches: id, study, step, state, config pairs, CPU.
    public internal(set) var searchText: String

    init(id: String, file: FileStamp, contents: RunContents?, state: RunState) {
        self.id = id
        self.file = file
        self.contents = contents
        self.state = state
        searchText = ""
        searchText = makeSearchText()
    }

    func makeSearchText() -> String {
        let config = contents?.config.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ") ?? ""
        return [id, contents?.study ?? "", contents?.step ?? "", state.label, config, contents?.cpu ?? "", contents?.isa ?? ""]
            .joined(separator: " ").lowercased()
    }
}

/// A file's identity and version: a checkpoint renames a new file into place, so the inode
/// and modification time tell a rewritten run from an unchanged one without reading it.
public struct FileStamp: Equatable, Sendable {
    public let url: URL
    let inode: UInt64
    let modified: Double
    let size: Int64

    /// nil when the file cannot be examined (it vanished between listing and looking).
    init?(url: URL) {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        self.url = url
        inode = UInt64(info.st_ino)
        modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        size = Int64(info.st_size)
    }
}

/// A readable run's attributes, config and metric summaries.
public struct RunContents: Sendable {
    public let run: RunFile
    public let study: String
    public let step: String
    public let status: RunStatus?
    public let created: Date?
    public let cpu: String
    public let isa: String
    /// The config flattened to dotted keys (RunStore.flattenConfig), as `compare` shows it.
    public let config: [String: String]
    public let summaries: [String: MetricSummary]
    /// Epochs recorded so far (the `epoch` metric's length) and planned (the config's `epochs`).
    public let epochsDone: Int
    public let epochsPlanned: Int?

    init(reading url: URL) throws {
        run = try RunFile(url: url)
        let metrics = try run.allMetrics()
        study = run.string("study") ?? url.deletingLastPathComponent().deletingLastPathComponent().lastPathComponent
        step = run.string("step") ?? url.deletingPathExtension().lastPathComponent
        status = run.status
        let stamp = run.string("finished") ?? run.string("created")
        created = stamp.flatMap { ISO8601DateFormatter().date(from: $0) }
        cpu = run.string("cpu") ?? ""
        isa = run.string("isa") ?? ""
        config = flattenConfig(run.string("config") ?? "{}")
        summaries = Dictionary(uniqueKeysWithValues: metrics.map { name, values in
            (name, MetricSummary(values: values, lowerIsBetter: MetricGoal.lowerIsBetter(name)))
        })
        epochsDone = metrics["epoch"]?.count ?? 0
        epochsPlanned = config["epochs"].flatMap { Int($0) }
    }
}

/// One report of a study (the default profile's, quick/, full/ or a variant's folder).
public struct ReportFolder: Equatable, Sendable, Codable {
    /// "init-study" or "init-study/quick": the folder under the results folder.
    public let id: String
    /// "default", "quick", "full", "full-1a2b3c4d".
    public let variant: String
}
