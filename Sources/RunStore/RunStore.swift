// The values a run file holds and the names of its layout.
//
// One run = one HDF5 file:
//   /               attributes: schema = "experiments-run", schema_version = 1, plus the
//                   caller's (study, run_id, status, seed, config, created, finished ...)
//   /data/<name>    1-D int32
//   /metrics/<name> 1-D float64, with string attributes "unit" and "description"
//   /tensors/<name> n-D float32 or int32
//   /timing/<name>  1-D float64 wall-clock measurements (seconds per epoch ...), with a
//                   "description": the only datasets that differ between two runs of one config
//   /checkpoint/<name> 1-D float32 or int64: the state a run that was interrupted resumes
//                   from (parameters, optimiser state, generator states); only while running
// Strings are variable-length UTF-8, integers int64 and reals float64, so h5py, h5dump and
// HDFView read the files without this project.
import Foundation

public enum AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)

    public var description: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        }
    }
}

public enum RunStatus: String, Sendable {
    case running, complete, diverged, failed
}

/// One line that starts with the file's path and says what is wrong.
public struct RunStoreError: Error, CustomStringConvertible, Equatable {
    public let message: String
    /// Set when the file is a run written by a newer version of this program: readable
    /// only by that version, and never to be moved aside or overwritten.
    public let newerSchemaVersion: Int64?
    public var description: String { message }

    public init(_ message: String, newerSchemaVersion: Int64? = nil) {
        self.message = message
        self.newerSchemaVersion = newerSchemaVersion
    }
}

public enum StoredTensor: Equatable, Sendable {
    case float32(shape: [Int], values: [Float])
    case int32(shape: [Int], values: [Int32])

    public var shape: [Int] {
        switch self {
        case .float32(let shape, _), .int32(let shape, _): return shape
        }
    }

    /// Compares the bits of the values, so a NaN equals the same NaN and -0.0 differs from 0.0:
    /// a stored tensor is equal to what was written.
    public static func == (lhs: StoredTensor, rhs: StoredTensor) -> Bool {
        switch (lhs, rhs) {
        case let (.float32(lhsShape, lhsValues), .float32(rhsShape, rhsValues)):
            return lhsShape == rhsShape && lhsValues.map(\.bitPattern) == rhsValues.map(\.bitPattern)
        case let (.int32(lhsShape, lhsValues), .int32(rhsShape, rhsValues)):
            return lhsShape == rhsShape && lhsValues == rhsValues
        default:
            return false
        }
    }
}

/// One entry of a run's /checkpoint group.
public enum CheckpointEntry: Equatable, Sendable {
    case floats([Float])
    case words([Int64])
}

public enum RunStore {
    public static let schemaName = "experiments-run"
    public static let schemaVersion: Int64 = 1

    /// The path a run is written to before it is complete: finalURL + ".partial"
    public static func partialURL(for finalURL: URL) -> URL {
        finalURL.appendingPathExtension("partial")
    }

    static let dataGroup = "data"
    static let metricsGroup = "metrics"
    static let tensorsGroup = "tensors"
    static let timingGroup = "timing"
    static let checkpointGroup = "checkpoint"

    /// Now in ISO 8601 UTC to the second, e.g. "2025-03-01T12:34:56Z".
    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    /// The reason for the last failed system call, e.g. "No such file or directory".
    static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
