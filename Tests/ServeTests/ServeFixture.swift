import Foundation
import RunStore
import XCTest

/// A results folder of real run files written with RunStore (`<study>/runs/<step>-<tag>.h5`),
/// removed when the test ends.
final class ServeFixture {
    let root: URL
    private let keep: Bool

    /// A fresh folder under the temporary folder, removed at the end; or `root` itself, kept.
    init(_ name: String, root: URL? = nil) throws {
        self.root = root ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("serve-\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        keep = root != nil
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    }

    deinit {
        if !keep { try? FileManager.default.removeItem(at: root) }
    }

    func runsFolder(_ study: String) throws -> URL {
        let folder = root.appendingPathComponent("\(study)/runs", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes a training-like run: `epoch`, `test_accuracy` and `train_loss` per epoch, the
    /// epochs' wall times, a weight tensor, and `config` as its canonical JSON. Returns its id.
    @discardableResult
    func writeRun(study: String = "init-study", step: String, config: [String: Any], accuracy: [Double],
                  status: RunStatus = .complete, created: String = "2026-01-02T03:04:05Z") throws -> String {
        let tag = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let file = try runsFolder(study).appendingPathComponent("\(step)-\(tag).h5")
        let writer = try RunWriter(finalURL: file)
        let json = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        for (name, value) in [("study", study), ("step", step), ("config", String(decoding: json, as: UTF8.self)),
                              ("created", created), ("cpu", "Test CPU (family 1)"), ("isa", "avx2"), ("git_commit", "abc123")] {
            try writer.setAttribute(name, .string(value))
        }
        let epochs = accuracy.indices.map { Double($0 + 1) }
        try writer.writeMetric("epoch", epochs)
        try writer.writeMetric("test_accuracy", accuracy, unit: "fraction")
        try writer.writeMetric("train_loss", accuracy.map { 1 - $0 }, unit: "nats")
        try writer.writeTiming("epoch_seconds", accuracy.map { _ in 1.5 })
        try writer.writeTensor("layer0_weights", shape: [3, 4], (0..<12).map(Float.init))
        if status == .running {
            // A checkpoint leaves the file at its final path with status running.
            try writer.writeCheckpoint("parameters", [Float(1), 2, 3])
        }
        try writer.commit(status: status)
        return "\(study)/runs/\(step)-\(tag)"
    }

    /// A file named like a run that is not one: text, or a real run cut in half.
    func writeForeignFile(study: String = "init-study", name: String, contents: Data) throws {
        try contents.write(to: try runsFolder(study).appendingPathComponent(name))
    }

    func url(ofRun id: String) -> URL {
        root.appendingPathComponent(id + ".h5")
    }
}
