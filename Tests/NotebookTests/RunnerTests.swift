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

    var report: URL { results.appendingPathComponent("test-study/quick") }

    /// The files a report consists of, byte for byte.
    func reportFiles() throws -> [Data] {
        try ["report.md", "report.html", "reproductions.json"].map { try Data(contentsOf: report.appendingPathComponent($0)) }
    }

    /// A view that fails (a metric no run records, a misspelt step) writes nothing: the
    /// previous report stays whole, the runs stay stored, and the error has one line per
    /// failing view, naming it and why.
    func testAFailingViewLeavesThePreviousReportAndNamesEachFailingView() throws {
        let counter = MeanPixel.Counter()
        let mean = MeanPixel(name: "mean", images: 10, fail: false, counter: counter)
        let good: [any StudyStep] = [mean, Text { results in "mean = \(formatNumber(try results.run(mean).final(.mean)))" }]
        _ = try runner(study(good)).run()
        let before = try reportFiles()

        let bad: [any StudyStep] = [
            mean,
            Text("fine"),
            Text { results in "median = \(try results.run(mean).final(Metric("median")))" },
            Table("Means") { results in TableContent(columns: ["x"], rows: [[.number(try results.run("maen").final(.mean))]]) },
            Figure("curve", title: "A curve") { _ in .lines(LinePlot(xLabel: "x", yLabel: "y", series: [])) },
        ]
        for attempt in [{ try self.runner(self.study(bad)).run() }, { try self.runner(self.study(bad)).report() }] {
            XCTAssertThrowsError(try attempt()) { error in
                let lines = (error as? ReportNotWritten)?.lines ?? []
                XCTAssertEqual(lines.count, 3, "\(error)")
                XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("report not rewritten (the previous one is kept): ") }, "\(lines)")
                XCTAssertTrue(lines[0].contains("paragraph 2 failed: ") && lines[0].hasSuffix("no metric 'median' (metrics: mean)"), lines[0])
                XCTAssertTrue(lines[1].contains("table “Means” failed: no stored run for step 'maen'"), lines[1])
                XCTAssertTrue(lines[2].contains("figure “curve” failed: "), lines[2])
            }
            XCTAssertEqual(try reportFiles(), before, "the previous report is untouched")
        }
        XCTAssertEqual(counter.computed, 1, "the run stays stored and is reused")
        XCTAssertFalse(FileManager.default.fileExists(atPath: report.appendingPathComponent("figures/curve.gp").path))
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

    /// Two steps with one config (their names aside) are computed once: the second reads the
    /// first's run, in this process and in the next, and `report` finds it too.
    func testIdenticalConfigsUnderTwoNamesAreComputedOnce() throws {
        let counter = MeanPixel.Counter()
        let steps: [any StudyStep] = [
            MeanPixel(name: "first", images: 7, fail: false, counter: counter),
            MeanPixel(name: "other", images: 8, fail: false, counter: counter),
            MeanPixel(name: "again", images: 7, fail: false, counter: counter),
            Text { results in "again = \(formatNumber(try results.run("again").final(.mean)))" },
        ]
        var lines: [String] = []
        let outcome = try Runner(study: study(steps), context: StudyContext(profile: .quick),
                                 options: RunnerOptions(results: results, formats: [.svg]), log: { lines.append($0) }).run()
        XCTAssertEqual(outcome.computed, ["first", "other"])
        XCTAssertEqual(outcome.reused, ["again"])
        XCTAssertEqual(lines.first, "test-study: 3 run(s), 0 stored, 2 to compute, 1 sharing the run of an identical config")
        XCTAssertEqual(counter.computed, 2)
        let runs = try FileManager.default.contentsOfDirectory(atPath: results.appendingPathComponent("test-study/runs").path)
            .filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(runs.count, 2, "\(runs)")
        XCTAssertTrue(runs.contains { $0.hasPrefix("first-") } && !runs.contains { $0.hasPrefix("again-") }, "\(runs)")

        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        let first = try RunFile(url: try XCTUnwrap(try runner(study(steps)).runLocations().first { $0.step == "first" }).url)
        XCTAssertTrue(markdown.contains("again = \(formatNumber(try first.metric("mean").last!))"), markdown)
        XCTAssertEqual(try runner(study(steps)).run().reused, ["first", "other", "again"])
        XCTAssertEqual(try runner(study(steps)).report().reused, ["first", "other", "again"])
        XCTAssertEqual(counter.computed, 2, "nothing computed again")
    }

    /// The Runs section is a table: a row per run with its step linked to its file, the
    /// config keys that differ and the final metrics; each run's full config is folded below.
    func testTheRunsSectionIsATableOfWhatDiffers() throws {
        let counter = MeanPixel.Counter()
        let steps: [any StudyStep] = [MeanPixel(name: "ten", images: 10, fail: false, counter: counter),
                                      MeanPixel(name: "twenty", images: 20, fail: false, counter: counter)]
        _ = try runner(study(steps)).run()
        let locations = try runner(study(steps)).runLocations()
        let means = try locations.map { formatNumber(try RunFile(url: $0.url).metric("mean").last!) }
        let markdown = try String(contentsOf: report.appendingPathComponent("report.md"), encoding: .utf8)
        let runs = try XCTUnwrap(markdown.components(separatedBy: "## Runs\n\n").last)
        XCTAssertTrue(runs.hasPrefix("| run | status | images | mean (final) |\n| --- | --- | --- | --- |\n"), runs)
        for ((step, url), (images, mean)) in zip(locations, zip(["10", "20"], means)) {
            XCTAssertTrue(runs.contains("| [`\(step)`](../runs/\(url.lastPathComponent)) | complete | \(images) | \(mean) |"), runs)
            XCTAssertTrue(runs.contains("<details><summary><code>\(step)</code>: config and record</summary>"), runs)
            XCTAssertTrue(runs.contains("\"images\":\(images)"), "the full config, folded: \(runs)")
        }
        let html = try String(contentsOf: report.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<tr><th>run</th><th>status</th><th>images</th><th>mean (final)</th></tr>"), html)
        XCTAssertEqual(html.components(separatedBy: "<details>").count - 1, 2, "one folded config per run")
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
