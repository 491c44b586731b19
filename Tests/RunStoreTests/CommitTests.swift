import Foundation
import RunStore
import XCTest

final class CommitTests: RunStoreTestCase {
    private var manager: FileManager { .default }

    func testPartialUntilCommitThenFinal() throws {
        let final = url("study/runs/r1.h5")
        let partial = RunStore.partialURL(for: final)
        XCTAssertEqual(partial.lastPathComponent, "r1.h5.partial")

        let writer = try RunWriter(finalURL: final)
        try writer.writeMetric("loss", [1, 0.5])
        XCTAssertTrue(manager.fileExists(atPath: partial.path))
        XCTAssertFalse(manager.fileExists(atPath: final.path))

        try writer.commit(status: .complete)
        XCTAssertFalse(manager.fileExists(atPath: partial.path))
        XCTAssertTrue(manager.fileExists(atPath: final.path))
        XCTAssertEqual(try RunFile(url: final).metric("loss"), [1, 0.5])
    }

    func testCommitReplacesAnExistingFinalFile() throws {
        let final = try writeRun("r.h5") { try $0.setAttribute("attempt", .int(1)) }
        try writeRun("r.h5") { try $0.setAttribute("attempt", .int(2)) }
        XCTAssertEqual(try RunFile(url: final).int("attempt"), 2)
    }

    func testAbandonRemovesPartialAndLeavesFinalUntouched() throws {
        let final = try writeRun("r.h5")
        let before = try Data(contentsOf: final)

        let writer = try RunWriter(finalURL: final)
        try writer.writeMetric("loss", [3, 2, 1])
        writer.abandon()
        XCTAssertFalse(manager.fileExists(atPath: RunStore.partialURL(for: final).path))
        XCTAssertEqual(try Data(contentsOf: final), before)

        writer.abandon()
        XCTAssertEqual(errorMessage { try writer.writeMetric("loss", [1]) },
                       "\(final.path).partial: cannot write metric 'loss': the run was abandoned")
    }

    func testWritingAfterCommitFails() throws {
        let writer = try RunWriter(finalURL: url("r.h5"))
        try writer.commit(status: .complete)
        XCTAssertEqual(errorMessage { try writer.commit(status: .failed) },
                       "\(writer.finalURL.path).partial: cannot commit: the run is already committed")
        writer.abandon()
        XCTAssertTrue(manager.fileExists(atPath: writer.finalURL.path))
    }

    /// A write that fails as on a full disk: a file size limit makes write(2) fail with EFBIG.
    func testFailedWriteNamesTheFileAndNeverTouchesTheFinalFile() throws {
        let final = try writeRun("r.h5")
        let before = try Data(contentsOf: final)
        let writer = try RunWriter(finalURL: final)

        let message = withFileSizeLimit(64 * 1024) {
            errorMessage { try writer.writeTensor("big", shape: [512, 1024], [Float](repeating: 1, count: 512 * 1024)) }
        }
        XCTAssertEqual(message, "\(final.path).partial: cannot write tensor 'big' (File too large)")
        writer.abandon()
        XCTAssertFalse(manager.fileExists(atPath: RunStore.partialURL(for: final).path))
        XCTAssertEqual(try Data(contentsOf: final), before)
    }

    /// When not even the close can write, abandon() still removes the partial file; libhdf5
    /// keeps that one file open rather than crash (see HDF5.closeIfFlushed).
    func testAbandonWhenTheCloseCannotWriteEither() throws {
        let final = url("r.h5")
        let writer = try RunWriter(finalURL: final)
        withFileSizeLimit(64 * 1024) {
            XCTAssertEqual(errorMessage { try writer.writeTensor("big", shape: [1 << 18], [Float](repeating: 1, count: 1 << 18)) },
                           "\(final.path).partial: cannot write tensor 'big' (File too large)")
            writer.abandon()
        }
        leakedIdentifiers = 1
        XCTAssertFalse(manager.fileExists(atPath: RunStore.partialURL(for: final).path))
        XCTAssertEqual(try RunFile(url: writeRun("r.h5")).status, .complete)
    }

    /// Runs `body` with the process's file size limit set to `bytes` (and SIGXFSZ ignored, so
    /// that writes beyond it fail with EFBIG instead of killing the process).
    private func withFileSizeLimit<T>(_ bytes: rlim_t, _ body: () throws -> T) rethrows -> T {
        let fileSize = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        var limit = rlimit()
        getrlimit(fileSize, &limit)
        var small = limit
        small.rlim_cur = bytes
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(fileSize, &small)
        defer {
            setrlimit(fileSize, &limit)
            signal(SIGXFSZ, previousHandler)
        }
        return try body()
    }

    func testFailedRenameIsReportedAndAbandonCleansUp() throws {
        let final = url("r.h5")
        try manager.createDirectory(at: final.appendingPathComponent("in-the-way"), withIntermediateDirectories: true)
        let writer = try RunWriter(finalURL: final)
        XCTAssertEqual(errorMessage { try writer.commit(status: .complete) },
                       "\(final.path).partial: cannot rename it to \(final.path) (Is a directory)")
        XCTAssertEqual(errorMessage { try writer.writeData("x", [1]) },
                       "\(final.path).partial: cannot write data 'x': a commit failed, call abandon()")
        writer.abandon()
        XCTAssertFalse(manager.fileExists(atPath: RunStore.partialURL(for: final).path))
        XCTAssertTrue(manager.fileExists(atPath: final.appendingPathComponent("in-the-way").path))
    }

    func testBadShapesAndNamesAreRefused() throws {
        let writer = try RunWriter(finalURL: url("r.h5"))
        defer { writer.abandon() }
        let partial = RunStore.partialURL(for: writer.finalURL).path
        XCTAssertEqual(errorMessage { try writer.writeTensor("w", shape: [2, 3], [Float](repeating: 0, count: 5)) },
                       "\(partial): tensor 'w' has shape [2, 3] but 5 values")
        XCTAssertEqual(errorMessage { try writer.writeTensor("w", shape: [-1, -2], [Int32](repeating: 0, count: 2)) },
                       "\(partial): tensor 'w' has shape [-1, -2] but 2 values")
        XCTAssertEqual(errorMessage { try writer.writeTensor("w", shape: [Int.max, 3], [Float]()) },
                       "\(partial): tensor 'w' has shape [\(Int.max), 3] but 0 values")
        XCTAssertEqual(errorMessage { try writer.writeMetric("train/loss", [1]) },
                       "\(partial): 'train/loss' is not a valid metric name (it must not be empty, '.', '..' or contain '/')")
        XCTAssertEqual(errorMessage { try writer.setAttribute("", .int(1)) },
                       "\(partial): an attribute name must not be empty")
    }

    func testCreatesMissingFoldersAndReportsOnesItCannotCreate() throws {
        try Data("x".utf8).write(to: url("a-file"))
        let final = url("a-file/runs/r.h5")
        let message = try XCTUnwrap(errorMessage { _ = try RunWriter(finalURL: final) })
        XCTAssertTrue(message.hasPrefix("\(final.path).partial: cannot create its folder ("), message)
    }
}
