import Datasets
import Foundation

/// How big a study's runs are. Each study chooses its sizes per profile in one place.
public enum Profile: String, CaseIterable, Sendable {
    /// Seconds: what the tests and CI run.
    case quick
    /// Minutes on two cores, meaningful results on real digits.
    case standard = "default"
    /// The source texts' scale; hours are fine.
    case full
}

/// What a study's body may depend on: the profile, the seed, the user's data and the
/// `--set key=value` overrides of its parameters.
public struct StudyContext: Sendable {
    public let profile: Profile
    public let seed: UInt32
    /// The data set `--data` names (a name or an MNIST-format folder), when given.
    public let data: DataSource?
    /// `--set` overrides, in the order given; and what the body declared.
    public let parameters: StudyParameters

    public init(profile: Profile = .standard, seed: UInt32 = 0, data: DataSource? = nil,
                overrides: [(key: String, value: String)] = []) {
        self.profile = profile
        self.seed = seed
        self.data = data
        parameters = StudyParameters(overrides: overrides)
    }

    /// Chooses a value per profile (not settable from the command line; see `parameter`).
    public func pick<T>(quick: T, standard: T, full: T) -> T {
        switch profile {
        case .quick: return quick
        case .standard: return standard
        case .full: return full
        }
    }

    /// A study parameter: its value for the profile unless `--set key=value` overrides it.
    /// Overrides change the steps' configs, so they are part of every affected run's hash.
    public func parameter<T: ParameterValue>(_ key: String, quick: T, standard: T, full: T, help: String) -> T {
        let chosen = pick(quick: quick, standard: standard, full: full)
        return parameters.resolve(key, default: chosen, help: help)
    }

    /// A study parameter with one default for every profile.
    public func parameter<T: ParameterValue>(_ key: String, default value: T, help: String) -> T {
        parameter(key, quick: value, standard: value, full: value, help: help)
    }
}

/// A value `--set` can give: parsed from text (nil for text that is not a valid value),
/// shown as text.
public protocol ParameterValue {
    init?(parameterText: String)
    static var typeName: String { get }
    var parameterText: String { get }
}

extension ParameterValue {
    public var parameterText: String { "\(self)" }
}

/// Every integer parameter counts something (epochs, seeds, images, trials): 0 or less is a mistake.
extension Int: ParameterValue {
    public init?(parameterText: String) {
        guard let value = Int(parameterText), value >= 1 else { return nil }
        self = value
    }
    public static var typeName: String { "a whole number of at least 1" }
}

