import Foundation
import XCTest

/// Every study a file in experiments/Studies declares is one `experiments list` knows: a
/// study file whose study was not added to Catalog.swift fails here, not in a user's hands.
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
        XCTAssertGreaterThanOrEqual(declared.count, 11)
        let list = try CLI.run(["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let listed = Set(list.stdout.split(separator: "\n").map { String($0.split(separator: " ").first ?? "") })
        for name in declared { XCTAssertTrue(listed.contains(name), "\(name) is declared in experiments/Studies but not listed in Catalog.swift") }
        let unknown = try CLI.run(["run", "optimizer-study"])
        assertOneLineFailure(unknown, mentioning: "a new study is listed in experiments/Studies/Catalog.swift")
    }
}
