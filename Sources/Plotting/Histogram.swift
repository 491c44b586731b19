// Distributions of raw values (weights, activations), binned in Swift so that a figure
// redrawn years later with another gnuplot shows the same bars.

public struct Histogram: Sendable {
    /// All series share one set of bins, so they can be compared.
    public var series: [HistogramSeries]
    public var bins: Int
    /// Values outside are left out; nil spans the finite values of all series.
    public var range: ClosedRange<Double>?
    public var xLabel: String
    public var yLabel: String
    public var logY: Bool

    public init(series: [HistogramSeries], bins: Int = 50, range: ClosedRange<Double>? = nil,
                xLabel: String, yLabel: String = "count", logY: Bool = false) {
        self.series = series
        self.bins = bins
        self.range = range
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logY = logY
    }
}

public struct HistogramSeries: Sendable {
    public var label: String
    public var values: [Double]

    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}
