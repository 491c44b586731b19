import ConvNet
import Foundation
import RunStore

/// A whole run as it stands: attributes, what the step recorded, and (while running) the
/// training state to resume from.
struct RunSnapshot {
    let url: URL
    let attributes: [(String, AttributeValue)]
    let contents: RunContents
    let checkpoint: TrainingState?
    let status: RunStatus

    /// Writes the run file atomically (RunWriter's .partial, fsync and rename).
    func write() throws {
        let writer = try RunWriter(finalURL: url)
        do {
            for (name, value) in attributes { try writer.setAttribute(name, value) }
            try contents.write(into: writer)
            if let checkpoint {
                for (name, values) in checkpoint.floats { try writer.writeCheckpoint(name, values) }
                for (name, words) in checkpoint.words { try writer.writeCheckpoint(name, words.map { Int64(bitPattern: $0) }) }
            }
            try writer.commit(status: status)
        } catch {
            writer.abandon()
            throw error
        }
    }
}

/// Writes a run's checkpoints on a thread of their own while training goes on: an epoch
/// waits only for the copy of its state. If the previous checkpoint is still being written when the next is due,
/// the newer one waits for it (checkpoints land in order, one at a time). A write that
/// fails is reported at the next checkpoint or at the end, never lost.
final class CheckpointWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "experiments.checkpoints")
    private let lock = NSLock()
    private var failure: Error?
    /// Seconds training spent waiting for the store (previous writes, the final write).
    private(set) var waitedSeconds = 0.0

    func submit(_ snapshot: RunSnapshot) throws {
        try drain()
        queue.async {
            do { try snapshot.write() } catch { self.lock.withLock { if self.failure == nil { self.failure = error } } }
        }
    }

    /// Waits for pending checkpoints, then writes the finished run.
    func finish(_ snapshot: RunSnapshot) throws {
        try drain()
        let start = Date()
        try snapshot.write()
        waitedSeconds += Date().timeIntervalSince(start)
    }

    private func drain() throws {
        let start = Date()
        queue.sync {}
        waitedSeconds += Date().timeIntervalSince(start)
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
