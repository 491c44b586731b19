// A figure as the notebook describes it: what to draw, not how gnuplot draws it.

/// The files render() can ask gnuplot for.
/// `tex` is cairolatex: `<name>-latex.tex` plus the `<name>-latex.pdf` it includes
/// (a different stem, so it never overwrites the `pdf` output).
public enum OutputFormat: String, CaseIterable, Sendable {
    case png, svg, pdf, tex
}

public struct Figure: Sendable {
    /// File stem of the script, the data and the outputs, e.g. "accuracy-vs-k".
    public var name: String
    public var title: String
    public var kind: FigureKind
    /// Pixels for png and svg; pdf and tex are scaled from them (see Preamble.swift).
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
    /// Small multiples in one gnuplot multiplot, filled row by row; the inner figures'
    /// titles become the panel titles, their names and sizes are not used.
    case panels([Figure], columns: Int)
}
