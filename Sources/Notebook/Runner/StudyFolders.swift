import Datasets
import Foundation

/// Where a study's files go: `<results>/<study>/runs`, shared by every variant (a run file is
/// named by its config's hash), and the report folder of this variant with its figures.
struct StudyFolders {
    let results: URL
    let study: URL
    let runs: URL
    /// "default", "quick", "full", or a readable name for another seed, data or `--set`.
    let variant: String
    /// The default report sits in the study's folder, the others in a folder named after their variant.
    let report: URL
    var figures: URL { report.appendingPathComponent("figures", isDirectory: true) }

    init(results: URL, study: String, context: StudyContext) {
        self.results = results
        self.study = results.appendingPathComponent(study, isDirectory: true)
        runs = self.study.appendingPathComponent("runs", isDirectory: true)
        variant = ReportVariant.name(of: context)
        report = variant == ReportVariant.plain(.standard) ? self.study : self.study.appendingPathComponent(variant, isDirectory: true)
    }

    /// Creates the folders, turning a permission or disk problem into one line.
    func create() throws {
        // A file where a folder of the path should be: Foundation only says "could not be completed".
        var ancestor = study
        while ancestor.path != "/" {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    throw StudyError("cannot create \(study.path): \(ancestor.path) is a file, not a folder")
                }
                break
            }
            ancestor.deleteLastPathComponent()
        }
        for folder in [runs, report, figures] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw StudyError("cannot create \(folder.path): \(describe(error))")
            }
            guard FileManager.default.isWritableFile(atPath: folder.path) else {
                throw StudyError("results folder \(folder.path) is not writable")
            }
        }
    }
}

/// The name of a report's variant, which is its folder's: the profile alone (`default`,
/// `quick`, `full`), or the profile and what else differs, readable and filesystem-safe:
/// `quick-seed3`, `full-set-epochs-5`, `default-data-fashion`,
/// `quick-data-fashion-mnist-1a2b3c-seed2` (a folder's name, and a short hash of its whole
/// path, since two folders may share a name). Distinct invocations get distinct names: when
/// a value has to lose characters to be safe, or the name is too long, a short hash of the
/// whole variant follows it. `--set` overrides count by their effect (the last value of
/// each key, keys sorted), so their order on the command line does not matter.
enum ReportVariant {
    static let longest = 60

    static func plain(_ profile: Profile) -> String { profile == .standard ? "default" : profile.rawValue }

    static func name(of context: StudyContext) -> String {
        var parts = [plain(context.profile)]
        var exact = true
        if let data = context.data {
            switch data {
            case .idxFolder(let folder), .cifar10Folder(let folder):
                parts += ["data", safe(URL(fileURLWithPath: folder).lastPathComponent, keeping: "-"), shortHash(folder, 6)]
            case .mnist, .mnist5k, .fashionMNIST:
                parts += ["data", Invocation.dataArgument(data)]
            }
        }
        if context.seed != 0 { parts.append("seed\(context.seed)") }
        for (key, value) in effectiveOverrides(context) {
            let (safeKey, safeValue) = (safe(key), safe(value))
            exact = exact && safeKey == key && safeValue == value
            parts += ["set", safeKey, safeValue]
        }
        let name = parts.joined(separator: "-")
        guard !exact || name.count > longest else { return name }
        return String(name.prefix(longest - 9)) + "-" + shortHash(fingerprint(context), 8)
    }

    /// The last value of each overridden key, keys sorted: what the study body sees.
    private static func effectiveOverrides(_ context: StudyContext) -> [(key: String, value: String)] {
        var last: [String: String] = [:]
        for (key, value) in context.parameters.overrides { last[key] = value }
        return last.keys.sorted().map { ($0, last[$0]!) }
    }

    /// Everything the name stands for, spelled out in full (what the short hash covers).
    private static func fingerprint(_ context: StudyContext) -> String {
        let data = context.data.map(Invocation.dataArgument) ?? ""
        return ([plain(context.profile), data, String(context.seed)]
                + effectiveOverrides(context).map { "\($0.key)=\($0.value)" }).joined(separator: "\n")
    }

    /// Letters, digits, `.` and `_` (and `extra`) kept; anything else becomes `_`. `-` separates
    /// the parts of a name, so a key or value holding one is not spelled exactly.
    private static func safe(_ text: String, keeping extra: String = "") -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._" + extra)
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.map { allowed.contains($0) ? $0 : "_" }))
        return kept.isEmpty ? "_" : kept
    }

    private static func shortHash(_ text: String, _ length: Int) -> String {
        String(Datasets.SHA256.hex(Array(text.utf8)).prefix(length))
    }
}
