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

/// Small multiples: one panel per (title, kind), `columns` to a row. Line panels of the same
/// quantity (y label and scale) share their y range unless `sharedYRange` is false.
public func panels(_ items: [(title: String, kind: FigureKind)], columns: Int, sharedYRange: Bool = true) -> FigureKind {
    let figures = items.enumerated().map { Plotting.Figure(name: "panel\($0.offset + 1)", title: $0.element.title, kind: $0.element.kind) }
    return .panels(sharedYRange ? LinePlot.sharingYRanges(figures) : figures, columns: columns)
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

/// Rows of cells under column headings, with notes printed under the table. A number is a
/// cell that keeps its value and its format, so a test reads the value and both renderers
/// print the same text.
public struct TableContent: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[Cell]]
    public var notes: [String]

    public init(columns: [String], rows: [[Cell]], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// A table of text only (diagnoses, labels): every cell a `.text`.
    public init(columns: [String], textRows: [[String]], notes: [String] = []) {
        self.init(columns: columns, rows: textRows.map { $0.map(Cell.text) }, notes: notes)
    }

    /// Ours beside a reference number, with the difference and why they differ.
    public static func comparison(_ rows: [ReferenceRow], quantity: String = "accuracy",
                                  notes: [String] = []) -> TableContent {
        TableContent(
            columns: ["setting", "ours: \(quantity)", "reference", "difference", "why they differ"],
            rows: rows.map { row in
                [.text(row.setting), .number(row.ours), row.referenceText.map(Cell.text) ?? row.reference.map { .number($0) } ?? "—",
                 row.reference.map { .number(row.ours - $0, format: .signed(4)) } ?? "—", .text(row.explanation)]
            },
            notes: notes)
    }

    /// The cells of the column headed `column`, top to bottom (nil: no such column).
    public func column(_ column: String) -> [Cell]? {
        columns.firstIndex(of: column).map { index in rows.map { index < $0.count ? $0[index] : "" } }
    }
}

/// One cell of a report table: text, or a number with the format it is shown in.
public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation, CustomStringConvertible {
    case text(String)
    case number(Double, format: NumberFormat = .decimals(4))

    public init(stringLiteral text: String) { self = .text(text) }
    public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }

    /// What the report shows.
    public var description: String {
        switch self {
        case .text(let text): return text
        case let .number(value, format): return format.text(value)
        }
    }

    /// A number, or `missing` where there is none (a run too short, a diverged run).
    public static func number(_ value: Double?, format: NumberFormat = .decimals(4), missing: String) -> Cell {
        value.map { .number($0, format: format) } ?? .text(missing)
    }

    /// The number of a number cell.
    public var value: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }
}

/// How a number cell is printed.
public enum NumberFormat: Sendable, Equatable {
    /// Fixed decimals ("%.4f"): four is the precision the source texts quote.
    case decimals(Int)
    /// Fixed decimals with a sign ("+0.0120").
    case signed(Int)
    /// The number as a percentage with fixed decimals: 0.9872 as "98.72%".
    case percent(Int)
    /// Significant digits ("%.3g").
    case significant(Int)

    func text(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "inf" : "-inf") }
        switch self {
        case .decimals(let n): return String(format: "%.\(n)f", x)
        case .signed(let n): return (x >= 0 ? "+" : "") + String(format: "%.\(n)f", x)
        case .percent(let n): return String(format: "%.\(n)f%%", 100 * x)
        case .significant(let n): return String(format: "%.\(n)g", x)
        }
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

/// Four decimals, the precision the source texts quote (for prose; a table cell is `.number(x)`).
public func formatNumber(_ x: Double, signed: Bool = false) -> String {
    (signed ? NumberFormat.signed(4) : .decimals(4)).text(x)
}
