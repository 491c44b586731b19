import Foundation
@testable import Plotting
import XCTest

final class ErrorTests: PlottingTestCase {
    func testWithoutGnuplotNothingIsWritten() throws {
        XCTAssertThrowsError(try Plotter(gnuplot: "/nonexistent/gnuplot").render(Samples.lines, into: folder)) { error in
            XCTAssertEqual(error as? PlotError, .gnuplotMissing)
            XCTAssertEqual("\(error)", "gnuplot not found on PATH: figures skipped (install it with scripts/setup.sh)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
    }

    func testFindGnuplotSearchesThePath() throws {
        XCTAssertNil(Plotter.findGnuplot(path: ""))
        XCTAssertNil(Plotter.findGnuplot(path: nil))
        XCTAssertNil(Plotter.findGnuplot(path: "/nonexistent:/proc"))
        let installed = try XCTUnwrap(Plotter.findGnuplot(), "gnuplot is installed on PATH")
        let installedFolder = URL(fileURLWithPath: installed).deletingLastPathComponent().path
        XCTAssertEqual(Plotter.findGnuplot(path: "/nonexistent::\(installedFolder)"), installed)
        XCTAssertEqual(Plotter().gnuplot, installed)
    }

    func testInvalidFiguresAreRefusedBeforeAnythingIsWritten() {
        let line = { (series: [Series]) in FigureKind.lines(LinePlot(xLabel: "x", yLabel: "y", series: series)) }
        let cases: [(FigureKind, String)] = [
            (line([Series(label: "a", x: [1, 2, 3], y: [1, 2])]), "series 'a' has 3 x values but 2 y values"),
            (line([]), "at least one series"),
            (line([Series(label: "a", x: [], y: [])]), "has no points"),
            (line([Series(label: "a", x: [1, 2], y: [.nan, .infinity])]), "no series has a point with finite x and y"),
            (line([Series(label: "a", x: [1, 2], y: [1, 2], band: Band(low: [0], high: [2, 3]))]), "its band"),
            (.bars(BarChart(categories: ["a", "b"], groups: [BarGroup(label: "g", values: [1])], yLabel: "")), "1 values for 2 categories"),
            (.bars(BarChart(categories: [], groups: [], yLabel: "")), "at least one category"),
            (.histogram(Histogram(series: [], xLabel: "")), "at least one series"),
            (.histogram(Histogram(series: [HistogramSeries(label: "a", values: [1])], bins: 0, xLabel: "")), "at least one bin"),
            (.histogram(Histogram(series: [HistogramSeries(label: "a", values: [1])], range: 1...1, xLabel: "")), "empty"),
            (.heatmap(Heatmap(values: [], xLabel: "", yLabel: "")), "at least one cell"),
            (.heatmap(Heatmap(values: [[1, 2], [3]], xLabel: "", yLabel: "")), "row 1 has 1 cells"),
            (.heatmap(Heatmap(values: [[1, 2]], rowLabels: ["a", "b"], xLabel: "", yLabel: "")), "2 row labels for 1 rows"),
            (.imageGrid(ImageGrid(images: [], imageRows: 2, imageColumns: 2, columns: 1)), "at least one image"),
            (.imageGrid(ImageGrid(images: [[0, 1, 2]], imageRows: 2, imageColumns: 2, columns: 1)), "image 0 has 3 values"),
            (.imageGrid(ImageGrid(images: [[0]], imageRows: 1, imageColumns: 1, captions: ["a", "b"], columns: 1)), "2 captions for 1 images"),
            (.panels([], columns: 2), "at least one figure"),
            (.panels([Samples.panels], columns: 1), "cannot hold panels"),
            (.panels([Figure(name: "p", title: "bad", kind: line([]))], columns: 1), "panel 1 ('bad'): a line plot"),
        ]
        for (kind, reason) in cases {
            assertInvalid(Figure(name: "bad", title: "Bad", kind: kind), reason: reason)
        }
        assertInvalid(Figure(name: "", title: "t", kind: Samples.lines.kind), reason: "no name")
        assertInvalid(Figure(name: "../up", title: "t", kind: Samples.lines.kind), reason: "plain file stem")
        assertInvalid(Figure(name: "-e", title: "t", kind: Samples.lines.kind), reason: "must not start")
        assertInvalid(Figure(name: "tiny", title: "t", kind: Samples.lines.kind, width: 20, height: 500), reason: "too small")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
    }

    func testAGnuplotFailureKeepsTheScriptAndReportsOneLine() throws {
        // Zero and negative values have no place on a log axis: gnuplot refuses to scale it.
        let figure = Figure(name: "log-of-zero", title: "Loss", kind: .lines(LinePlot(
            xLabel: "epoch", yLabel: "loss", logY: true, series: [Series(label: "loss", x: [1, 2], y: [0, -1])])))
        XCTAssertThrowsError(try Plotter().render(figure, into: folder)) { error in
            guard case let .gnuplotFailed(name, message)? = error as? PlotError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "log-of-zero")
            XCTAssertFalse(message.contains("\n"))
            XCTAssertTrue(message.hasSuffix("all points y value undefined!"), message)
            XCTAssertTrue(message.hasPrefix("\"log-of-zero.gp\" line "), message)
        }
        XCTAssertTrue(exists("log-of-zero.gp"))
        XCTAssertTrue(exists("log-of-zero.dat"))
        XCTAssertFalse(exists("log-of-zero.png"))
    }

    func testTheMessageIsTheLineNamingTheScript() {
        let stderr = """

        plot 'x.dat' index 0 using 1:2 with lines
                                               ^
        "x.gp" line 3: warning: Skipping data file with no valid points
        "x.gp" line 40: all points y value undefined!

        """
        XCTAssertEqual(GnuplotRun.firstMeaningfulLine(of: stderr), "\"x.gp\" line 40: all points y value undefined!")
        XCTAssertEqual(GnuplotRun.firstMeaningfulLine(of: "\n  Segmentation fault\n"), "Segmentation fault")
        XCTAssertNil(GnuplotRun.firstMeaningfulLine(of: "\n \n"))
    }

    private func assertInvalid(_ figure: Figure, reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try Plotter().render(figure, into: folder), line: line) { error in
            guard case let .invalidFigure(name, message)? = error as? PlotError else {
                return XCTFail("expected invalidFigure, got \(error)", line: line)
            }
            XCTAssertEqual(name, figure.name, line: line)
            XCTAssertTrue(message.contains(reason), "\(message) should say \(reason)", line: line)
        }
    }
}
