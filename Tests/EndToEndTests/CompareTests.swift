import Foundation
import ConvNet
import RunStore
import XCTest

/// `experiments compare` on real stored runs.
final class CompareTests: XCTestCase {
    static var runs: URL!

    override func setUpWithError() throws {
        if Self.runs == nil {
            let results = try CLI.temporaryFolder("compare")
            let run = try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path, "--format", "svg"])
            XCTAssertEqual(run.status, 0, run.stderr)
            Self.runs = results.appendingPathComponent("knn-baseline/runs")
        }
    }

    func file(_ step: String) throws -> String {
        try CLI.runFile(in: Self.runs, step: step).path
    }

    func testTableShowsDifferingConfigAndTheMetricAndDrawsTheCurves() throws {
        let output = try CLI.temporaryFolder("compare-out")
        // Seed 000's draw and another draw of the same setting, both of MNIST.
        let result = try CLI.run(["compare", try file("seed000"), try file("seed000-draw1"), "--metric", "accuracy",
                                  "--out", output.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "header, rule, two runs:\n\(result.stdout)")
        XCTAssertTrue(lines[0].contains("split.test_then_train_draw.seed") && lines[0].contains("ks"), "the differing keys: \(lines[0])")
        XCTAssertFalse(lines[0].contains("| k |"), "k = 5 is the same in both runs, so it is not listed")
        XCTAssertTrue(lines[2].contains("knn-baseline/seed000") && lines[2].contains("| 0 |"), String(lines[2]))
        XCTAssertTrue(lines[3].contains("knn-baseline/seed000-draw1") && lines[3].contains("| 1 |"), String(lines[3]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("compare-accuracy.png").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("compare-accuracy.gp").path))
        XCTAssertFalse(result.stderr.contains("note:"), "made by one command on one machine:\n\(result.stderr)")
    }

    /// Without --out each set of runs gets its own folder, so one comparison never replaces
    /// another's figure; the best of an accuracy is its largest value.
    func testDefaultFiguresOfTwoComparisonsAreKeptApart() throws {
        let first = try CLI.run(["compare", try file("seed000"), try file("mnist5k"), "--metric", "accuracy_by_k"])
        let second = try CLI.run(["compare", try file("seed000"), try file("fashion"), "--metric", "accuracy_by_k"])
        XCTAssertEqual([first.status, second.status], [0, 0], first.stderr + second.stderr)
        func figure(_ result: CLI.Result) throws -> String {
            try XCTUnwrap(result.stderr.split(separator: "\n").first { $0.hasPrefix("figure: ") }).dropFirst(8).description
        }
        let (one, two) = (try figure(first), try figure(second))
        XCTAssertTrue(one.hasPrefix("results/compare/accuracy_by_k-"), one)
        XCTAssertNotEqual(one, two)
        for path in [one, two] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent(path).path), path)
            try? FileManager.default.removeItem(at: CLI.packageRoot.appendingPathComponent(path).deletingLastPathComponent())
        }
        XCTAssertTrue(first.stdout.contains("accuracy_by_k (best: max)"), first.stdout)
    }

    func testCSVAndJSONAreMachineReadable() throws {
        let output = try CLI.temporaryFolder("compare-formats").path
        let json = try CLI.run(["compare", Self.runs.path, "--format", "json", "--out", output])
        XCTAssertEqual(json.status, 0, json.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]])
        XCTAssertEqual(rows.count, 8, "every run of the study folder")
        XCTAssertEqual(Set(rows.map { $0["status"] }), ["complete"])
        let csv = try CLI.run(["compare", Self.runs.path, "--format", "csv", "--out", output])
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 9)
    }

    /// A run from another study that records only `loss`.
    func foreignRun(_ name: String) throws -> String {
        let url = try CLI.temporaryFolder("other").appendingPathComponent(name)
        let writer = try RunWriter(finalURL: url)
        try writer.setAttribute("study", .string("other-study"))
        try writer.setAttribute("step", .string("train"))
        try writer.setAttribute("config", .string(#"{"lr":0.1}"#))
        try writer.writeMetric("loss", [2.3, 1.1, 0.7])
        try writer.commit(status: .complete)
        return url.path
    }

    func testARunLackingTheMetricIsShownAsSuchNotDropped() throws {
        let output = try CLI.temporaryFolder("compare-missing").path
        let result = try CLI.run(["compare", try file("seed000"), try foreignRun("a.h5"), "--metric", "accuracy",
                                  "--out", output])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("other-study/train | complete"), result.stdout)
        XCTAssertTrue(result.stdout.contains("— (no accuracy)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("| lr |") || result.stdout.contains("| lr"), "config keys of both runs are listed")
        // The foreign run records neither its engine nor its data: the note says so, per attribute.
        XCTAssertTrue(result.stderr.contains("note: the runs were made differently"), result.stderr)
        XCTAssertTrue(result.stderr.contains("  engine version: \(Engine.version) (1 run), not recorded (1 run)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("  data SHA-256: "), result.stderr)
    }

    func testRunsWithNothingInCommon() throws {
        assertOneLineFailure(try CLI.run(["compare", try file("seed000"), try foreignRun("b.h5")]),
                             mentioning: "these runs have no metric in common")
    }

    func testNeedsTwoRuns() throws {
        assertOneLineFailure(try CLI.run(["compare", try file("seed000")]), mentioning: "compare needs at least two runs")
    }

    func testUnknownTableFormat() throws {
        assertOneLineFailure(try CLI.run(["compare", try file("seed000"), try file("fashion"), "--format", "xml"]),
                             mentioning: "unknown table format 'xml'")
    }
}
