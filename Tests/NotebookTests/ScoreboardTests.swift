import XCTest
@testable import Notebook

/// Verdicts against tolerances, and the scoreboard that counts them.
final class ScoreboardTests: XCTestCase {
    let tolerance = Tolerance.absolute(0.5, because: "a test's half point")

    func testVerdictComparesTheMeanWithTheTolerance() {
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.6, 5.2], kind: .trained, tolerance: tolerance).verdict, .reproduced)
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [5.5], kind: .trained, tolerance: tolerance).verdict, .reproduced, "the edge counts")
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.0, 4.2], kind: .trained, tolerance: tolerance).verdict,
                       .notReproduced("ours is 0.9000 below, beyond ±0.5000"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [.nan], kind: .trained, tolerance: tolerance).verdict,
                       .notReproduced("no finite result of ours"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [9], kind: .trained, tolerance: tolerance, blockedBy: "needs CIFAR-10").verdict,
                       .blocked("needs CIFAR-10"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.6, 5.2, 5.0], kind: .trained, tolerance: tolerance).oursText,
                       "4.9333 (4.6000–5.2000, 3 seeds)")
        XCTAssertEqual(Reproduction("an epoch", source: "t", text: 129, ours: [114, 236, 144], kind: .trained, tolerance: tolerance).oursText,
                       "164.6667 (114–236, 3 seeds)", "a row of whole numbers prints them without decimals")
    }

    /// The tolerance formulas against values worked by hand: draws 1, 2, 3 have a sample
    /// variance of 1 (divisor n - 1); 4, 6 have 2.
    func testToleranceFormulasMatchHandWorkedValues() {
        XCTAssertEqual(Tolerance.twoStandardDeviations(of: [1, 2, 3]).width, 2, accuracy: 1e-12)
        XCTAssertEqual(Tolerance.twoStandardDeviationsOfTwoDraws([1, 2, 3], of: "x").width, 2 * 2.0.squareRoot(), accuracy: 1e-12)
        // 2 sqrt(1/3 + 2/2)
        XCTAssertEqual(Tolerance.twoStandardErrorsOfDifference(ours: [1, 2, 3], theirs: [4, 6]).width, 2 * (4.0 / 3).squareRoot(), accuracy: 1e-12)
        // 95% on 10,000 images: 100 sqrt(0.95 * 0.05 / 10000) = 0.2179...; with seeds 1, 2, 3 (variance 1) 2 sqrt(1 + 0.0475).
        XCTAssertEqual(Tolerance.twoStandardErrors(percent: 95, images: 10000).width, 200 * (0.0475 / 10000).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(Tolerance.twoStandardErrors(percent: 95, images: 10000, seeds: [1, 2, 3]).width, 2 * 1.0475.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(Tolerance.twoStandardDeviations(of: [5]).width, 0, "one draw has no spread")
    }

    /// A row within a tolerance at least as wide as the effect it is there to show could not
    /// have failed for that reason: inconclusive, not reproduced, and the headline says so.
    func testAToleranceAsWideAsTheEffectIsInconclusive() throws {
        let gain = Reproduction.Effect("L2's gain", size: -0.4)
        XCTAssertEqual(gain.size, 0.4, "an effect is a size, whichever way it goes")
        let wide = Reproduction("a", source: "t", text: 5, ours: [5.1], kind: .trained, tolerance: tolerance, effect: gain)
        XCTAssertEqual(wide.verdict, .tooWide("within ±0.5000, a spread no narrower than L2's gain, 0.4000"))
        XCTAssertEqual(wide.verdict.label, "inconclusive: within ±0.5000, a spread no narrower than L2's gain, 0.4000")
        let narrow = Reproduction("a", source: "t", text: 5, ours: [5.1], kind: .trained, tolerance: tolerance,
                                  effect: .init("a network against k-NN", size: 3))
        XCTAssertEqual(narrow.verdict, .reproduced)
        let missed = Reproduction("a", source: "t", text: 5, ours: [6], kind: .trained, tolerance: tolerance, effect: gain)
        XCTAssertEqual(missed.verdict, .notReproduced("ours is 1.0000 above, beyond ±0.5000"), "a miss stays a miss")
        let decoded = try JSONDecoder().decode(Reproduction.self, from: JSONEncoder().encode(wide))
        XCTAssertEqual(decoded, wide, "the effect is stored with the row")

        let provenance = ReportSummary.Provenance(commits: ["1a2b3c4d5e"], engineVersions: [6], dataChecksums: ["ba89e3c5f1"])
        let study = Study("one", title: "one", summary: "one") { _ in [Reproductions("r") { _ in [] }] }
        let page = Scoreboard.render([Scoreboard.Entry(study: study, summaries: [
            ReportSummary(study: "one", variant: "full", report: "one/full/report.md", generated: "now", runs: 2, failedRuns: 0,
                          wallSeconds: 10, cpu: "a CPU", provenance: provenance, reproductions: [wide, narrow]),
        ])])
        XCTAssertTrue(page.contains("**1 of 2 trained reproductions at the texts' scale**"), page)
        XCTAssertTrue(page.contains("not counted). 1 more are inconclusive: within a tolerance as wide as the effect"), page)
    }

    /// Only `--full` reports count, and of their rows only trained reproductions make the
    /// headline: checks, rows the text does not set and rows that need CIFAR-10 are listed in
    /// sections of their own, each row with what it was computed with; a study without a
    /// `--full` report is named with the command that makes one.
    func testTheScoreboardCountsTrainedReproductionsOfTheFullReportsOnly() throws {
        let provenance = ReportSummary.Provenance(commits: ["1a2b3c4d5e"], engineVersions: [6], dataChecksums: ["ba89e3c5f1"])
        func summary(_ study: String, _ variant: String, _ rows: [Reproduction]) -> ReportSummary {
            ReportSummary(study: study, variant: variant, report: "\(study)/\(variant)/report.md", generated: "now", runs: 2,
                          failedRuns: 0, wallSeconds: 10, cpu: "a CPU", provenance: provenance, reproductions: rows)
        }
        func row(_ name: String, _ ours: Double, _ kind: Reproduction.Kind = .trained, blockedBy: String? = nil) -> Reproduction {
            Reproduction(name, source: "t", text: 1, ours: [ours], kind: kind, tolerance: tolerance, blockedBy: blockedBy)
        }
        // "three" shows reference numbers, but has no `--full` report yet.
        let studies = ["one", "two", "three"].map { Study($0, title: $0, summary: $0) { _ in [Reproductions("r") { _ in [] }] } }
        let entries = [
            Scoreboard.Entry(study: studies[0], summaries: [
                summary("one", "full", [row("x", 1.1), row("y", 3), row("z", 1, blockedBy: "needs CIFAR-10"),
                                        row("identity", 1, .check), row("best on test", 1, .shownOnly("chosen on the test set"))]),
                summary("one", "quick", [row("x", 9)]),
            ]),
            Scoreboard.Entry(study: studies[1], summaries: [summary("two", "full", [row("w", 1)])]),
            Scoreboard.Entry(study: studies[2], summaries: [summary("three", "quick", [])]),
        ]
        let page = Scoreboard.render(entries)
        XCTAssertTrue(page.contains("**2 of 3 trained reproductions at the texts' scale**"), page)
        XCTAssertTrue(page.contains("Not yet run at the texts' scale: `three`"), page)
        XCTAssertTrue(page.contains("The 2 `--full` reports' runs took 20 s in all, each run's wall time added up, on a CPU (a run that shared the cores with other runs counts its whole wall time)."), page)
        XCTAssertTrue(page.contains("| `one` | [full](one/full/report.md), [quick](one/quick/report.md) | full: 2; quick: 2 | 1 of 2 reproduced |"), page)
        XCTAssertTrue(page.contains("| [`one`](one/full/report.md) | y (t) | 1 | 3 | ±0.5000 | not reproduced: ours is 2.0000 above, beyond ±0.5000 | commit 1a2b3c4, engine 6, data ba89e3… |"), page)
        for (heading, row) in [("## Checks", "| identity (t) |"), ("## Shown, not counted", "| best on test (t) |"),
                               ("## Not judged on these data sets", "| z (t) |")] {
            let section = try XCTUnwrap(page.range(of: heading), heading)
            XCTAssertNotNil(page.range(of: row, range: section.upperBound..<page.endIndex), "\(row) under \(heading)")
        }
        XCTAssertFalse(page.contains("9.0000"), "a quick report's rows stay off the scoreboard")
        let html = HTMLPage.render(title: "t", markdown: page)
        XCTAssertTrue(html.contains("<td><a href=\"one/full/report.md\"><code>one</code></a></td>"), html)
        XCTAssertTrue(html.contains("<strong>2 of 3 trained reproductions at the texts' scale</strong>"), html)
    }

    /// A diverged seed's NaN is a value of the row, written and read back, not a failed report.
    func testARowWithANaNIsWrittenAndReadBack() throws {
        let summary = ReportSummary(study: "s", variant: "full", report: "s/full/report.md", generated: "now", runs: 1, failedRuns: 0,
                                    wallSeconds: 1, cpu: "a CPU", provenance: nil,
                                    reproductions: [Reproduction("q", source: "t", text: 1, ours: [.nan, 2], kind: .trained, tolerance: tolerance)])
        let read = try ReportSummary.decoder.decode(ReportSummary.self, from: ReportSummary.encoder.encode(summary))
        XCTAssertTrue(read.reproductions[0].ours[0].isNaN)
        XCTAssertEqual(read.reproductions[0].ours[1], 2)
        XCTAssertEqual(read.reproductions[0].verdict, .notReproduced("no finite result of ours"))
    }

    /// A reproductions.json written before rows had a kind still reads: its rows are shown,
    /// not counted, until the report is redrawn.
    func testARowWithoutAKindIsShownNotCounted() throws {
        let json = #"{"quantity":"q","source":"s","text":1,"ours":[1],"over":"seeds","tolerance":{"width":0.5,"why":"w"}}"#
        let row = try JSONDecoder().decode(Reproduction.self, from: Data(json.utf8))
        XCTAssertEqual(Scoreboard.Category(row), .shownOnly)
    }

    /// A study without reference numbers (a user's own) is not a missing reproduction: the
    /// scoreboard leaves it off, and its reports are where they are.
    func testTheScoreboardListsOnlyStudiesWithReferenceNumbers() throws {
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("scoreboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        let reference = Study("reference", title: "r", summary: "r") { context in
            if context.profile == .full { Reproductions("Against the text") { _ in [] } }
        }
        let own = Study("my-own", title: "m", summary: "m") { _ in Text("no reference numbers here") }
        let index = try String(contentsOf: Scoreboard.write(results: results, studies: [reference, own]).markdown, encoding: .utf8)
        XCTAssertTrue(index.contains("Not yet run at the texts' scale: `reference` ("), index)
        XCTAssertTrue(index.contains("| `reference` | none yet |"), index)
        XCTAssertFalse(index.contains("my-own"), index)
    }
}
