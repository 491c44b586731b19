// How caller strings and numbers are spelled in the script and the data file.

enum GnuplotText {
    /// A single-quoted gnuplot string: no escapes are processed inside, only `'` is doubled.
    /// Every terminal runs `noenhanced`, so `_`, `^`, `@` and `{}` print as they are.
    static func quoted(_ text: String) -> String {
        "'" + flat(text).replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// One line: line breaks and other control characters become spaces.
    static func flat(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
    }

    /// Caller text: LaTeX typesets the text of the tex output, so text with LaTeX's
    /// special characters gets a second, escaped spelling chosen by the script's `tex` flag.
    static func text(_ text: String) -> String {
        spelled(plain: text, latex: latexEscaped(text))
    }

    /// Tic labels are printf formats to gnuplot: a literal % is written %%.
    static func ticLabel(_ label: String) -> String {
        let percent = { (text: String) in text.replacingOccurrences(of: "%", with: "%%") }
        return spelled(plain: percent(label), latex: percent(latexEscaped(label)))
    }

    private static func spelled(plain: String, latex: String) -> String {
        latex == plain ? quoted(plain) : "(tex ? \(quoted(latex)) : \(quoted(plain)))"
    }

    static func latexEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\textbackslash{}"
            case "^": out += "\\textasciicircum{}"
            case "~": out += "\\textasciitilde{}"
            case "_", "%", "&", "#", "$", "{", "}": out += "\\" + String(character)
            default:
                // pdflatex without extra packages knows no Greek letters in text: math mode does.
                if let command = greek[character] { out += "$\\\(command)$" } else { out.append(character) }
            }
        }
        return out
    }

    /// The Greek letters the studies write (eta, lambda, mu, sigma, ...) as LaTeX commands.
    private static let greek: [Character: String] = [
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "η": "eta", "θ": "theta",
        "λ": "lambda", "μ": "mu", "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "ω": "omega",
        "Δ": "Delta", "Σ": "Sigma",
    ]

    /// Shortest text that reads back as the same Double; non-finite values become
    /// NaN, which gnuplot treats as undefined: a curve breaks there, a cell stays empty.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "NaN" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func number(_ value: Float) -> String {
        guard value.isFinite else { return "NaN" }
        if value == value.rounded(), abs(value) < 1e7 { return String(Int32(value)) }
        return "\(value)"
    }
}
