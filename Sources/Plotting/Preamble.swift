// The top of every script: how to re-render, the terminal chosen by `fmt`, and the house style.

enum Preamble {
    /// Okabe & Ito's colours, told apart by colour-blind readers, each with its own point shape.
    static let colors: [(rgb: String, name: String, point: Int)] = [
        ("#0072B2", "blue", 7), ("#D55E00", "vermillion", 5), ("#009E73", "bluish green", 9),
        ("#CC79A7", "reddish purple", 13), ("#E69F00", "orange", 11), ("#56B4E9", "sky blue", 15),
        ("#000000", "black", 3),
    ]

    static func lines(for figure: Figure, fontSize: Int) -> [String] {
        let name = figure.name
        var out = [
            "# \(name): \(GnuplotText.flat(figure.title))",
            "# Written by the experiments notebook. Re-draw it from this folder with",
            "#   gnuplot \(name).gp                    -> \(name).png",
            "#   gnuplot -e 'fmt=\"svg\"' \(name).gp     -> \(name).svg (fmt: png, svg, pdf, or tex for \(name)-latex.tex)",
            "# Its data are in \(name).dat, one block per series (plot ... index N); NaN marks a missing value.",
            "",
            "if (!exists(\"fmt\")) fmt = \"png\"",
            "tex = (fmt eq \"tex\")   # LaTeX sets the text of the tex output, so some text is spelled twice",
        ]
        out += terminal(name: name, width: figure.width, height: figure.height, fontSize: fontSize)
        out += ["set encoding utf8", "", "# Colours: Okabe & Ito's palette, readable with colour blindness"]
        for (number, color) in colors.enumerated() {
            out.append("set linetype \(number + 1) lc rgb \"\(color.rgb)\" lw 2 pt \(color.point) ps 1   # \(color.name)")
        }
        out += ["set linetype cycle \(colors.count)", "", "# House style"]
        out += houseStyle(fontSize: fontSize)
        return out
    }

    /// Settings `reset` clears; panels repeat them after each `reset`.
    static func houseStyle(fontSize: Int) -> [String] {
        [
            "set title font \",\(fontSize + 2)\"",
            "set border 3 lc rgb \"#404040\"",
            "set tics nomirror out scale 0.6 textcolor rgb \"#404040\"",
            "set grid lt 1 lc rgb \"#DDDDDD\" lw 1",
            "set key noautotitle Left reverse samplen 2.5",
        ]
    }

    private static func terminal(name: String, width: Int, height: Int, fontSize: Int) -> [String] {
        let font = "font \"DejaVu Sans,\(fontSize)\" noenhanced"
        // pngcairo draws about 96 pixels per inch: the pdf keeps the png's proportions.
        let pdfSize = "\(inches(width, perInch: 96)),\(inches(height, perInch: 96))"
        // For a LaTeX page: 800 pixels become 5 inches, the text in the document's font.
        let texSize = "\(inches(width, perInch: 160)),\(inches(height, perInch: 160))"
        return [
            "if (strstrt(\" png svg pdf tex \", \" \" . fmt . \" \") == 0) {",
            "    exit error \"fmt must be png, svg, pdf or tex\"",
            "}",
            "if (fmt eq \"png\") {",
            "    set terminal pngcairo size \(width),\(height) \(font)",
            "    set output \(GnuplotText.quoted(name + ".png"))",
            "}",
            "if (fmt eq \"svg\") {",
            "    set terminal svg size \(width),\(height) \(font) background rgb \"white\"",
            "    set output \(GnuplotText.quoted(name + ".svg"))",
            "}",
            "if (fmt eq \"pdf\") {",
            "    set terminal pdfcairo size \(pdfSize) \(font)",
            "    set output \(GnuplotText.quoted(name + ".pdf"))",
            "}",
            "if (tex) {",
            "    # \\input{\(name)-latex.tex} in a document that loads graphicx and color;",
            "    # it includes \(name)-latex.pdf",
            "    set terminal cairolatex pdf size \(texSize) colortext",
            "    set output \(GnuplotText.quoted(name + "-latex.tex"))",
            "}",
        ]
    }

    private static func inches(_ pixels: Int, perInch: Double) -> String {
        let value = (Double(pixels) / perInch * 100).rounded() / 100
        return GnuplotText.number(value) + "in"
    }
}
