/// A figure to draw: its file stem, its title and what it shows.
public struct Figure: Sendable {
    public var name: String
    public var title: String
    public var kind: FigureKind
    /// Pixels for PNG and SVG; PDF and cairolatex scale them to inches.
    public var width: Int
    public var height: Int

    public init(name: String, title: String, kind: FigureKind, width: Int = 800, height: Int = 500) {
        self.name = name
        self.title = title
        self.kind = kind
        self.width = width
        self.height = height
    }
}

public indirect enum FigureKind: Sendable {
    case lines(LinePlot)
    case bars(BarChart)
    case histogram(Histogram)
    case heatmap(Heatmap)
    case imageGrid(ImageGrid)
    /// Small multiples (one histogram per layer, ...): the inner figures' titles become
    /// panel titles.
    case panels([Figure], columns: Int)
}

public struct LinePlot: Sendable {
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var logY: Bool
    public var series: [Series]
    public var markers: [Marker]
    public var yRange: ClosedRange<Double>?

    public init(xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false, series: [Series],
                markers: [Marker] = [], yRange: ClosedRange<Double>? = nil) {
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.logY = logY
        self.series = series
        self.markers = markers
        self.yRange = yRange
    }
}

public enum SeriesStyle: Sendable {
    case lines, linesPoints, points
    /// A published reference curve drawn beside ours.
    case dashed
}

public struct Series: Sendable {
    public var label: String
    public var x: [Double]
    public var y: [Double]
    /// An error band (e.g. min and max over seeds), drawn translucent behind the line.
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

public struct Band: Sendable {
    public var low: [Double]
    public var high: [Double]
    public init(low: [Double], high: [Double]) {
        self.low = low
        self.high = high
    }
}

/// A vertical line with a label, e.g. "test accuracy stops improving".
public struct Marker: Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}

public struct BarChart: Sendable {
    public var categories: [String]
    public var groups: [BarGroup]
    public var yLabel: String
    public var logY: Bool

    public init(categories: [String], groups: [BarGroup], yLabel: String, logY: Bool = false) {
        self.categories = categories
        self.groups = groups
        self.yLabel = yLabel
        self.logY = logY
    }
}

/// One bar per category, e.g. "ours" or "reference".
public struct BarGroup: Sendable {
    public var label: String
    public var values: [Double]
    public init(label: String, values: [Double]) {
        self.label = label
        self.values = values
    }
}

public struct Histogram: Sendable {
    public var series: [HistogramSeries]
    public var bins: Int
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

/// A matrix of values, row 0 at the top (a confusion matrix: rows = true class,
/// columns = predicted class, as scikit-learn draws it).
public struct Heatmap: Sendable {
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var xLabel: String
    public var yLabel: String
    /// Print each cell's value in it (integers without decimals).
    public var annotate: Bool
    public var colorBarLabel: String

    public init(values: [[Double]], rowLabels: [String], columnLabels: [String], xLabel: String, yLabel: String,
                annotate: Bool = true, colorBarLabel: String = "") {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.annotate = annotate
        self.colorBarLabel = colorBarLabel
    }
}

/// Small images in a grid with a caption under each: digits (0 = white paper, 1 = ink)
/// or, with `symmetricColors`, filters and weights on a diverging palette centred on 0.
public struct ImageGrid: Sendable {
    public var images: [[Float]]
    public var imageRows: Int
    public var imageColumns: Int
    public var captions: [String]
    public var columns: Int
    public var symmetricColors: Bool

    public init(images: [[Float]], imageRows: Int, imageColumns: Int, captions: [String] = [], columns: Int,
                symmetricColors: Bool = false) {
        self.images = images
        self.imageRows = imageRows
        self.imageColumns = imageColumns
        self.captions = captions
        self.columns = columns
        self.symmetricColors = symmetricColors
    }
}
