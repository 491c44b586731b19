import Foundation

/// A step's configuration as a plain value. Its canonical JSON (keys sorted, no white
/// space, shortest round-trip numbers) is what the cache key hashes and what every run
/// file stores, so two configs are the same run exactly when their JSON is equal.
public enum ConfigValue: Hashable, Sendable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// An optional without a value.
    case null
    case list([ConfigValue])
    case object([String: ConfigValue])

    public var canonicalJSON: String {
        switch self {
        case .string(let s): return jsonQuoted(s)
        case .int(let i): return String(i)
        case .double(let d):
            // JSON has no NaN or infinity; they never belong in a config anyway.
            precondition(d.isFinite, "a config value must be finite")
            return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.canonicalJSON).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { jsonQuoted($0) + ":" + fields[$0]!.canonicalJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// A field of an object (nil for other values); setting one on a non-object does nothing.
    public subscript(key: String) -> ConfigValue? {
        get {
            guard case .object(let fields) = self else { return nil }
            return fields[key]
        }
        set {
            guard case .object(var fields) = self else { return }
            fields[key] = newValue
            self = .object(fields)
        }
    }

    /// The dotted path of the first number that is not finite ("" for this value itself),
    /// or nil: JSON has no NaN or infinity, so such a config cannot be a cache key.
    var nonFiniteField: String? {
        switch self {
        case .double(let d): return d.isFinite ? nil : ""
        case .list(let items):
            return items.enumerated().lazy.compactMap { i, item in item.nonFiniteField.map { "[\(i)]" + $0 } }.first
        case .object(let fields):
            return fields.keys.sorted().lazy.compactMap { key in fields[key]!.nonFiniteField.map { "." + key + $0 } }.first
        default: return nil
        }
    }

    /// A short human form for tables and logs: `k=5`, `[1,15]`, `mnist5k`.
    public var display: String {
        switch self {
        case .string(let s): return s
        default: return canonicalJSON
        }
    }
}

extension ConfigValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
                       ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
                       ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: ConfigValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
