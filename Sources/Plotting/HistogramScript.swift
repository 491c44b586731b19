// Script and data for a Histogram: counts binned in Swift, drawn as boxes.

extension ScriptBuilder {
    mutating func addHistogram(_ histogram: Histogram, title: String) {
        let binning = Binning(histogram)
        let upper = binning.lower + binning.width * Double(histogram.bins)
        // Several series overlap: translucent fills let each one show through.
        let fill = histogram.series.count > 1 ? "transparent solid 0.45" : "solid 0.85"
        add("set title \(GnuplotText.text(title))",
            "set xlabel \(GnuplotText.text(histogram.xLabel))",
            "set ylabel \(GnuplotText.text(histogram.yLabel))",
            "set xrange [\(GnuplotText.number(binning.lower)):\(GnuplotText.number(upper))]",
            "set boxwidth \(GnuplotText.number(binning.width)) absolute",
            "set style fill \(fill) noborder",
            "set grid noxtics ytics",
            // One series needs no key (the title names it); a key would squeeze a small panel.
            histogram.series.count > 1 ? "set key outside right top vertical" : "unset key")
        // On a log axis boxes rise from the bottom of the plot: start below 1 so a count of 1 shows.
        if histogram.logY {
            add("set logscale y", "set yrange [0.5:*]")
        } else {
            add("set yrange [0:*]")
        }

        let centres = binning.centres
        var elements: [String] = []
        for (number, series) in histogram.series.enumerated() {
            let counts = binning.counts[number]
            let index = addBlock(label: series.label, columns: "bin-centre count", rowCount: centres.count) { bin in
                [GnuplotText.number(centres[bin]), String(counts[bin])]
            }
            elements.append("\(dataFile) index \(index) using 1:2 with boxes lt \(number + 1) title \(GnuplotText.text(series.label))")
        }
        add("plot " + elements.joined(separator: ", \\\n     "))
    }
}
