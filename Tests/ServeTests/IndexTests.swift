import Foundation
import RunStore
@testable import RunServer
import XCTest

/// The index over real run files: status (running or interrupted), the config diff, queries.
final class IndexTests: XCTestCase {
    func testARunningFileIsRunningOnlyWhileItsLockIsHeld() throws {
        let fixture = try ServeFixture("state")
        let id = try fixture.writeRun(step: "cnn-he", config: ["epochs": 10, "weights": "he"], accuracy: [0.5, 0.6, 0.7],
                                      status: .running)
        let index = RunIndex(results: fixture.root)
        index.refresh()
        XCTAssertEqual(index.snapshot.run(id)?.state, .interrupted(epoch: 3, of: 10), "no process holds its lock")

        // Hold the lock the way the runner does (flock on runs/.locks/<file>.lock).
        let runFile = fixture.url(ofRun: id)
        let locks = runFile.deletingLastPathComponent().appendingPathComponent(".locks")
        try FileManager.default.createDirectory(at: locks, withIntermediateDirectories: true)
        let descriptor = open(locks.appendingPathComponent(runFile.lastPathComponent + ".lock").path, O_RDWR | O_CREAT, 0o644)
        XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0)
        XCTAssertTrue(index.refresh(), "the state change is a change")
        XCTAssertEqual(index.snapshot.run(id)?.state, .running(epoch: 3, of: 10))
        XCTAssertEqual(index.snapshot.run(id)?.state.label, "running, epoch 3 of 10")

