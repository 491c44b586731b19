import Foundation
import RunStore

/// `experiments show`: a stored run as text — attributes, metrics (first, last, best)
/// and the shapes of its tensors and data. Works for every status.
public func describeRun(at url: URL) throws -> String {
    let file = try RunFile(url: url)
    var out = "\(url.path)\n"
    let keyWidth = file.attributes.keys.map(\.count).max() ?? 0
    out += "attributes:\n"
    for key in file.attributes.keys.sorted() {
        out += "  \(key.padding(toLength: keyWidth, withPad: " ", startingAt: 0))  \(file.attributes[key]!)\n"
    }
    out += "metrics:\(file.metricNames.isEmpty ? " none" : "")\n"
    for name in file.metricNames {
        let values = try file.metric(name)
        let info = try file.metricInfo(name)
        let unit = info.unit.isEmpty ? "" : " [\(info.unit)]"
        if values.isEmpty {
            out += "  \(name)\(unit): empty\n"
        } else {
            let finite = values.filter(\.isFinite)
            let best = finite.max().map { formatNumber($0) } ?? "none finite"
            out += "  \(name)\(unit): \(values.count) values, first \(formatNumber(values.first!)), last \(formatNumber(values.last!)), max \(best)"
            out += info.description.isEmpty ? "\n" : " — \(info.description)\n"
        }
    }
    out += "tensors:\(file.tensorNames.isEmpty ? " none" : "")\n"
    for name in file.tensorNames {
        switch try file.tensor(name) {
        case let .float32(shape, _): out += "  \(name): float32 \(shape.map(String.init).joined(separator: "x"))\n"
        case let .int32(shape, _): out += "  \(name): int32 \(shape.map(String.init).joined(separator: "x"))\n"
        }
    }
    out += "data:\(file.dataNames.isEmpty ? " none" : "")\n"
    for name in file.dataNames { out += "  \(name): int32 \(try file.data(name).count)\n" }
    if !file.timingNames.isEmpty {
        out += "timing:\n"
        for name in file.timingNames {
            let seconds = try file.timing(name)
            out += "  \(name): \(seconds.count) values, total \(String(format: "%.2f", seconds.reduce(0, +))) s\n"
        }
    }
    if let wall = file.double("wall_seconds"), file.timingNames.contains("epoch_seconds") {
        let epochs = try file.timing("epoch_seconds").reduce(0, +)
        let rest = max(wall - epochs, 0)
        out += String(format: "time: %.2f s in all, %.2f s in epochs (training and test evaluation), %.2f s (%.1f%%) in the runner and the store",
                      wall, epochs, rest, 100 * rest / max(wall, 1e-9))
        out += file.double("store_seconds").map { String(format: ", of which %.3f s waiting for checkpoints\n", $0) } ?? "\n"
    }
    if !file.checkpointNames.isEmpty {
        let epochs = file.metricNames.contains("epoch") ? (try file.metric("epoch")).count : 0
        out += "checkpoint: \(file.checkpointNames.count) entries after epoch \(epochs); 'experiments run' resumes it\n"
    }
    return out
}
