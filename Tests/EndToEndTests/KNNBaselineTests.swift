import ConvNet
import Foundation
import RunStore
import XCTest

/// `experiments run knn-baseline --quick` on the real data, as a user runs it.
final class KNNBaselineTests: XCTestCase {
    static var results: URL!
    static var firstRun: CLI.Result!

    /// One real `--quick` run shared by the tests of this class (each test reads it).
    override func setUpWithError() throws {
        if Self.firstRun == nil {
            Self.results = try CLI.temporaryFolder("knn")
            Self.firstRun = try CLI.run(["run", "knn-baseline", "--quick", "--results", Self.results.path])
        }
    }

    var study: URL { Self.results.appendingPathComponent("knn-baseline") }
    /// The --quick report's own folder (report.md, report.html, figures/).
    var quickReport: URL { study.appendingPathComponent("quick") }
    /// seed000, its 5 extra draws, mnist5k and fashion.
    static let quickSteps = 8

    func runFile(_ step: String) throws -> URL {
        try CLI.runFile(in: study.appendingPathComponent("runs"), step: step)
    }

    func testRunStoresRunsDrawsFiguresAndWritesTheReport() throws {
        XCTAssertEqual(Self.firstRun.status, 0, Self.firstRun.stderr)
        for step in ["seed000", "seed000-draw1", "seed000-draw5", "mnist5k", "fashion"] { _ = try runFile(step) }
        for figure in ["accuracy-vs-k", "seed000-draws", "confusion", "misclassified"] {
            for ext in ["png", "svg", "gp", "dat"] {
                let url = quickReport.appendingPathComponent("figures/\(figure).\(ext)")
                XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), url.path)
            }
        }
        let markdown = try String(contentsOf: quickReport.appendingPathComponent("report.md"), encoding: .utf8)
        // Seed 000's own draw and scoring give the text's 0.82; the plurality vote on the same
        // digits 0.88. Both are what the text's code gives with scikit-learn in the peers'
        // environment (KNeighborsClassifier fitted on one-hot labels, then on plain labels).
        let seed000 = try RunFile(url: try runFile("seed000"))
        XCTAssertEqual(try seed000.metric("accuracy_one_hot"), [0.82])
        XCTAssertEqual(try seed000.metric("accuracy"), [0.88])
        XCTAssertTrue(markdown.contains("| seed 000's draw, scored as its one-hot classifier | 0.8200 | 0.8200 | +0.0000 |"), markdown)
        XCTAssertTrue(markdown.contains("| 82 | 82 | ±0.0000 [1] | reproduced |"), "the text's 82% exactly:\n\(markdown)")
        XCTAssertTrue(markdown.contains("swift run experiments run knn-baseline --quick"), "the reproduce command")
        XCTAssertTrue(Self.firstRun.stdout.contains("report.html"))
    }

    func testTheHTMLReportReferencesOnlyFilesThatExist() throws {
        let html = try String(contentsOf: quickReport.appendingPathComponent("report.html"), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "(?:href|src)=\"([^\"]+)\"")
        let references = regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
        XCTAssertEqual(references.filter { $0.hasPrefix("data:image/png;base64,") }.count, 4, "four embedded figures")
        let files = references.filter { !$0.hasPrefix("data:") && !$0.hasPrefix("http") }
        XCTAssertFalse(files.isEmpty)
        for reference in files {
            XCTAssertTrue(FileManager.default.fileExists(atPath: quickReport.appendingPathComponent(reference).path),
                          "report.html links to a missing file: \(reference)")
        }
    }

    func testARunFileReadsBackWithItsIndicesPredictionsAndAttributes() throws {
        let run = try RunFile(url: try runFile("seed000"))
        XCTAssertEqual(run.status, .complete)
        XCTAssertEqual(run.string("study"), "knn-baseline")
        XCTAssertEqual(run.string("step"), "seed000")
        XCTAssertEqual(run.attributes["seed"], .int(0))
        XCTAssertEqual(run.attributes["schema_version"], .int(RunStore.schemaVersion))
        XCTAssertTrue(try XCTUnwrap(run.string("config")).contains("\"k\":5"))
        for attribute in ["config_hash", "data_identity", "created", "finished", "git_commit", "isa", "cpu", "os", "command"] {
            XCTAssertNotNil(run.attributes[attribute], attribute)
        }

        let train = try run.data("train_indices"), test = try run.data("test_indices")
        XCTAssertEqual(train.count, 1000)
        XCTAssertEqual(test.count, 100)
        // Seed 000's draw, from numpy: r = np.random.RandomState(0); r.permutation(10000)[:6] of
        // the test file, then r.permutation(60000)[:12] of the training file.
        XCTAssertEqual(Array(test.prefix(6)), [9394, 898, 2398, 5906, 2343, 8225])
        XCTAssertEqual(Array(train.prefix(12)), [12113, 25043, 22183, 22741, 21436, 12292, 56418, 58783, 9776, 42411, 3786, 45215])

        let predictions = try run.data("predictions"), labels = try run.data("test_labels")
        XCTAssertEqual(predictions.count, 100)
        let accuracy = Double(zip(predictions, labels).filter { $0 == $1 }.count) / 100
        XCTAssertEqual(try run.metric("accuracy"), [accuracy], "the stored accuracy is that of the stored predictions")
        XCTAssertEqual(try run.metric("k"), (1...15).map(Double.init))
        XCTAssertEqual(try run.metric("accuracy_by_k").dropFirst(4).first, accuracy, "k = 5 is the fifth point")
        XCTAssertGreaterThan(accuracy, 0.75, "k-NN on real digits is far above chance (0.1)")

        guard case let .int32(shape, confusion) = try run.tensor("confusion") else { return XCTFail("confusion is int32") }
        XCTAssertEqual(shape, [10, 10])
        XCTAssertEqual(confusion.reduce(0, +), 100)
        XCTAssertEqual((0..<10).map { confusion[$0 * 10 + $0] }.reduce(0, +), Int32(accuracy * 100))
    }

    func testASecondRunReusesStoredRunsAndReportTouchesNothing() throws {
        let files = try ["seed000", "mnist5k", "fashion"].map(runFile)
        let before = try files.map { try Data(contentsOf: $0) }
        let dates = try files.map { try FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }

        let again = try CLI.run(["run", "knn-baseline", "--quick", "--results", Self.results.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("knn-baseline: \(Self.quickSteps) run(s), \(Self.quickSteps) stored, 0 to compute\n"), again.stdout)
        XCTAssertFalse(again.stdout.contains("running"), again.stdout)

        let report = try CLI.run(["report", "knn-baseline", "--quick", "--results", Self.results.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try files.map { try Data(contentsOf: $0) }, before, "stored runs are byte-identical")
        XCTAssertEqual(try files.map { try FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date }, dates)
    }

    func testListRunsShowsEveryStoredRunWithItsStatus() throws {
        let result = try CLI.run(["list", "--runs", "knn-baseline", "--results", Self.results.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + Self.quickSteps, result.stdout)
        XCTAssertEqual(lines.dropFirst().filter { $0.contains(" quick ") && $0.contains(" complete ") && $0.contains("accuracy 0.") }.count,
                       Self.quickSteps)

        let stray = Self.results.appendingPathComponent("stray/notes.h5")
        try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a run".utf8).write(to: stray)
        let all = try CLI.run(["list", "--runs", "--results", Self.results.path])
        XCTAssertTrue(all.stdout.contains("unreadable") && all.stdout.contains("stray/notes.h5"), all.stdout)
    }

    /// A run from an older engine is listed, marked: kept, though `run` will not reuse it;
    /// activation statistics are headed by their last spread, not by the layer count.
    func testListRunsMarksARunOfAnOlderEngine() throws {
        let results = try CLI.temporaryFolder("older-engine")
        let writer = try RunWriter(finalURL: results.appendingPathComponent("knn-baseline/runs/old-0123456789ab.h5"))
        for (name, value) in [("study", "knn-baseline"), ("step", "old"), ("profile", "default")] {
            try writer.setAttribute(name, .string(value))
        }
        try writer.setAttribute("engine_version", .int(Int64(Engine.version - 1)))
        try writer.writeMetric("layer", [1, 2])   // an axis: never the headline
        try writer.writeMetric("std", [0.5, 0.25])
        try writer.commit(status: .complete)
        let result = try CLI.run(["list", "--runs", "--results", results.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("old   default  complete, engine \(Engine.version - 1)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("std 0.25"), "the last layer's spread heads the line:\n\(result.stdout)")
    }

    /// `prune` lists the runs of an older engine with their size and removes them only with
    /// --yes; this engine's runs stay.
    func testPruneListsOlderRunsAndRemovesThemOnlyWhenAsked() throws {
        let results = try CLI.temporaryFolder("prune")
        let old = results.appendingPathComponent("knn-baseline/runs/old-0123456789ab.h5")
        let current = results.appendingPathComponent("knn-baseline/runs/new-0123456789ab.h5")
        for (url, engine) in [(old, Engine.version - 1), (current, Engine.version)] {
            let writer = try RunWriter(finalURL: url)
            try writer.setAttribute("engine_version", .int(Int64(engine)))
            try writer.writeMetric("accuracy", [0.5])
            try writer.commit(status: .complete)
        }
        let listed = try CLI.run(["prune", "--results", results.path])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("engine \(Engine.version - 1)") && listed.stdout.contains("knn-baseline/runs/old-0123456789ab.h5"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains("new-0123456789ab"), listed.stdout)
        XCTAssertTrue(listed.stdout.contains("1 run(s) of an older engine"), listed.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: old.path), "nothing is removed without --yes")
        let removed = try CLI.run(["prune", "--yes", "--results", results.path])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: old.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: current.path))
        XCTAssertTrue(try CLI.run(["prune", "--results", results.path]).stdout.contains("no runs of an older engine"))
    }

    func testShowPrintsAttributesMetricsAndShapes() throws {
        let show = try CLI.run(["show", try runFile("fashion").path])
        XCTAssertEqual(show.status, 0, show.stderr)
        for text in ["status", "complete", "accuracy_by_k", "confusion: int32 10x10", "misclassified_images: float32",
                     "test_indices: int32 1000"] {
            XCTAssertTrue(show.stdout.contains(text), "show should print '\(text)':\n\(show.stdout)")
        }
    }

    /// The user's own MNIST-format folder; Debian's Fashion-MNIST files stand in for it
    /// (the same IDX format), so this runs on real files without a download.
    func testDataFolderAddsRunsOnTheUsersOwnFiles() throws {
        let results = try CLI.temporaryFolder("user-data")
        let result = try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path,
                                  "--data", "/usr/share/datasets/fashion-mnist", "--format", "svg"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("running  mnist: k-NN"), result.stdout)
        let reports = CLI.reports(in: results.appendingPathComponent("knn-baseline"))
        let folder = try XCTUnwrap(reports.first).deletingLastPathComponent().lastPathComponent
        XCTAssertEqual(reports.count, 1)
        XCTAssertTrue(folder.hasPrefix("quick-data-fashion-mnist-"), "a --data run has its own, readable report folder: \(folder)")
        let markdown = try String(contentsOf: try XCTUnwrap(reports.first), encoding: .utf8)
        XCTAssertTrue(markdown.contains("mnist (/usr/share/datasets/fashion-mnist): 5000 train / 1000 test"), markdown)
        XCTAssertTrue(markdown.contains("Reproduce with `swift run experiments run knn-baseline --quick --data /usr/share/datasets/fashion-mnist --results \(results.path) --format svg`"),
                      "the reproduce command keeps --data, --results and --format: \(markdown)")
    }

    /// Each profile has its own report: the default profile's run leaves the --quick report as
    /// it was, and each report names the command that redraws exactly it.
    func testTheDefaultProfileLeavesTheQuickReportIntact() throws {
        let results = try CLI.temporaryFolder("profiles")
        let quick = try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path, "--format", "svg"])
        XCTAssertEqual(quick.status, 0, quick.stderr)
        let quickReport = results.appendingPathComponent("knn-baseline/quick/report.md")
        let quickText = try String(contentsOf: quickReport, encoding: .utf8)
        XCTAssertTrue(quickText.contains("redraw from the stored runs with `swift run experiments report knn-baseline --quick --results \(results.path) --format svg`"),
                      quickText)
        let standard = try CLI.run(["run", "knn-baseline", "--results", results.path, "--format", "svg"])
        XCTAssertEqual(standard.status, 0, standard.stderr)
        XCTAssertEqual(try String(contentsOf: quickReport, encoding: .utf8), quickText, "the quick report is untouched")
        let defaultText = try String(contentsOf: results.appendingPathComponent("knn-baseline/report.md"), encoding: .utf8)
        XCTAssertTrue(defaultText.contains("redraw from the stored runs with `swift run experiments report knn-baseline --results \(results.path) --format svg`."),
                      defaultText)
        let index = try String(contentsOf: results.appendingPathComponent("index.md"), encoding: .utf8)
        XCTAssertTrue(index.contains("| `knn-baseline` | [default](knn-baseline/report.md), [quick](knn-baseline/quick/report.md) |"), index)
    }

    func testWithoutGnuplotRunsAreStoredAndFiguresReportedSkipped() throws {
        let results = try CLI.temporaryFolder("no-gnuplot")
        let result = try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path],
                                 environment: ["PATH": "/nonexistent", "HOME": NSHomeDirectory()])
        assertOneLineFailure(result, mentioning: "gnuplot not found")
        let runs = try FileManager.default.contentsOfDirectory(atPath: results.appendingPathComponent("knn-baseline/runs").path)
        XCTAssertEqual(runs.filter { $0.hasSuffix(".h5") }.count, Self.quickSteps, "runs stay stored")
        let markdown = try String(contentsOf: results.appendingPathComponent("knn-baseline/quick/report.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("Figure skipped"))
    }
}
