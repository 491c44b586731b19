import Foundation

/// How close ours must come to a text's number to count as reproduced: chosen before our
/// result is seen, with the reason it is that wide (a seed-to-seed spread, float32 against
/// float64, a number the text rounds). Never widened to make a row pass.
public struct Tolerance: Sendable, Codable, Equatable {
    /// The largest |mean of ours - the text's| that still reproduces it, in the quantity's units.
    public let width: Double
    public let why: String

    public static func absolute(_ width: Double, because why: String) -> Tolerance { Tolerance(width: width, why: why) }

    /// For a rate the text quotes in percent (an accuracy or an error) measured on `images`
    /// test images: twice its binomial standard error, 100 sqrt(p (1 - p) / images). The test
    /// set's own sampling noise, before any seed-to-seed spread: a difference within it is no
    /// evidence of one.
    public static func twoStandardErrors(percent: Double, images: Int) -> Tolerance {
        let p = percent / 100
        return .absolute(200 * (p * (1 - p) / Double(images)).squareRoot(),
                         because: "twice the binomial standard error of the text's rate on \(images) test images")
    }

    /// For a quantity with no sampling formula (an epoch read off a curve): twice the standard
    /// deviation of our seeds' values, the spread one run of the text's setting has.
    public static func twoStandardDeviations(of values: [Double]) -> Tolerance {
        .absolute(2 * sampleVariance(values).squareRoot(), because: "twice the standard deviation of our \(values.count) seeds' values")
    }

    /// For one draw of ours beside the text's one draw of the same random quantity, whose other
    /// draws of ours are `draws`: the difference of two draws has sqrt(2) times their standard
    /// deviation s, so the width is 2 sqrt(2) s. `what` names the quantity drawn.
    public static func twoStandardDeviationsOfTwoDraws(_ draws: [Double], of what: String) -> Tolerance {
        .absolute(2 * (2 * sampleVariance(draws)).squareRoot(),
                  because: "twice the spread of the difference of two draws, sqrt(2) times the standard deviation of \(what) over \(draws.count) draws of ours")
    }

    /// For the mean of our runs beside the mean of another program's runs of the same setting:
    /// twice the standard error of the difference of two means, 2 sqrt(s1^2/n1 + s2^2/n2).
    public static func twoStandardErrorsOfDifference(ours: [Double], theirs: [Double]) -> Tolerance {
        let ours2 = sampleVariance(ours) / Double(max(ours.count, 1)), theirs2 = sampleVariance(theirs) / Double(max(theirs.count, 1))
        return .absolute(2 * (ours2 + theirs2).squareRoot(),
                         because: "twice the standard error of the difference of two means: our \(ours.count) seeds and the other program's \(theirs.count)")
    }

    /// The unbiased variance of `values` (0 for fewer than two).
    private static func sampleVariance(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    }

    /// As `twoStandardErrors(percent:images:)`, widened by the spread of our own seeds: the
    /// text's one run is one draw from the runs its setting gives, measured on a finite test
    /// set, so the width is 2 sqrt(s^2 + se^2), s the standard deviation of our seeds' values
    /// (in percent; none with one seed) and se the binomial standard error.
    public static func twoStandardErrors(percent: Double, images: Int, seeds values: [Double]) -> Tolerance {
        let p = percent / 100, binomial = 100 * (p * (1 - p) / Double(images)).squareRoot()
        guard values.count >= 2 else { return twoStandardErrors(percent: percent, images: images) }
        return .absolute(2 * (sampleVariance(values) + binomial * binomial).squareRoot(),
                         because: "twice the combined spread of our \(values.count) seeds and the binomial standard error on \(images) test images")
    }
}

/// A number a source text prints, declared once with where it comes from, so the prose,
/// the tables and the reproduction rows all read the same value (`Reference(4.86, decimals: 2,
/// source: "seed 003")`, then `"\(ref)"` prints "4.86" as the text does).
public struct Reference: Sendable, CustomStringConvertible {
    public let value: Double
    /// Decimals the text prints.
    public let decimals: Int
    /// Where it comes from, e.g. "seed 003".
    public let source: String

    public init(_ value: Double, decimals: Int, source: String) {
        (self.value, self.decimals, self.source) = (value, decimals, source)
    }

