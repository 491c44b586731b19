import Foundation

/// Builds a figure's gnuplot script and its data file. The script reads the data file
/// by relative name and picks its terminal from `fmt`, so a user re-renders a figure
/// with `gnuplot name.gp` (PNG) or `gnuplot -e 'fmt="svg"' name.gp` and can restyle it.
struct GnuplotScript {
    let figure: Figure
    private(set) var lines: [String] = []
    /// Data blocks of `name.dat`, addressed by `index N` in the script.
    private(set) var blocks: [String] = []

    /// A colour-blind-safe palette (Okabe and Ito), one colour per series.
    static let colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

    var dataFile: String { figure.name + ".dat" }

    init(_ figure: Figure) throws {
        self.figure = figure
        lines += header()
        try body(figure.kind, title: figure.title)
    }

    var script: String { lines.joined(separator: "\n") + "\n" }
    /// gnuplot separates `index` blocks by two blank lines.
    var data: String { blocks.joined(separator: "\n\n\n") + "\n" }

    private func header() -> [String] {
        let w = figure.width, h = figure.height
        let inches = "size \(String(format: "%.2f", Double(w) / 160))in,\(String(format: "%.2f", Double(h) / 160))in"
        return [
            "# \(figure.title)",
            "# Drawn by `experiments` from \(dataFile). Re-render from this folder with",
            "#   gnuplot \(figure.name).gp                    (PNG)",
            "#   gnuplot -e 'fmt=\"svg\"' \(figure.name).gp     (or pdf, or tex for cairolatex)",
            "if (!exists(\"fmt\")) fmt = \"png\"",
            "if (fmt eq \"png\") { set terminal pngcairo size \(w),\(h) noenhanced font 'Sans,11'; set output '\(figure.name).png' }",
            "if (fmt eq \"svg\") { set terminal svg size \(w),\(h) dynamic noenhanced font 'Sans,11' background rgb 'white'; set output '\(figure.name).svg' }",
            "if (fmt eq \"pdf\") { set terminal pdfcairo \(inches) noenhanced font 'Sans,9'; set output '\(figure.name).pdf' }",
            "if (fmt eq \"tex\") { set terminal cairolatex pdf \(inches); set output '\(figure.name)-latex.tex' }",
            "set datafile missing 'NaN'",
        ]
    }

    /// Settings every plot shares; repeated after `reset` for each panel.
    private func style() -> [String] {
        ["set border 3 lc rgb '#444444'", "set tics nomirror", "set grid lc rgb '#dddddd' lw 1"]
    }

    private mutating func addBlock(_ text: String) -> Int {
        blocks.append(text)
        return blocks.count - 1
    }

    private mutating func body(_ kind: FigureKind, title: String) throws {
        switch kind {
        case .lines(let plot): try linePlot(plot, title: title)
        case .bars(let chart): try barChart(chart, title: title)
        case .histogram(let spec): try histogramPlot(spec, title: title)
        case .heatmap(let spec): try heatmapPlot(spec, title: title)
        case .imageGrid(let grid): try imageGridPlot(grid, title: title)
        case let .panels(figures, columns):
            guard !figures.isEmpty, columns >= 1 else { throw invalid("a panel figure needs at least one panel") }
            let rows = (figures.count + columns - 1) / columns
            lines.append("set multiplot layout \(rows),\(columns) title \(quoted(title)) font ',12'")
            for panel in figures {
                if case .panels = panel.kind { throw invalid("panels cannot nest") }
                lines.append("reset")
                try body(panel.kind, title: panel.title)
            }
            lines.append("unset multiplot")
        }
    }

    private func invalid(_ reason: String) -> PlotError { .invalidFigure(figure: figure.name, reason: reason) }

    // MARK: - kinds

