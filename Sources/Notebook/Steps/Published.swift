import Datasets
import Foundation

/// Curves a source text's own code recorded (reference-data/ in this repository), stored
/// as a run like any result, so that a figure draws them beside ours from stored runs only.
/// The file's SHA-256 (`checksum`) is part of the config: a changed file is a new run.
///
/// The file is JSON: a list of numbers, or a list of such lists (one per column). Each
/// column becomes the metric `columns[i].metric`, multiplied by `columns[i].scale` (e.g.
/// 1/10000 to turn a count of correct test images into a fraction).
public struct Published: ComputeStep {
    public let name: String
    public let file: String
    public let columns: [(metric: Metric, scale: Double)]
    /// Whose numbers these are, for the run's attributes and the report.
    public let source: String
    public var data: DataSource? { nil }
    private let checksum: String

    public init(_ name: String, file: String, columns: [(metric: Metric, scale: Double)], source: String) {
        self.name = name
        self.file = file
        self.columns = columns
        self.source = source
        checksum = (try? Data(contentsOf: Self.url(file))).map { Datasets.SHA256.hex(Array($0)) } ?? "missing"
    }

    public var summary: String { "published curves from reference-data/\(file)" }

    public func compute(data _: LoadedData?, into run: RunRecorder) throws {
        let url = Self.url(file)
        guard let bytes = try? Data(contentsOf: url) else {
            throw StudyError("reference-data/\(file) not found (looked at \(url.path))")
        }
        let json = try? JSONSerialization.jsonObject(with: bytes)
        let lists: [[Double]]
        if let flat = json as? [Double] {
            lists = [flat]
        } else if let nested = json as? [[Double]] {
            lists = nested
        } else {
            throw StudyError("reference-data/\(file): not a list of numbers or of lists of numbers")
        }
        guard lists.count == columns.count else {
            throw StudyError("reference-data/\(file) has \(lists.count) columns, the study names \(columns.count)")
        }
        for (values, column) in zip(lists, columns) {
            try run.metric(column.metric, values.map { $0 * column.scale }, description: "published by \(source)")
        }
        try run.attribute(.publishedBy, source)
    }

    /// The project's reference-data folder, found from this source file (runs may start anywhere).
    static func url(_ file: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("reference-data").appendingPathComponent(file)
    }
}
