import Foundation
import RunStore
import XCTest

/// Crash safety on a real run: `kill -9` a study while it trains, run the same command
/// again, and every run must end bit-identical to the runs of an uninterrupted study.
final class ResumeTests: XCTestCase {
    /// cost-study's training runs at a size where each takes a second or two, so the kill
    /// lands in the middle of one; checkpoints after every epoch, however short.
    static let arguments = ["run", "cost-study", "--quick", "--set", "train=4000", "--set", "test=1000",
                            "--set", "epochs=8", "--format", "svg", "--checkpoint-interval", "0"]

    func testAKilledRunResumesFromItsCheckpointAndEndsBitIdentical() throws {
        let straight = try CLI.temporaryFolder("straight"), killed = try CLI.temporaryFolder("killed")
        let reference = try CLI.run(Self.arguments + ["--results", straight.path])
        XCTAssertEqual(reference.status, 0, reference.stderr)

        let runs = killed.appendingPathComponent("cost-study/runs")
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = Self.arguments + ["--results", killed.path, "--quiet"]
        process.currentDirectoryURL = CLI.packageRoot
        try process.run()
        // Kill as soon as a run has written a checkpoint and is still running.
        let deadline = Date().addingTimeInterval(120)
        var interrupted: URL?
        while interrupted == nil, process.isRunning, Date() < deadline {
            interrupted = checkpointedRun(in: runs)
            if interrupted == nil { usleep(20_000) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let file = try XCTUnwrap(interrupted, "no run was caught mid-way with a checkpoint")
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        let stopped = try RunFile(url: file)
        XCTAssertEqual(stopped.status, .running)
        let epochsBefore = try stopped.metric("epoch").count
        XCTAssertGreaterThan(epochsBefore, 0)
        XCTAssertLessThan(epochsBefore, 8)

        let again = try CLI.run(Self.arguments + ["--results", killed.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("resuming after epoch \(epochsBefore)/8"), again.stdout)

        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".h5") }.sorted()
        let referenceNames = try FileManager.default.contentsOfDirectory(atPath: straight.appendingPathComponent("cost-study/runs").path)
            .filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertEqual(names, referenceNames)
        for name in names {
            let a = try RunFile(url: straight.appendingPathComponent("cost-study/runs/\(name)"))
            let b = try RunFile(url: runs.appendingPathComponent(name))
            try assertSameDatasets(a, b, name)
        }
        let resumed = try RunFile(url: file)
        XCTAssertEqual(resumed.status, .complete)
        XCTAssertEqual(resumed.int("resumptions"), 1)
        XCTAssertEqual(resumed.checkpointNames, [], "a finished run keeps no checkpoint")
        try? FileManager.default.removeItem(at: straight)
        try? FileManager.default.removeItem(at: killed)
    }
}

/// A run file that holds a checkpoint and is still running, if there is one yet.
func checkpointedRun(in runs: URL) -> URL? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
    for name in names where name.hasSuffix(".h5") {
        let url = runs.appendingPathComponent(name)
        if let file = try? RunFile(url: url), file.status == .running, !file.checkpointNames.isEmpty { return url }
    }
    return nil
}

/// Every metric, tensor and data set of two runs, bit for bit (attributes such as run_id
/// and timings legitimately differ).
func assertSameDatasets(_ a: RunFile, _ b: RunFile, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(a.status, b.status, label, file: file, line: line)
    XCTAssertEqual(a.string("config"), b.string("config"), label, file: file, line: line)
    XCTAssertEqual(a.metricNames, b.metricNames, label, file: file, line: line)
    XCTAssertEqual(a.tensorNames, b.tensorNames, label, file: file, line: line)
    XCTAssertEqual(a.dataNames, b.dataNames, label, file: file, line: line)
    for name in a.metricNames {
        XCTAssertEqual(try a.metric(name).map(\.bitPattern), try b.metric(name).map(\.bitPattern), "\(label) \(name)",
                       file: file, line: line)
    }
    for name in a.tensorNames {
        XCTAssertEqual(try a.tensor(name), try b.tensor(name), "\(label) \(name)", file: file, line: line)
    }
    for name in a.dataNames {
        XCTAssertEqual(try a.data(name), try b.data(name), "\(label) \(name)", file: file, line: line)
    }
}
