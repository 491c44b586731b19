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

/// A user's CIFAR-10 folder (here small files in its binary format): the CNN takes its 3x32x32
/// images, the slides' CIFAR-10 numbers get a verdict, and a request beyond the folder's size
/// stops before any run.
final class CIFAR10StudyTests: XCTestCase {
    func testActivationStudyRunsOnCIFAR10() throws {
        let folder = try CLI.temporaryFolder("cifar")
        for (name, count) in (1...5).map({ ("data_batch_\($0).bin", 30) }) + [("test_batch.bin", 30)] {
            var bytes: [UInt8] = []
            for r in 0..<count {
                bytes.append(UInt8(r % 10))
                // A class-dependent brightness, so the networks have something to learn.
                bytes += (0..<3072).map { UInt8((Int(r % 10) * 25 + $0 % 7) % 256) }
            }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        let results = folder.appendingPathComponent("results")
        let tooMany = try CLI.run(["run", "activation-study", "--quick", "--data", folder.path, "--results", results.path])
        assertOneLineFailure(tooMany, mentioning: "holds 150 training and 30 test images: cannot take 1000 training and 500 test images")
        let runs = results.appendingPathComponent("activation-study/runs")
        XCTAssertTrue(((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).filter { $0.hasSuffix(".h5") }.isEmpty,
                      "nothing computed")
        let run = try CLI.run(["run", "activation-study", "--quick", "--data", folder.path, "--results", results.path,
                               "--set", "train=100", "--set", "test=20", "--format", "svg"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let relu = try RunFile(url: try CLI.runFile(in: runs, step: "relu-seed0"))
        XCTAssertTrue(relu.string("config")?.contains("\"input\":[3,32,32]") == true, relu.string("config") ?? "")
        XCTAssertEqual(relu.status, .complete)
        let report = try String(contentsOf: try XCTUnwrap(CLI.reports(in: results.appendingPathComponent("activation-study")).first), encoding: .utf8)
        XCTAssertTrue(report.contains("epochs tanh needs over ReLU's"), report)
        XCTAssertFalse(report.contains("needs CIFAR-10"), "on CIFAR-10 the slides' number gets a verdict")
    }
}
