import Foundation
import RunStore
import XCTest

/// `experiments run learning-rate-study --quick` on real digits: seed 001's checks as runs.
final class LearningRateStudyTests: XCTestCase {
    func testQuickProfileMeasuresTheSlidesChecksAndStoresDivergedAndAbortedTrials() throws {
        let runs = try CLI.runQuick("learning-rate-study",
                                    figures: ["overfit", "learning-rates", "slow-start", "overfitting", "unshuffled", "validation-noise"])
        func run(_ step: String) throws -> RunFile { try RunFile(url: try CLI.runFile(in: runs, step: step)) }
        // The loss at initialisation is ln(10); reg 1e3 adds 0.5 * reg * sum(W^2), about 0.2 here.
        XCTAssertEqual(try run("initial-reg0").metric("initial_loss")[0], log(10), accuracy: 1e-3)
        let regularised = try run("initial-reg")
        XCTAssertEqual(try regularised.metric("initial_cost")[0] - (try regularised.metric("initial_loss")[0]), 0.198, accuracy: 0.01)
        // 20 examples are learnt by heart.
        let overfit = try run("overfit-20")
        XCTAssertEqual(try overfit.metric("train_accuracy").last, 1)
        XCTAssertLessThan(try overfit.metric("train_loss").last!, 0.01)
        // lr 1e-6 barely moves the loss; 1e6 diverges at once; 10 is aborted at 3x the initial loss.
        let slow = try run("lr-lr=1e-06").metric("batch_loss")
        XCTAssertEqual(slow.last!, log(10), accuracy: 1e-3)
        let exploded = try run("lr-1e6")
        XCTAssertEqual(exploded.status, .diverged)
        XCTAssertEqual(exploded.int("diverged_epoch"), 1)
        let aborted = try run("lr-lr=10")
        XCTAssertEqual(aborted.status, .complete)
        XCTAssertEqual(aborted.int("stopped_epoch"), 1)
        XCTAssertTrue(aborted.string("stop_reason")?.contains("mini-batch loss above") == true, aborted.string("stop_reason") ?? "")
        XCTAssertGreaterThan(try aborted.metric("batch_loss").last!, 3 * log(10))
        // Sorted, unshuffled data: the mini-batch loss swings far wider than when shuffled.
        func spread(_ step: String) throws -> Double {
            let losses = try run(step).metric("batch_loss").suffix(40)
            return losses.max()! - losses.min()!
        }
        XCTAssertGreaterThan(try spread("sorted-by-label"), try spread("shuffled"))
        XCTAssertEqual(try run("validate-on-20").data("test_indices").count, 20)
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