        // The server only looked: the runner's own non-blocking lock attempt still works after release.
        flock(descriptor, LOCK_UN)
        close(descriptor)
        index.refresh()
        XCTAssertEqual(index.snapshot.run(id)?.state, .interrupted(epoch: 3, of: 10))
    }

    func testStateFromStatus() {
        XCTAssertEqual(RunState(status: .complete, lockHeld: true, epochsDone: 2, epochsPlanned: 2), .complete)
        XCTAssertEqual(RunState(status: .diverged, lockHeld: false, epochsDone: 2, epochsPlanned: 9), .diverged)
        XCTAssertEqual(RunState(status: .failed, lockHeld: false, epochsDone: 0, epochsPlanned: nil), .failed)
        XCTAssertEqual(RunState(status: .running, lockHeld: false, epochsDone: 4, epochsPlanned: nil).label,
                       "interrupted after epoch 4")
        XCTAssertEqual(RunState(status: .running, lockHeld: true, epochsDone: 0, epochsPlanned: nil).label, "running",
                       "a step without epochs")
        XCTAssertEqual(RunState(status: nil, lockHeld: false, epochsDone: 0, epochsPlanned: nil).kind, "unreadable")
    }

    func testProcLocksParsing() {
        let locks = HeldLocks(procLocks: """
        1: FLOCK  ADVISORY  WRITE 5939 fe:00:5318066 0 EOF
        1: -> FLOCK  ADVISORY  WRITE 6000 fe:00:777 0 EOF
        2: POSIX  ADVISORY  WRITE 4749 fe:00:5326692 1073741824 1073742335
        """)
        XCTAssertEqual(locks.inodes, [5_318_066], "flock holders only: not waiters, not POSIX locks")
    }

    func testConfigDiffNamesOnlyTheKeysThatDiffer() throws {
        XCTAssertEqual(flattenConfig(#"{"optimizer":{"lr":0.1,"method":"sgd"},"seed":1}"#),
                       ["optimizer.lr": "0.1", "optimizer.method": "sgd", "seed": "1"])
        XCTAssertEqual(differingConfigKeys(among: [["a": "1", "b": "2"], ["a": "1", "b": "3"], ["a": "1"]]), ["b"])
        XCTAssertEqual(differingConfigKeys(among: [["a": "1"], ["a": "1", "c": "x"]]), ["c"], "a missing key differs")

        let fixture = try ServeFixture("diff")
        let he = try fixture.writeRun(step: "cnn-he", config: ["weights": "he", "epochs": 2, "lr": 0.1], accuracy: [0.5, 0.9])
        let xavier = try fixture.writeRun(step: "cnn-xavier", config: ["weights": "xavier", "epochs": 2, "lr": 0.1], accuracy: [0.4, 0.8])
        let index = RunIndex(results: fixture.root)
        index.refresh()
        let selection = RunSelection(ids: [he, xavier, "init-study/runs/nothing"], in: index.snapshot)
        XCTAssertEqual(selection.differingKeys, ["weights"])
        XCTAssertEqual(selection.runs.map { selection.label(of: $0) }, ["weights=he", "weights=xavier"])
        XCTAssertEqual(selection.unknown, ["init-study/runs/nothing"])
        XCTAssertEqual(selection.curve(of: selection.runs[0], metric: "test_accuracy", x: .wall),
                       [Point(x: 1.5, y: 0.5), Point(x: 3, y: 0.9)], "wall time: the running sum of epoch seconds")
    }

    func testQueryFiltersSortsByMetricBestAndPages() throws {
        let fixture = try ServeFixture("query")
        for (index, best) in [0.7, 0.9, 0.8].enumerated() {
            try fixture.writeRun(step: "mlp-\(index)", config: ["lr": Double(index) / 10, "seed": index], accuracy: [0.1, best, 0.5])
        }
        try fixture.writeRun(study: "other-study", step: "knn", config: ["k": 5], accuracy: [0.95])
        let index = RunIndex(results: fixture.root)
        index.refresh()
        let runs = index.snapshot.runs

        var query = try RunQuery(["sort": "metric:test_accuracy:best", "q": "init-study"])
        XCTAssertEqual(query.apply(to: runs).page.map { $0.contents!.step }, ["mlp-1", "mlp-2", "mlp-0"])
        query.descending = false
        query.pageSize = 2
        query.page = 2
        let page = query.apply(to: runs)
        XCTAssertEqual(page.total, 3)
        XCTAssertEqual(page.page.map { $0.contents!.step }, ["mlp-1"])
        XCTAssertEqual(try RunQuery(["q": "lr=0.2"]).apply(to: runs).page.map { $0.contents!.step }, ["mlp-2"])
        XCTAssertEqual(try RunQuery(["sort": "config:k"]).apply(to: runs).page.first?.contents?.step, "knn",
                       "runs without the key sort last")
        XCTAssertThrowsError(try RunQuery(["sort": "metric:test_accuracy:median"]))
        XCTAssertThrowsError(try RunQuery(["page": "0"]))
    }

    func testAForeignOrTruncatedFileIsUnreadableNotAnError() throws {
        let fixture = try ServeFixture("foreign")
        let id = try fixture.writeRun(step: "whole", config: ["a": 1], accuracy: [0.5])
        let whole = try Data(contentsOf: fixture.url(ofRun: id))
        try fixture.writeForeignFile(name: "cut.h5", contents: whole.prefix(whole.count / 2))
        try fixture.writeForeignFile(name: "notes.h5", contents: Data("epoch,loss\n".utf8))
        let index = RunIndex(results: fixture.root)
        index.refresh()
        XCTAssertEqual(index.snapshot.run("init-study/runs/cut")?.state, .unreadable("truncated or corrupt HDF5 file"))
        XCTAssertEqual(index.snapshot.run("init-study/runs/notes")?.state, .unreadable("not an HDF5 file"))
        XCTAssertEqual(index.snapshot.run(id)?.state, .complete)
    }

    func testRefreshPicksUpNewAndRewrittenRunsOnly() throws {
        let fixture = try ServeFixture("refresh")
        try fixture.writeRun(step: "first", config: ["a": 1], accuracy: [0.5])
        let index = RunIndex(results: fixture.root)
        XCTAssertTrue(index.refresh())
        XCTAssertFalse(index.refresh(), "nothing changed")
        let generation = index.snapshot.generation
        try fixture.writeRun(step: "second", config: ["a": 2], accuracy: [0.6])
        XCTAssertTrue(index.refresh())
        XCTAssertEqual(index.snapshot.runs.count, 2)
        XCTAssertEqual(index.snapshot.generation, generation + 1)
    }
}
