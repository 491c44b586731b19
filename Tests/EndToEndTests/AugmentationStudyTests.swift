import Foundation
import RunStore
import XCTest

/// `experiments run augmentation-study --quick` on real digits.
final class AugmentationStudyTests: XCTestCase {
    func testQuickProfileStoresTheExamplesTheRunsAndTheFigures() throws {
        let runs = try CLI.runQuick("augmentation-study", figures: ["elastic-examples", "affine-examples", "accuracy"])
        let examples = try RunFile(url: try CLI.runFile(in: runs, step: "examples"))
        guard case .float32(let shape, let originals) = try examples.tensor("originals"),
              case .float32(_, let distorted) = try examples.tensor("elastic1") else { return XCTFail("example tensors") }
        XCTAssertEqual(shape, [6, 28, 28])
        XCTAssertNotEqual(originals, distorted, "alpha 34 moves the strokes")
        XCTAssertTrue(distorted.allSatisfy { (0...1).contains($0) })
        // The augmented runs differ from the plain one from the first epoch: they saw other images.
        let plain = try RunFile(url: try CLI.runFile(in: runs, step: "mlp-300-none"))
        let elastic = try RunFile(url: try CLI.runFile(in: runs, step: "mlp-300-elastic"))
        XCTAssertNotEqual(try plain.metric("train_loss"), try elastic.metric("train_loss"))
        XCTAssertTrue(elastic.string("config")!.contains(#""augmentation":{"elastic":{"alpha":34.0,"sigma":4.0}}"#))
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
