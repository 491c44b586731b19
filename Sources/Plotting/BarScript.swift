// Script and data for a BarChart: category i is centred on x = i, its bars side by side.

extension ScriptBuilder {
    mutating func addBarChart(_ chart: BarChart, title: String, canvas: Canvas) {
        let groups = chart.groups.count
        let barWidth = 0.8 / Double(groups)
        let ticks = chart.categories.enumerated()
            .map { "\(GnuplotText.ticLabel($0.element)) \($0.offset)" }.joined(separator: ", ")
        add("set title \(GnuplotText.text(title))",
            "set ylabel \(GnuplotText.text(chart.yLabel))",
            "set xtics (\(ticks)) scale 0",
            "set xrange [-0.6:\(GnuplotText.number(Double(chart.categories.count) - 0.4))]",
            "set grid noxtics ytics",
            "set boxwidth \(GnuplotText.number(barWidth)) absolute",
            "set style fill solid 0.85 noborder",
            "set key outside right top vertical")
        if Self.labelsCrowded(chart, canvas: canvas) { add("set xtics rotate by 30 right") }
        if chart.logY {
            add("set logscale y")
        } else if chart.groups.allSatisfy({ $0.values.allSatisfy { !($0 < 0) } }) {
            add("set yrange [0:*]")
        } else {
            add("set xzeroaxis lt -1")
        }

        var elements: [String] = []
        for (number, group) in chart.groups.enumerated() {
            let offset = -0.4 + barWidth * (Double(number) + 0.5)
            let index = addBlock(label: group.label, columns: "x value", rowCount: group.values.count) { row in
                [GnuplotText.number(Double(row) + offset), GnuplotText.number(group.values[row])]
            }
            elements.append("\(dataFile) index \(index) using 1:2 with boxes lt \(number + 1) title \(GnuplotText.text(group.label))")
        }
        add("plot " + elements.joined(separator: ", \\\n     "))
    }

    /// Whether the category names, written flat, would run into each other in the room
    /// left by the y axis (left) and the key (right).
    private static func labelsCrowded(_ chart: BarChart, canvas: Canvas) -> Bool {
        let longestGroup = Double(chart.groups.map(\.label.count).max() ?? 0)
        let plotWidth = canvas.width - 8 * canvas.fontSize - (longestGroup * 0.8 + 6) * canvas.fontSize
        let longest = Double(chart.categories.map(\.count).max() ?? 0)
        return longest * 0.8 * canvas.fontSize > 0.9 * plotWidth / Double(chart.categories.count)
    }
}
