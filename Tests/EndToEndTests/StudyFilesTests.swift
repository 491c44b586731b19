import Foundation
import XCTest

/// Every study a file in experiments/Studies declares is one `experiments list` knows: the
/// build plugin (Plugins/StudyCatalog) registers it, with no list to edit by hand.
final class StudyFilesTests: XCTestCase {
    func testEveryDeclaredStudyIsListed() throws {
        let folder = CLI.packageRoot.appendingPathComponent("experiments/Studies")
        let declared = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            .flatMap { file -> [String] in
                let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                // `= Study(` then the name as the first argument, on the same or the next line.
                let regex = try NSRegularExpression(pattern: #"=\s*Study\(\s*"([a-z0-9-]+)""#)
                return regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map {
                    String(source[Range($0.range(at: 1), in: source)!])
                }
            }
        XCTAssertGreaterThanOrEqual(declared.count, 13)
        let list = try CLI.run(["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let listed = Set(list.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") })
        for name in declared { XCTAssertTrue(listed.contains(name), "\(name) is declared in experiments/Studies but `experiments list` does not show it") }
        let unknown = try CLI.run(["run", "optimizer-study"])
        assertOneLineFailure(unknown, mentioning: "a study file in experiments/Studies registers its study by a top-level")
    }

    /// A parameter's `--set` key is its variable's name in snake_case (`let slowStartLr =
    /// context.parameter("slow_start_lr", ...)`): one name for the reader of the study file and
    /// the user of the command line.
    func testEveryParameterIsNamedAfterItsKey() throws {
        let folder = CLI.packageRoot.appendingPathComponent("experiments/Studies")
        let regex = try NSRegularExpression(pattern: #"(\w+)\s*=\s*context\.parameter\(\s*"([a-z0-9_]+)""#)
        var checked = 0, mismatches: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in regex.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let name = String(source[Range(match.range(at: 1), in: source)!]), key = String(source[Range(match.range(at: 2), in: source)!])
                checked += 1
                let snake = name.reduce(into: "") { out, c in out += c.isUppercase ? "_" + c.lowercased() : String(c) }
                if snake != key { mismatches.append("\(file): \(name) reads the parameter '\(key)'") }
            }
        }
        XCTAssertGreaterThan(checked, 60, "the scan finds the studies' parameters")
        XCTAssertEqual(mismatches, [], mismatches.joined(separator: "\n"))
    }

    /// A study declared in a way the plugin cannot read, or a second study of the same name,
    /// stops the build with one compiler-style line naming the file and line (it would
    /// otherwise be left out of the catalog, or shadow the first).
    func testTheCatalogGeneratorRefusesWhatItCannotRegister() throws {
        // The build of the plugin's own tool: what registered the studies of this very build.
        let generator = CLI.executable.deletingLastPathComponent().appendingPathComponent("StudyCatalogGenerator-tool")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ text: String) throws -> String {
            let url = folder.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let good = try file("Good.swift", "import Notebook\n\nlet goodStudy = Study(\n    \"good-study\", title: \"t\", summary: \"s\") { _ in }\n")
        let hidden = try file("Hidden.swift", "import Notebook\n\npublic let hiddenStudy = Study(\"hidden-study\", title: \"t\", summary: \"s\") { _ in }\n")
        let twice = try file("Twice.swift", "import Notebook\nlet againStudy = Study(\"good-study\", title: \"t\", summary: \"s\") { _ in }\n")
        let output = folder.appendingPathComponent("Catalog+Studies.swift").path

        let fine = try CLI.runProgram([generator.path, output, good])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertTrue(try String(contentsOfFile: output, encoding: .utf8).contains("static let studies: [Study] = [goodStudy]"))
        for (files, expected) in [([hidden], "\(hidden):3: error: a study is registered from a top-level"),
                                  ([good, twice], "\(twice):2: error: a second study named 'good-study' (the first: \(good):3)")] {
            let refused = try CLI.runProgram([generator.path, output] + files)
            XCTAssertEqual(refused.status, 1)
            XCTAssertEqual(refused.stderrLines.count, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.hasPrefix(expected), refused.stderr)
        }
    }
}
