import XCTest
@testable import Notebook

/// The overfitting demo's plateau rule on curves worked by hand.
final class PlateauRuleTests: XCTestCase {
    func testTheTrailingMeanKeepsOneLuckyEpochFromCounting() {
        let rule = PlateauRule(window: 2, images: 10000)
        // Trailing means after epochs 2...5: 0.55, 0.75, 0.9, 0.9; the best is first reached after epoch 4.
        XCTAssertEqual(rule.epoch([0.5, 0.6, 0.9, 0.9, 0.9]), 4)
        // Epoch 2's 0.95 is one lucky epoch: means 0.725, 0.725, 0.7, 0.9, 0.9 put the plateau at epoch 5.
        XCTAssertEqual(rule.epoch([0.5, 0.95, 0.5, 0.9, 0.9, 0.9]), 5)
        XCTAssertEqual(rule.epoch([0.5]), 1, "a curve shorter than the window gives its length")
    }

    func testWithinOneStandardErrorOfTheBestCounts() {
        // At 0.9 on 10,000 images one standard error is sqrt(0.9 * 0.1 / 10000) = 0.003.
        let rule = PlateauRule(window: 1, images: 10000)
        XCTAssertEqual(rule.epoch([0.8975, 0.9, 0.9]), 1, "0.0025 below the best: the test set cannot tell them apart")
        XCTAssertEqual(rule.epoch([0.896, 0.9, 0.9]), 2, "0.004 below the best: more than one standard error")
    }
}
