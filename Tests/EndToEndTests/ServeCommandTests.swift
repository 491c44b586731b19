import Foundation
import XCTest

/// `experiments serve` as a user starts it: where it says it listens, and every bad input
/// as one line and a non-zero exit.
final class ServeCommandTests: XCTestCase {
    func testServeSaysWhereItListensAndAnswers() throws {
        let results = try CLI.temporaryFolder("serve")
        defer { try? FileManager.default.removeItem(at: results) }
        let server = try ServeProcess(["--results", results.path, "--port", "0"])
        defer { server.stop() }
        XCTAssertTrue(server.lines[0].hasPrefix("indexed 0 runs (0 unreadable) under \(results.path)"), server.lines[0])
        let port = try XCTUnwrap(server.port, server.lines.joined(separator: "\n"))
        let answer = try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/api/runs")!, encoding: .utf8)
        XCTAssertTrue(answer.contains(#""total":0"#), answer)

        // A second server on the same port: one line, non-zero exit.
        assertOneLineFailure(try CLI.run(["serve", "--results", results.path, "--port", String(port)]),
                             mentioning: "port \(port) is in use on 127.0.0.1: choose another with --port")
    }

    func testAnotherHostPrintsATokenURL() throws {
        let results = try CLI.temporaryFolder("serve-token")
        defer { try? FileManager.default.removeItem(at: results) }
        let server = try ServeProcess(["--results", results.path, "--port", "0", "--host", "0.0.0.0"])
        defer { server.stop() }
        XCTAssertNotNil(server.lines[1].range(of: #"^serving http://0\.0\.0\.0:\d+/\?token=[0-9a-f]{64} "#, options: .regularExpression),
                        server.lines[1])
    }

    func testBadInputIsOneLine() throws {
        let file = try CLI.temporaryFolder("serve-file").appendingPathComponent("runs.txt")
        try Data("x".utf8).write(to: file)
        assertOneLineFailure(try CLI.run(["serve", "--results", "/nonexistent/results"]),
                             mentioning: "results folder '/nonexistent/results' does not exist")
        assertOneLineFailure(try CLI.run(["serve", "--results", file.path]), mentioning: "is a file, not a folder")
        assertOneLineFailure(try CLI.run(["serve", "--results", "/tmp", "--port", "70000"]), mentioning: "--port must be from 1 to 65535")
        assertOneLineFailure(try CLI.run(["serve", "--results", "/tmp", "--port", "many"]), mentioning: "many")
        assertOneLineFailure(try CLI.run(["serve", "--results", "/tmp", "--host", "no-such-host.invalid", "--port", "0"]),
                             mentioning: "--host 'no-such-host.invalid' is neither an IP address nor a name this machine resolves")
        assertOneLineFailure(try CLI.run(["serve", "--results", "/tmp", "--host", "10.255.255.1", "--port", "0"]),
                             mentioning: "--host 10.255.255.1 is not an address of this machine")
        assertOneLineFailure(try CLI.run(["serve", "--results", "/tmp", "--host", "::zz"]), mentioning: "is not an IPv6 address")
    }
}

/// `experiments serve` running in the background until `stop()`; `lines` are its first two
/// lines (what it indexed, where it listens).
private final class ServeProcess {
    let process = Process()
    private(set) var lines: [String] = []

    init(_ arguments: [String]) throws {
        process.executableURL = CLI.executable
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = CLI.packageRoot
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var buffer = Data()
        while lines.count < 2 {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        while lines.count < 2 { lines.append("") }
    }

    /// The port in "serving http://host:port/...".
    var port: Int? {
        guard let range = lines[1].range(of: #":\d+/"#, options: .regularExpression) else { return nil }
        return Int(lines[1][range].dropFirst().dropLast())
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
