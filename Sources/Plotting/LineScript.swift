import Foundation

// Script and data for a LinePlot.

extension ScriptBuilder {
    mutating func addLinePlot(_ plot: LinePlot, title: String) {
        add("set title \(GnuplotText.text(title))",
            "set xlabel \(GnuplotText.text(plot.xLabel))",
            "set ylabel \(GnuplotText.text(plot.yLabel))")
        // %g keeps log-axis tics short: 1e-06, not 0.0000010.
        if plot.logX { add("set logscale x", "set format x \"%g\"") }
        if plot.logY { add("set logscale y", "set format y \"%g\"") }
        if let range = plot.yRange {
            add("set yrange [\(GnuplotText.number(range.lowerBound)):\(GnuplotText.number(range.upperBound))]")
        }
        // The x axis ends at the data, not at the next tic (which can be a decade away on a log axis).
        // The key goes below, where it covers no curve; `height 1` keeps it clear of the x label.
        add("set autoscale xfix",
            "set key below horizontal height 1")
        // Epochs, layers and k are whole numbers: tics at 1.5 or 2.5 would mean nothing.
        if let step = Self.integerTicStep(plot) { add("set xtics \(step)") }
        // Marker labels sit above the frame, one line each, where they cannot cover a curve.
        if !plot.verticalMarkers.isEmpty {
            add("set tmargin \(3 + plot.verticalMarkers.count)",
                "set title offset 0, character \(plot.verticalMarkers.count)")
        }
        for (number, marker) in plot.verticalMarkers.sorted(by: { $0.x < $1.x }).enumerated() {
            let x = GnuplotText.number(marker.x)
            add("set arrow from \(x), graph 0 to \(x), graph 1 nohead dt 3 lw 1.5 lc rgb \"#555555\"",
                "set label \(GnuplotText.text(marker.label)) at \(x), graph 1 \(Self.alignment(of: marker, in: plot)) offset 0, character \(number + 1) textcolor rgb \"#555555\"")
        }

        var bands: [String] = []
        var curves: [String] = []
        for (number, series) in plot.series.enumerated() {
            let color = number + 1
            let columns = series.band == nil ? "x y" : "x y low high"
            let index = addBlock(label: series.label, columns: columns, rowCount: series.x.count) { row in
                var values = [series.x[row], series.y[row]]
                if let band = series.band { values += [band.low[row], band.high[row]] }
                return values.map(GnuplotText.number)
            }
            if series.band != nil {
                bands.append("\(dataFile) index \(index) using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lt \(color)")
            }
            let style = Self.style(series.style, color: color, points: series.x.count)
            curves.append("\(dataFile) index \(index) using 1:2 \(style) title \(GnuplotText.text(series.label))")
        }
        // Bands first, so every curve is drawn over them.
        add("plot " + (bands + curves).joined(separator: ", \\\n     "))
    }

    /// A whole-number tic step (about ten tics) when every x is a whole number on a linear axis.
    private static func integerTicStep(_ plot: LinePlot) -> Int? {
        let xs = plot.series.flatMap(\.x).filter(\.isFinite)
        guard !plot.logX, let low = xs.min(), let high = xs.max(), high > low,
              xs.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) else { return nil }
        let span = high - low
        for step in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where span / Double(step) <= 10 { return step }
        return nil
    }

    /// Near either end of the x axis a centred label would run off the figure: it grows inwards instead.
    private static func alignment(of marker: Marker, in plot: LinePlot) -> String {
        let scale = { (x: Double) in plot.logX ? log10(x) : x }
        let xs = plot.series.flatMap(\.x).filter { $0.isFinite && (!plot.logX || $0 > 0) }.map(scale)
        guard let low = xs.min(), let high = xs.max(), high > low else { return "center" }
        let position = (scale(marker.x) - low) / (high - low)
        return position < 0.2 ? "left" : position > 0.8 ? "right" : "center"
    }

    private static func style(_ style: SeriesStyle, color: Int, points: Int) -> String {
        switch style {
        case .lines: return "with lines lt \(color)"
        case .linesPoints:
            // A long curve shows about 20 markers: enough to tell the series apart.
            let interval = max(1, points / 20)
            return "with linespoints lt \(color)" + (interval > 1 ? " pointinterval \(interval)" : "")
        case .points:
            // Every point is drawn: many of them need smaller marks to stay apart.
            let size = points > 200 ? 0.4 : points > 50 ? 0.7 : 1
            return "with points lt \(color)" + (size < 1 ? " pointsize \(size)" : "")
        case .dashed: return "with lines lt \(color) dt 2"
        }
    }
}
