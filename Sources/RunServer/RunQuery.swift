import Foundation

/// A request for one page of the runs table: filter, sort, page and the columns to show.
/// Parsed from the page's URL query, so a table view is a link.
public struct RunQuery: Equatable, Sendable {
    /// Words that must all appear in a run's id, study, step, status, config (`lr=0.1`) or CPU.
    public var filter = ""
    public var sort = SortKey.created
    public var descending = true
    public var page = 1
    public var pageSize = 50
    /// Config keys shown as columns.
    public var configColumns: [String] = []
    /// Metrics shown as last/best/min/max columns.
    public var metrics = ["test_accuracy"]

    public static let maxPageSize = 500

    public init() {}

    /// From URL query items (`q`, `sort`, `order`, `page`, `size`, `cols`, `metrics`); a value
    /// that does not parse is a `QueryError` naming it.
    public init(_ items: [String: String]) throws {
        filter = items["q"] ?? ""
        if let text = items["sort"] {
            guard let key = SortKey(text) else { throw QueryError("unknown sort key '\(text)'") }
            sort = key
        }
        descending = items["order"].map { $0 != "asc" } ?? true
        page = try Self.positive(items["page"], "page") ?? 1
        pageSize = min(try Self.positive(items["size"], "size") ?? 50, Self.maxPageSize)
        configColumns = Self.list(items["cols"]) ?? []
        metrics = Self.list(items["metrics"]) ?? metrics
    }

    private static func positive(_ text: String?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 1 else { throw QueryError("\(name) must be a whole number of at least 1, not '\(text)'") }
        return value
    }

    private static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map(String.init).filter { !$0.isEmpty } }
    }

    /// The runs that pass the filter, sorted (runs without the sort value last, ties by id),
    /// and the requested page of them.
    public func apply(to runs: [IndexedRun]) -> (total: Int, page: ArraySlice<IndexedRun>) {
        let words = filter.lowercased().split(separator: " ")
        let kept = words.isEmpty ? runs : runs.filter { run in words.allSatisfy { run.searchText.contains($0) } }
        // Each run's sort value is looked up once, not once per comparison (10,000 runs).
        let keyed = kept.map { (run: $0, value: sort.value(of: $0)) }
        let sorted = keyed.sorted { lhs, rhs in
            switch (lhs.value, rhs.value) {
            case let (left?, right?) where left != right: return descending ? left > right : left < right
            case (.some, nil): return true
            case (nil, .some): return false
            default: return lhs.run.id < rhs.run.id
            }
        }.map(\.run)
        let start = min((page - 1) * pageSize, sorted.count)
        return (sorted.count, sorted[start..<min(start + pageSize, sorted.count)])
    }
}

public struct QueryError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// What the runs table sorts on.
public enum SortKey: Equatable, Sendable {
    case study, step, status, created, cpu
    case config(String)
    case metric(String, Statistic)

    /// "study", "created", "config:lr", "metric:test_accuracy:best".
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        switch parts.first {
        case "study": self = .study
        case "step": self = .step
        case "status": self = .status
        case "created": self = .created
        case "cpu": self = .cpu
        case "config" where parts.count == 2: self = .config(parts[1])
        case "metric" where parts.count == 3:
            guard let statistic = Statistic(rawValue: parts[2]) else { return nil }
            self = .metric(parts[1], statistic)
        default: return nil
        }
    }

    func value(of run: IndexedRun) -> SortValue? {
        let contents = run.contents
        switch self {
        case .study: return contents.map { .text($0.study) }
        case .step: return contents.map { .text($0.step) }
        case .status: return .text(run.state.label)
        case .cpu: return contents.map { .text($0.cpu) }
        case .created: return contents?.created.map { .number($0.timeIntervalSince1970) }
        case .config(let key): return contents?.config[key].map { Double($0).map(SortValue.number) ?? .text($0) }
        case .metric(let name, let statistic): return contents?.summaries[name]?.value(statistic).map(SortValue.number)
        }
    }
}

/// Numbers sort before text and by value, so "10" follows "9" in a numeric config column.
enum SortValue: Comparable {
    case number(Double)
    case text(String)
}
