import CHDF5
import Foundation

/// Reads any file of this layout. The attributes and names are read once by init; each metric,
/// tensor or data read opens the file again, so a RunFile holds no file open (a report may keep
/// thousands of them).
public final class RunFile: Sendable {
    public let url: URL
    /// All root attributes that hold a single string, integer or real.
    public let attributes: [String: AttributeValue]
    public let metricNames: [String]
    public let tensorNames: [String]
    public let dataNames: [String]
    public let timingNames: [String]
    /// Present only in a run that is still running (or was interrupted) and checkpointed.
    public let checkpointNames: [String]

    /// Throws a RunStoreError with one clear line for a missing file, a file that is not HDF5,
    /// a truncated or corrupt HDF5 file, an HDF5 file of another layout, or a newer schema_version.
    public init(url: URL) throws {
        self.url = url
        let path = url.relativePath
        (attributes, metricNames, tensorNames, dataNames, timingNames, checkpointNames)
            = try Self.withFile(url, reading: nil) { file in
                let attributes = try HDF5.readAttributes(of: file)
                try Self.checkSchema(attributes, path: path)
                return (attributes,
                        try HDF5.datasetNames(inGroup: RunStore.metricsGroup, of: file),
                        try HDF5.datasetNames(inGroup: RunStore.tensorsGroup, of: file),
                        try HDF5.datasetNames(inGroup: RunStore.dataGroup, of: file),
                        try HDF5.datasetNames(inGroup: RunStore.timingGroup, of: file),
                        try HDF5.datasetNames(inGroup: RunStore.checkpointGroup, of: file))
            }
    }

    public var status: RunStatus? {
        string("status").flatMap(RunStatus.init(rawValue:))
    }

    /// The root attribute `attribute` if it is a string.
    public func string(_ attribute: String) -> String? {
        guard case .string(let value)? = attributes[attribute] else { return nil }
        return value
    }

    /// The root attribute `attribute` if it is an integer.
    public func int(_ attribute: String) -> Int64? {
        guard case .int(let value)? = attributes[attribute] else { return nil }
        return value
    }

    /// The root attribute `attribute` if it is a real.
    public func double(_ attribute: String) -> Double? {
        guard case .double(let value)? = attributes[attribute] else { return nil }
        return value
    }

    public func metric(_ name: String) throws -> [Double] {
        try requireName(name, in: metricNames, kind: "metric", plural: "metrics")
        return try withFile(reading: "metric '\(name)'") { file in
            try readNumbers(kind: "metric", RunStore.metricsGroup, name, in: file) { dataset, _ in
                try HDF5.readDataset(dataset, as: Double.self).values
            }
        }
    }

    /// Every metric, read in one opening of the file (an index of thousands of runs reads them all).
    public func allMetrics() throws -> [String: [Double]] {
        try withFile(reading: "its metrics") { file in
            var metrics: [String: [Double]] = [:]
            for name in metricNames {
                metrics[name] = try readNumbers(kind: "metric", RunStore.metricsGroup, name, in: file) { dataset, _ in
                    try HDF5.readDataset(dataset, as: Double.self).values
                }
            }
            return metrics
        }
    }

    /// The shape of every tensor, without reading their values (a network's weights can be large).
    public func tensorShapes() throws -> [String: [Int]] {
        try withFile(reading: "its tensor shapes") { file in
            var shapes: [String: [Int]] = [:]
            for name in tensorNames {
                let dataset = try HDF5.handle(H5Dopen2(file, "\(RunStore.tensorsGroup)/\(name)", HDF5.defaults))
                defer { H5Dclose(dataset) }
                shapes[name] = try HDF5.shape(of: dataset)
            }
            return shapes
        }
    }

    /// The "unit" and "description" attributes of a metric ("" where missing).
    public func metricInfo(_ name: String) throws -> (unit: String, description: String) {
        try requireName(name, in: metricNames, kind: "metric", plural: "metrics")
        return try withFile(reading: "metric '\(name)'") { file in
            let dataset = try HDF5.handle(H5Dopen2(file, "\(RunStore.metricsGroup)/\(name)", HDF5.defaults))
            defer { H5Dclose(dataset) }
            func text(_ attribute: String) throws -> String {
                guard case .string(let value)? = try HDF5.readAttribute(attribute, of: dataset) else { return "" }
                return value
            }
            return (try text("unit"), try text("description"))
        }
    }

    /// A tensor: float32 if the file holds reals, int32 if it holds integers.
    public func tensor(_ name: String) throws -> StoredTensor {
        try requireName(name, in: tensorNames, kind: "tensor", plural: "tensors")
        return try withFile(reading: "tensor '\(name)'") { file in
            try readNumbers(kind: "tensor", RunStore.tensorsGroup, name, in: file) { dataset, valueClass in
                if valueClass == H5T_INTEGER {
                    let (shape, values) = try HDF5.readDataset(dataset, as: Int32.self)
                    return .int32(shape: shape, values: values)
                }
                let (shape, values) = try HDF5.readDataset(dataset, as: Float.self)
                return .float32(shape: shape, values: values)
            }
        }
    }

