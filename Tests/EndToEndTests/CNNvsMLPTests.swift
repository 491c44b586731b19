import Foundation
import RunStore
import XCTest

/// `experiments run cnn-vs-mlp --quick` on real digits.
final class CNNvsMLPTests: XCTestCase {
    func testQuickProfileStoresAllThreeNetworksWithTheirConfusionMatrices() throws {
        let runs = try CLI.runQuick("cnn-vs-mlp", figures: ["accuracy", "confusion-cnn-sigmoid", "confusion-mlp-45"])
        let cnn = try RunFile(url: try CLI.runFile(in: runs, step: "cnn-sigmoid"))
        XCTAssertEqual(cnn.int("parameters"), 80_202, "seed 002's count")
        let mlp = try RunFile(url: try CLI.runFile(in: runs, step: "mlp-45"))
        let mlpParameters: Int64 = 784 * 45 + 45 + 45 * 10 + 10
        XCTAssertEqual(mlp.int("parameters"), mlpParameters)
        guard case .int32(let shape, let counts) = try mlp.tensor("confusion") else { return XCTFail("confusion") }
        XCTAssertEqual(shape, [10, 10])
        XCTAssertEqual(counts.reduce(0, +), 500, "every test digit counted once")
        let diagonal = (0..<10).map { counts[$0 * 11] }.reduce(0, +)
        XCTAssertEqual(Double(diagonal) / 500, try mlp.metric("test_accuracy").last!, accuracy: 1e-9)
        XCTAssertEqual(try mlp.data("test_predictions").count, 500)
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
