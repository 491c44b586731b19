import ArgumentParser
import Notebook

/// Every study compiled into the executable. Add a new study file and list it here (a test,
/// StudyFilesTests, fails while a study file's study is missing from this list).
enum Catalog {
    static let studies: [Study] = [initStudy, activationStudy, costStudy, knnBaseline, regularizationStudy, augmentationStudy, lenetStudy, cnnVsMLPStudy, learningRateStudy, randomSearchStudy, batchNormStudy, practiceStudy, hyperparameterStudy]

    static func study(named name: String) throws -> Study {
        if let study = studies.first(where: { $0.name == name }) { return study }
        let closest = studies.min { editDistance($0.name, name) < editDistance($1.name, name) }
        let suggestion = closest.map { "; did you mean '\($0.name)'?" } ?? ""
        throw ValidationError("unknown study '\(name)'\(suggestion) ('experiments list' shows them all; a new study is listed in experiments/Studies/Catalog.swift)")
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
