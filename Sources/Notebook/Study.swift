import Datasets

/// How big a study's runs are. Each study chooses its sizes per profile in one place.
public enum Profile: String, CaseIterable, Sendable {
    /// Seconds: what the tests and CI run.
    case quick
    /// Minutes on two cores, meaningful results on real digits.
    case standard = "default"
    /// The source texts' scale; hours are fine.
    case full
}

/// What a study's body may depend on: the profile, the seed and the user's data.
public struct StudyContext: Sendable {
    public let profile: Profile
    public let seed: UInt32
    /// The user's own MNIST folder (`--data DIR`), when given.
    public let userMNIST: DataSource?

    public init(profile: Profile = .standard, seed: UInt32 = 0, userMNIST: DataSource? = nil) {
        self.profile = profile
        self.seed = seed
        self.userMNIST = userMNIST
    }

    /// Chooses a value per profile.
    public func pick<T>(quick: T, standard: T, full: T) -> T {
        switch profile {
        case .quick: return quick
        case .standard: return standard
        case .full: return full
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

    public func steps(for context: StudyContext) -> [any StudyStep] { body(context) }
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
