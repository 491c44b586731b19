import Foundation
import ConvNet
import RunStore
import XCTest

/// One arithmetic on every instruction-set path: the same command gives the same bits
/// whichever path runs, and as the digests committed in the repository say.
final class ArithmeticTests: XCTestCase {
    /// `experiments verify` trains the check's networks and a k-NN on every path this CPU
    /// runs and compares every dataset with the committed SHA-256 digests (made on another
    /// machine, or on this one with other paths): one "match" line per path, exit 0.
    func testEveryPathOfThisCPUMatchesTheCommittedDigests() throws {
        let result = try CLI.run(["verify"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("baseline: match (") }, result.stdout)
        XCTAssertFalse(lines.contains { $0.contains("differs") }, result.stdout)
    }

    /// init-study's and cost-study's --quick runs on the portable path and on the default
    /// one, each into its own folder: every dataset bit for bit (timings aside), every run
    /// recording its path; and `verify --study` finds the default's runs equal to a recomputation.
    func testThePortablePathAndTheDefaultStoreTheSameDatasets() throws {
        for study in ["init-study", "cost-study"] {
            var digests: [String: [String: String]] = [:]
            for path in ["baseline", "default"] {
                let results = try CLI.temporaryFolder("isa-\(study)-\(path)")
                var environment = ProcessInfo.processInfo.environment
                environment["EXPERIMENTS_ISA"] = path == "default" ? nil : path
                let run = try CLI.run(["run", study, "--quick", "--results", results.path, "--format", "svg"], environment: environment)
                XCTAssertEqual(run.status, 0, run.stderr)
                let runs = results.appendingPathComponent("\(study)/runs")
                var all: [String: String] = [:]
                for file in try FileManager.default.contentsOfDirectory(atPath: runs.path) where file.hasSuffix(".h5") {
                    let url = runs.appendingPathComponent(file)
                    let isa = try XCTUnwrap(RunFile(url: url).string("isa"))
                    XCTAssertEqual(isa, path == "baseline" ? "baseline" : KernelPath.supported[0].rawValue, "\(file) ran on \(isa)")
                    for (name, digest) in try digestsOfDatasets(url) { all["\(file)/\(name)"] = digest }
                }
                digests[path] = all
                if path == "default" {
                    let verify = try CLI.run(["verify", "--study", study, "--results", results.path])
                    XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
                    XCTAssertFalse(verify.stdout.contains("differs"), verify.stdout)
                }
            }
            XCTAssertFalse(try XCTUnwrap(digests["default"]).isEmpty, study)
            XCTAssertEqual(digests["baseline"], digests["default"], study)
        }
    }

    /// A value that names no path: one line before any work, non-zero exit.
    func testAnUnknownPathIsOneClearLine() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["EXPERIMENTS_ISA"] = "sse9"
        let result = try CLI.run(["run", "knn-baseline", "--quick", "--results", try CLI.temporaryFolder("isa-bad").path],
                                 environment: environment)
        assertOneLineFailure(result, mentioning: "EXPERIMENTS_ISA=sse9: not a path (paths: baseline, avx2, avx512)")
    }

    /// Every dataset's bytes (metrics, tensors, data; not timings) by group and name.
    private func digestsOfDatasets(_ url: URL) throws -> [String: String] {
        let file = try RunFile(url: url)
        var digests: [String: String] = [:]
        for name in file.metricNames { digests["metrics/\(name)"] = "\(try file.metric(name).map(\.bitPattern))" }
        for name in file.dataNames { digests["data/\(name)"] = "\(try file.data(name))" }
        for name in file.tensorNames { digests["tensors/\(name)"] = "\(try file.tensor(name))" }
        return digests
    }
}
