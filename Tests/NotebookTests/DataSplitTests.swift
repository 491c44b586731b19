import Datasets
import XCTest
@testable import Notebook

/// Which images a split takes from the files.
final class DataSplitTests: XCTestCase {
    /// Nielsen's mnist_loader: training data = the first 50,000 of MNIST's 60,000 training
    /// images, in file order; test data = the 10,000 test images; his overfitting demo the
    /// first 1,000 training images.
    func testLeadingSplitTakesNielsensImages() throws {
        let data = try DataLoader.load(.mnist)
        let nielsen = try DataSplit.leading(train: 50000, test: 10000).select(from: data)
        XCTAssertEqual(nielsen.trainIndices.count, 50000)
        XCTAssertEqual([nielsen.trainIndices.first, nielsen.trainIndices.last], [0, 49999])
        XCTAssertEqual([nielsen.testIndices.first, nielsen.testIndices.last], [0, 9999])
        XCTAssertEqual(Array(nielsen.train.labels.prefix(5)), [5, 0, 4, 1, 9])
        // The last image taken is the file's 50,000th, the first left out its 50,001st.
        XCTAssertEqual(Array(nielsen.train.pixels.suffix(784)), Array(data.train.pixels[(49999 * 784)..<(50000 * 784)]))
        XCTAssertEqual(Array(nielsen.test.pixels.suffix(784)), Array(data.test.pixels.suffix(784)))
        let demo = try DataSplit.leading(train: 1000, test: 10000).select(from: data)
        XCTAssertEqual(demo.train.labels, Array(data.train.labels.prefix(1000)))
        XCTAssertEqual(demo.train.pixels, Array(data.train.pixels.prefix(1000 * 784)))
        // More than the files hold is refused, never silently shrunk.
        XCTAssertThrowsError(try DataSplit.leading(train: 60001, test: 10).select(from: data)) { error in
            XCTAssertTrue("\(error)".contains("cannot take the first 60001"), "\(error)")
        }
    }
}
