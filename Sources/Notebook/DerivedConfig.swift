import Foundation

// A compute step's config is derived from the step value itself, never written by hand: a
// walk over every stored property (Swift's reflection), so an option added to a step joins
// its cache key without anyone remembering to add it. The config is what the cache key
// hashes and what the run file stores, so `compare` shows every difference that made two
// runs different.

extension ComputeStep {
    /// Every stored property of the step but those in `keyExclusions`, with the step's kind
    /// as `method` (e.g. {"method":"train","batch_size":10,...}).
    public var config: ConfigValue {
        var fields: [String: ConfigValue] = ["method": .string(Self.method)]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, !Self.keyExclusions.contains(label) else { continue }
            fields[snakeCase(label)] = encode(child.value, path: "." + label)
        }
        return .object(fields)
    }
}

extension ConfigValue {
    /// A value as config: structs and classes as objects of their stored properties (names
    /// in snake_case), enums by case (a string enum by its raw value; a case with values as
    /// {"case": values}), optionals as their value or null, collections as lists (sets
    /// sorted), numbers and strings as themselves. A value that cannot be encoded (a closure)
    /// stops the program: a step must exclude it (`keyExclusions`) and say why.
    public init(describing value: Any) {
        self = encode(value, path: "")
    }
}

private func encode(_ value: Any, path: String) -> ConfigValue {
    switch value {
    case let v as String: return .string(v)
    case let v as Bool: return .bool(v)
    case let v as Int: return .int(v)
    case let v as Int32: return .int(Int(v))
    case let v as UInt32: return .int(Int(v))
    case let v as UInt64: return .int(Int(truncatingIfNeeded: v))
    case let v as Int64: return .int(Int(v))
    case let v as Double: return .double(v)
    case let v as Float: return .double(Double(v))
    case let v as ConfigValue: return v
    case let computation as any Computation:
        // A computation names its kind, as a step does (e.g. {"method":"one_neuron",...}).
        guard case .object(var fields) = encodeFields(computation, path: path) else { break }
        fields["method"] = .string(snakeCase(String(describing: type(of: computation))))
        return .object(fields)
    default: break
    }
    let mirror = Mirror(reflecting: value)
    func child(_ label: String?, _ index: Int) -> String { path + "." + (label ?? "\(index)") }
    func fields() -> ConfigValue { encodeFields(value, path: path) }
    switch mirror.displayStyle {
    case .optional:
        guard let wrapped = mirror.children.first else { return .null }
        return encode(wrapped.value, path: path)
    case .enum:
        guard let payload = mirror.children.first else {
            if let raw = (value as? any RawRepresentable)?.rawValue as? String { return .string(raw) }
            return .string(snakeCase(String(describing: value)))
        }
        return .object([snakeCase(payload.label ?? "value"): encode(payload.value, path: child(payload.label, 0))])
    case .tuple:
        let children = Array(mirror.children)
        if children.allSatisfy({ $0.label?.hasPrefix(".") ?? true }) {
            return .list(children.enumerated().map { encode($1.value, path: child(nil, $0)) })
        }
        return fields()
    case .collection:
        return .list(mirror.children.enumerated().map { encode($1.value, path: child(nil, $0)) })
    case .set:
        return .list(mirror.children.enumerated().map { encode($1.value, path: child(nil, $0)) }
            .sorted { $0.canonicalJSON < $1.canonicalJSON })
    case .dictionary:
        return .object(Dictionary(uniqueKeysWithValues: mirror.children.map { entry in
            let pair = Array(Mirror(reflecting: entry.value).children)
            return ("\(pair[0].value)", encode(pair[1].value, path: path + "[\(pair[0].value)]"))
        }))
    case .struct, .class:
        return fields()
    // A type with a custom mirror (ClosedRange) has no display style but its fields as children.
    case nil where !mirror.children.isEmpty:
        return fields()
    default:
        preconditionFailure("config\(path): a \(type(of: value)) cannot be part of a config (exclude it with keyExclusions)")
    }
}

/// A struct's or class's stored properties as an object, names in snake_case.
private func encodeFields(_ value: Any, path: String) -> ConfigValue {
    .object(Dictionary(uniqueKeysWithValues: Mirror(reflecting: value).children.enumerated().map {
        (snakeCase($1.label ?? "\($0)"), encode($1.value, path: path + "." + ($1.label ?? "\($0)")))
    }))
}

/// `batchSize` -> `batch_size`, `fashionMNIST` -> `fashion_mnist`, `mnist5k` stays.
func snakeCase(_ name: String) -> String {
    let characters = Array(name)
    var out = ""
    for (i, c) in characters.enumerated() {
        if c.isUppercase && i > 0 {
            let previous = characters[i - 1], next = i + 1 < characters.count ? characters[i + 1] : nil
            if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) { out += "_" }
        }
        out += c.lowercased()
    }
    return out
}
