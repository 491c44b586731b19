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
}
