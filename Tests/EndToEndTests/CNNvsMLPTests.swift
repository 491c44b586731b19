import Foundation
import RunStore
import XCTest

/// `experiments run cnn-vs-mlp --quick` on real digits.
final class CNNvsMLPTests: XCTestCase {
    func testQuickProfileStoresAllThreeNetworksWithTheirConfusionMatrices() throws {
        let results = try CLI.temporaryFolder("cnn-vs-mlp")
        let run = try CLI.run(["run", "cnn-vs-mlp", "--quick", "--results", results.path, "--format", "png"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let study = results.appendingPathComponent("cnn-vs-mlp")
        for figure in ["accuracy", "confusion-cnn-sigmoid", "confusion-mlp-45"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: study.appendingPathComponent("figures/\(figure).png").path), figure)
        }
        let runs = study.appendingPathComponent("runs")
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
        try? FileManager.default.removeItem(at: results)
    }
}
