import Foundation

/// A value stored as an attribute of a run file: strings as variable-length UTF-8,
/// integers as int64, reals as float64, so h5py and h5dump read them plainly.
public enum AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        }
    }
}

/// Where a run stands: `running` until it is complete, or ends `diverged` (NaN or inf in
/// the loss) or `failed` (an error, recorded in the `error` attribute).
public enum RunStatus: String, Sendable, CaseIterable {
    case running, complete, diverged, failed
}

/// One clear line about a run file: it starts with the file's path.
public struct RunStoreError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A stored tensor: float32 or int32 values with their shape (row-major).
public enum StoredTensor: Equatable, Sendable {
    case float32(shape: [Int], values: [Float])
    case int32(shape: [Int], values: [Int32])

    public var shape: [Int] {
        switch self {
        case .float32(let shape, _), .int32(let shape, _): return shape
        }
    }
}

public enum RunStore {
    /// The `schema` attribute every run file carries at its root.
    public static let schemaName = "experiments-run"
    /// Raised when the layout changes incompatibly; part of every cache key.
    public static let schemaVersion: Int64 = 1

    /// Where a run is written until it is complete.
    public static func partialURL(for finalURL: URL) -> URL {
        finalURL.deletingLastPathComponent().appendingPathComponent(finalURL.lastPathComponent + ".partial")
    }
}
