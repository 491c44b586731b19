import Foundation
import RunStore
import XCTest

/// A run file must be readable without this project.
final class ExternalToolTests: RunStoreTestCase {
    func testH5dumpReadsTheAttributes() throws {
        guard let h5dump = executableOnPath("h5dump") else {
            throw XCTSkip("h5dump is not on PATH")
        }
        let run = try writeRun("r.h5") { try $0.setAttribute("note", .string("Grüße")) }

        let process = Process()
        process.executableURL = h5dump
        process.arguments = ["-A", run.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains(#"ATTRIBUTE "schema""#), text)
        XCTAssertTrue(text.contains(#""experiments-run""#), text)
        XCTAssertTrue(text.contains("H5T_CSET_UTF8"), text)
        XCTAssertTrue(text.contains("H5T_STD_I64LE"), text)
        XCTAssertTrue(text.contains(#"DATASET "loss""#), text)
        XCTAssertTrue(text.contains(#""mean training loss""#), text)
    }

    private func executableOnPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
