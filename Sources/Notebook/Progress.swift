import Foundation

/// A one-line progress bar on standard error, redrawn in place at most ten times a
/// second: epoch, mini-batch, mean loss so far, images/s and the run's ETA. Only on a
/// terminal; logs that are not a terminal (CI) get the one line per epoch instead.
final class ProgressBar {
    private let label: String
    private var started: Date?
    private var startFraction = 0.0
    private var lastDrawn = Date.distantPast
    private var samplesBefore = 0, lastEpoch = 0, lastSamples = 0
    private var visible = false

    /// A bar when standard error is a terminal, nil otherwise.
    static func onTerminal(label: String) -> ProgressBar? {
        isatty(STDERR_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? ProgressBar(label: label) : nil
    }

    private init(label: String) { self.label = label }

    func show(_ progress: Progress) {
        let now = Date()
        let fraction = (Double(progress.epoch - 1) + Double(progress.batch) / Double(max(progress.batches, 1)))
            / Double(max(progress.epochs, 1))
        if started == nil {
            started = now
            startFraction = fraction
            lastEpoch = progress.epoch
        }
        if progress.epoch != lastEpoch {
            samplesBefore += lastSamples
            lastEpoch = progress.epoch
        }
        lastSamples = progress.samples
        guard now.timeIntervalSince(lastDrawn) >= 0.1 || progress.batch == progress.batches else { return }
        lastDrawn = now
        let elapsed = now.timeIntervalSince(started!)
        let rate = elapsed > 0 ? Double(samplesBefore + progress.samples) / elapsed : 0
        let done = fraction - startFraction
        let eta = done > 0 ? elapsed * (1 - fraction) / done : .nan
        let width = 20, filled = Int((Double(progress.batch) / Double(max(progress.batches, 1)) * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "  \(label) epoch \(progress.epoch)/\(progress.epochs) \(bar) \(progress.batch)/\(progress.batches)"
            + "  loss \(String(format: "%.4f", progress.loss))  \(Int(rate)) img/s  ETA \(clock(eta))"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        visible = true
    }

    /// Removes the bar so that a log line can take its place.
    func clear() {
        guard visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        visible = false
    }

    private func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }
}

/// Hands out 0, 1, 2, ... to the workers of `--jobs`, each number once.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard next < limit else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

/// An exclusive lock on one run, so that two processes sharing a results folder (shards, or
/// two terminals) never compute the same run at once. flock(2) locks vanish with their
/// process, so a crash never leaves a run locked. The lock files stay (removing them would
/// race with a process that just opened one).
final class RunLock {
    private let descriptor: Int32

    /// nil when another process holds the lock.
    init?(for run: URL) throws {
        let folder = run.deletingLastPathComponent().appendingPathComponent(".locks", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(run.lastPathComponent + ".lock").path
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw StudyError("cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
