import XCTest
@testable import Notebook

/// Verdicts against tolerances, and the scoreboard that counts them.
final class ScoreboardTests: XCTestCase {
    let tolerance = Tolerance.absolute(0.5, because: "a test's half point")

    func testVerdictComparesTheMeanWithTheTolerance() {
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.6, 5.2], tolerance: tolerance).verdict, .reproduced)
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [5.5], tolerance: tolerance).verdict, .reproduced, "the edge counts")
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.0, 4.2], tolerance: tolerance).verdict,
                       .notReproduced("ours is 0.9000 below, beyond ±0.5000"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [.nan], tolerance: tolerance).verdict,
                       .notReproduced("no finite result of ours"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [9], tolerance: tolerance, blockedBy: "needs CIFAR-10").verdict,
                       .blocked("needs CIFAR-10"))
        XCTAssertEqual(Reproduction("a", source: "t", text: 5, ours: [4.6, 5.2, 5.0], tolerance: tolerance).oursText,
                       "4.9333 (4.6000–5.2000, 3 seeds)")
    }

    /// Only `--full` reports count; rows that cannot be judged are counted apart; a study
    /// without a `--full` report is named with the command that makes one.
    func testTheScoreboardCountsTheFullReportsOnly() throws {
        func summary(_ study: String, _ variant: String, _ rows: [Reproduction]) -> ReportSummary {
            ReportSummary(study: study, variant: variant, report: "\(study)/\(variant)/report.md", generated: "now", runs: 2,
                          failedRuns: 0, wallSeconds: 10, cpu: "a CPU", reproductions: rows)
        }
        // "three" shows reference numbers, but has no `--full` report yet.
        let studies = ["one", "two", "three"].map { Study($0, title: $0, summary: $0) { _ in [Reproductions("r") { _ in [] }] } }
        let entries = [
            Scoreboard.Entry(study: studies[0], summaries: [
                summary("one", "full", [Reproduction("x", source: "t", text: 1, ours: [1.1], tolerance: tolerance),
                                        Reproduction("y", source: "t", text: 1, ours: [3], tolerance: tolerance),
                                        Reproduction("z", source: "t", text: 1, ours: [1], tolerance: tolerance, blockedBy: "needs CIFAR-10")]),
                summary("one", "quick", [Reproduction("x", source: "t", text: 1, ours: [9], tolerance: tolerance)]),
            ]),
            Scoreboard.Entry(study: studies[1], summaries: [summary("two", "full", [Reproduction("w", source: "t", text: 2, ours: [2], tolerance: tolerance)])]),
            Scoreboard.Entry(study: studies[2], summaries: [summary("three", "quick", [])]),
        ]
        let page = Scoreboard.render(entries)
        XCTAssertTrue(page.contains("**2 of 3 reference numbers reproduced at the texts' scale**"), page)
        XCTAssertTrue(page.contains("1 more cannot be judged"), page)
        XCTAssertTrue(page.contains("Not yet run at the texts' scale: `three`"), page)
        XCTAssertTrue(page.contains("| `one` | [full](one/full/report.md), [quick](one/quick/report.md) | full: 2; quick: 2 | 1 of 2 reproduced |"), page)
        XCTAssertTrue(page.contains("| [`one`](one/full/report.md) | y (t) | 1.0000 | 3.0000 | ±0.5000 | not reproduced: ours is 2.0000 above, beyond ±0.5000 |"), page)
        XCTAssertFalse(page.contains("9.0000"), "a quick report's rows stay off the scoreboard")
        let html = HTMLPage.render(title: "t", markdown: page)
        XCTAssertTrue(html.contains("<td><a href=\"one/full/report.md\"><code>one</code></a></td>"), html)
        XCTAssertTrue(html.contains("<strong>2 of 3 reference numbers reproduced at the texts' scale</strong>"), html)
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
