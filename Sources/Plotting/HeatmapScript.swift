import Foundation

// Script and data for a Heatmap: cell (column, row) is centred on x = column, y = row,
// with the y axis running down so row 0 is at the top, as in a confusion matrix.

extension ScriptBuilder {
    mutating func addHeatmap(_ heatmap: Heatmap, title: String, canvas: Canvas) {
        let rows = heatmap.values.count
        let columns = heatmap.values[0].count
        let finite = heatmap.values.joined().filter(\.isFinite)
        let columnLabels = heatmap.columnLabels.isEmpty ? (0..<columns).map(String.init) : heatmap.columnLabels
        let rowLabels = heatmap.rowLabels.isEmpty ? (0..<rows).map(String.init) : heatmap.rowLabels
        let font = canvas.fontSize
        let cell = Self.cellSize(canvas: canvas, rows: rows, columns: columns, rowLabels: rowLabels)
        // Long column names are turned when they do not fit under their cell; labels that
        // still crowd each other are thinned to every 2nd, 5th, 10th...
        let longestColumn = Double(columnLabels.map(\.count).max() ?? 1)
        let flatWidth = (longestColumn * 0.8 + 0.6) * font
        let rotate = flatWidth > cell && longestColumn > 3

        add("set title \(GnuplotText.text(title))",
            "set xlabel \(GnuplotText.text(heatmap.xLabel))",
            "set ylabel \(GnuplotText.text(heatmap.yLabel))",
            "set xtics (\(Self.ticks(columnLabels, every: Self.step(cell: cell, spacing: rotate ? 2.4 * font : flatWidth)))) scale 0",
            "set ytics (\(Self.ticks(rowLabels, every: Self.step(cell: cell, spacing: 1.4 * font)))) scale 0",
            "set xrange [-0.5:\(GnuplotText.number(Double(columns) - 0.5))]",
            "set yrange [\(GnuplotText.number(Double(rows) - 0.5)):-0.5]   # reversed: row 0 at the top",
            "set size ratio -1   # square cells",
            "unset grid",
            "unset border")
        if rotate { add("set xtics rotate by 30 right") }
        if finite.count < rows * columns {
            add("set object rectangle from graph 0, 0 to graph 1, 1 behind fillcolor rgb \"#BDBDBD\" fillstyle solid noborder   # grey: no value (NaN)")
        }
        let scale = ColorScale(finite)
        add(scale.palette,
            "set cbrange [\(GnuplotText.number(scale.low)):\(GnuplotText.number(scale.high))]",
            "set cbtics scale 0.5",
            "set cblabel \(GnuplotText.text(heatmap.colorBarLabel))")

        let index = addBlock(label: "cells", columns: "column row value", rowCount: rows * columns) { cell in
            let (row, column) = cell.quotientAndRemainder(dividingBy: columns)
            return [String(column), String(row), GnuplotText.number(heatmap.values[row][column])]
        }
        let cells: String
        // gnuplot's `with image` needs at least 2x2 cells: one row or column is drawn as boxes too.
        if rows * columns <= Self.largestVectorImage || rows < 2 || columns < 2 {
            cells = "using 1:2:(0.5):(0.5):3 with boxxyerror fillcolor palette fillstyle solid noborder"
        } else {
            noteBitmap()
            cells = "using 1:2:3 with image"
        }
        let elements = ["\(dataFile) index \(index) \(cells)"]
            + (heatmap.annotate ? addCellValues(finite, block: index, cell: cell, canvas: canvas, scale: scale) : [])
        add("plot " + elements.joined(separator: ", \\\n     "))
    }

