import ArgumentParser
import Notebook

/// Every study compiled into the executable. `studies` is written at build time from the
/// study files (Plugins/StudyCatalog): a new file in experiments/Studies that declares
/// a top-level `let <identifier> = Study(<name>, ...)` is listed without editing anything else.
enum Catalog {
    static func study(named name: String) throws -> Study {
        if let study = studies.first(where: { $0.name == name }) { return study }
        let closest = studies.min { editDistance($0.name, name) < editDistance($1.name, name) }
        let suggestion = closest.map { "; did you mean '\($0.name)'?" } ?? ""
        throw ValidationError("unknown study '\(name)'\(suggestion) ('experiments list' shows them all; a study file in experiments/Studies registers its study by a top-level `let ... = Study(\"<name>\", ...)`)")
    }
}

/// Levenshtein distance, for "did you mean".
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
