import Plotting

// Study files import only Notebook; these are the figure kinds they describe.
public typealias FigureKind = Plotting.FigureKind
public typealias LinePlot = Plotting.LinePlot
public typealias Series = Plotting.Series
public typealias SeriesStyle = Plotting.SeriesStyle
public typealias BarChart = Plotting.BarChart
public typealias Histogram = Plotting.Histogram
public typealias HistogramSeries = Plotting.HistogramSeries
public typealias Band = Plotting.Band
public typealias BarGroup = Plotting.BarGroup
public typealias Marker = Plotting.Marker
public typealias Heatmap = Plotting.Heatmap
public typealias ImageGrid = Plotting.ImageGrid
public typealias OutputFormat = Plotting.OutputFormat

/// Small multiples: one panel per (title, kind), `columns` to a row.
public func panels(_ items: [(title: String, kind: FigureKind)], columns: Int) -> FigureKind {
    .panels(items.enumerated().map { Plotting.Figure(name: "panel\($0.offset + 1)", title: $0.element.title, kind: $0.element.kind) },
            columns: columns)
}

/// A paragraph of the report (Markdown inline syntax: `code`, **bold**, *italic*, links).
/// The closure form reads stored runs, so the prose can quote measured numbers.
public struct Text: StudyStep {
    private let write: (StudyResults) throws -> String
    public init(_ text: String) { write = { _ in text } }
    public init(_ content: @escaping (StudyResults) throws -> String) { write = content }

    func content(_ results: StudyResults) throws -> String { try StudyMistakes.checking { try write(results) } }
}

/// A figure drawn from stored runs only.
public struct Figure: StudyStep {
    public let name: String
    public let title: String
    public let width: Int, height: Int
    private let draw: (StudyResults) throws -> FigureKind

    public init(_ name: String, title: String, width: Int = 800, height: Int = 500,
                _ build: @escaping (StudyResults) throws -> FigureKind) {
        self.name = name
        self.title = title
        self.width = width
        self.height = height
        draw = build
    }

    func build(_ results: StudyResults) throws -> FigureKind { try StudyMistakes.checking { try draw(results) } }
}

/// A table drawn from stored runs only.
public struct Table: StudyStep {
    public let title: String
    private let fill: (StudyResults) throws -> TableContent

    public init(_ title: String, _ build: @escaping (StudyResults) throws -> TableContent) {
        self.title = title
        fill = build
    }

    func build(_ results: StudyResults) throws -> TableContent { try StudyMistakes.checking { try fill(results) } }
}

/// Rows of text under column headings, with notes printed under the table.
public struct TableContent {
    public var columns: [String]
    public var rows: [[String]]
    public var notes: [String]

    public init(columns: [String], rows: [[String]], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// Ours beside a reference number, with the difference and why they differ.
    public static func comparison(_ rows: [ReferenceRow], quantity: String = "accuracy",
                                  notes: [String] = []) -> TableContent {
        TableContent(
            columns: ["setting", "ours: \(quantity)", "reference", "difference", "why they differ"],
            rows: rows.map { row in
                [row.setting, formatNumber(row.ours), row.referenceText ?? row.reference.map { formatNumber($0) } ?? "—",
                 row.reference.map { formatNumber(row.ours - $0, signed: true) } ?? "—",
                 row.explanation]
            },
            notes: notes)
    }
}

/// One line of a comparison table.
public struct ReferenceRow {
    public var setting: String
    public var ours: Double
    public var reference: Double?
    /// How the reference is shown when it is not one number (a range, a quoted table).
    public var referenceText: String?
    public var explanation: String

    public init(_ setting: String, ours: Double, reference: Double? = nil, referenceText: String? = nil,
                explanation: String = "") {
        self.setting = setting
        self.ours = ours
        self.reference = reference
        self.referenceText = referenceText
        self.explanation = explanation
    }
}

/// Four significant decimals, the precision the source texts quote.
public func formatNumber(_ x: Double, signed: Bool = false) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
    let s = String(format: "%.4f", x)
    return signed && x >= 0 ? "+" + s : s
}