    /// Each cell's value printed on it, in the largest font up to the figure's own that fits a
    /// cell (none when that would be below 6 pt): the plot element that draws them.
    private mutating func addCellValues(_ finite: [Double], block index: Int, cell: Double, canvas: Canvas,
                                        scale: ColorScale) -> [String] {
        let decimals = Self.decimals(finite)
        let longest = finite.map { Self.cellText($0, decimals: decimals).count }.max() ?? 1
        let fontSize = min(canvas.fontSize, 0.85 * cell / (Double(longest) * 0.8), 0.7 * cell / 1.6).rounded(.down)
        guard fontSize >= 6 else {
            add("# The cells are too small to print their values in.")
            return []
        }
        add("cell(v) = (v == int(v)) ? sprintf(\"%d\", int(v)) : sprintf(\"%.\(decimals)f\", v)",
            "ink(v) = (\(scale.darkCells)) ? 0xFFFFFF : 0x222222   # white text on dark cells")
        return ["\(dataFile) index \(index) using 1:2:(valid(3) ? cell($3) : \"\"):(ink($3)) with labels textcolor rgb variable font \",\(Int(fontSize))\""]
    }

    /// Every `step`-th label, placed on its cell.
    private static func ticks(_ labels: [String], every step: Int) -> String {
        stride(from: 0, to: labels.count, by: step)
            .map { "\(GnuplotText.ticLabel(labels[$0])) \($0)" }.joined(separator: ", ")
    }

    /// The smallest of 1, 2, 5, 10, 20, 50... cells that keeps labels `spacing` pixels apart.
    private static func step(cell: Double, spacing: Double) -> Int {
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] where Double(factor * magnitude) * cell >= spacing { return factor * magnitude }
            magnitude *= 10
        }
    }

    /// Decimals for the values that are not integers: enough for the magnitude (fewer for
    /// larger values), and more (up to 4) until cells of different values print differently,
    /// so that 0.924 and 0.921 do not both print as 0.92 (the gaps between cells decide, not
    /// the overall spread).
    private static func decimals(_ values: [Double]) -> Int {
        let largest = values.map(abs).max() ?? 0
        let forMagnitude = largest >= 100 ? 0 : largest >= 10 ? 1 : 2
        let distinct = Set(values)
        return (forMagnitude...max(forMagnitude, 4)).first { decimals in
            Set(distinct.map { cellText($0, decimals: decimals) }).count == distinct.count
        } ?? max(forMagnitude, 4)
    }

    private static func cellText(_ value: Double, decimals: Int) -> String {
        value == value.rounded() && abs(value) < 1e15
            ? String(Int64(value)) : String(format: "%.\(decimals)f", value)
    }

    /// Side of a square cell in pixels, estimated from the room the tick labels and y label
    /// (left), the colour bar (right), the title (top) and the x labels (bottom) leave.
    private static func cellSize(canvas: Canvas, rows: Int, columns: Int, rowLabels: [String]) -> Double {
        let font = canvas.fontSize
        let longestRowLabel = Double(rowLabels.map(\.count).max() ?? 1)
        let plotWidth = canvas.width - (longestRowLabel * 0.8 + 3) * font - 10 * font
        let plotHeight = canvas.height - 7 * 1.6 * font
        return min(plotWidth / Double(columns), plotHeight / Double(rows))
    }
}

/// The colours of a heatmap: light to dark blue, or blue-white-red centred on 0 when the
/// values have both signs (weights, differences).
private struct ColorScale {
    let low: Double
    let high: Double
    let palette: String
    /// A gnuplot condition on a cell value `v`: true where the cell is dark.
    let darkCells: String

    init(_ values: [Double]) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if low < 0 && high > 0 {
            let extent = max(-low, high)
            (self.low, self.high) = (-extent, extent)
            palette = "set palette defined (-1 \"#2166AC\", 0 \"#FFFFFF\", 1 \"#B2182B\")   # blue below 0, red above"
            darkCells = "abs(v) > \(GnuplotText.number(extent / 2))"
        } else {
            if low == high { (low, high) = (low - 0.5, high + 0.5) }
            (self.low, self.high) = (low, high)
            palette = "set palette defined (0 \"#F7FBFF\", 0.5 \"#6BAED6\", 1 \"#08306B\")   # light to dark blue"
            darkCells = "v > \(GnuplotText.number((low + high) / 2))"
        }
    }
}
