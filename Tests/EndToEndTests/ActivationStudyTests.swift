import Foundation
import RunStore
import XCTest

/// `experiments run activation-study --quick`: every activation trains, and the dead and
/// saturated fractions are recorded where they exist.
final class ActivationStudyTests: XCTestCase {
    func testEveryActivationTrainsAndReportsItsInactiveUnits() throws {
        let runs = try CLI.runQuick("activation-study", figures: ["training-loss", "test-accuracy", "inactive-units"])
        let files = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(files.count, 7, "seven activations, one seed in --quick")
        for name in files {
            let file = try RunFile(url: runs.appendingPathComponent(name))
            XCTAssertEqual(file.status, .complete, name)
            // Two epochs on 1000 real digits: every activation but the slow-starting sigmoid is far above chance.
            if !name.hasPrefix("sigmoid-") { XCTAssertGreaterThan(try file.metric("test_accuracy").last!, 0.5, name) }
        }
        let relu = try RunFile(url: runs.appendingPathComponent(try XCTUnwrap(files.first { $0.hasPrefix("relu-") })))
        let dead = try relu.metricNames.filter { $0.hasPrefix("inactive_layer") }.map { try relu.metric($0).last! }
        XCTAssertEqual(dead.count, 3, "three ReLU layers")
        XCTAssertTrue(dead.allSatisfy { $0 >= 0 && $0 < 0.5 }, "a trained ReLU net keeps most of its units alive")
        let elu = try RunFile(url: runs.appendingPathComponent(try XCTUnwrap(files.first { $0.hasPrefix("elu-") })))
        XCTAssertTrue(elu.metricNames.filter { $0.hasPrefix("inactive_layer") }.isEmpty, "ELU has no dead or saturated state")
    }
}
