import CHDF5
import Foundation
@testable import RunStore
import XCTest

final class ReadErrorTests: RunStoreTestCase {
    func testMissingFile() {
        let missing = url("runs/missing.h5")
        XCTAssertEqual(errorMessage { _ = try RunFile(url: missing) }, "\(missing.path): no such file")
    }

    func testFolder() {
        XCTAssertEqual(errorMessage { _ = try RunFile(url: folder) }, "\(folder.path): a folder, not a run file")
    }

    func testTextFileNamedH5() throws {
        let text = url("notes.h5")
        try Data("epoch,loss\n1,0.5\n".utf8).write(to: text)
        XCTAssertEqual(errorMessage { _ = try RunFile(url: text) }, "\(text.path): not an HDF5 file")

        let empty = url("empty.h5")
        try Data().write(to: empty)
        XCTAssertEqual(errorMessage { _ = try RunFile(url: empty) }, "\(empty.path): not an HDF5 file (the file is empty)")
    }

    func testTruncatedRunFileFailsQuietly() throws {
        let whole = try Data(contentsOf: writeRun("whole.h5"))
        let cut = url("cut.h5")
        try whole.prefix(whole.count / 2).write(to: cut)

        let message = try capturingStandardError {
            errorMessage { _ = try RunFile(url: cut) }
        }
        XCTAssertEqual(message.result, "\(cut.path): truncated or corrupt HDF5 file")
        XCTAssertEqual(message.standardError, "", "libhdf5 printed its error stack")
    }

    /// Debian's libhdf5 is thread-safe, and its error printing is then a switch of each
    /// thread: a thread that never called libhdf5 before stays quiet too.
    func testTruncatedRunFileFailsQuietlyOnAFreshThread() throws {
        let whole = try Data(contentsOf: writeRun("whole.h5"))
        let cut = url("cut.h5")
        try whole.prefix(whole.count / 2).write(to: cut)

        let message = try capturingStandardError { () -> String? in
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var result: String?
            let thread = Thread {
                result = self.errorMessage { _ = try RunFile(url: cut) }
                done.signal()
            }
            thread.start()
            done.wait()
            return result
        }
        XCTAssertEqual(message.result, "\(cut.path): truncated or corrupt HDF5 file")
        XCTAssertEqual(message.standardError, "", "libhdf5 printed its error stack")
    }

    func testHDF5FileOfAnotherLayout() throws {
        let other = url("other.h5")
        try HDF5.locked {
            let file = try HDF5.handle(H5Fcreate(other.path, chdf5_acc_trunc(), chdf5_p_default(), chdf5_p_default()))
            defer { H5Fclose(file) }
            var size: hsize_t = 3
            let space = try HDF5.handle(H5Screate_simple(1, &size, nil))
            defer { H5Sclose(space) }
            let dataset = try HDF5.handle(H5Dcreate2(file, "images", chdf5_std_i32le(), space,
                                                     chdf5_p_default(), chdf5_p_default(), chdf5_p_default()))
            H5Dclose(dataset)
        }
        XCTAssertEqual(errorMessage { _ = try RunFile(url: other) },
                       "\(other.path): an HDF5 file, but not an experiments run (no 'schema' attribute)")

        let otherSchema = try writeRun("other-schema.h5") { try $0.setAttribute("schema", .string("keras-model")) }
        XCTAssertEqual(errorMessage { _ = try RunFile(url: otherSchema) },
                       "\(otherSchema.path): an HDF5 file, but not an experiments run (schema is 'keras-model', not 'experiments-run')")

        let badVersion = try writeRun("bad-version.h5") { try $0.setAttribute("schema_version", .string("1")) }
        XCTAssertEqual(errorMessage { _ = try RunFile(url: badVersion) },
                       "\(badVersion.path): an experiments run without a valid 'schema_version' attribute")
    }

    func testNewerSchemaVersion() throws {
        let newer = try writeRun("newer.h5") { try $0.setAttribute("schema_version", .int(2)) }
        XCTAssertEqual(errorMessage { _ = try RunFile(url: newer) },
                       "\(newer.path): schema_version 2 is newer than this program reads (1); update experiments")
    }

    func testUnknownNames() throws {
        let run = try RunFile(url: writeRun("r.h5"))
        let path = run.url.path
        XCTAssertEqual(errorMessage { _ = try run.metric("foo") }, "\(path): no metric 'foo' (metrics: accuracy, loss)")
        XCTAssertEqual(errorMessage { _ = try run.metricInfo("foo") }, "\(path): no metric 'foo' (metrics: accuracy, loss)")
        XCTAssertEqual(errorMessage { _ = try run.tensor("bias") }, "\(path): no tensor 'bias' (tensors: weights)")
        XCTAssertEqual(errorMessage { _ = try run.data("test_indices") }, "\(path): no data 'test_indices' (the run has no data)")
    }

    func testFileRemovedAfterOpening() throws {
        let run = try RunFile(url: writeRun("r.h5"))
        try FileManager.default.removeItem(at: run.url)
        XCTAssertEqual(errorMessage { _ = try run.metric("loss") }, "\(run.url.path): no such file")
    }

    /// Runs `body` with file descriptor 2 sent to a file, and returns what was written there.
    private func capturingStandardError<T>(_ body: () -> T) throws -> (result: T, standardError: String) {
        let capture = url("stderr.txt")
        try Data().write(to: capture)
        let handle = try FileHandle(forWritingTo: capture)
        let saved = dup(2)
        dup2(handle.fileDescriptor, 2)
        let result = body()
        dup2(saved, 2)
        close(saved)
        try handle.close()
        return (result, try String(contentsOf: capture, encoding: .utf8))
    }
}
