// What gnuplot could not draw, caught before any file is written, with a reason a student can act on.

extension Figure {
    public func validate() throws {
        if let reason = nameProblem ?? sizeProblem ?? kind.problem(nested: false) {
            throw PlotError.invalidFigure(figure: name, reason: reason)
        }
    }

    private var nameProblem: String? {
        if name.isEmpty { return "the figure has no name (it is the file stem)" }
        if name.contains("/") || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the name must be a plain file stem, without slashes or control characters"
        }
        // gnuplot would read a leading "-" as an option; a leading "." hides the files.
        if name.hasPrefix("-") || name.hasPrefix(".") { return "the name must not start with '-' or '.'" }
        return nil
    }

    private var sizeProblem: String? {
        width >= 100 && height >= 100 ? nil : "the size \(width)x\(height) is too small (at least 100x100 pixels)"
    }
}

extension FigureKind {
    func problem(nested: Bool) -> String? {
        switch self {
        case .lines(let plot): return plot.problem
        case .bars(let chart): return chart.problem
        case .histogram(let histogram): return histogram.problem
        case .heatmap(let heatmap): return heatmap.problem
        case .imageGrid(let grid): return grid.problem
        case .panels(let panels, let columns):
            if nested { return "panels cannot hold panels (gnuplot's multiplot does not nest)" }
            if panels.isEmpty { return "panels need at least one figure" }
            if columns < 1 { return "panels need at least one column, not \(columns)" }
            for (number, panel) in panels.enumerated() {
                if let reason = panel.kind.problem(nested: true) {
                    return "panel \(number + 1) ('\(panel.title)'): \(reason)"
                }
            }
            return nil
        }
    }
}

extension LinePlot {
    var problem: String? {
        if series.isEmpty { return "a line plot needs at least one series" }
        for series in series {
            let points = series.x.count
            if points != series.y.count {
                return "series '\(series.label)' has \(points) x values but \(series.y.count) y values"
            }
            if points == 0 { return "series '\(series.label)' has no points" }
            if let band = series.band, band.low.count != points || band.high.count != points {
                return "series '\(series.label)' has \(points) points but its band \(band.low.count) low and \(band.high.count) high values"
            }
        }
        // gnuplot cannot scale axes without a single point: "all points y value undefined".
        if !series.contains(where: { zip($0.x, $0.y).contains { $0.isFinite && $1.isFinite } }) {
            return "no series has a point with finite x and y"
        }
        if let marker = verticalMarkers.first(where: { !$0.x.isFinite || (logX && $0.x <= 0) }) {
            return "marker '\(marker.label)' is at x = \(marker.x), off the axis"
        }
        if let range = yRange {
            if !range.lowerBound.isFinite || !range.upperBound.isFinite || range.lowerBound == range.upperBound {
                return "the y range \(range) is empty or not finite"
            }
            if logY && range.lowerBound <= 0 { return "the y range \(range) must be above 0 on a log axis" }
        }
        return nil
    }
}

extension BarChart {
    var problem: String? {
        if categories.isEmpty { return "a bar chart needs at least one category" }
        if groups.isEmpty { return "a bar chart needs at least one group of bars" }
        if let group = groups.first(where: { $0.values.count != categories.count }) {
            return "group '\(group.label)' has \(group.values.count) values for \(categories.count) categories"
        }
        if !groups.contains(where: { $0.values.contains(where: \.isFinite) }) { return "no bar has a finite value" }
        return nil
    }
}

extension Histogram {
    var problem: String? {
        if series.isEmpty { return "a histogram needs at least one series" }
        if bins < 1 { return "a histogram needs at least one bin, not \(bins)" }
        if let range, !range.lowerBound.isFinite || !range.upperBound.isFinite || range.lowerBound == range.upperBound {
            return "the range \(range) is empty or not finite"
        }
        return nil
    }
}

extension Heatmap {
    var problem: String? {
        guard let columns = values.first?.count, columns > 0 else { return "a heatmap needs at least one cell" }
        if let row = values.firstIndex(where: { $0.count != columns }) {
            return "row \(row) has \(values[row].count) cells, row 0 has \(columns)"
        }
        if !rowLabels.isEmpty && rowLabels.count != values.count {
            return "\(rowLabels.count) row labels for \(values.count) rows"
        }
        if !columnLabels.isEmpty && columnLabels.count != columns {
            return "\(columnLabels.count) column labels for \(columns) columns"
        }
        return nil
    }
}

extension ImageGrid {
    var problem: String? {
        if images.isEmpty { return "an image grid needs at least one image" }
        if imageRows < 1 || imageColumns < 1 { return "images of \(imageRows)x\(imageColumns) pixels are empty" }
        if columns < 1 { return "an image grid needs at least one column, not \(columns)" }
        if let image = images.firstIndex(where: { $0.count != imageRows * imageColumns }) {
            return "image \(image) has \(images[image].count) values, not \(imageRows)x\(imageColumns) = \(imageRows * imageColumns)"
        }
        if !captions.isEmpty && captions.count != images.count {
            return "\(captions.count) captions for \(images.count) images"
        }
        return nil
    }
}
