import Foundation
import RunStore
import XCTest

/// `experiments run batchnorm-study --quick` on real digits.
final class BatchNormStudyTests: XCTestCase {
    func testQuickProfileShowsBatchNormMakingTheInitialScaleMatterLess() throws {
        let runs = try CLI.runQuick("batchnorm-study", figures: ["activations", "accuracy-vs-scale", "curves"])
        func run(_ step: String) throws -> RunFile { try RunFile(url: try CLI.runFile(in: runs, step: step)) }
        // At initialisation: without batch norm, scale 0.01 shrinks tanh activations layer after
        // layer and scale 1 saturates them; with it, every layer keeps one spread at every scale.
        let shrinking = try run("activations-plain-scale0.01").metric("std")
        XCTAssertLessThan(shrinking.last!, 1e-4)
        XCTAssertGreaterThan(try run("activations-plain-scale1").metric("std").last!, 0.9)
        for scale in ["0.01", "0.1", "1"] {
            for std in try run("activations-bn-scale\(scale)").metric("std") {
                XCTAssertEqual(std, 0.63, accuracy: 0.05, "scale \(scale)")
            }
        }
        // Trained: at the extreme scales the batch-norm network learns and the plain one stays far behind.
        for scale in ["0.01", "1"] {
            let plain = try run("plain-scale\(scale)").metric("test_accuracy").last!
            let normalised = try run("bn-scale\(scale)").metric("test_accuracy").last!
            XCTAssertGreaterThan(normalised, plain + 0.2, "scale \(scale)")
        }
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