    private mutating func linePlot(_ plot: LinePlot, title: String) throws {
        guard !plot.series.isEmpty else { throw invalid("a line plot needs at least one series") }
        lines += style() + ["set title \(quoted(title))", "set xlabel \(quoted(plot.xLabel))",
                            "set ylabel \(quoted(plot.yLabel))", "set key outside right top"]
        if plot.logX { lines.append("set logscale x") }
        if plot.logY { lines.append("set logscale y") }
        if let range = plot.yRange { lines.append("set yrange [\(number(range.lowerBound)):\(number(range.upperBound))]") }
        for marker in plot.markers {
            lines.append("set arrow from \(number(marker.x)), graph 0 to \(number(marker.x)), graph 1 nohead dt 3 lc rgb '#555555'")
            lines.append("set label \(quoted(marker.label)) at \(number(marker.x)), graph 0.96 offset 0.5,0 font ',9' tc rgb '#555555'")
        }
        var plots: [String] = []
        for (i, series) in plot.series.enumerated() {
            guard series.x.count == series.y.count else {
                throw invalid("series '\(series.label)' has \(series.x.count) x values but \(series.y.count) y values")
            }
            if let band = series.band, band.low.count != series.x.count || band.high.count != series.x.count {
                throw invalid("the band of series '\(series.label)' does not match its points")
            }
            var rows = ["# series: \(series.label)"]
            for j in series.x.indices {
                var row = "\(number(series.x[j])) \(number(series.y[j]))"
                if let band = series.band { row += " \(number(band.low[j])) \(number(band.high[j]))" }
                rows.append(row)
            }
            let index = addBlock(rows.joined(separator: "\n"))
            let color = "lc rgb '\(Self.colors[i % Self.colors.count])'"
            if series.band != nil {
                plots.append("'\(dataFile)' index \(index) using 1:3:4 with filledcurves fs transparent solid 0.18 noborder \(color) notitle")
            }
            let how: String
            switch series.style {
            case .lines: how = "with lines lw 2"
            case .linesPoints: how = "with linespoints lw 2 pt 7 ps 0.5"
            case .points: how = "with points pt 7 ps 0.7"
            case .dashed: how = "with lines lw 2 dt 2"
            }
            plots.append("'\(dataFile)' index \(index) using 1:2 \(how) \(color) title \(quoted(series.label))")
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
    }

    private mutating func barChart(_ chart: BarChart, title: String) throws {
        guard !chart.categories.isEmpty, !chart.groups.isEmpty else { throw invalid("a bar chart needs categories and groups") }
        for group in chart.groups where group.values.count != chart.categories.count {
            throw invalid("bar group '\(group.label)' has \(group.values.count) values for \(chart.categories.count) categories")
        }
        var rows = ["# category " + chart.groups.map(\.label).joined(separator: " | ")]
        for (c, category) in chart.categories.enumerated() {
            rows.append(dataString(category) + " " + chart.groups.map { number($0.values[c]) }.joined(separator: " "))
        }
        let index = addBlock(rows.joined(separator: "\n"))
        lines += style() + ["set title \(quoted(title))", "set ylabel \(quoted(chart.yLabel))",
                            "set style data histograms", "set style histogram clustered gap 1",
                            "set style fill solid 0.85 border -1", "set key outside right top",
                            "set xtics rotate by -25 left", "set grid noxtics ytics"]
        if chart.logY { lines.append("set logscale y") } else { lines.append("set yrange [0:*]") }
        let plots = chart.groups.enumerated().map { i, group in
            "'\(dataFile)' index \(index) using \(i + 2)\(i == 0 ? ":xtic(1)" : "") lc rgb '\(Self.colors[i % Self.colors.count])' title \(quoted(group.label))"
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
    }

    private mutating func histogramPlot(_ histogram: Histogram, title: String) throws {
        guard !histogram.series.isEmpty, histogram.bins >= 1 else { throw invalid("a histogram needs series and bins") }
        let finite = histogram.series.flatMap { $0.values.filter(\.isFinite) }
        guard let low = histogram.range?.lowerBound ?? finite.min(),
              let high = histogram.range?.upperBound ?? finite.max() else { throw invalid("a histogram needs finite values") }
        let width = high > low ? (high - low) / Double(histogram.bins) : 1
        lines += style() + ["set title \(quoted(title))", "set xlabel \(quoted(histogram.xLabel))",
                            "set ylabel \(quoted(histogram.yLabel))", "set boxwidth \(number(width)) absolute",
                            "set key outside right top"]
        lines.append(histogram.logY ? "set logscale y" : "set yrange [0:*]")
        var plots: [String] = []
        for (i, series) in histogram.series.enumerated() {
            let counts = binCounts(series.values, bins: histogram.bins, low: low, width: width)
            var rows = ["# series: \(series.label) (bin centre, count)"]
            for (b, count) in counts.enumerated() {
                rows.append("\(number(low + (Double(b) + 0.5) * width)) \(count)")
            }
            let index = addBlock(rows.joined(separator: "\n"))
            let color = Self.colors[i % Self.colors.count]
            plots.append("'\(dataFile)' index \(index) using 1:2 with boxes fs transparent solid 0.45 border lc rgb '\(color)' lc rgb '\(color)' title \(quoted(series.label))")
        }
        lines.append("plot " + plots.joined(separator: ", \\\n     "))
    }

    private mutating func heatmapPlot(_ heatmap: Heatmap, title: String) throws {
        let rows = heatmap.values.count, columns = heatmap.values.first?.count ?? 0
        guard rows > 0, columns > 0, heatmap.values.allSatisfy({ $0.count == columns }) else {
            throw invalid("a heatmap needs a non-empty rectangular matrix")
        }
        let finite = heatmap.values.flatMap { $0 }.filter(\.isFinite)
        let top = finite.max() ?? 1, bottom = min(finite.min() ?? 0, 0)
        var data = ["# column row value label label-colour"]
        for r in 0..<rows {
            for c in 0..<columns {
                let value = heatmap.values[r][c]
                let label = value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
                // Light text on dark cells, dark text on light ones.
                let ink = value > bottom + 0.55 * (top - bottom) ? "0xffffff" : "0x222222"
                data.append("\(c) \(r) \(number(value)) \(dataString(label)) \(ink)")
            }
            data.append("")
        }
        let index = addBlock(data.joined(separator: "\n"))
        lines += ["set title \(quoted(title))", "set xlabel \(quoted(heatmap.xLabel))",
                  "set ylabel \(quoted(heatmap.yLabel))", "set cblabel \(quoted(heatmap.colorBarLabel))",
                  "set xrange [-0.5:\(columns) - 0.5]", "set yrange [\(rows) - 0.5:-0.5]",
                  "set palette defined (0 '#ffffff', 1 '#6baed6', 2 '#08306b')", "set cbrange [\(number(bottom)):\(number(top))]",
                  "set tics scale 0", "set xtics rotate by -35 left font ',9'", "set ytics font ',9'",
                  "set size ratio -1", "unset key", "unset grid"]
        lines.append("set xtics (" + heatmap.columnLabels.enumerated().map { "\(quoted($0.element)) \($0.offset)" }.joined(separator: ", ") + ")")
        lines.append("set ytics (" + heatmap.rowLabels.enumerated().map { "\(quoted($0.element)) \($0.offset)" }.joined(separator: ", ") + ")")
        var plot = "plot '\(dataFile)' index \(index) using 1:2:3 with image"
        if heatmap.annotate && rows * columns <= 400 {
            plot += ", \\\n     '' index \(index) using 1:2:4:5 with labels tc rgb variable font ',9'"
        }
        lines.append(plot)
    }

    private mutating func imageGridPlot(_ grid: ImageGrid, title: String) throws {
        let size = grid.imageRows * grid.imageColumns
        guard !grid.images.isEmpty, size > 0, grid.columns >= 1 else { throw invalid("an image grid needs images") }
        guard grid.images.allSatisfy({ $0.count == size }) else {
            throw invalid("every image must hold \(grid.imageRows) x \(grid.imageColumns) values")
        }
        // One mosaic matrix: images separated by a gap, with room under each for its caption.
        let gap = max(1, grid.imageColumns / 10)
        let captionRoom = grid.captions.isEmpty ? gap : max(gap, grid.imageRows / 3)
        let cellWidth = grid.imageColumns + gap, cellHeight = grid.imageRows + captionRoom
        let gridRows = (grid.images.count + grid.columns - 1) / grid.columns
        let width = grid.columns * cellWidth + gap, height = gridRows * cellHeight + gap
        let finite = grid.images.flatMap { $0 }.filter(\.isFinite).map(Double.init)
        let extent = max(finite.map(abs).max() ?? 1, 1e-12)
        // Gaps take a value just outside the images' range, coloured light grey.
        let gapValue = grid.symmetricColors ? Float.nan : -0.15
        var mosaic = [Float](repeating: gapValue, count: width * height)
        for (n, image) in grid.images.enumerated() {
            let x0 = gap + (n % grid.columns) * cellWidth, y0 = gap + (n / grid.columns) * cellHeight
            for r in 0..<grid.imageRows {
                for c in 0..<grid.imageColumns { mosaic[(y0 + r) * width + x0 + c] = image[r * grid.imageColumns + c] }
            }
        }
        let rowsText = (0..<height).map { r in
            (0..<width).map { c in number(Double(mosaic[r * width + c])) }.joined(separator: " ")
        }
        let index = addBlock("# \(grid.images.count) images of \(grid.imageRows)x\(grid.imageColumns), as one matrix\n"
                             + rowsText.joined(separator: "\n"))
        lines += ["set title \(quoted(title))", "unset key", "unset tics", "unset border", "unset grid",
                  "set size ratio -1", "set xrange [-0.5:\(width) - 0.5]", "set yrange [\(height) - 0.5:-0.5]",
                  "set lmargin 1", "set rmargin \(grid.symmetricColors ? 8 : 1)"]
        if grid.symmetricColors {
            lines += ["set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')",
                      "set cbrange [\(number(-extent)):\(number(extent))]"]
        } else {
            lines += ["set palette defined (-0.15 '#d9d9d9', -0.001 '#d9d9d9', 0 '#ffffff', 1 '#000000')",
                      "set cbrange [-0.15:1]", "unset colorbox"]
        }
        for (n, caption) in grid.captions.prefix(grid.images.count).enumerated() where !caption.isEmpty {
            let x = gap + (n % grid.columns) * cellWidth + grid.imageColumns / 2
            let y = Double(gap + (n / grid.columns) * cellHeight + grid.imageRows) + Double(captionRoom) / 2
            lines.append("set label \(quoted(caption)) at \(x), \(number(y)) center font ',9' front")
        }
        lines.append("plot '\(dataFile)' index \(index) matrix with image")
    }
}

/// Bin counts over [low, low + bins * width); the top edge counts in the last bin.
func binCounts(_ values: [Double], bins: Int, low: Double, width: Double) -> [Int] {
    var counts = [Int](repeating: 0, count: bins)
    for value in values where value.isFinite {
        let bin = Int(((value - low) / width).rounded(.down))
        if bin >= 0 && bin < bins { counts[bin] += 1 } else if bin == bins && value <= low + Double(bins) * width { counts[bins - 1] += 1 }
    }
    return counts
}

/// A gnuplot string literal: single quotes take everything literally but '' for a quote.
func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

/// A string in a data file: double-quoted, without characters that would end it.
func dataString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\n", with: " ") + "\""
}

/// Numbers exactly enough for plotting; non-finite values become the missing marker.
func number(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.9g", value)
}
