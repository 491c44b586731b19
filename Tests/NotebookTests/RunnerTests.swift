import Datasets
import RunStore
import XCTest
@testable import Notebook

/// A compute step that records a few numbers from the real mnist5k digits and counts
/// how often it was computed, so the runner's caching can be observed.
struct MeanPixel: ComputeStep {
    let name: String
    let data: DataSource? = .mnist5k
    let images: Int
    let fail: Bool
    let counter: Counter

    final class Counter: @unchecked Sendable { var computed = 0 }

    /// The counter observes the runner; it is no input of the result.
    static var keyExclusions: Set<String> { ["name", "counter"] }
    var summary: String { "mean pixel of the first \(images) digits" }

    func compute(data: LoadedData?, into run: RunRecorder) throws {
        counter.computed += 1
        if fail { throw StudyError("deliberate failure") }
        guard let data else { throw StudyError("no data") }
        let pixels = data.train.pixels.prefix(images * data.train.pixelsPerImage)
        try run.metric(.mean, [Double(pixels.reduce(0, +)) / Double(pixels.count)])
        try run.tensor(Tensor("first"), shape: [data.train.rows, data.train.columns], Array(data.train.image(0)))
    }
}

final class RunnerTests: XCTestCase {
    var results: URL!

    override func setUpWithError() throws {
        results = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
    }

    func study(_ steps: [any StudyStep]) -> Study {
        Study("test-study", title: "A test", summary: "test") { _ in steps }
    }

    func runner(_ study: Study, force: Bool = false) -> Runner {
        Runner(study: study, context: StudyContext(profile: .quick),
               options: RunnerOptions(results: results, formats: [.svg], force: force), log: { _ in })
    }

    /// A table that reads a metric no run records keeps the runs, says so in the report and
    /// in the outcome (the command then exits non-zero with that line).
    func testAViewReadingAMissingMetricIsReportedNotFatal() throws {
        let step = MeanPixel(name: "mean", images: 10, fail: false, counter: MeanPixel.Counter())
        let table = Table("Means") { results in
            TableContent(columns: ["x"], rows: [[.number(try results.run("mean").final(Metric("median")))]])
        }
        let outcome = try runner(study([step, table])).run()
        XCTAssertEqual(outcome.computed, ["mean"])
        XCTAssertEqual(outcome.viewProblems.count, 1)
        XCTAssertTrue(outcome.viewProblems[0].hasPrefix("table “Means”: ") && outcome.viewProblems[0].hasSuffix("no metric 'median' (metrics: mean)"),
                      outcome.viewProblems[0])
        let markdown = try String(contentsOf: try XCTUnwrap(outcome.reportMarkdown), encoding: .utf8)
        XCTAssertTrue(markdown.contains("no metric 'median'"), markdown)
    }

