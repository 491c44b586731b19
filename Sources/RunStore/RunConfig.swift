// What every reader of stored runs needs to set runs side by side: the config flattened to
// dotted keys, the keys that differ, and which way a metric improves. `compare` (Notebook) and
// `serve` (RunServer) both use these, so they always agree.
import Foundation

/// {"split":{"train":1000}} -> ["split.train": "1000"]: values as canonical JSON, strings unquoted.
public func flattenConfig(_ json: String) -> [String: String] {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [:] }
    var out: [String: String] = [:]
    func visit(_ value: Any, _ prefix: String) {
        if let dictionary = value as? [String: Any] {
            for (key, inner) in dictionary { visit(inner, prefix.isEmpty ? key : "\(prefix).\(key)") }
        } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) {
            out[prefix] = String(decoding: data, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }
    visit(object, "")
    return out
}

/// The keys whose values are not the same in every config (a missing key counts as a value), sorted.
public func differingConfigKeys(among configs: [[String: String]]) -> [String] {
    let keys = Set(configs.flatMap(\.keys))
    return keys.filter { key in Set(configs.map { $0[key] ?? "—" }).count > 1 }.sorted()
}

public enum MetricGoal {
    /// Losses, costs, errors and times are better low; accuracies and the rest, high.
    public static func lowerIsBetter(_ metric: String) -> Bool {
        ["loss", "cost", "error", "seconds", "time"].contains { metric.lowercased().contains($0) }
    }
}
