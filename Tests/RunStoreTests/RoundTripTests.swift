import Foundation
import RunStore
import XCTest

final class RoundTripTests: RunStoreTestCase {
    func testEverythingWrittenReadsBackExactly() throws {
        let specialFloats: [Float] = [
            .nan, Float(bitPattern: 0x7FC0_1234), -.nan, -0.0, 0.0, .infinity, -.infinity,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1.0 / 3.0,
        ]
        let image: [Float] = (0..<120).map { Float($0) * 0.5 - 7 }
        let confusion: [Int32] = [50, 2, 1, 3, 45, 0, Int32.min, Int32.max, 48]
        let attributes: [String: AttributeValue] = [
            "study": .string("mnist-mlp"),
            "config": .string(#"{"hidden":[128,64],"lr":0.01,"note":"Grüße, 学习 🎉"}"#),
            "command": .string(""),
            "seed": .int(Int64.max),
            "threads": .int(-2),
            "wall_seconds": .double(12.375),
            "tiny": .double(-.leastNonzeroMagnitude),
        ]

        let writer = try RunWriter(finalURL: url("runs/a.h5"))
        try writer.setAttribute("study", .string("replaced below"))
        for (name, value) in attributes {
            try writer.setAttribute(name, value)
        }
        try writer.writeData("train_indices", [0, 5, 3, Int32.min, Int32.max])
        try writer.writeData("predictions", [])
        try writer.writeMetric("loss", [9, 9, 9], unit: "wrong", description: "replaced below")
        try writer.writeMetric("loss", [2.5, 1.25, .nan, -0.0], unit: "nats", description: "mean training loss")
        try writer.writeMetric("accuracy", [0.1, 0.2])
        try writer.writeMetric("empty", [])
        try writer.writeTensor("special", shape: [specialFloats.count], specialFloats)
        try writer.writeTensor("images", shape: [2, 3, 4, 5], image)
        try writer.writeTensor("matrix", shape: [2, 3], [1, 2, 3, 4, 5, 6] as [Float])
        try writer.writeTensor("none", shape: [0, 3], [Float]())
        try writer.writeTensor("scalar", shape: [], [Float(42)])
        try writer.writeTensor("confusion", shape: [3, 3], confusion)
        try writer.writeTensor("counts", shape: [4], [1, 0, 2, 7] as [Int32])
        try writer.writeTensor("no_counts", shape: [0], [Int32]())
        try writer.commit(status: .complete)

        let run = try RunFile(url: url("runs/a.h5"))
        for (name, value) in attributes {
            XCTAssertEqual(run.attributes[name], value, name)
        }
        XCTAssertEqual(run.attributes["tiny"].map(\.description), "-5e-324")
        XCTAssertEqual(run.string("schema"), RunStore.schemaName)
        XCTAssertEqual(run.int("schema_version"), RunStore.schemaVersion)
        XCTAssertEqual(run.status, .complete)
        XCTAssertEqual(run.double("wall_seconds"), 12.375)
        XCTAssertNil(run.string("seed"))
        for stamp in ["created", "finished"] {
            let text = try XCTUnwrap(run.string(stamp), stamp)
            XCTAssertNotNil(ISO8601DateFormatter().date(from: text), "\(stamp) = \(text)")
        }
        XCTAssertEqual(Set(run.attributes.keys), Set(attributes.keys).union(
            ["schema", "schema_version", "status", "created", "finished"]))

        XCTAssertEqual(run.dataNames, ["predictions", "train_indices"])
        XCTAssertEqual(try run.data("train_indices"), [0, 5, 3, Int32.min, Int32.max])
        XCTAssertEqual(try run.data("predictions"), [])

        XCTAssertEqual(run.metricNames, ["accuracy", "empty", "loss"])
        XCTAssertEqual(try run.metric("loss").map(\.bitPattern), [2.5, 1.25, .nan, -0.0].map(\.bitPattern))
        XCTAssertEqual(try run.metric("accuracy"), [0.1, 0.2])
        XCTAssertEqual(try run.metric("empty"), [])
        let info = try run.metricInfo("loss")
        XCTAssertEqual(info.unit, "nats")
        XCTAssertEqual(info.description, "mean training loss")
        XCTAssertEqual(try run.metricInfo("accuracy").unit, "")

        XCTAssertEqual(run.tensorNames, ["confusion", "counts", "images", "matrix", "no_counts", "none", "scalar", "special"])
        guard case .float32(let shape, let values) = try run.tensor("special") else {
            return XCTFail("special is not float32")
        }
        XCTAssertEqual(shape, [specialFloats.count])
        XCTAssertEqual(values.map(\.bitPattern), specialFloats.map(\.bitPattern))
        XCTAssertEqual(try run.tensor("special"), .float32(shape: [specialFloats.count], values: specialFloats))
        XCTAssertEqual(try run.tensor("images"), .float32(shape: [2, 3, 4, 5], values: image))
        XCTAssertEqual(try run.tensor("matrix"), .float32(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(try run.tensor("none"), .float32(shape: [0, 3], values: []))
        XCTAssertEqual(try run.tensor("scalar"), .float32(shape: [], values: [42]))
        XCTAssertEqual(try run.tensor("confusion"), .int32(shape: [3, 3], values: confusion))
        XCTAssertEqual(try run.tensor("counts"), .int32(shape: [4], values: [1, 0, 2, 7]))
        XCTAssertEqual(try run.tensor("no_counts"), .int32(shape: [0], values: []))
        XCTAssertEqual(try run.tensor("images").shape, [2, 3, 4, 5])
    }

    func testAllMetricsAndTensorShapesReadWithoutTheValues() throws {
        let run = try RunFile(url: writeRun("runs/b.h5") { writer in
            try writer.writeTensor("scalar", shape: [], [Float(2)])
            try writer.writeTensor("confusion", shape: [2, 2], [Int32(1), 2, 3, 4])
        })
        XCTAssertEqual(try run.allMetrics(), ["loss": [0.9, 0.5, 0.25], "accuracy": [0.7, 0.8, 0.9]])
        XCTAssertEqual(try run.tensorShapes(), ["weights": [64, 32], "scalar": [], "confusion": [2, 2]])
    }

    func testStoredTensorEqualityComparesBits() {
        XCTAssertEqual(StoredTensor.float32(shape: [1], values: [.nan]), .float32(shape: [1], values: [.nan]))
        XCTAssertNotEqual(StoredTensor.float32(shape: [1], values: [-0.0]), .float32(shape: [1], values: [0.0]))
        XCTAssertNotEqual(StoredTensor.float32(shape: [1], values: [1]), .int32(shape: [1], values: [1]))
        XCTAssertNotEqual(StoredTensor.int32(shape: [2], values: [1, 2]), .int32(shape: [1, 2], values: [1, 2]))
    }

    func testStatusRunningUntilCommitAndTheCommittedStatus() throws {
        let writer = try RunWriter(finalURL: url("diverged.h5"))
        let partial = try RunFile(url: RunStore.partialURL(for: writer.finalURL))
        XCTAssertEqual(partial.status, .running)
        XCTAssertNil(partial.string("finished"))
        try writer.commit(status: .diverged)
        XCTAssertEqual(try RunFile(url: writer.finalURL).status, .diverged)
    }

    /// Runs may be written from several threads: every libhdf5 call is serialised.
    func testWritersOnSeveralThreads() throws {
        let failures = NSLock()
        var messages: [String] = []
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let url = try writeRun("thread-\(index).h5") { writer in
                    try writer.setAttribute("run_id", .int(Int64(index)))
                    for epoch in 0..<20 {
                        try writer.writeMetric("loss", (0...epoch).map { Double($0 * index) })
                    }
                }
                let run = try RunFile(url: url)
                let loss = try run.metric("loss")
                if run.int("run_id") != Int64(index) || loss.count != 20 {
                    throw RunStoreError("thread \(index) read back something else")
                }
            } catch {
                failures.withLock { messages.append("\(error)") }
            }
        }
        XCTAssertEqual(messages, [])
    }

    /// Timings and checkpoint state live in groups of their own, made on first use; the
    /// words keep every bit of a 64-bit generator state.
    func testTimingAndCheckpointGroupsRoundTrip() throws {
        let words: [Int64] = [Int64.min, -1, 0, 1, Int64.max, Int64(bitPattern: 0x9E37_79B9_7F4A_7C15)]
        let url = try writeRun("resumable.h5") { writer in
            try writer.writeTiming("epoch_seconds", [1.5, 0.25], description: "wall time per epoch")
            try writer.writeCheckpoint("param0", [Float.nan, -0.0, 3.5])
            try writer.writeCheckpoint("shuffling", words)
        }
        let run = try RunFile(url: url)
        XCTAssertEqual(run.timingNames, ["epoch_seconds"])
        XCTAssertEqual(try run.timing("epoch_seconds"), [1.5, 0.25])
        XCTAssertEqual(run.checkpointNames, ["param0", "shuffling"])
        guard case .floats(let floats) = try run.checkpoint("param0") else { return XCTFail("param0 is not floats") }
        XCTAssertEqual(floats.map(\.bitPattern), [Float.nan, -0.0, 3.5].map(\.bitPattern))
        XCTAssertEqual(try run.checkpoint("shuffling"), .words(words))
        XCTAssertEqual(errorMessage { _ = try run.checkpoint("velocity") },
                       "\(url.relativePath): no checkpoint entry 'velocity' (checkpoint entries: param0, shuffling)")

        let plain = try RunFile(url: try writeRun("plain.h5") { try $0.writeMetric("loss", [1]) })
        XCTAssertEqual(plain.timingNames, [])
        XCTAssertEqual(plain.checkpointNames, [])
    }

    func testRelativePathsAppearAsGivenInMessages() {
        let relative = URL(fileURLWithPath: "results/x/runs/nothing-here.h5")
        XCTAssertEqual(errorMessage { _ = try RunFile(url: relative) }, "results/x/runs/nothing-here.h5: no such file")
        XCTAssertEqual(RunStore.partialURL(for: relative).relativePath, "results/x/runs/nothing-here.h5.partial")
    }
}
