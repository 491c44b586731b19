import Foundation
import RunStore

/// What the runs table says of a run. A file that says `running` is running only while a
/// process holds its lock in `runs/.locks/`; otherwise that process ended mid-run
/// (`interrupted`: the same command resumes it from its last checkpoint).
public enum RunState: Equatable, Sendable {
    case complete, diverged, failed
    case running(epoch: Int, of: Int?)
    case interrupted(epoch: Int, of: Int?)
    case unreadable(String)

    public init(status: RunStatus?, lockHeld: Bool, epochsDone: Int, epochsPlanned: Int?) {
        switch status {
        case .complete?: self = .complete
        case .diverged?: self = .diverged
        case .failed?: self = .failed
        case .running?: self = lockHeld ? .running(epoch: epochsDone, of: epochsPlanned)
                                        : .interrupted(epoch: epochsDone, of: epochsPlanned)
        case nil: self = .unreadable("no known status")
        }
    }

    /// One word for filters and styles.
    public var kind: String {
        switch self {
        case .complete: return "complete"
        case .diverged: return "diverged"
        case .failed: return "failed"
        case .running: return "running"
        case .interrupted: return "interrupted"
        case .unreadable: return "unreadable"
        }
    }

    /// "running, epoch 3 of 10", "interrupted after epoch 2", "unreadable: not an HDF5 file";
    /// a step that counts no epochs (k-NN) is just "running" or "interrupted".
    public var label: String {
        func progress(_ words: String, _ epoch: Int, _ total: Int?) -> String {
            epoch == 0 && total == nil ? "" : "\(words)\(epoch)" + (total.map { " of \($0)" } ?? "")
        }
        switch self {
        case .running(let epoch, let total): return "running" + progress(", epoch ", epoch, total)
        case .interrupted(let epoch, let total): return "interrupted" + progress(" after epoch ", epoch, total)
        case .unreadable(let reason): return "unreadable: \(reason)"
        default: return kind
        }
    }
}

/// The files some process holds an flock(2) on, read from /proc/locks: looking does not take
/// the lock, so a runner starting that instant never finds its run taken by the server.
struct HeldLocks {
    let inodes: Set<UInt64>

    /// /proc/locks lines read "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"; the inode
    /// is the last part of the fifth field.
    init(procLocks: String) {
        inodes = Set(procLocks.split(separator: "\n").compactMap { line -> UInt64? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 5, fields[1] == "FLOCK" else { return nil }
            return fields[5].split(separator: ":").last.flatMap { UInt64($0) }
        })
    }

    static func current() -> HeldLocks {
        HeldLocks(procLocks: (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? "")
    }

    /// Whether a process holds the lock of `run` (runs/.locks/<file>.lock); no lock file, no lock.
    func isHeld(forRun run: URL) -> Bool {
        let lock = run.deletingLastPathComponent().appendingPathComponent(".locks")
            .appendingPathComponent(run.lastPathComponent + ".lock")
        var info = stat()
        guard stat(lock.path, &info) == 0 else { return false }
        return inodes.contains(UInt64(info.st_ino))
    }
}
