// Curves over a shared x axis: accuracy against k, loss against epoch.

public struct LinePlot: Sendable {
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var series: [Series]
    public var verticalMarkers: [Marker]
    public var yRange: ClosedRange<Double>?

    public init(xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false,
                series: [Series], verticalMarkers: [Marker] = [], yRange: ClosedRange<Double>? = nil) {
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.series = series
        self.verticalMarkers = verticalMarkers
        self.yRange = yRange
    }
}

public struct Series: Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// Spread over seeds, drawn as a translucent band behind the curve.
    public var band: Band?
    public var style: SeriesStyle

    public init(label: String, x: [Double], y: [Double], band: Band? = nil, style: SeriesStyle = .linesPoints) {
        self.label = label
        self.x = x
        self.y = y
        self.band = band
        self.style = style
    }
}

/// Lower and upper edge of an error band, one value per point of the series.
public struct Band: Sendable {
    public var low: [Double]
    public var high: [Double]

    public init(low: [Double], high: [Double]) {
        self.low = low
        self.high = high
    }
}

public enum SeriesStyle: Sendable {
    case lines, linesPoints, points
    /// A published reference curve drawn beside ours.
    case dashed
}

/// A vertical line across the plot with a label beside it,
/// e.g. "test accuracy stops improving".
public struct Marker: Sendable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}
