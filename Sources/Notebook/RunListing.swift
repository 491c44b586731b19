import ConvNet
import Foundation
import RunStore

/// `experiments list --runs`: every stored run under a results folder, one line each:
/// study, step, profile, status, age and headline metric. Unreadable files are listed with
/// the reason, not skipped. A run made by an older engine is kept and listed as such: its
/// numbers stand, but `run` computes that config afresh instead of reusing it.
public func listRuns(in results: URL, study: String? = nil, now: Date = Date()) throws -> String {
    let root = study.map { results.appendingPathComponent($0) } ?? results
    guard FileManager.default.fileExists(atPath: root.path) else {
        throw StudyError("\(root.path): no stored runs (run a study first: swift run experiments run \(study ?? "<study>"))")
    }
    let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
        .compactMap { $0 as? URL } ?? [])
        .filter { $0.pathExtension == "h5" || $0.lastPathComponent.hasSuffix(".h5.partial") }
        .sorted { $0.path < $1.path }
    guard !files.isEmpty else { return "no stored runs in \(root.path)\n" }
    var rows: [[String]] = [["study", "step", "profile", "status", "age", "headline", "file"]]
    let iso = ISO8601DateFormatter()
    for url in files {
        let path = url.path.hasPrefix(results.path + "/") ? String(url.path.dropFirst(results.path.count + 1)) : url.path
        if url.lastPathComponent.hasSuffix(".partial") {
            rows.append(["", "", "", "running (partial)", "", "", path])
            continue
        }
        guard let run = try? RunFile(url: url) else {
            rows.append(["", "", "", "unreadable", "", "", path])
            continue
        }
        let stamp = run.string("finished") ?? run.string("created")
        let age = stamp.flatMap(iso.date(from:)).map { describeAge(now.timeIntervalSince($0)) } ?? "?"
        var status = run.string("status") ?? "?"
        switch run.attributes["engine_version"] {
        case .int(let engine)? where engine == Engine.version: break
        case .int(let engine)?: status += ", engine \(engine)"
        default: status += ", older engine"   // written before runs recorded it
        }
        rows.append([run.string("study") ?? "?", run.string("step") ?? "?", run.string("profile") ?? "?", status, age,
                     headline(run), path])
    }
    let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n") + "\n"
}

/// The metric a reader looks at first, its last value: test accuracy, accuracy, the spread
/// of activations at the last layer, or else the first metric stored that is not an axis
/// (`layer`, `epoch`, `k` only number the points of the others).
private func headline(_ run: RunFile) -> String {
    let axes: Set = ["layer", "epoch", "k"]
    guard let name = ["test_accuracy", "accuracy", "std"].first(where: run.metricNames.contains)
            ?? run.metricNames.first(where: { !axes.contains($0) }),
          let last = (try? run.metric(name))?.last else { return "" }
    return "\(name) \(formatNumber(last))"
}

private func describeAge(_ seconds: TimeInterval) -> String {
    switch seconds {
    case ..<90: return "\(Int(max(seconds, 0)))s ago"
    case ..<(90 * 60): return "\(Int(seconds / 60))m ago"
    case ..<(36 * 3600): return "\(Int(seconds / 3600))h ago"
    default: return "\(Int(seconds / 86400))d ago"
    }
}

/// A stored run that no command reuses any more: made by another engine version than this
/// one (its cache key names that version, so `run` computes the config afresh).
public struct OlderRun: Sendable {
    public let url: URL
    public let engine: String
    public let bytes: Int64
}

/// The runs under `results` made by another engine version, oldest engine first. Unreadable
/// files and runs of this engine are left out: prune removes only what is certainly stale.
public func olderRuns(in results: URL) throws -> [OlderRun] {
    guard FileManager.default.fileExists(atPath: results.path) else {
        throw StudyError("\(results.path): no stored runs")
    }
    let files = (FileManager.default.enumerator(at: results, includingPropertiesForKeys: [.fileSizeKey])?
        .compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "h5" }
    return files.compactMap { url -> OlderRun? in
        guard let run = try? RunFile(url: url) else { return nil }
        let engine: String
        switch run.attributes["engine_version"] {
        // This engine's runs, and a newer engine's (a results folder shared with a newer checkout), stay.
        case .int(let version)? where version >= Engine.version: return nil
        case .int(let version)?: engine = "engine \(version)"
        default: engine = "engine before 2"
        }
        let bytes = Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        return OlderRun(url: url, engine: engine, bytes: bytes)
    }.sorted { ($0.engine, $0.url.path) < ($1.engine, $1.url.path) }
}
