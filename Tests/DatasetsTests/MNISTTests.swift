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
            XCTAssertEqual("\(error)", "unknown data 'cifar': give one of mnist, mnist5k, fashion or a folder of MNIST-format IDX files")
        }
        XCTAssertFalse(DataSource.fashionMNIST.isDigits)
        XCTAssertTrue(DataSource.mnist.isDigits)
    }
}