    /// As the text prints it.
    public var description: String { String(format: "%.\(decimals)f", value) }
    /// The same number in percent (0.82 -> 82), for rows that count in percent.
    public var percent: Reference {
        // Rounded to the printed decimals, so 0.0486 gives exactly 4.86 (not 100 x 0.0486 = 4.8599...).
        let decimals = max(0, self.decimals - 2), scale = (0..<decimals).reduce(1.0) { power, _ in power * 10 }
        return Reference((100 * value * scale).rounded() / scale, decimals: decimals, source: source)
    }
}

/// A reference number of ../shared/REFERENCE.md beside ours, with the verdict.
public struct Reproduction: Sendable, Codable, Equatable {
    /// What is measured, e.g. "784-30-10, quadratic cost: test error (%)".
    public let quantity: String
    /// Where the text's number comes from, e.g. "seed 003".
    public let source: String
    public let text: Double
    /// Ours, one value per seed (or per run that measures it).
    public let ours: [Double]
    public let tolerance: Tolerance
    /// Why no verdict can be given (e.g. "needs CIFAR-10": the text measured it there).
    public let blockedBy: String?
    /// What the values of `ours` are, e.g. "seeds", "draws".
    public let over: String
    /// What kind of agreement the row shows, which decides whether the scoreboard counts it.
    public let kind: Kind
    /// The words of the source that set what this row reproduces (a short quote), when given.
    public let quote: String?
    /// The difference the text's number is there to show (L2 against none, a network against
    /// k-NN), when the row shows one: a tolerance as wide as it cannot tell the two apart.
    public let effect: Effect?

    /// A difference in the text that a row's number is meant to show, in the row's units.
    public struct Effect: Sendable, Codable, Equatable {
        public let size: Double
        /// What it is, e.g. "L2's gain in the text (4.86 -> 4.03)".
        public let what: String
        public init(_ what: String, size: Double) {
            self.what = what
            self.size = abs(size)
        }
    }

    /// What kind of agreement a row shows. Only `trained` rows make the scoreboard's headline:
    /// a check cannot miss unless the code is wrong, and a shown-only row is not the text's
    /// own setting or result.
    public enum Kind: Sendable, Codable, Equatable {
        /// A network trained (or a classifier fitted) on data, beside a number the texts print
        /// or their own code recorded.
        case trained
        /// An identity, an analytic value or a simulation of a formula.
        case check
        /// Shown beside ours but not counted, and why (the text does not give the setting; the
        /// text chose the number on its test set).
        case shownOnly(String)

        public var label: String {
            switch self {
            case .trained: return "a trained reproduction"
            case .check: return "a check (an identity or a formula's simulation)"
            case .shownOnly(let why): return "not counted: \(why)"
            }
        }
    }

    public init(_ quantity: String, source: String, quote: String? = nil, text: Double, ours: [Double], over: String = "seeds",
                kind: Kind, tolerance: Tolerance, effect: Effect? = nil, blockedBy: String? = nil) {
        self.quantity = quantity
        self.source = source
        self.quote = quote
        self.text = text
        self.ours = ours
        self.over = over
        self.kind = kind
        self.tolerance = tolerance
        self.effect = effect
        self.blockedBy = blockedBy
    }

    private enum CodingKeys: String, CodingKey { case quantity, source, quote, text, ours, over, kind, tolerance, effect, blockedBy }

