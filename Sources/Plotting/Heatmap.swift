// A matrix of cells, drawn like scikit-learn's confusion matrix: row 0 at the top.

public struct Heatmap: Sendable {
    /// Row-major: values[row][column]; rows run down the y axis.
    public var values: [[Double]]
    /// One per row, or empty for the row numbers.
    public var rowLabels: [String]
    /// One per column, or empty for the column numbers.
    public var columnLabels: [String]
    public var xLabel: String
    public var yLabel: String
    /// Print each cell's value (integers without decimals) when the cells are big
    /// enough to hold the text.
    public var annotate: Bool
    public var colorBarLabel: String

    public init(values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                xLabel: String, yLabel: String, annotate: Bool = true, colorBarLabel: String = "") {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.annotate = annotate
        self.colorBarLabel = colorBarLabel
    }
}
