import Foundation
import RunStore
import XCTest

/// `experiments run regularization-study --quick` on real digits.
final class RegularizationStudyTests: XCTestCase {
    func testQuickProfileStoresEveryRunFigureAndThePublishedCurves() throws {
        let runs = try CLI.runQuick("regularization-study", figures: ["overfitting", "regularizers", "weights", "cnn-regularizers", "more-data"])
        // The book's recorded curves, stored as runs: 400 epochs ending at 82.23% and 86.95% test accuracy.
        let book = try RunFile(url: try CLI.runFile(in: runs, step: "published-overfit"))
        let accuracy = try book.metric("test_accuracy")
        XCTAssertEqual(accuracy.count, 400)
        XCTAssertEqual(accuracy.last!, 0.8223, accuracy: 1e-9)
        XCTAssertEqual(try book.metric("train_eval_accuracy").last!, 1.0, accuracy: 1e-9)
        XCTAssertEqual(try RunFile(url: try CLI.runFile(in: runs, step: "published-overfit-l2")).metric("test_accuracy").last!, 0.8695, accuracy: 1e-9)

        // Our demo evaluates the whole training set after every epoch, and learns.
        let demo = try RunFile(url: try CLI.runFile(in: runs, step: "overfit"))
        XCTAssertEqual(try demo.metric("train_eval_accuracy").count, 10)
        XCTAssertGreaterThan(try demo.metric("test_accuracy").last!, 0.7, "10 epochs on 1000 real digits")
        XCTAssertGreaterThan(try demo.metric("train_eval_accuracy").last!, try demo.metric("test_accuracy").last!,
                             "the training images are fitted better than the test images")

        // L1 leaves more first-layer weights near zero than no regularisation does.
        func nearZero(_ step: String) throws -> Int {
            guard case .float32(_, let weights) = try RunFile(url: try CLI.runFile(in: runs, step: step)).tensor("layer0_weight") else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return weights.filter { abs($0) < 0.01 }.count
        }
        XCTAssertGreaterThan(try nearZero("mlp100-l1"), try nearZero("mlp100-none"))
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
