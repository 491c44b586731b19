import Foundation
@testable import RunServer
import XCTest

/// The compare page in a real headless Chromium (selenium): both runs' curves drawn and the
/// config diff naming the key that differs. `.ci/run` installs Chromium, chromedriver and
/// selenium (scripts/browser-test-setup.sh) and sets EXPERIMENTS_BROWSER_TEST=1.
final class BrowserTests: XCTestCase {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("browser_check.py")

    func testComparePageDrawsBothRunsAndNamesTheDifferingKey() async throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["EXPERIMENTS_BROWSER_TEST"] == "1",
                          "needs Chromium, chromedriver and selenium: scripts/browser-test-setup.sh, then EXPERIMENTS_BROWSER_TEST=1")
        let fixture = try ServeFixture("browser")
        let he = try fixture.writeRun(step: "cnn-he", config: ["weights": "he", "epochs": 4], accuracy: [0.6, 0.8, 0.85, 0.9])
        let xavier = try fixture.writeRun(step: "cnn-xavier", config: ["weights": "xavier_normal", "epochs": 4],
                                          accuracy: [0.3, 0.5, 0.6, 0.7])
        let index = RunIndex(results: fixture.root)
        index.refresh()
        let server = try await WebServer.start(router: ServeRouter(index: index, policy: AccessPolicy(bindHost: "127.0.0.1")),
                                               host: "127.0.0.1", port: 0)
        let url = "http://127.0.0.1:\(server.port)/compare?ids=\(he),\(xavier)&smooth=0.3"
        let result = try await Task.detached { try Self.runCheck([Self.script.path, url, he, xavier, "--key", "weights"]) }.value
        await server.stop()
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("browser check passed: 2 series drawn, the diff names 'weights'"), result.output)
    }

    /// Runs the selenium script; its one line of verdict (and any Python error) comes back.
    private static func runCheck(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
