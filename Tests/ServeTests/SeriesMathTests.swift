import Foundation
@testable import RunServer
import XCTest

final class SeriesMathTests: XCTestCase {
    func testSmoothingIsTensorBoardsDebiasedMovingAverage() {
        // weight 0.5: averages 0.5, 1.75, 2.375 divided by 1 - 0.5^n = 0.5, 0.75, 0.875.
        let smoothed = smooth([1, 3, 3], weight: 0.5)
        XCTAssertEqual(smoothed[0], 1, accuracy: 1e-12)
        XCTAssertEqual(smoothed[1], 1.75 / 0.75, accuracy: 1e-12)
        XCTAssertEqual(smoothed[2], 2.375 / 0.875, accuracy: 1e-12)
        XCTAssertEqual(smooth([4, 1, 7], weight: 0), [4, 1, 7], "weight 0 leaves the curve as it is")
    }

    func testSmoothingPassesNaNThroughWithoutPoisoningTheAverage() {
        let smoothed = smooth([2, .nan, 2], weight: 0.9)
        XCTAssertEqual(smoothed[0], 2, accuracy: 1e-12)
        XCTAssertTrue(smoothed[1].isNaN)
        XCTAssertEqual(smoothed[2], 2, accuracy: 1e-12, "a constant stays constant after a NaN")
    }

    func testDownsamplingKeepsEndsAndSpikeAndAtMostTheLimit() {
        var points = (0..<10_000).map { Point(x: Double($0), y: sin(Double($0) / 500)) }
        points[4321] = Point(x: 4321, y: 50)
        let kept = downsampleIndices(points, maxPoints: 200)
        XCTAssertEqual(kept.count, 200)
        XCTAssertEqual(kept.first, 0)
        XCTAssertEqual(kept.last, 9999)
        XCTAssertTrue(kept.contains(4321), "the spike survives")
        XCTAssertEqual(kept, kept.sorted(), "indices stay in order")
        XCTAssertEqual(downsampleIndices(Array(points.prefix(50)), maxPoints: 200), Array(0..<50), "short curves stay whole")
    }

    func testBandOverSeedsGivesMeanMinMaxAndHandlesUnequalLengths() {
        let curves = [[Point(x: 1, y: 0.5), Point(x: 2, y: 0.7)],
                      [Point(x: 1, y: 0.7), Point(x: 2, y: 0.9), Point(x: 3, y: 1.0)]]
        let points = band(curves)
        XCTAssertEqual(points.count, 3)
        XCTAssertEqual(points[0].mean, 0.6, accuracy: 1e-12)
        XCTAssertEqual(points[1].min, 0.7)
        XCTAssertEqual(points[1].max, 0.9)
        XCTAssertEqual(points[2], BandPoint(x: 3, mean: 1.0, min: 1.0, max: 1.0, count: 1))
    }

    func testSummaryBestDependsOnTheMetricAndIgnoresNaN() {
        let loss = MetricSummary(values: [0.9, 0.2, .nan, 0.4], lowerIsBetter: true)
        XCTAssertEqual(loss.best, 0.2)
        XCTAssertEqual(loss.max, 0.9)
        XCTAssertEqual(loss.last, 0.4)
        XCTAssertEqual(loss.count, 4)
        let accuracy = MetricSummary(values: [0.5, 0.8, .nan], lowerIsBetter: false)
        XCTAssertEqual(accuracy.best, 0.8)
        XCTAssertNil(accuracy.last, "a diverged last value has no number")
    }

    func testColourDependsOnlyOnTheRunID() {
        XCTAssertEqual(RunColour(for: "init-study/runs/cnn-he-1"), RunColour(for: "init-study/runs/cnn-he-1"))
        XCTAssertNotEqual(RunColour(for: "init-study/runs/cnn-he-1"), RunColour(for: "init-study/runs/cnn-xavier-1"))
        XCTAssertEqual(RunColour(for: "a").css(alpha: 0.3), "hsla(\(RunColour(for: "a").hue),70%,40%,0.3)")
    }
}
