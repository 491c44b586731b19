// Script for small multiples: one gnuplot multiplot, each panel drawn like a figure of its own.

extension ScriptBuilder {
    mutating func addPanels(_ panels: [Figure], columns: Int, title: String, canvas: Canvas) {
        let columns = min(columns, panels.count)
        let rows = (panels.count + columns - 1) / columns
        let panelCanvas = Canvas(width: canvas.width / Double(columns),
                                 height: (canvas.height - 2 * canvas.fontSize) / Double(rows),
                                 fontSize: canvas.fontSize)
        add("set multiplot layout \(rows),\(columns) title \(GnuplotText.text(title)) font \",\(Int(canvas.fontSize) + 3)\"")
        for (number, panel) in panels.enumerated() {
            add("", "# Panel \(number + 1): \(GnuplotText.flat(panel.title))")
            if number > 0 {
                // Start from gnuplot's defaults, then the house style again (colours survive `reset`).
                add("reset")
                add(Preamble.houseStyle(fontSize: Int(canvas.fontSize)))
            }
            addKind(panel.kind, title: panel.title, canvas: panelCanvas)
        }
        add("unset multiplot")
    }
}
