import Foundation
import RunStore
import XCTest

/// `experiments submit`: the scripts it writes, and a real Slurm running them. The Slurm
/// test needs a running cluster: `.ci/run` starts a one-node Slurm on this machine
/// (`scripts/local-slurm.sh start`) and sets EXPERIMENTS_SLURM_TEST=1.
final class SlurmTests: XCTestCase {
    /// cost-study at a size where each training run takes a few seconds, so that a cancel
    /// lands in the middle of one; a checkpoint after every epoch.
    static let study = ["cost-study", "--quick", "--set", "train=4000", "--set", "test=1000", "--set", "epochs=20", "--format", "svg"]

    func testDryRunWritesAReadableArrayScriptAndAReportScript() throws {
        let results = try CLI.temporaryFolder("submit-dry")
        let result = try CLI.run(["submit"] + Self.study + ["--results", results.path, "--array", "4", "--time", "0:30:00", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let folder = results.appendingPathComponent("cost-study/slurm")
        let run = try String(contentsOf: folder.appendingPathComponent("run.sbatch"), encoding: .utf8)
        let report = try String(contentsOf: folder.appendingPathComponent("report.sbatch"), encoding: .utf8)
        XCTAssertTrue(result.stdout.contains(run) && result.stdout.contains(report), "the scripts are printed as written")
        for line in ["#SBATCH --array=1-4", "#SBATCH --time=0:30:00", "#SBATCH --cpus-per-task=1",
                     #"--shard "${SLURM_ARRAY_TASK_ID}/4""#, "run cost-study --quick", "--set train=4000"] {
            XCTAssertTrue(run.contains(line), "\(line) in\n\(run)")
        }
        XCTAssertTrue(report.contains("report cost-study --quick") && !report.contains("--shard"), report)
        XCTAssertTrue(run.contains(CLI.executable.resolvingSymlinksInPath().path), "tasks run this very build")
        try? FileManager.default.removeItem(at: results)
    }

    func testWithoutSbatchSubmitSaysSoInOneLine() throws {
        let results = try CLI.temporaryFolder("submit-nosbatch")
        let result = try CLI.run(["submit", "knn-baseline", "--quick", "--results", results.path, "--array", "2"],
                                 environment: ["PATH": results.path])
        assertOneLineFailure(result, mentioning: "sbatch is not on PATH")
        assertOneLineFailure(try CLI.run(["submit", "knn-baseline", "--array", "0", "--dry-run"]), mentioning: "--array must be at least 1")
        try? FileManager.default.removeItem(at: results)
    }

    /// The issue's end-to-end check on a real Slurm: a 4-task array whose tasks are cancelled
    /// mid-run, then submitted again; every run exists once, equals the runs of `run --jobs 1`
    /// bit for bit, and the dependent job wrote the report.
    func testAFourTaskArrayCancelledMidRunAndResubmittedEqualsALocalRun() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["EXPERIMENTS_SLURM_TEST"] == "1",
                          "needs a running Slurm: scripts/local-slurm.sh start, then EXPERIMENTS_SLURM_TEST=1")
        let local = try CLI.temporaryFolder("slurm-local"), shared = try CLI.temporaryFolder("slurm-shared")
        let reference = try CLI.run(["run"] + Self.study + ["--results", local.path, "--jobs", "1", "--quiet"])
        XCTAssertEqual(reference.status, 0, reference.stderr)

        let submit = ["submit"] + Self.study + ["--results", shared.path, "--array", "4", "--checkpoint-interval", "0"]
        let first = try CLI.run(submit)
        XCTAssertEqual(first.status, 0, first.stderr)
        let firstJobs = try jobIDs(first.stdout)
        // Cancel the array as soon as a run is mid-way with a checkpoint: scancel's SIGTERM
        // ends the tasks where they are.
        let runs = shared.appendingPathComponent("cost-study/runs")
        let deadline = Date().addingTimeInterval(300)
        while checkpointedRun(in: runs) == nil, Date() < deadline { usleep(50_000) }
        XCTAssertNotNil(checkpointedRun(in: runs), "no run was caught mid-way with a checkpoint")
        try slurm("scancel", [firstJobs.array])
        try waitUntilGone(firstJobs.all)
        let interrupted = try XCTUnwrap(checkpointedRun(in: runs), "the cancelled task left no resumable run")

        let second = try CLI.run(submit)
        XCTAssertEqual(second.status, 0, second.stderr)
        let secondJobs = try jobIDs(second.stdout)
        try waitUntilGone(secondJobs.all)

        // Every run exactly once, no half-written file, each equal to the local run's bits.
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasPrefix(".") }.sorted()
        let referenceNames = try FileManager.default.contentsOfDirectory(atPath: local.appendingPathComponent("cost-study/runs").path)
            .filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertEqual(names, referenceNames)
        XCTAssertEqual(names.count, 9)
        for name in names {
            try assertSameDatasets(try RunFile(url: local.appendingPathComponent("cost-study/runs/\(name)")),
                                   try RunFile(url: runs.appendingPathComponent(name)), name)
        }
        let resumed = try RunFile(url: interrupted)
        XCTAssertEqual(resumed.status, .complete)
        XCTAssertGreaterThanOrEqual(resumed.int("resumptions") ?? 0, 1)
        // The report came from the dependent job (the array tasks leave it to that job).
        let reportLog = shared.appendingPathComponent("cost-study/slurm/logs/cost-study-report-\(secondJobs.report).out")
        let log = try String(contentsOf: reportLog, encoding: .utf8)
        XCTAssertTrue(log.contains("report:"), log)
        XCTAssertEqual(CLI.reports(in: shared.appendingPathComponent("cost-study")).count, 1)
        XCTAssertFalse(FileManager.default.fileExists(
            atPath: shared.appendingPathComponent("cost-study/slurm/logs/cost-study-report-\(firstJobs.report).out").path),
                       "the first report job never ran: its array failed")
        try? FileManager.default.removeItem(at: local)
        try? FileManager.default.removeItem(at: shared)
    }

    /// "submitted cost-study: array job 12 (4 tasks), report job 13 after it".
    private func jobIDs(_ stdout: String) throws -> (array: String, report: String, all: [String]) {
        let array = try XCTUnwrap(stdout.range(of: #"array job [0-9]+"#, options: .regularExpression).map { String(stdout[$0].dropFirst(10)) }, stdout)
        let report = try XCTUnwrap(stdout.range(of: #"report job [0-9]+"#, options: .regularExpression).map { String(stdout[$0].dropFirst(11)) }, stdout)
        return (array, report, [array, report])
    }

    /// Waits until squeue no longer lists the jobs (finished, failed or cancelled).
    private func waitUntilGone(_ jobs: [String], timeout: TimeInterval = 600) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let listed = try slurm("squeue", ["-h", "-o", "%i %T", "-j", jobs.joined(separator: ",")])
            if listed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            usleep(500_000)
        }
        XCTFail("jobs \(jobs) still queued after \(Int(timeout)) s")
    }

    @discardableResult
    private func slurm(_ command: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
