import Foundation
import XCTest
@testable import Plotting

final class PlottingTests: XCTestCase {
    var folder: URL!
    let plotter = Plotter()

    override func setUpWithError() throws {
        guard Plotter.findGnuplot() != nil else { throw XCTSkip("gnuplot is not installed (scripts/setup.sh installs it)") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("plots-\(UUID().uuidString)")
    }

    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ url: URL) throws -> (Int, Int) {
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature")
        func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    static let kinds: [(String, FigureKind)] = [
        ("lines", .lines(LinePlot(xLabel: "epoch", yLabel: "accuracy", logY: true, series: [
            Series(label: "ours", x: [1, 2, 3], y: [0.5, .nan, 0.9], band: Band(low: [0.4, 0.5, 0.8], high: [0.6, 0.8, 0.95])),
            Series(label: "published", x: [1, 2, 3], y: [0.6, 0.7, 0.8], style: .dashed),
        ], markers: [Marker(x: 2, label: "stops improving")]))),
        ("bars", .bars(BarChart(categories: ["30 hidden", "100 hidden"], groups: [
            BarGroup(label: "ours", values: [4.9, 3.1]), BarGroup(label: "reference", values: [4.86, 3.0])], yLabel: "error %"))),
        ("histogram", .histogram(Histogram(series: [HistogramSeries(label: "z", values: (0..<500).map { sin(Double($0)) })],
                                           bins: 20, xLabel: "z"))),
        ("heatmap", .heatmap(Heatmap(values: [[50, 2], [3, 45]], rowLabels: ["a", "b"], columnLabels: ["a", "b"],
                                     xLabel: "predicted", yLabel: "true"))),
        ("grid", .imageGrid(ImageGrid(images: (0..<5).map { n in (0..<49).map { Float(($0 + n) % 7) / 6 } },
                                      imageRows: 7, imageColumns: 7, captions: ["1", "2", "3", "4", "5"], columns: 3))),
        ("panels", .panels([
            Figure(name: "a", title: "layer 1", kind: .histogram(Histogram(series: [HistogramSeries(label: "h", values: [1, 2, 2, 3])], bins: 3, xLabel: "x"))),
            Figure(name: "b", title: "layer 2", kind: .histogram(Histogram(series: [HistogramSeries(label: "h", values: [1, 1, 2])], bins: 3, xLabel: "x"))),
        ], columns: 2)),
    ]

    func testEveryKindRendersPNGOfTheRequestedSizeAndSVG() throws {
        for (name, kind) in Self.kinds {
            let rendered = try plotter.render(Figure(name: name, title: "A \(name) figure", kind: kind, width: 640, height: 400),
                                              into: folder, formats: [.png, .svg])
            let (w, h) = try pngSize(try XCTUnwrap(rendered.outputs[.png]))
            XCTAssertEqual(w, 640, name)
            XCTAssertEqual(h, 400, name)
            let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg"), name)
        }
    }

    func testTheScriptReRendersByItself() throws {
        let rendered = try plotter.render(Figure(name: "again", title: "t", kind: Self.kinds[0].1), into: folder, formats: [.png])
        let png = try XCTUnwrap(rendered.outputs[.png])
        try FileManager.default.removeItem(at: png)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try XCTUnwrap(Plotter.findGnuplot()))
        process.arguments = ["again.gp"]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png.path))
    }

    func testPDFAndCairolatexDoNotOverwriteEachOther() throws {
        let rendered = try plotter.render(Figure(name: "both", title: "t", kind: Self.kinds[1].1), into: folder, formats: [.pdf, .tex])
        XCTAssertEqual(rendered.outputs[.pdf]?.lastPathComponent, "both.pdf")
        XCTAssertEqual(rendered.outputs[.tex]?.lastPathComponent, "both-latex.tex")
        for file in ["both.pdf", "both-latex.tex", "both-latex.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), file)
        }
        XCTAssertTrue(try Data(contentsOf: folder.appendingPathComponent("both.pdf")).starts(with: Data("%PDF".utf8)))
    }

    func testDataFileRoundTripsAndWritesNaNAsMissing() throws {
        let rendered = try plotter.render(Figure(name: "data", title: "t", kind: Self.kinds[0].1), into: folder, formats: [.png])
        let text = try String(contentsOf: rendered.data, encoding: .utf8)
        let blocks = text.components(separatedBy: "\n\n\n")
        XCTAssertEqual(blocks.count, 2, "one index block per series")
        let rows = blocks[0].split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows, [["1", "0.5", "0.4", "0.6"], ["2", "NaN", "0.5", "0.8"], ["3", "0.9", "0.8", "0.95"]])
    }

    func testHistogramCountsEveryFiniteValueOnce() {
        let values = [0, 0.5, 1, 1, 2, .nan, .infinity]
        XCTAssertEqual(binCounts(values, bins: 4, low: 0, width: 0.5), [1, 1, 2, 1])
    }

    func testTextWithQuotesUnderscoresAndBackslashesRenders() throws {
        let title = #"it's "quoted" a_b^c \n 50% @home"#
        let figure = Figure(name: "escape", title: title,
                            kind: .lines(LinePlot(xLabel: title, yLabel: "y", series: [Series(label: title, x: [0, 1], y: [0, 1])])))
        XCTAssertNoThrow(try plotter.render(figure, into: folder, formats: [.png]))
    }

    func testErrorsAreOneLine() throws {
        let figure = Figure(name: "x", title: "t", kind: .lines(LinePlot(xLabel: "x", yLabel: "y",
                                                                         series: [Series(label: "s", x: [1, 2], y: [1])])))
        XCTAssertThrowsError(try plotter.render(figure, into: folder)) { error in
            XCTAssertEqual(error as? PlotError, .invalidFigure(figure: "x", reason: "series 's' has 2 x values but 1 y values"))
        }
        XCTAssertThrowsError(try Plotter(gnuplot: "/nonexistent/gnuplot").render(Figure(name: "y", title: "t", kind: Self.kinds[0].1),
                                                                                 into: folder)) { error in
            XCTAssertEqual(error as? PlotError, .gnuplotMissing)
        }
        XCTAssertNil(Plotter.findGnuplot(path: "/nonexistent:/also/not"))
        // A log axis over non-positive values makes gnuplot itself fail.
        let impossible = Figure(name: "bad", title: "t", kind: .lines(LinePlot(xLabel: "x", yLabel: "y", logY: true,
                                series: [Series(label: "s", x: [1, 2], y: [-1, -2])], yRange: -5 ... -1)))
        XCTAssertThrowsError(try plotter.render(impossible, into: folder)) { error in
            guard case let .gnuplotFailed(name, message)? = error as? PlotError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "bad")
            XCTAssertFalse(message.contains("\n"))
            XCTAssertFalse(message.isEmpty)
        }
    }
}
