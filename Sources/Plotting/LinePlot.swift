import Foundation

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

extension LinePlot {
    /// Line panels that plot the same quantity (the same y label and scale) share one y range,
    /// so their heights compare at a glance; a panel that sets its own range keeps it. The range
    /// spans every finite value (bands included) with 5% to spare, in log steps on a log axis.
    public static func sharingYRanges(_ panels: [Figure]) -> [Figure] {
        var shared: [String: ClosedRange<Double>] = [:]
        let groups = Dictionary(grouping: panels.compactMap(\.linePlot).filter { $0.yRange == nil }) { "\($0.logY) \($0.yLabel)" }
        for (key, plots) in groups where plots.count > 1 {
            let values = plots.flatMap { plot -> [Double] in
                let drawn: [Double] = plot.series.flatMap { series -> [Double] in
                    series.y + (series.band.map { $0.low + $0.high } ?? [])
                }
                return drawn.filter { $0.isFinite && (!plot.logY || $0 > 0) }
            }
            guard let low = values.min(), let high = values.max(), high > low else { continue }
            shared[key] = plots[0].logY ? padded(log10(low)...log10(high), exponent: true) : padded(low...high, exponent: false)
        }
        return panels.map { panel in
            guard var plot = panel.linePlot, plot.yRange == nil, let range = shared["\(plot.logY) \(plot.yLabel)"] else { return panel }
            plot.yRange = range
            var figure = panel
            figure.kind = .lines(plot)
            return figure
        }
    }

    private static func padded(_ range: ClosedRange<Double>, exponent: Bool) -> ClosedRange<Double> {
        let span = range.upperBound - range.lowerBound, margin = 0.05 * span
        // Ends rounded outwards to three significant digits of the span: 0.319, not 0.31994999.
        let step = pow(10, (log10(span)).rounded(.down) - 2)
        let low = ((range.lowerBound - margin) / step).rounded(.down) * step
        let high = ((range.upperBound + margin) / step).rounded(.up) * step
        return exponent ? pow(10, low)...pow(10, high) : low...high
    }
}

extension Figure {
    var linePlot: LinePlot? {
        if case .lines(let plot) = kind { return plot }
        return nil
    }
}
