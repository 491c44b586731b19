import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plotting
import XCTest

final class RenderingTests: PlottingTestCase {
    func testEveryKindRendersAPNGOfTheRequestedSizeAndAnSVG() throws {
        for figure in Samples.all {
            let rendered = try Plotter().render(figure, into: folder)
            XCTAssertEqual(rendered.script, file("\(figure.name).gp"))
            XCTAssertEqual(rendered.data, file("\(figure.name).dat"))

            let png = try Data(contentsOf: try XCTUnwrap(rendered.outputs[.png]))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], figure.name)
            // IHDR follows the signature: length, "IHDR", then width and height, big-endian.
            let size = { (offset: Int) in png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
            XCTAssertEqual(size(16), figure.width, figure.name)
            XCTAssertEqual(size(20), figure.height, figure.name)

            let svg = try Data(contentsOf: try XCTUnwrap(rendered.outputs[.svg]))
            XCTAssertTrue(String(decoding: svg, as: UTF8.self).contains("<svg"), figure.name)
            XCTAssertTrue(XMLParser(data: svg).parse(), "\(figure.name).svg is not well-formed XML")
        }
    }

    func testTheScriptRedrawsTheFigureByItself() throws {
        let name = Samples.lines.name
        _ = try Plotter().render(Samples.lines, into: folder, formats: [.png])
        try FileManager.default.removeItem(at: file("\(name).png"))

        XCTAssertEqual(try runGnuplot(["\(name).gp"]), 0)
        XCTAssertTrue(exists("\(name).png"))
        XCTAssertEqual(try runGnuplot(["-e", "fmt=\"svg\"", "\(name).gp"]), 0)
        XCTAssertTrue(exists("\(name).svg"))
        XCTAssertNotEqual(try runGnuplot(["-e", "fmt=\"jpeg\"", "\(name).gp"]), 0, "an unknown fmt must fail")
    }

    func testPDFAndTeXOutputsLieSideBySide() throws {
        let name = Samples.heatmap.name
        let rendered = try Plotter().render(Samples.heatmap, into: folder, formats: [.pdf, .tex])
        XCTAssertEqual(rendered.outputs[.pdf], file("\(name).pdf"))
        XCTAssertEqual(rendered.outputs[.tex], file("\(name)-latex.tex"))
        for pdf in ["\(name).pdf", "\(name)-latex.pdf"] {
            XCTAssertEqual(try Data(contentsOf: file(pdf)).prefix(4), Data("%PDF".utf8), pdf)
        }
        // The pdfcairo figure carries its own text; the cairolatex one leaves it to LaTeX.
        XCTAssertNotEqual(try Data(contentsOf: file("\(name).pdf")), try Data(contentsOf: file("\(name)-latex.pdf")))
        let tex = try String(contentsOf: file("\(name)-latex.tex"), encoding: .utf8)
        XCTAssertTrue(tex.contains("\(name)-latex"), "the tex file includes its own pdf")
        XCTAssertTrue(tex.contains("Confusion matrix"))
    }

    func testCallerTextIsEscaped() throws {
        let awkward = #"Joe's "best" run_2 \ 50% @k=3 ^2 {x} #1 & ~ η"#
        let figure = Figure(name: "awk'ward name", title: awkward, kind: .bars(BarChart(
            categories: [awkward, "b_c"], groups: [BarGroup(label: awkward, values: [1, 2])], yLabel: awkward)))
        let rendered = try Plotter().render(figure, into: folder, formats: [.png, .svg, .tex])

        let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
        XCTAssertTrue(svg.contains(#"run_2 \ 50% @k=3 ^2 {x} #1 &amp; ~ η"#), "the title is drawn as written")
        let tex = try String(contentsOf: try XCTUnwrap(rendered.outputs[.tex]), encoding: .utf8)
        XCTAssertTrue(tex.contains(##"run\_2 \textbackslash{} 50\% @k=3 \textasciicircum{}2 \{x\} \#1 \& \textasciitilde{}"##),
                      "LaTeX gets the text escaped")
    }

    func testCallerTextIsEscapedInEveryPlace() throws {
        let awkward = #"it's "x_1" \ 5% {y} #2"#
        let line = FigureKind.lines(LinePlot(
            xLabel: awkward, yLabel: awkward,
            series: [Series(label: awkward, x: [1, 2], y: [1, 2], band: Band(low: [0, 1], high: [2, 3]))],
            verticalMarkers: [Marker(x: 1.5, label: awkward)]))
        let figures = [
            Figure(name: "p1", title: awkward, kind: line),
            Figure(name: "p2", title: awkward, kind: .histogram(Histogram(
                series: [HistogramSeries(label: awkward, values: [1, 2, 2])], xLabel: awkward, yLabel: awkward))),
            Figure(name: "p3", title: awkward, kind: .heatmap(Heatmap(
                values: [[1]], rowLabels: [awkward], columnLabels: [awkward], xLabel: awkward, yLabel: awkward,
                colorBarLabel: awkward))),
            Figure(name: "p4", title: awkward, kind: .imageGrid(ImageGrid(
                images: [[0, 1, 1, 0]], imageRows: 2, imageColumns: 2, captions: [awkward], columns: 1))),
        ]
        let rendered = try Plotter().render(Figure(name: "everywhere", title: awkward, kind: .panels(figures, columns: 2)),
                                            into: folder, formats: [.svg, .tex])
        let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
        // 1 overall title; per panel: lines 5, histogram 3 (one series: no key), heatmap 6, image grid 2.
        XCTAssertEqual(svg.components(separatedBy: awkward).count - 1, 17,
                       "every title, axis label, key entry, tic label, marker and caption drawn as written")
    }

    func testHeatmapCellsAreLabelledWithTheirValues() throws {
        let figure = Figure(name: "small", title: "2 classes", kind: .heatmap(Heatmap(
            values: [[12, 0.5], [3, .nan]], rowLabels: ["cat", "dog"], columnLabels: ["cat", "dog"],
            xLabel: "predicted", yLabel: "true")))
        let rendered = try Plotter().render(figure, into: folder, formats: [.svg])
        let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
        for text in [">12<", ">0.5<", ">3<", ">cat<", ">dog<"] {
            XCTAssertTrue(svg.contains(text), "the svg shows \(text)")
        }
        XCTAssertFalse(svg.contains(">NaN<"), "a missing cell stays empty")
    }

    /// Cells that lie close together get the decimals that tell them apart.
    func testCloseCellsPrintEnoughDecimalsToDiffer() throws {
        let figure = Figure(name: "close", title: "Best validation accuracy", kind: .heatmap(Heatmap(
            values: [[0.962, 0.958], [0.9612, 0.93]], xLabel: "lambda", yLabel: "eta")))
        let rendered = try Plotter().render(figure, into: folder, formats: [.svg])
        let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
        for text in [">0.962<", ">0.958<", ">0.961<", ">0.930<"] {
            XCTAssertTrue(svg.contains(text), "the svg shows \(text)")
        }
    }

    /// The gaps between cells decide the decimals, not the overall spread: cells from 0.275 to
    /// 0.925 with 0.924 and 0.921 among them print three decimals, so no two cells look alike.
    func testDecimalsFollowTheSmallestGapBetweenCells() throws {
        let figure = Figure(name: "gaps", title: "Best validation accuracy", kind: .heatmap(Heatmap(
            values: [[0.275, 0.924], [0.921, 0.925]], xLabel: "lambda", yLabel: "eta", annotate: true)))
        let rendered = try Plotter().render(figure, into: folder, formats: [.svg])
        let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
        for text in [">0.275<", ">0.924<", ">0.921<", ">0.925<"] {
            XCTAssertTrue(svg.contains(text), "the svg shows \(text)")
        }
    }

    /// Panels of the same quantity share one y range (bands included, 5% to spare); a panel of
    /// another quantity, or one with its own range, keeps its own.
    func testPanelsOfOneQuantityShareTheirYRange() throws {
        func panel(_ name: String, _ y: [Double], label: String = "accuracy", range: ClosedRange<Double>? = nil) -> Figure {
            Figure(name: name, title: name, kind: .lines(LinePlot(xLabel: "epoch", yLabel: label,
                series: [Series(label: name, x: [1, 2], y: y, band: Band(low: y.map { $0 - 0.1 }, high: y))], yRange: range)))
        }
        let shared = LinePlot.sharingYRanges([panel("a", [0.5, 0.9]), panel("b", [0.7, 1.1]), panel("eta", [0.1, 0.05], label: "eta"),
                                              panel("fixed", [0.2, 0.3], range: 0...1)])
        let ranges = shared.map { figure -> ClosedRange<Double>? in
            if case .lines(let plot) = figure.kind { return plot.yRange }
            return nil
        }
        // 0.4 (the band's low edge) to 1.1, 5% of 0.7 to spare each side, rounded outwards to 0.001.
        let low = 0.365, high = 1.135
        XCTAssertEqual(ranges[0]!.lowerBound, low, accuracy: 1e-9)
        XCTAssertEqual(ranges[0]!.upperBound, high, accuracy: 1e-9)
        XCTAssertEqual(ranges[1], ranges[0])
        XCTAssertNil(ranges[2], "a quantity drawn once keeps gnuplot's own range")
        XCTAssertEqual(ranges[3], 0...1, "a range the panel asked for is kept")
    }

    func testSingleRowsAndTinyImagesAreDrawn() throws {
        let strip = Figure(name: "strip", title: "Accuracy per learning rate", kind: .heatmap(Heatmap(
            values: [[0.9, 0.95, 0.7]], columnLabels: ["0.1", "0.01", "0.001"], xLabel: "learning rate", yLabel: "")))
        let pixel = Figure(name: "pixel", title: "One pixel", kind: .imageGrid(ImageGrid(
            images: [[0.5]], imageRows: 1, imageColumns: 1, columns: 1)))
        // gnuplot's svg draws each filled cell as a <polygon> of its colour.
        for (figure, colour) in [(strip, "rgb(  8,  48, 107)"), (pixel, "rgb(  0,   0,   0)")] {
            let rendered = try Plotter().render(figure, into: folder, formats: [.svg])
            let svg = try String(contentsOf: try XCTUnwrap(rendered.outputs[.svg]), encoding: .utf8)
            XCTAssertTrue(svg.contains("<polygon fill = '\(colour)'"), "\(figure.name) draws its cells")
        }
        XCTAssertTrue(try String(contentsOf: file("strip.svg"), encoding: .utf8).contains(">0.95<"))
    }

    func testSignedHeatmapsCentreTheirColoursOnZero() throws {
        let figure = Figure(name: "signed", title: "Weight differences", kind: .heatmap(Heatmap(
            values: [[-2, 0.5], [1, 0]], xLabel: "input", yLabel: "unit", annotate: false)))
        let rendered = try Plotter().render(figure, into: folder, formats: [.png])
        let script = try String(contentsOf: rendered.script, encoding: .utf8)
        XCTAssertTrue(script.contains("set cbrange [-2:2]"))
        XCTAssertTrue(script.contains("blue below 0, red above"))
        XCTAssertFalse(script.contains("with labels"), "annotate: false prints no values")
    }
}