/// A list, e.g. training-set sizes `--set sizes=500,2000` or rates `--set etas=0.1,1`. Every
/// item must be a valid value of its type; a bad item refuses the whole list rather than
/// being dropped.
extension Array: ParameterValue where Element: ParameterValue {
    public init?(parameterText: String) {
        let items = parameterText.split(separator: ",", omittingEmptySubsequences: false)
            .map { Element(parameterText: $0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, !items.contains(where: { $0 == nil }) else { return nil }
        self = items.map { $0! }
    }
    public static var typeName: String { "a comma-separated list, each item \(Element.typeName)" }
    public var parameterText: String { map(\.parameterText).joined(separator: ",") }
}

extension Double: ParameterValue {
    public init?(parameterText: String) {
        guard let value = Double(parameterText), value.isFinite else { return nil }
        self = value
    }
    public static var typeName: String { "a number" }
}

extension String: ParameterValue {
    public init?(parameterText: String) { self = parameterText }
    public static var typeName: String { "a string" }
}

extension Bool: ParameterValue {
    public init?(parameterText: String) {
        switch parameterText.lowercased() {
        case "true", "yes", "1": self = true
        case "false", "no", "0": self = false
        default: return nil
        }
    }
    public static var typeName: String { "true or false" }
}

/// The `--set` overrides of one study evaluation, and the parameters its body declared
/// (so an unknown key or a value of the wrong type is one clear line before any work).
public final class StudyParameters: @unchecked Sendable {
    public struct Declared: Sendable {
        public let key: String
        public let value: String
        public let help: String
        public let typeName: String
    }

    public let overrides: [(key: String, value: String)]
    private let lock = NSLock()
    private var declared: [Declared] = []
    private var problems: [String] = []

    init(overrides: [(key: String, value: String)]) { self.overrides = overrides }

    /// What the body declared, in order (each key once), with the values it used.
    public var declarations: [Declared] { lock.withLock { declared } }

    func resolve<T: ParameterValue>(_ key: String, default value: T, help: String) -> T {
        var result = value
        if let text = overrides.last(where: { $0.key == key })?.value {
            if let parsed = T(parameterText: text) {
                result = parsed
            } else {
                lock.withLock { problems.append("--set \(key)=\(text): \(key) takes \(T.typeName)") }
            }
        }
        lock.withLock {
            if !declared.contains(where: { $0.key == key }) {
                declared.append(Declared(key: key, value: result.parameterText, help: help, typeName: T.typeName))
            }
        }
        return result
    }

    /// Throws the first problem: a value of the wrong type, or a key the study does not have.
    func check(study: String) throws {
        let (problems, known) = lock.withLock { (self.problems, declared.map(\.key)) }
        if let problem = problems.first { throw StudyError(problem) }
        for (key, _) in overrides where !known.contains(key) {
            let list = known.isEmpty ? "it has no parameters" : "its parameters: \(known.joined(separator: ", "))"
            throw StudyError("--set \(key): \(study) has no parameter '\(key)' (\(list); see 'experiments list \(study)')")
        }
    }
}

/// Anything a study body lists: compute steps write runs, view steps read them.
public protocol StudyStep {}

/// A study: a name, a title, and a body that lists steps for a given context.
/// It is declared in a study file of the `experiments` executable, so a typo is a
/// compile error; it never touches HDF5 or gnuplot.
public struct Study: Sendable {
    public let name: String
    public let title: String
    /// One line for `experiments list`.
    public let summary: String
    private let body: @Sendable (StudyContext) -> [any StudyStep]

    public init(_ name: String, title: String, summary: String,
                @StudyBuilder body: @escaping @Sendable (StudyContext) -> [any StudyStep]) {
        self.name = name
        self.title = title
        self.summary = summary
        self.body = body
    }

    /// The steps for a context; throws when a `--set` override names no parameter of the
    /// study or has the wrong type.
    public func steps(for context: StudyContext) throws -> [any StudyStep] {
        let steps = try StudyMistakes.checking { body(context) }
        try context.parameters.check(study: name)
        return steps
    }
}

/// Mistakes in a study file that only show when its body or a view runs (an axis or an option
/// of another sweep, a point at coordinates the sweep does not have): recorded where they
/// happen, then thrown as one line, before any run when the body lists its steps, or as the
/// failure of the view that made it. Never a crash, never a silent NaN in a report.
public enum StudyMistakes {
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var first: String?
        func record(_ message: String) { lock.withLock { if first == nil { first = message } } }
        var mistake: String? { lock.withLock { first } }
    }

    @TaskLocal static var current: Log?

    /// Records a mistake of the study being evaluated; outside an evaluation (a unit test
    /// calling a sweep directly) it stops the program with the same line.
    static func record(_ message: String) {
        guard let log = current else { preconditionFailure(message) }
        log.record(message)
    }

    /// Runs `body`, then throws the first mistake it recorded.
    public static func checking<T>(_ body: () throws -> T) throws -> T {
        let log = Log()
        let value = try $current.withValue(log) { try body() }
        if let mistake = log.mistake { throw StudyError(mistake) }
        return value
    }
}

@resultBuilder
public enum StudyBuilder {
    public static func buildExpression(_ step: any StudyStep) -> [any StudyStep] { [step] }
    public static func buildExpression(_ steps: [any StudyStep]) -> [any StudyStep] { steps }
    public static func buildBlock(_ parts: [any StudyStep]...) -> [any StudyStep] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any StudyStep]?) -> [any StudyStep] { part ?? [] }
    public static func buildEither(first part: [any StudyStep]) -> [any StudyStep] { part }
    public static func buildEither(second part: [any StudyStep]) -> [any StudyStep] { part }
    public static func buildArray(_ parts: [[any StudyStep]]) -> [any StudyStep] { parts.flatMap { $0 } }
}
