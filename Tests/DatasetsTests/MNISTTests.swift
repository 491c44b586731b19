import Foundation
import XCTest
@testable import Datasets

/// The original MNIST in data/mnist (scripts/setup.sh), its checks, and `--data` names.
final class MNISTTests: XCTestCase {
    /// The four files as LeCun published them: sizes, the label counts and first labels
    /// measured in ../shared/TOOLCHAIN.md, and the test set's own first labels.
    func testTheFourFilesAreMNISTs() throws {
        let data = try DataLoader.load(.mnist)
        XCTAssertEqual(data.train.count, 60000)
        XCTAssertEqual(data.test.count, 10000)
        XCTAssertEqual([data.train.rows, data.train.columns, data.test.rows, data.test.columns], [28, 28, 28, 28])
        XCTAssertEqual((Int32(0)...9).map { digit in data.train.labels.filter { $0 == digit }.count },
                       [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        XCTAssertEqual(Array(data.train.labels.prefix(10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        XCTAssertEqual(Array(data.test.labels.prefix(10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        XCTAssertEqual(data.train.pixels.min(), 0)
        XCTAssertEqual(data.train.pixels.max(), 1)
        XCTAssertEqual(data.files.map(\.lastPathComponent), DataLoader.mnistFiles.map(\.name))
        XCTAssertEqual(data.identity.count, 64)
    }

    /// A data folder whose mnist/ is broken: each fault is one message naming the file and
    /// the fix, never a crash.
    func testABrokenMNISTFolderNamesTheFileAndTheFix() throws {
        let real = try DataLoader.dataFile("mnist")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mnist-test-\(UUID().uuidString.prefix(8))")
        let folder = root.appendingPathComponent("mnist")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        setenv("EXPERIMENTS_DATA_DIR", root.path, 1)
        defer { unsetenv("EXPERIMENTS_DATA_DIR") }
        func file(_ index: Int) -> URL { folder.appendingPathComponent(DataLoader.mnistFiles[index].name) }
        func expectError(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try DataLoader.load(.mnist), file: file, line: line) { error in
                XCTAssertTrue("\(error)".contains(text), "\(error)", file: file, line: line)
                XCTAssertTrue("\(error)".contains("scripts/setup.sh"), "\(error)", file: file, line: line)
            }
        }
        expectError("\(file(0).path): missing")
        try Data(count: 10).write(to: file(0))   // a cut-short download
        expectError("\(file(0).path): 10 bytes, expected 47040016")
        try FileManager.default.removeItem(at: file(0))
        try FileManager.default.createSymbolicLink(at: file(0), withDestinationURL: real.appendingPathComponent(DataLoader.mnistFiles[0].name))
        try Data(count: 60008).write(to: file(1))   // the right size, the wrong bytes
        expectError("\(file(1).path): wrong SHA-256")
    }

    func testDataNamesAndFolders() throws {
        XCTAssertEqual(try DataSource(argument: "mnist"), .mnist)
        XCTAssertEqual(try DataSource(argument: "mnist5k"), .mnist5k)
        XCTAssertEqual(try DataSource(argument: "fashion"), .fashionMNIST)
        XCTAssertEqual(try DataSource(argument: DataLoader.fashionMNISTFolder), .idxFolder(DataLoader.fashionMNISTFolder))
        XCTAssertThrowsError(try DataSource(argument: "cifar")) { error in
            XCTAssertEqual("\(error)", "unknown data 'cifar': give one of mnist, mnist5k, fashion or a folder of MNIST-format IDX files or CIFAR-10 batches")
        }
        XCTAssertFalse(DataSource.fashionMNIST.isDigits)
        XCTAssertTrue(DataSource.mnist.isDigits)
    }
}

/// CIFAR-10's binary folder, on small files the test writes in that format.
final class CIFAR10Tests: XCTestCase {
    /// Writes `records` records per training batch and `testRecords` to the test batch; record
    /// r of batch b has label (b + r) % 10 and red, green, blue planes of constant 10, 20, 30 + r.
    static func writeFolder(records: Int, testRecords: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cifar-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func batch(_ b: Int, _ count: Int) -> Data {
            var bytes: [UInt8] = []
            for r in 0..<count {
                bytes.append(UInt8((b + r) % 10))
                for plane in 0..<3 { bytes += Array(repeating: UInt8(10 * (plane + 1) + r), count: 1024) }
            }
            return Data(bytes)
        }
        for b in 1...5 { try batch(b, records).write(to: folder.appendingPathComponent("data_batch_\(b).bin")) }
        try batch(0, testRecords).write(to: folder.appendingPathComponent("test_batch.bin"))
        return folder
    }

    func testBatchesReadAsChannelsRowsColumns() throws {
        let folder = try Self.writeFolder(records: 2, testRecords: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try DataSource(argument: folder.path)
        XCTAssertEqual(source, .cifar10Folder(folder.path))
        XCTAssertEqual(source.imageShape, [3, 32, 32])
        XCTAssertEqual(source.classNames.first, "airplane")
        let data = try DataLoader.load(source)
        XCTAssertEqual([data.train.count, data.test.count], [10, 3])
        XCTAssertEqual([data.train.channels, data.train.rows, data.train.columns], [3, 32, 32])
        XCTAssertEqual(Array(data.train.labels), [1, 2, 2, 3, 3, 4, 4, 5, 5, 6], "batches in order, records in order")
        // Image 1 (batch 1, record 1): red 11, green 21, blue 31, in that order of planes.
        let image = Array(data.train.image(1))
        XCTAssertEqual([image[0], image[1023], image[1024], image[2047], image[2048], image[3071]],
                       [11, 11, 21, 21, 31, 31].map { Float($0) / 255 })
    }

    func testABrokenBatchNamesTheFile() throws {
        let folder = try Self.writeFolder(records: 2, testRecords: 1)
        defer { try? FileManager.default.removeItem(at: folder) }
        let third = folder.appendingPathComponent("data_batch_3.bin")
        try Data(count: 3072).write(to: third)
        XCTAssertThrowsError(try DataLoader.load(.cifar10Folder(folder.path))) { error in
            XCTAssertEqual("\(error)", "\(third.path): 3072 bytes, not a whole number of CIFAR-10 records (3073 bytes each)")
        }
        var record = [UInt8](repeating: 0, count: 3073)
        record[0] = 42
        try Data(record).write(to: third)
        XCTAssertThrowsError(try DataLoader.load(.cifar10Folder(folder.path))) { error in
            XCTAssertTrue("\(error)".contains("record 0 has label 42, not a class 0...9 (is it CIFAR-100?)"), "\(error)")
        }
        try FileManager.default.removeItem(at: third)
        XCTAssertThrowsError(try DataLoader.load(.cifar10Folder(folder.path))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(third.path): missing"), "\(error)")
        }
    }
}
