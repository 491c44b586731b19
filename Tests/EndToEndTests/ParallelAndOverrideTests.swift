import Foundation
import RunStore
import XCTest

/// `--jobs`, `--shard` and `--set` through the real executable on real digits.
final class ParallelAndOverrideTests: XCTestCase {
    func runs(_ results: URL, _ study: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: results.appendingPathComponent("\(study)/runs").path)
            .filter { $0.hasSuffix(".h5") }.sorted()
    }

    func testTwoJobsGiveTheSameBitsAsOne() throws {
        let one = try CLI.temporaryFolder("jobs1"), two = try CLI.temporaryFolder("jobs2")
        let arguments = ["run", "cost-study", "--quick", "--format", "svg"]
        let first = try CLI.run(arguments + ["--results", one.path, "--jobs", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CLI.run(arguments + ["--results", two.path, "--jobs", "2"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("2 at a time"), second.stdout)
        let names = try runs(one, "cost-study")
        XCTAssertEqual(names.count, 9)
        XCTAssertEqual(try runs(two, "cost-study"), names)
        for name in names {
            try assertSameDatasets(try RunFile(url: one.appendingPathComponent("cost-study/runs/\(name)")),
                                   try RunFile(url: two.appendingPathComponent("cost-study/runs/\(name)")), name)
        }
    }

    /// Three shards started at once on one results folder, as a job array would: every run
    /// is computed exactly once, no shard writes a half report, and `report` assembles them.
    func testShardsComputeEveryRunExactlyOnceAndReportAssemblesThem() throws {
        let results = try CLI.temporaryFolder("shards")
        let outputs = try DispatchQueue.concurrentPerform(count: 3) { index in
            try CLI.run(["run", "knn-baseline", "--quick", "--results", results.path, "--shard", "\(index + 1)/3"])
        }
        var stored: [String] = []
        for output in outputs {
            XCTAssertEqual(output.status, 0, output.stderr)
            if let hint = output.stdout.split(separator: "\n").first(where: { $0.contains("write the report with:") }) {
                XCTAssertTrue(hint.hasSuffix("write the report with: swift run experiments report knn-baseline --quick --results \(results.path)"), String(hint))
            }
            stored += output.stdout.split(separator: "\n").filter { $0.contains(" stored   ") }
                .map { String($0.split(separator: " ")[2]) }
        }
        XCTAssertEqual(stored.count, 8, "\(stored)")
        XCTAssertEqual(Set(stored).count, 8, "no run computed twice: \(stored.sorted())")
        XCTAssertEqual(try runs(results, "knn-baseline").count, 8)

        let report = try CLI.run(["report", "knn-baseline", "--quick", "--results", results.path, "--format", "svg"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("knn-baseline/quick/report.html").path))
    }

    func testASetOverrideIsPartOfTheConfigAndItsOwnCacheEntry() throws {
        let results = try CLI.temporaryFolder("set")
        let arguments = ["run", "cost-study", "--quick", "--results", results.path, "--format", "svg"]
        let plain = try CLI.run(arguments)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let overridden = try CLI.run(arguments + ["--set", "epochs=2"])
        XCTAssertEqual(overridden.status, 0, overridden.stderr)
        // The one-neuron run does not depend on epochs: reused; the eight trainings are new.
        XCTAssertTrue(overridden.stdout.hasPrefix("cost-study: 9 run(s), 1 stored, 8 to compute"), overridden.stdout)
        let again = try CLI.run(arguments + ["--set", "epochs=2"])
        XCTAssertTrue(again.stdout.hasPrefix("cost-study: 9 run(s), 9 stored, 0 to compute"), again.stdout)

        let files = try runs(results, "cost-study").filter { $0.hasPrefix("mlp30-softmax-") }
            .map { try RunFile(url: results.appendingPathComponent("cost-study/runs/\($0)")) }
        XCTAssertEqual(files.count, 2)
        let file = try XCTUnwrap(files.first { $0.string("config")!.contains(#""epochs":2"#) })
        XCTAssertEqual(try file.metric("epoch"), [1, 2])
        XCTAssertEqual(file.string("reproduce"), "swift run experiments run cost-study --quick --set epochs=2 --results \(results.path) --format svg")
        XCTAssertEqual(try runs(results, "cost-study").count, 17, "both configs' runs are kept")
    }
}

extension DispatchQueue {
    /// concurrentPerform that collects results in index order and rethrows the first error.
    static func concurrentPerform<T>(count: Int, _ body: (Int) throws -> T) throws -> [T] {
        var results = [Result<T, Error>?](repeating: nil, count: count)
        let lock = NSLock()
        concurrentPerform(iterations: count) { index in
            let result = Result { try body(index) }
            lock.withLock { results[index] = result }
        }
        return try results.map { try $0!.get() }
    }
}
