// The whole script and data file of one figure.

extension ScriptBuilder {
    init(figure: Figure) {
        self.init(name: figure.name)
        // 11 pt suits the default 800x500; smaller figures get smaller text, panels a size less.
        let scale = min(Double(figure.width) / 800, Double(figure.height) / 500)
        var fontSize = min(12, max(8, (11 * scale).rounded()))
        if case .panels = figure.kind { fontSize -= 1 }
        add(Preamble.lines(for: figure, fontSize: Int(fontSize)))
        add("")
        addKind(figure.kind, title: figure.title,
                canvas: Canvas(width: Double(figure.width), height: Double(figure.height), fontSize: fontSize))
    }

    mutating func addKind(_ kind: FigureKind, title: String, canvas: Canvas) {
        switch kind {
        case .lines(let plot): addLinePlot(plot, title: title)
        case .bars(let chart): addBarChart(chart, title: title, canvas: canvas)
        case .histogram(let histogram): addHistogram(histogram, title: title)
        case .heatmap(let heatmap): addHeatmap(heatmap, title: title, canvas: canvas)
        case .imageGrid(let grid): addImageGrid(grid, title: title, canvas: canvas)
        case .panels(let panels, let columns): addPanels(panels, columns: columns, title: title, canvas: canvas)
        }
    }
}
