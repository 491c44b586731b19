import CHDF5
import Foundation
@testable import RunStore
import XCTest

/// Gives each test a fresh folder, and fails a test that leaves a libhdf5 identifier open.
class RunStoreTestCase: XCTestCase {
    var folder: URL!
    private var openIdentifiersAtStart = 0
    /// Identifiers a test leaves open on purpose.
    var leakedIdentifiers = 0

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("RunStoreTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        openIdentifiersAtStart = openIdentifiers()
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(openIdentifiers(), openIdentifiersAtStart + leakedIdentifiers, "libhdf5 identifiers left open")
        try FileManager.default.removeItem(at: folder)
    }

    /// How many files, groups, datasets, named types and attributes libhdf5 has open. (Transient
    /// dataspaces, types and property lists cannot be counted: H5Inmembers refuses library types.)
    func openIdentifiers() -> Int {
        let all = H5F_OBJ_FILE | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_DATATYPE | H5F_OBJ_ATTR
        return HDF5.locked { H5Fget_obj_count(hid_t(all), UInt32(all)) }
    }

    func url(_ name: String) -> URL {
        folder.appendingPathComponent(name)
    }

    /// Writes and commits a small complete run.
    @discardableResult
    func writeRun(_ name: String, configure: (RunWriter) throws -> Void = { _ in }) throws -> URL {
        let writer = try RunWriter(finalURL: url(name))
        try writer.setAttribute("study", .string("mnist-mlp"))
        try writer.writeMetric("loss", [0.9, 0.5, 0.25], unit: "nats", description: "mean training loss")
        try writer.writeMetric("accuracy", [0.7, 0.8, 0.9])
        try writer.writeTensor("weights", shape: [64, 32], (0..<2048).map { Float($0) / 7 })
        try configure(writer)
        try writer.commit(status: .complete)
        return writer.finalURL
    }

    /// The RunStoreError message `body` throws, or a test failure if it throws none.
    func errorMessage(file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Void) -> String? {
        do {
            try body()
            XCTFail("no error thrown", file: file, line: line)
        } catch let error as RunStoreError {
            return error.message
        } catch {
            XCTFail("not a RunStoreError: \(error)", file: file, line: line)
        }
        return nil
    }
}