    /// A run written by a newer version is neither reused, nor moved aside, nor overwritten.
    func testARunOfANewerSchemaStopsTheStudyAndIsLeftAlone() throws {
        let step = MeanPixel(name: "mean", images: 10, fail: false, counter: MeanPixel.Counter())
        _ = try runner(study([step])).run()
        let runs = results.appendingPathComponent("test-study/runs")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasSuffix(".h5") })
        let writer = try RunWriter(finalURL: runs.appendingPathComponent(name))
        try writer.setAttribute("schema_version", .int(RunStore.schemaVersion + 1))
        try writer.commit(status: .complete)
        let before = try Data(contentsOf: runs.appendingPathComponent(name))

        XCTAssertThrowsError(try runner(study([step])).run()) { error in
            XCTAssertTrue("\(error)".contains("was written by a newer experiments (run schema \(RunStore.schemaVersion + 1)"), "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("Nothing was changed."), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: runs.appendingPathComponent(name)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }, [name])
    }

    func testARunIsComputedOnceAndReusedUntilItsConfigChanges() throws {
        let counter = MeanPixel.Counter()
        let first = try runner(study([MeanPixel(name: "mean", images: 10, fail: false, counter: counter)])).run()
        XCTAssertEqual(first.computed, ["mean"])
        let second = try runner(study([MeanPixel(name: "mean", images: 10, fail: false, counter: counter)])).run()
        XCTAssertEqual(second.reused, ["mean"])
        XCTAssertEqual(counter.computed, 1, "a complete run with the same hash is reused")

        let changed = try runner(study([MeanPixel(name: "mean", images: 20, fail: false, counter: counter)])).run()
        XCTAssertEqual(changed.computed, ["mean"], "a changed config is a different run")
        let forced = try runner(study([MeanPixel(name: "mean", images: 20, fail: false, counter: counter)]), force: true).run()
        XCTAssertEqual(forced.computed, ["mean"])
        XCTAssertEqual(counter.computed, 3)

        let runs = try FileManager.default.contentsOfDirectory(atPath: results.appendingPathComponent("test-study/runs").path)
        XCTAssertEqual(runs.filter { $0.hasSuffix(".h5") }.count, 2, "one file per config, both kept")
    }

    func testAFailingStepIsStoredAsFailedWithItsReason() throws {
        let counter = MeanPixel.Counter()
        let outcome = try runner(study([MeanPixel(name: "broken", images: 1, fail: true, counter: counter),
                                        MeanPixel(name: "fine", images: 1, fail: false, counter: counter)])).run()
        XCTAssertEqual(outcome.failed, ["broken: deliberate failure"])
        XCTAssertEqual(outcome.computed, ["fine"], "the other steps still run")
        let runs = results.appendingPathComponent("test-study/runs")
        let name = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: runs.path).first { $0.hasPrefix("broken-") })
        let file = try RunFile(url: runs.appendingPathComponent(name))
        XCTAssertEqual(file.status, .failed)
        XCTAssertEqual(file.string("error"), "deliberate failure")
        XCTAssertEqual(counter.computed, 2)
        // A failed run is not a cache hit: the next run tries again.
        _ = try runner(study([MeanPixel(name: "broken", images: 1, fail: true, counter: counter)])).run()
        XCTAssertEqual(counter.computed, 3)
    }

    func testDuplicateStepNamesAreRefused() {
        let counter = MeanPixel.Counter()
        let twice = study([MeanPixel(name: "a", images: 1, fail: false, counter: counter),
                           MeanPixel(name: "a", images: 2, fail: false, counter: counter)])
        XCTAssertThrowsError(try runner(twice).run()) { error in
            XCTAssertEqual("\(error)", "study test-study names the step 'a' twice; step names must be unique")
        }
        XCTAssertEqual(counter.computed, 0)
    }

    /// A step held as a value is read back through it: no name to misspell.
    func testAStepHeldAsAValueIsReadThroughIt() throws {
        let counter = MeanPixel.Counter()
        let mean = MeanPixel(name: "mean", images: 5, fail: false, counter: counter)
        let steps: [any StudyStep] = [mean, Text { results in "mean = \(formatNumber(try results.run(mean).final(.mean)))" }]
        let markdown = try String(contentsOf: try XCTUnwrap(try runner(study(steps)).run().reportMarkdown), encoding: .utf8)
        XCTAssertTrue(markdown.contains("mean = 0."), markdown)
    }

    func testViewsReadStoredRunsAndAMissingMetricBecomesAReportedProblem() throws {
        let counter = MeanPixel.Counter()
        let steps: [any StudyStep] = [
            MeanPixel(name: "mean", images: 5, fail: false, counter: counter),
            Text { results in "mean = \(formatNumber(try results.run("mean").final(.mean)))" },
            Table("bad") { results in TableContent(columns: ["x"], rows: [[.number(try results.run("mean").final(Metric("nope")))]]) },
        ]
        let outcome = try runner(study(steps)).run()
        let markdown = try String(contentsOf: try XCTUnwrap(outcome.reportMarkdown), encoding: .utf8)
        XCTAssertTrue(markdown.contains("mean = 0."), markdown)
        XCTAssertTrue(markdown.contains("Table “bad” skipped"), markdown)
        XCTAssertTrue(markdown.contains("nope"), "the problem names the missing metric")
    }

    func testReportRedrawsFromStoredRunsAndNamesMissingOnes() throws {
        let counter = MeanPixel.Counter()
        let steps: [any StudyStep] = [MeanPixel(name: "mean", images: 5, fail: false, counter: counter)]
        XCTAssertThrowsError(try runner(study(steps)).report()) { error in
            XCTAssertTrue("\(error)".contains("no finished run for mean"), "\(error)")
        }
        _ = try runner(study(steps)).run()
        let outcome = try runner(study(steps)).report()
        XCTAssertEqual(outcome.reused, ["mean"])
        XCTAssertEqual(counter.computed, 1, "report computes nothing")
    }
}