    /// A row of a reproductions.json written before rows had a kind is shown but not counted,
    /// until its report is redrawn.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        quantity = try c.decode(String.self, forKey: .quantity)
        source = try c.decode(String.self, forKey: .source)
        quote = try c.decodeIfPresent(String.self, forKey: .quote)
        text = try c.decode(Double.self, forKey: .text)
        ours = try c.decode([Double].self, forKey: .ours)
        over = try c.decode(String.self, forKey: .over)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind)
            ?? .shownOnly("written before rows had a kind; redraw it with experiments report")
        tolerance = try c.decode(Tolerance.self, forKey: .tolerance)
        effect = try c.decodeIfPresent(Effect.self, forKey: .effect)
        blockedBy = try c.decodeIfPresent(String.self, forKey: .blockedBy)
    }

    /// A row for a number declared once as a `Reference`.
    public init(_ quantity: String, reference: Reference, quote: String? = nil, ours: [Double], over: String = "seeds",
                kind: Kind, tolerance: Tolerance, effect: Effect? = nil, blockedBy: String? = nil) {
        self.init(quantity, source: reference.source, quote: quote, text: reference.value, ours: ours, over: over,
                  kind: kind, tolerance: tolerance, effect: effect, blockedBy: blockedBy)
    }

    public enum Verdict: Equatable, Sendable {
        case reproduced
        case notReproduced(String)
        /// Within the tolerance, but the tolerance is as wide as the effect the row shows:
        /// agreement that could not have failed for the reason the row is there.
        case tooWide(String)
        case blocked(String)

        public var label: String {
            switch self {
            case .reproduced: return "reproduced"
            case .notReproduced(let why): return "not reproduced: \(why)"
            case .tooWide(let why): return "inconclusive: \(why)"
            case .blocked(let why): return why
            }
        }
    }

    public var mean: Double { ours.isEmpty ? .nan : ours.reduce(0, +) / Double(ours.count) }

    public var verdict: Verdict {
        if let blockedBy { return .blocked(blockedBy) }
        guard !ours.isEmpty, ours.allSatisfy(\.isFinite) else { return .notReproduced("no finite result of ours") }
        let off = mean - text
        guard abs(off) <= tolerance.width else {
            return .notReproduced("ours is \(formatNumber(abs(off))) \(off > 0 ? "above" : "below"), beyond ±\(formatNumber(tolerance.width))")
        }
        if let effect, tolerance.width >= effect.size {
            return .tooWide("within ±\(formatNumber(tolerance.width)), a spread no narrower than \(effect.what), \(formatNumber(effect.size))")
        }
        return .reproduced
    }

    /// "0.9514" for one value, "0.9514 (0.9480–0.9551, 3 seeds)" for several.
    public var oursText: String {
        guard ours.count > 1 else { return ours.first.map(format) ?? "—" }
        return "\(format(mean)) (\(format(ours.min()!))–\(format(ours.max()!)), \(ours.count) \(over))"
    }

    /// Four decimals, the texts' precision; a number too small for them keeps three significant digits.
    static func numberFormat(_ x: Double) -> NumberFormat { x != 0 && abs(x) < 0.01 ? .significant(3) : .decimals(4) }

    /// In a row of whole numbers (epochs, counts, yes-or-no), whole numbers print without
    /// decimals; any other number as `numberFormat` says.
    func numberFormat(_ x: Double) -> NumberFormat {
        let whole = { (value: Double) in value.isFinite && abs(value) < 1e15 && value == value.rounded() }
        return whole(x) && whole(text) && ours.allSatisfy(whole) ? .decimals(0) : Self.numberFormat(x)
    }
    func format(_ x: Double) -> String { numberFormat(x).text(x) }
    static func format(_ x: Double) -> String { numberFormat(x).text(x) }
}

/// A view step: the texts' numbers this study measures, each with ours, a tolerance and a
/// verdict. The report shows them as a table, and `results/index.md` collects every study's
/// rows from its `--full` report into one scoreboard.
public struct Reproductions: StudyStep {
    public let title: String
    private let compare: (StudyResults) throws -> [Reproduction]

    public init(_ title: String, _ build: @escaping (StudyResults) throws -> [Reproduction]) {
        self.title = title
        compare = build
    }

    func build(_ results: StudyResults) throws -> [Reproduction] { try StudyMistakes.checking { try compare(results) } }

    /// The rows as a report table; each tolerance's reason is a note under it, once, and each
    /// quote of the source's setting, once, lettered.
    static func table(_ rows: [Reproduction]) -> TableContent {
        var reasons: [String] = [], quotes: [String] = []
        for row in rows where !reasons.contains(row.tolerance.why) { reasons.append(row.tolerance.why) }
        for row in rows {
            if let quote = row.quote.map({ "\(row.source): “\($0)”" }), !quotes.contains(quote) { quotes.append(quote) }
        }
        let letter = { (index: Int) in String(UnicodeScalar(UInt8(97 + index % 26))) }
        return TableContent(
            columns: ["quantity", "text", "ours", "tolerance", "verdict", "counts as"],
            rows: rows.map { row in
                let mark = reasons.firstIndex(of: row.tolerance.why).map { " [\($0 + 1)]" } ?? ""
                let cited = row.quote.flatMap { quote in quotes.firstIndex(of: "\(row.source): “\(quote)”") }.map { " [\(letter($0))]" } ?? ""
                return ["\(row.quantity) (\(row.source))\(cited)", .number(row.text, format: row.numberFormat(row.text)), "\(row.oursText)",
                        "±\(Reproduction.format(row.tolerance.width))\(mark)", "\(row.verdict.label)", "\(row.kind.label)"]
            },
            notes: reasons.enumerated().map { "[\($0.offset + 1)] \($0.element)" }
                + quotes.enumerated().map { "[\(letter($0.offset))] \($0.element)" })
    }
}