    public func data(_ name: String) throws -> [Int32] {
        try requireName(name, in: dataNames, kind: "data", plural: "data")
        return try withFile(reading: "data '\(name)'") { file in
            try readNumbers(kind: "data", RunStore.dataGroup, name, in: file) { dataset, _ in
                try HDF5.readDataset(dataset, as: Int32.self).values
            }
        }
    }

    /// Wall-clock seconds (e.g. per epoch).
    public func timing(_ name: String) throws -> [Double] {
        try requireName(name, in: timingNames, kind: "timing", plural: "timings")
        return try withFile(reading: "timing '\(name)'") { file in
            try readNumbers(kind: "timing", RunStore.timingGroup, name, in: file) { dataset, _ in
                try HDF5.readDataset(dataset, as: Double.self).values
            }
        }
    }

    /// One entry of a checkpoint: float32 state or int64 words (exact counters and bit patterns).
    public func checkpoint(_ name: String) throws -> CheckpointEntry {
        try requireName(name, in: checkpointNames, kind: "checkpoint entry", plural: "checkpoint entries")
        return try withFile(reading: "checkpoint '\(name)'") { file in
            try readNumbers(kind: "checkpoint entry", RunStore.checkpointGroup, name, in: file) { dataset, valueClass in
                valueClass == H5T_INTEGER ? .words(try HDF5.readDataset(dataset, as: Int64.self).values)
                    : .floats(try HDF5.readDataset(dataset, as: Float.self).values)
            }
        }
    }

    private func requireName(_ name: String, in names: [String], kind: String, plural: String) throws {
        guard !names.contains(name) else { return }
        let known = names.isEmpty ? "the run has no \(plural)" : "\(plural): \(names.joined(separator: ", "))"
        throw RunStoreError("\(url.relativePath): no \(kind) '\(name)' (\(known))")
    }

    /// Opens dataset group/name, checks that it holds numbers and hands it and its value class to `read`.
    private func readNumbers<Result>(kind: String, _ group: String, _ name: String, in file: hid_t,
                                     _ read: (hid_t, H5T_class_t) throws -> Result) throws -> Result {
        let dataset = try HDF5.handle(H5Dopen2(file, "\(group)/\(name)", HDF5.defaults))
        defer { H5Dclose(dataset) }
        let valueClass = try HDF5.valueClass(of: dataset)
        guard valueClass == H5T_FLOAT || valueClass == H5T_INTEGER else {
            throw RunStoreError("\(url.relativePath): \(kind) '\(name)' does not hold numbers")
        }
        return try read(dataset, valueClass)
    }

    private func withFile<Result>(reading what: String, _ body: (hid_t) throws -> Result) throws -> Result {
        try Self.withFile(url, reading: what, body)
    }

    /// Runs `body` on the file opened read-only. The signature check has already told that it is
    /// an HDF5 file, so a libhdf5 failure means a damaged one; `what` names what was being read.
    private static func withFile<Result>(_ url: URL, reading what: String?,
                                         _ body: (hid_t) throws -> Result) throws -> Result {
        try checkSignature(url)
        do {
            return try HDF5.locked {
                let file = try HDF5.openFileForReading(url.path)
                defer { H5Fclose(file) }
                return try body(file)
            }
        } catch is HDF5Failure {
            let context = what.map { " (cannot read \($0))" } ?? ""
            throw RunStoreError("\(url.relativePath): truncated or corrupt HDF5 file\(context)")
        }
    }

    private static func checkSchema(_ attributes: [String: AttributeValue], path: String) throws {
        guard let schema = attributes["schema"] else {
            throw RunStoreError("\(path): an HDF5 file, but not an experiments run (no 'schema' attribute)")
        }
        guard schema == .string(RunStore.schemaName) else {
            throw RunStoreError("\(path): an HDF5 file, but not an experiments run (schema is '\(schema)', not '\(RunStore.schemaName)')")
        }
        guard case .int(let version)? = attributes["schema_version"], version >= 1 else {
            throw RunStoreError("\(path): an experiments run without a valid 'schema_version' attribute")
        }
        guard version <= RunStore.schemaVersion else {
            throw RunStoreError("\(path): schema_version \(version) is newer than this program reads (\(RunStore.schemaVersion)); update experiments",
                                newerSchemaVersion: version)
        }
    }

    private static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]  // \x89HDF\r\n\x1a\n

    /// Tells a missing, unreadable or non-HDF5 file from a damaged HDF5 one, which libhdf5 alone
    /// reports the same way. Files of this layout have the signature at offset 0 (no user block).
    private static func checkSignature(_ url: URL) throws {
        let path = url.relativePath
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw RunStoreError(errno == ENOENT ? "\(path): no such file" : "\(path): cannot open (\(RunStore.systemError()))")
        }
        defer { close(descriptor) }
        var start = [UInt8](repeating: 0, count: signature.count)
        let count = read(descriptor, &start, start.count)
        guard count >= 0 else {
            throw RunStoreError(errno == EISDIR ? "\(path): a folder, not a run file" : "\(path): cannot read (\(RunStore.systemError()))")
        }
        guard count > 0 else { throw RunStoreError("\(path): not an HDF5 file (the file is empty)") }
        guard count == signature.count, start == signature else { throw RunStoreError("\(path): not an HDF5 file") }
    }}
