import Foundation
import XCTest

/// Readable sizes, counted rather than hoped for: no Swift function of the product over 60
/// lines, except a study's declarative sections (`@StudyBuilder` functions), which may run to
/// 150 like a study's body closure.
final class CodeSizeTests: XCTestCase {
    static let functionLimit = 60, sectionLimit = 150

    func testNoFunctionOrStudySectionIsTooLong() throws {
        var tooLong: [String] = []
        for file in try swiftFiles(under: ["Sources", "experiments", "Plugins", "bench"]) {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            let path = file.path.replacingOccurrences(of: CLI.packageRoot.path + "/", with: "")
            for block in blocks(in: lines) {
                let limit = block.isSection ? Self.sectionLimit : Self.functionLimit
                if block.length > limit {
                    tooLong.append("\(path):\(block.start): \(block.name) has \(block.length) lines (at most \(limit))")
                }
            }
        }
        XCTAssertEqual(tooLong, [], tooLong.joined(separator: "\n"))
    }

    /// The scanner itself: it must find a long function and a study body, or the test above
    /// could pass by finding nothing.
    func testTheScannerMeasuresFunctionsAndStudyBodies() {
        let source = ["func short() {", "  let a = \"{\"", "}",
                      "let s = Study(\"x\", title: \"t\", summary: \"s\") { context in", "  Text(\"\"\"", "  }", "  \"\"\")", "}"]
        let found = blocks(in: source)
        XCTAssertEqual(found.map(\.name), ["short", "the body of study x"])
        XCTAssertEqual(found.map(\.length), [3, 5])
        XCTAssertEqual(found.map(\.isSection), [false, true])
    }

    private func swiftFiles(under folders: [String]) throws -> [URL] {
        try folders.flatMap { folder -> [URL] in
            let root = CLI.packageRoot.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
            return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        }
    }

    struct Block {
        let name: String, start: Int, length: Int, isSection: Bool
    }

    /// Every function, initialiser and study body with its length in lines, found by counting
    /// braces outside string literals and comments.
    func blocks(in lines: [String]) -> [Block] {
        var found: [Block] = [], open: [(name: String, start: Int, depth: Int, isSection: Bool)] = []
        var depth = 0, inMultilineString = false, study: String?
        for (index, raw) in lines.enumerated() {
            if raw.contains("Study(") { study = "" }
            if study == "", let name = raw.range(of: #""[a-z0-9-]+""#, options: .regularExpression) {
                study = raw[name].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard let code = codeOnly(raw, inMultilineString: &inMultilineString) else { continue }
            if let name = functionName(code), code.contains("{") {
                open.append((name, index + 1, depth, index > 0 && lines[index - 1].contains("@StudyBuilder")))
            } else if let name = study, code.contains("{ context in") {
                open.append(("the body of study \(name)", index + 1, depth, true))
                study = nil
            }
            depth += code.filter { $0 == "{" }.count - code.filter { $0 == "}" }.count
            while let last = open.last, depth <= last.depth {
                open.removeLast()
                found.append(Block(name: last.name, start: last.start, length: index + 2 - last.start, isSection: last.isSection))
            }
        }
        return found
    }

    /// A line without its string literals and comment; nil inside a multi-line string.
    private func codeOnly(_ line: String, inMultilineString: inout Bool) -> String? {
        var text = line
        if inMultilineString {
            guard let end = text.range(of: "\"\"\"") else { return nil }
            inMultilineString = false
            text = String(text[end.upperBound...])
        }
        if text.components(separatedBy: "\"\"\"").count % 2 == 0 {
            inMultilineString = true
            text = text.components(separatedBy: "\"\"\"")[0]
        }
        text = text.replacingOccurrences(of: #""(\\.|[^"\\])*""#, with: "\"\"", options: .regularExpression)
        return text.components(separatedBy: "//")[0]
    }

    private func functionName(_ code: String) -> String? {
        if let match = code.range(of: #"\bfunc\s+\w+"#, options: .regularExpression) {
            return String(code[match].split(separator: " ").last!)
        }
        return code.range(of: #"\binit\s*[(<?]"#, options: .regularExpression) != nil ? "init" : nil
    }
}
