import Foundation

/// `experiments list <study>`: what a study computes per profile, how long its stored reports'
/// runs took here, and the parameters `--set` can change, with their value in each profile.
public func describeStudy(_ study: Study, results: URL) throws -> String {
    var out = "\(study.name): \(study.title)\n\(study.summary)\n"
    var values: [Profile: [String: String]] = [:]
    var declared: [StudyParameters.Declared] = []
    var runCounts: [Profile: Int] = [:]
    for profile in Profile.allCases {
        let context = StudyContext(profile: profile)
        let steps = try study.steps(for: context)
        runCounts[profile] = steps.filter { $0 is any ComputeStep }.count
        for parameter in context.parameters.declarations {
            values[profile, default: [:]][parameter.key] = parameter.value
            if !declared.contains(where: { $0.key == parameter.key }) { declared.append(parameter) }
        }
    }
    out += "runs: \(Profile.allCases.map { "\(runCounts[$0] ?? 0) (\(label($0)))" }.joined(separator: ", "))\n"
    // What computing each stored variant took: the estimate for running it again from scratch.
    for summary in Scoreboard.summaries(of: study, in: results) {
        guard let seconds = summary.wallSeconds else { continue }
        out += "time: \(summary.variant) \(describeDuration(seconds)) of runs, their wall times added up (measured on \(summary.cpu ?? "an unrecorded CPU"))\n"
    }
    guard !declared.isEmpty else { return out + "parameters: none\n" }
    out += "parameters (--set key=value):\n"
    let keyWidth = declared.map(\.key.count).max() ?? 0
    for parameter in declared {
        let perProfile = Profile.allCases.map { "\(label($0)) \(values[$0]?[parameter.key] ?? "-")" }.joined(separator: ", ")
        out += "  \(parameter.key.padding(toLength: keyWidth, withPad: " ", startingAt: 0))  \(parameter.help) [\(perProfile)]\n"
    }
    return out
}

/// "52 s", "14 min", "2.5 h".
func describeDuration(_ seconds: Double) -> String {
    seconds < 120 ? "\(Int(seconds.rounded())) s"
        : seconds < 7200 ? "\(Int((seconds / 60).rounded())) min" : String(format: "%.1f h", seconds / 3600)
}

private func label(_ profile: Profile) -> String {
    switch profile {
    case .quick: return "--quick"
    case .standard: return "default"
    case .full: return "--full"
    }
}
