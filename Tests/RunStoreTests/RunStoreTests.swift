import CHDF5
import Foundation
import XCTest
@testable import RunStore

final class RunStoreTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("runstore-\(UUID().uuidString)")
    }

    func writeSampleRun(_ name: String = "run.h5") throws -> URL {
        let url = folder.appendingPathComponent(name)
        let writer = try RunWriter(finalURL: url)
        try writer.setAttribute("study", .string("tests ✓ ünïcode"))
        try writer.setAttribute("seed", .int(42))
        try writer.setAttribute("wall_seconds", .double(1.25))
        try writer.setAttribute("seed", .int(7))  // overwriting keeps the last value
        try writer.writeData("train_indices", [3, 1, 4, 1, 5])
        try writer.writeMetric("accuracy", [0.5, 0.75, 0.875], unit: "fraction", description: "test accuracy")
        try writer.writeMetric("empty", [])
        try writer.writeTensor("weights", shape: [2, 1, 2, 2], [1, -0.0, .nan, .infinity, -1, 0.1, 1e-30, 3])
        try writer.writeTensor("confusion", shape: [2, 2], [5, 0, 1, 4] as [Int32])
        try writer.writeTensor("scalar", shape: [], [2.5] as [Float])
        try writer.commit(status: .complete)
        return url
    }

    func testRoundTripIsExact() throws {
        let run = try RunFile(url: try writeSampleRun())
        XCTAssertEqual(run.status, .complete)
        XCTAssertEqual(run.attributes["study"], .string("tests ✓ ünïcode"))
        XCTAssertEqual(run.attributes["seed"], .int(7))
        XCTAssertEqual(run.attributes["wall_seconds"], .double(1.25))
        XCTAssertEqual(run.attributes["schema"], .string(RunStore.schemaName))
        XCTAssertNotNil(run.attributes["finished"])
        XCTAssertEqual(run.dataNames, ["train_indices"])
        XCTAssertEqual(run.metricNames, ["accuracy", "empty"])
        XCTAssertEqual(run.tensorNames, ["confusion", "scalar", "weights"])
        XCTAssertEqual(try run.data("train_indices"), [3, 1, 4, 1, 5])
        XCTAssertEqual(try run.metric("accuracy"), [0.5, 0.75, 0.875])
        XCTAssertEqual(try run.metricInfo("accuracy").unit, "fraction")
        XCTAssertEqual(try run.metricInfo("accuracy").description, "test accuracy")
        XCTAssertEqual(try run.metric("empty"), [])
        XCTAssertEqual(try run.tensor("confusion"), .int32(shape: [2, 2], values: [5, 0, 1, 4]))
        XCTAssertEqual(try run.tensor("scalar"), .float32(shape: [], values: [2.5]))
        guard case let .float32(shape, values) = try run.tensor("weights") else { return XCTFail("float32 expected") }
        XCTAssertEqual(shape, [2, 1, 2, 2])
        let expected: [Float] = [1, -0.0, .nan, .infinity, -1, 0.1, 1e-30, 3]
        XCTAssertEqual(values.map(\.bitPattern), expected.map(\.bitPattern), "bit-exact, NaN and -0.0 included")
    }

    func testTheFinalPathOnlyEverHoldsACompleteFile() throws {
        let url = folder.appendingPathComponent("atomic.h5")
        let writer = try RunWriter(finalURL: url)
        try writer.writeMetric("loss", [1, 2])
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: RunStore.partialURL(for: url).path))
        try writer.commit(status: .diverged)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: RunStore.partialURL(for: url).path))
        XCTAssertEqual(try RunFile(url: url).status, .diverged)
    }

    func testAbandonLeavesAnExistingRunByteIdentical() throws {
        let url = try writeSampleRun()
        let before = try Data(contentsOf: url)
        let writer = try RunWriter(finalURL: url)
        try writer.writeMetric("accuracy", [0])
        writer.abandon()
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: RunStore.partialURL(for: url).path))
    }

    func testShapeMismatchIsRefused() throws {
        let writer = try RunWriter(finalURL: folder.appendingPathComponent("bad.h5"))
        XCTAssertThrowsError(try writer.writeTensor("t", shape: [2, 2], [1, 2, 3] as [Float])) { error in
            XCTAssertTrue("\(error)".contains("/tensors/t has shape [2, 2] but 3 values"), "\(error)")
        }
        writer.abandon()
    }

    func testBadFilesGiveOneClearLine() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let missing = folder.appendingPathComponent("missing.h5")
        XCTAssertThrowsError(try RunFile(url: missing)) { XCTAssertEqual("\($0)", "\(missing.path): no such file") }

        let text = folder.appendingPathComponent("text.h5")
        try Data("hello".utf8).write(to: text)
        XCTAssertThrowsError(try RunFile(url: text)) { XCTAssertEqual("\($0)", "\(text.path): not an HDF5 file") }

        let whole = try Data(contentsOf: try writeSampleRun())
        let truncated = folder.appendingPathComponent("truncated.h5")
        try whole.prefix(whole.count / 2).write(to: truncated)
        XCTAssertThrowsError(try RunFile(url: truncated)) {
            XCTAssertEqual("\($0)", "\(truncated.path): truncated or corrupt HDF5 file")
        }

        let foreign = folder.appendingPathComponent("foreign.h5")
        let file = H5Fcreate(foreign.path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default())
        XCTAssertGreaterThanOrEqual(file, 0)
        H5Fclose(file)
        XCTAssertThrowsError(try RunFile(url: foreign)) {
            XCTAssertTrue("\($0)".hasPrefix("\(foreign.path): an HDF5 file, but not an experiments run"), "\($0)")
        }
    }

    func testANewerSchemaIsRefusedNotMisread() throws {
        let url = folder.appendingPathComponent("future.h5")
        let writer = try RunWriter(finalURL: url)
        try writer.setAttribute("schema_version", .int(RunStore.schemaVersion + 1))
        try writer.commit(status: .complete)
        XCTAssertThrowsError(try RunFile(url: url)) { XCTAssertTrue("\($0)".contains("this build reads up to"), "\($0)") }
    }

    func testUnknownNamesListWhatThereIs() throws {
        let run = try RunFile(url: try writeSampleRun())
        XCTAssertThrowsError(try run.metric("loss")) {
            XCTAssertEqual("\($0)", "\(run.url.path): no metric 'loss' (metrics: accuracy, empty)")
        }
        XCTAssertThrowsError(try run.tensor("nope")) { XCTAssertTrue("\($0)".contains("no tensor 'nope'")) }
    }

    func testReadableByH5dumpWithoutThisProject() throws {
        let url = try writeSampleRun()
        guard let h5dump = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("h5dump is not installed (scripts/setup.sh installs hdf5-tools)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = ["-A", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(output.contains("ATTRIBUTE \"schema\""), output)
        XCTAssertTrue(output.contains("experiments-run"))
        XCTAssertTrue(output.contains("DATASET \"accuracy\""))
    }
}
