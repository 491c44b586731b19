import CHDF5
import Foundation

/// Writes one run. Everything goes to `<final>.h5.partial`; commit() flushes, fsyncs and renames it
/// into place atomically, so a reader never sees a half-written file at the final path.
///
/// After a failed call, call abandon() to remove the partial file. A writer dropped without
/// commit() or abandon() closes its file and leaves the partial file, as a crash would.
public final class RunWriter {
    public let finalURL: URL
    private let partialURL: URL
    private var state: State

    private enum State {
        case open(hid_t)
        case failedCommit
        case committed
        case abandoned
    }

    /// Creates (truncates) the .partial file with the schema attributes, status = running and
    /// created = now; creates the parent folder if missing.
    public init(finalURL: URL) throws {
        self.finalURL = finalURL
        partialURL = RunStore.partialURL(for: finalURL)
        let partial = partialURL
        do {
            try FileManager.default.createDirectory(at: finalURL.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
        } catch {
            throw RunStoreError("\(partial.relativePath): cannot create its folder (\(error.localizedDescription))")
        }
        do {
            state = .open(try HDF5.locked {
                let file = try HDF5.createFile(partial.path)
                do {
                    try HDF5.writeAttribute("schema", .string(RunStore.schemaName), on: file)
                    try HDF5.writeAttribute("schema_version", .int(RunStore.schemaVersion), on: file)
                    try HDF5.writeAttribute("status", .string(RunStatus.running.rawValue), on: file)
                    try HDF5.writeAttribute("created", .string(RunStore.timestamp()), on: file)
                    for group in [RunStore.dataGroup, RunStore.metricsGroup, RunStore.tensorsGroup] {
                        try HDF5.createGroup(group, in: file)
                    }
                } catch {
                    Self.discard(file, at: partial.path)
                    throw error
                }
                return file
            })
        } catch let failure as HDF5Failure {
            throw RunStoreError("\(partial.relativePath): cannot create the run file (\(failure.detail))")
        }
    }

    deinit {
        if case .open(let file) = state {
            HDF5.locked { HDF5.closeIfFlushed(file) }
        }
    }

    /// Sets (or replaces) a root attribute.
    public func setAttribute(_ name: String, _ value: AttributeValue) throws {
        guard !name.isEmpty else {
            throw RunStoreError("\(partialURL.relativePath): an attribute name must not be empty")
        }
        try write("set attribute '\(name)'") { file in
            try HDF5.writeAttribute(name, value, on: file)
        }
    }

    /// Writes (or replaces) /data/<name>, a 1-D int32 dataset.
    public func writeData(_ name: String, _ values: [Int32]) throws {
        try writeDataset("data", RunStore.dataGroup, name, shape: [values.count], values)
    }

    /// Writes (or replaces) /metrics/<name>, a 1-D float64 dataset with string attributes
    /// "unit" and "description".
    public func writeMetric(_ name: String, _ values: [Double], unit: String = "",
                            description: String = "") throws {
        try writeDataset("metric", RunStore.metricsGroup, name, shape: [values.count], values,
                         attributes: [("unit", .string(unit)), ("description", .string(description))])
    }

    /// Writes (or replaces) /tensors/<name>, a float32 dataset of the given shape (row-major).
    public func writeTensor(_ name: String, shape: [Int], _ values: [Float]) throws {
        try writeDataset("tensor", RunStore.tensorsGroup, name, shape: shape, values)
    }

    /// Writes (or replaces) /tensors/<name>, an int32 dataset of the given shape (row-major).
    public func writeTensor(_ name: String, shape: [Int], _ values: [Int32]) throws {
        try writeDataset("tensor", RunStore.tensorsGroup, name, shape: shape, values)
    }

    /// Writes (or replaces) /timing/<name>, a 1-D float64 dataset of wall-clock seconds with a
    /// string attribute "description". Timings are kept apart from metrics because they are the
    /// one thing two runs of the same config do not share.
    public func writeTiming(_ name: String, _ values: [Double], description: String = "") throws {
        try writeDataset("timing", RunStore.timingGroup, name, shape: [values.count], values,
                         attributes: [("unit", .string("s")), ("description", .string(description))])
    }

    /// Writes (or replaces) /checkpoint/<name>, 1-D float32: resumable state.
    public func writeCheckpoint(_ name: String, _ values: [Float]) throws {
        try writeDataset("checkpoint", RunStore.checkpointGroup, name, shape: [values.count], values)
    }

    /// Writes (or replaces) /checkpoint/<name>, 1-D int64: resumable state (counters, the
    /// bit patterns of generator states and of float64 values).
    public func writeCheckpoint(_ name: String, _ values: [Int64]) throws {
        try writeDataset("checkpoint", RunStore.checkpointGroup, name, shape: [values.count], values)
    }

    /// Sets the status and finished (ISO 8601 UTC) attributes, closes the file, fsyncs it and
    /// renames the .partial file to the final path, replacing an existing final file atomically.
    public func commit(status: RunStatus) throws {
        let file = try openFile(for: "commit")
        try write("commit") { file in
            try HDF5.writeAttribute("status", .string(status.rawValue), on: file)
            try HDF5.writeAttribute("finished", .string(RunStore.timestamp()), on: file)
            try HDF5.check(H5Fflush(file, H5F_SCOPE_LOCAL))
        }
        // Flushed: the close has nothing left to write, so a full disk cannot make it fail.
        state = .failedCommit
        let partialPath = partialURL.relativePath
        if HDF5.locked({ H5Fclose(file) }) < 0 {
            throw RunStoreError("\(partialPath): cannot close the run file")
        }
        let descriptor = open(partialURL.path, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = RunStore.systemError()
            if descriptor >= 0 { close(descriptor) }
            throw RunStoreError("\(partialPath): cannot sync the run file to disk (\(reason))")
        }
        close(descriptor)
        guard rename(partialURL.path, finalURL.path) == 0 else {
            throw RunStoreError("\(partialPath): cannot rename it to \(finalURL.relativePath) (\(RunStore.systemError()))")
        }
        state = .committed
        syncFolder()
    }

    /// Closes and deletes the .partial file; never touches the final file.
    public func abandon() {
        switch state {
        case .open(let file):
            HDF5.locked { Self.discard(file, at: partialURL.path) }
        case .failedCommit:
            unlink(partialURL.path)
        case .committed, .abandoned:
            return
        }
        state = .abandoned
    }

    /// Closes and deletes a partial file; the caller holds HDF5.locked.
    private static func discard(_ file: hid_t, at path: String) {
        // Emptying the doomed file first frees its disk space, so that closing it, which writes
        // metadata, works even after the disk filled up. If the close still cannot flush, the
        // file stays open (HDF5.closeIfFlushed): emptying it again frees what the attempt wrote,
        // as an open file keeps its space after unlink.
        truncate(path, 0)
        HDF5.closeIfFlushed(file)
        truncate(path, 0)
        unlink(path)
    }

    private func writeDataset<Number: HDF5Number>(_ kind: String, _ group: String, _ name: String,
                                                  shape: [Int], _ values: [Number],
                                                  attributes: [(String, AttributeValue)] = []) throws {
        let partialPath = partialURL.relativePath
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw RunStoreError("\(partialPath): '\(name)' is not a valid \(kind) name (it must not be empty, '.', '..' or contain '/')")
        }
        guard shape.allSatisfy({ $0 >= 0 }), Self.product(shape) == values.count else {
            throw RunStoreError("\(partialPath): \(kind) '\(name)' has shape \(shape) but \(values.count) values")
        }
        try write("write \(kind) '\(name)'") { file in
            try HDF5.writeDataset("\(group)/\(name)", in: file, shape: shape, values: values,
                                  attributes: attributes)
        }
    }

    /// The number of values a shape holds, or nil if that overflows.
    private static func product(_ shape: [Int]) -> Int? {
        var count = 1
        for size in shape {
            let (result, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            count = result
        }
        return count
    }

    /// Runs libhdf5 calls on the open file; a failure becomes a RunStoreError naming the file.
    private func write(_ action: String, _ body: (hid_t) throws -> Void) throws {
        let file = try openFile(for: action)
        do {
            try HDF5.locked { try body(file) }
        } catch let failure as HDF5Failure {
            throw RunStoreError("\(partialURL.relativePath): cannot \(action) (\(failure.detail))")
        }
    }

    private func openFile(for action: String) throws -> hid_t {
        let start = "\(partialURL.relativePath): cannot \(action)"
        switch state {
        case .open(let file): return file
        case .failedCommit: throw RunStoreError("\(start): a commit failed, call abandon()")
        case .committed: throw RunStoreError("\(start): the run is already committed")
        case .abandoned: throw RunStoreError("\(start): the run was abandoned")
        }
    }

    /// Makes the rename durable. Best effort: some file systems cannot sync a folder, and the
    /// run is complete and in place either way.
    private func syncFolder() {
        let descriptor = open(finalURL.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
