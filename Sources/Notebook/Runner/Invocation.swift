import Datasets
import Foundation
import Plotting

/// A study as the command line gives it: the study, its profile, seed, data, `--set`
/// overrides, results folder and figure formats. It renders the commands a report names,
/// a run records (`reproduce`) and a Slurm script executes, in one place and shell-quoted, so
/// that a printed command, pasted into a shell, gives back exactly these arguments.
public struct Invocation: Sendable {
    public enum Verb: String, Sendable { case run, report }

    public static let defaultResults = "results"
    public static let defaultFormats: [OutputFormat] = [.png, .svg]

    public let study: String
    public let context: StudyContext
    /// The results folder as given: relative to the working directory, or absolute.
    public let results: URL
    public let formats: [OutputFormat]

    public init(study: String, context: StudyContext,
                results: URL = URL(fileURLWithPath: defaultResults, isDirectory: true),
                formats: [OutputFormat] = defaultFormats) {
        self.study = study
        self.context = context
        self.results = results
        self.formats = formats
    }

    /// The words after the program's name, e.g. `report knn-baseline --quick --seed 3`;
    /// options at their default value are left out.
    public func arguments(_ verb: Verb) -> [String] {
        var words = [verb.rawValue, study]
        switch context.profile {
        case .quick: words.append("--quick")
        case .full: words.append("--full")
        case .standard: break
        }
        if context.seed != 0 { words += ["--seed", String(context.seed)] }
        if let data = context.data { words += ["--data", Self.dataArgument(data)] }
        for (key, value) in context.parameters.overrides { words += ["--set", "\(key)=\(value)"] }
        if results.standardizedFileURL.path != URL(fileURLWithPath: Self.defaultResults).standardizedFileURL.path {
            words += ["--results", results.relativePath]
        }
        if formats != Self.defaultFormats { words += ["--format", formats.map(\.rawValue).joined(separator: ",")] }
        return words
    }

    /// `swift run experiments <arguments>`, each word quoted for a POSIX shell.
    public func commandLine(_ verb: Verb) -> String {
        (["swift", "run", "experiments"] + arguments(verb)).map(shellQuoted).joined(separator: " ")
    }

    /// What `--data` takes for a data set: its name, or its folder.
    static func dataArgument(_ data: DataSource) -> String {
        switch data {
        case .idxFolder(let folder), .cifar10Folder(let folder): return folder
        case .mnist, .mnist5k, .fashionMNIST: return DataSource.named.first { $0.source == data }!.name
        }
    }
}

/// A word for a POSIX shell: left bare when it is plainly safe, else in single quotes (a
/// quote inside becomes '\'').
public func shellQuoted(_ word: String) -> String {
    let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !word.isEmpty, word.unicodeScalars.allSatisfy(safe.contains) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
