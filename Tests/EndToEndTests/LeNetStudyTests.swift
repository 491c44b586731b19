import Foundation
import RunStore
import XCTest

/// `experiments run lenet-study --quick` on real digits.
final class LeNetStudyTests: XCTestCase {
    func testQuickProfileTrainsSeed000sNetworkBesideItsLogAndKNN() throws {
        let runs = try CLI.runQuick("lenet-study", figures: ["errors", "filters", "feature-maps"])
        let lenet = try RunFile(url: try CLI.runFile(in: runs, step: "lenet-seed0"))
        // Seed 000's network: 6@5x5 conv, pool, 16@5x5 conv, pool, 12, 84, 10.
        let parameters: Int64 = (6 * 25 + 6) + (16 * 6 * 25 + 16) + (256 * 12 + 12) + (12 * 84 + 84) + (84 * 10 + 10)
        XCTAssertEqual(lenet.int("parameters"), parameters)
        XCTAssertEqual(try lenet.tensor("feature_maps_layer0").shape, [6, 24, 24])
        XCTAssertEqual(try lenet.tensor("feature_maps_layer2").shape, [16, 8, 8])
        let config = try XCTUnwrap(lenet.string("config"))
        XCTAssertTrue(config.contains(#""shuffle":false"#) && config.contains(#""reduction":"sum""#) && config.contains(#"{"penalty":{"coefficient":1.0}}"#), config)
        // Like the text's log, the training error falls from chance within five epochs.
        let trainAccuracy = try lenet.metric("train_eval_accuracy")
        XCTAssertGreaterThan(trainAccuracy.last!, trainAccuracy.first!)
        let book = try RunFile(url: try CLI.runFile(in: runs, step: "published-lenet"))
        XCTAssertEqual(try book.metric("train_error").first, 0.92)
        XCTAssertEqual(try book.metric("test_error").last, 0.15)
        // k-NN on the very digits the network trains on, seed 000's own draw: scikit-learn gives
        // 0.88 by plurality and the text's 0.82 scored on one-hot labels.
        let knn = try RunFile(url: try CLI.runFile(in: runs, step: "knn"))
        XCTAssertEqual(try knn.metric("accuracy"), [0.88])
        XCTAssertEqual(try knn.metric("accuracy_one_hot"), [0.82])
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
