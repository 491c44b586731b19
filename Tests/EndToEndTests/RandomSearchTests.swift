import Foundation
import RunStore
import XCTest

/// `experiments run random-search --quick` on real digits.
final class RandomSearchTests: XCTestCase {
    func testQuickProfileRunsBothStagesAndTheGridWithinTheirRanges() throws {
        let runs = try CLI.runQuick("random-search", figures: ["accuracy-vs-lr", "trials"])
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }
        XCTAssertEqual(names.filter { $0.hasPrefix("coarse-") }.count, 6)
        XCTAssertEqual(names.filter { $0.hasPrefix("fine-") }.count, 4)
        XCTAssertEqual(names.filter { $0.hasPrefix("grid-") }.count, 4, "a 2 x 2 grid")
        for name in names where name.hasPrefix("fine-") {
            let config = try XCTUnwrap(try RunFile(url: runs.appendingPathComponent(name)).string("config"))
            let rate = try XCTUnwrap(config.range(of: #""learning_rate":([0-9.e-]+)"#, options: .regularExpression)
                .map { Double(config[$0].dropFirst(#""learning_rate":"#.count))! })
            XCTAssertTrue((0.1...1).contains(rate), "fine-stage learning rate \(rate) within 10^U(-1, 0)")
        }
        try? FileManager.default.removeItem(at: runs.deletingLastPathComponent().deletingLastPathComponent())
    }
}
