import Foundation
import Plotting
import XCTest

final class DataFileTests: PlottingTestCase {
    func testLinePlotValuesReadBackExactly() throws {
        let x = [0.1, 1e-7, 3, 123456.789, -0.5, .pi, 7, 8]
        let y = [1.0 / 3, -2.5e300, 0, .nan, .infinity, 42, -.infinity, .leastNonzeroMagnitude]
        let band = Band(low: y.map { $0 - 1 }, high: y.map { $0 + 1 })
        let figure = Figure(name: "round-trip", title: "Round trip", kind: .lines(LinePlot(
            xLabel: "x", yLabel: "y",
            series: [Series(label: "first", x: x, y: y), Series(label: "with band", x: x, y: y, band: band)])))
        let rendered = try Plotter().render(figure, into: folder, formats: [.png])

        let blocks = try parseBlocks(rendered.data)
        XCTAssertEqual(blocks.map(\.label), ["first", "with band"])
        XCTAssertEqual(blocks[0].rows.map { $0[0] }, x)
        XCTAssertEqual(blocks[1].rows.map { $0[2] }.map(\.bitPattern), band.low.map(finiteOrNaN).map(\.bitPattern))
        for block in blocks {
            XCTAssertEqual(block.rows.map { $0[1] }.map(\.bitPattern), y.map(finiteOrNaN).map(\.bitPattern),
                           "y of \(block.label): finite values exact, the rest NaN")
        }
        let text = try String(contentsOf: rendered.data, encoding: .utf8)
        XCTAssertFalse(text.lowercased().contains("inf"), "infinities are written as missing values")
    }

    /// Epochs and layer numbers get whole-number tics; real-valued x keeps gnuplot's own.
    func testWholeNumberXGetsWholeNumberTics() throws {
        func script(_ x: [Double]) throws -> String {
            let figure = Figure(name: "tics", title: "Tics", kind: .lines(LinePlot(
                xLabel: "epoch", yLabel: "y", series: [Series(label: "a", x: x, y: x.map { $0 * 2 })])))
            return try String(contentsOf: try Plotter().render(figure, into: folder, formats: [.svg]).script, encoding: .utf8)
        }
        XCTAssertTrue(try script([1, 2]).contains("set xtics 1\n"))
        XCTAssertTrue(try script(Array(1...30).map(Double.init)).contains("set xtics 5\n"))
        XCTAssertFalse(try script([0.5, 1, 1.5]).contains("set xtics"))
    }

    func testHistogramCountsEveryFiniteValueOnce() throws {
        let rendered = try Plotter().render(Samples.histogram, into: folder, formats: [.png])
        guard case .histogram(let histogram) = Samples.histogram.kind else { return XCTFail("not a histogram") }

        let blocks = try parseBlocks(rendered.data)
        XCTAssertEqual(blocks.count, histogram.series.count)
        for (block, series) in zip(blocks, histogram.series) {
            XCTAssertEqual(block.rows.count, histogram.bins)
            XCTAssertEqual(block.rows.map { $0[1] }.reduce(0, +), Double(series.values.filter(\.isFinite).count), block.label)
        }
    }

    func testHistogramBinEdges() throws {
        let figure = Figure(name: "edges", title: "Edges", kind: .histogram(Histogram(
            series: [HistogramSeries(label: "v", values: [0, 0.25, 0.2499, 1, 1.0001, -0.1, .nan])],
            bins: 4, range: 0...1, xLabel: "v")))
        let rendered = try Plotter().render(figure, into: folder, formats: [.png])

        let rows = try parseBlocks(rendered.data)[0].rows
        XCTAssertEqual(rows.map { $0[0] }, [0.125, 0.375, 0.625, 0.875], "bin centres")
        XCTAssertEqual(rows.map { $0[1] }, [2, 1, 0, 1], "the upper edge falls in the last bin, values outside are left out")
    }

    func testImageGridIsOneMosaicWithGaps() throws {
        let images: [[Float]] = (0..<5).map { image in (0..<12).map { Float(image * 12 + $0) } }
        let figure = Figure(name: "mosaic", title: "Mosaic", kind: .imageGrid(ImageGrid(
            images: images, imageRows: 3, imageColumns: 4, columns: 3)))
        let rendered = try Plotter().render(figure, into: folder, formats: [.png])

        let blocks = try parseBlocks(rendered.data)
        XCTAssertEqual(blocks.count, 1)
        let mosaic = blocks[0].rows
        XCTAssertEqual(Set(mosaic.map(\.count)).count, 1, "a rectangular matrix")
        let drawn = mosaic.joined().filter { !$0.isNaN }
        XCTAssertEqual(drawn.sorted(), images.joined().map(Double.init), "every pixel once, NaN elsewhere")
        XCTAssertEqual(Array(mosaic[0].prefix(4)), [0, 1, 2, 3], "image 0 starts at the top left")
        XCTAssertTrue(mosaic[0][4].isNaN, "a gap between images")
    }

    private func finiteOrNaN(_ value: Double) -> Double {
        value.isFinite ? value : .nan
    }

    /// The `index` blocks of a data file: label from `# series:`, rows of numbers.
    private func parseBlocks(_ url: URL) throws -> [(label: String, rows: [[Double]])] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.components(separatedBy: "\n\n\n").map { block in
            let lines = block.split(separator: "\n")
            let label = try XCTUnwrap(lines.first { $0.hasPrefix("# series: ") }).dropFirst("# series: ".count)
            let rows = try lines.filter { !$0.hasPrefix("#") }.map { line in
                try line.split(separator: " ").map { try XCTUnwrap(Double(String($0)), "not a number: \($0)") }
            }
            return (String(label), rows)
        }
    }
}
