import Foundation
import Plotting
import XCTest

/// `--format tex` figures in a real LaTeX document, compiled by pdflatex, the three lines
/// docs/WRITING_STUDIES.md shows (\usepackage{graphicx}, \usepackage{color}, \input).
final class LaTeXTests: PlottingTestCase {
    func testTeXFiguresCompileInALaTeXDocument() throws {
        let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipIf(pdflatex == nil, "pdflatex is not installed: scripts/setup.sh --with-latex installs it (CI does)")
        // Text that LaTeX must see escaped: quotes, underscores, percent, braces, a Greek letter.
        let awkward = Figure(name: "awkward", title: #"Joe's "best" run_2: 50% of {x} & η"#, kind: .bars(BarChart(
            categories: ["a_b", "c%d"], groups: [BarGroup(label: "run_1 & #2", values: [1, 2])], yLabel: "share (%)")))
        var inputs: [String] = []
        for figure in [Samples.lines, Samples.heatmap, awkward] {
            let rendered = try Plotter().render(figure, into: folder, formats: [.tex])
            inputs.append(try XCTUnwrap(rendered.outputs[.tex]).lastPathComponent)
        }
        let document = """
        \\documentclass{article}
        \\usepackage{graphicx}
        \\usepackage{color}
        \\begin{document}
        \(inputs.map { "\\begin{figure}\\input{\($0)}\\end{figure}" }.joined(separator: "\n"))
        \\end{document}

        """
        try Data(document.utf8).write(to: file("paper.tex"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pdflatex!)
        process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let log = (try? String(contentsOf: file("paper.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, log.split(separator: "\n").filter { $0.hasPrefix("!") }.joined(separator: "\n"))
        XCTAssertEqual(try Data(contentsOf: file("paper.pdf")).prefix(4), Data("%PDF".utf8))
        XCTAssertTrue(log.contains("Output written on paper.pdf"), "pdflatex wrote the document")
    }
}
