import XCTest
@testable import Notebook

final class SweepTests: XCTestCase {
    func testGridTakesEveryCombinationFirstParameterSlowest() {
        let sweep = Sweep.grid("lr", ["eta": [0.1, 1], "lambda": [0, 5, 50]])
        XCTAssertEqual(sweep.names, ["lr-eta=0.1,lambda=0", "lr-eta=0.1,lambda=5", "lr-eta=0.1,lambda=50",
                                     "lr-eta=1,lambda=0", "lr-eta=1,lambda=5", "lr-eta=1,lambda=50"])
        XCTAssertEqual(sweep.points[4]["eta"], 1)
        XCTAssertEqual(sweep.points[4].int("lambda"), 5)
    }

    func testZippedPairsTheLists() {
        let sweep = Sweep.zipped("net", ["hidden": [30, 100], "eta": [0.5, 0.1]])
        XCTAssertEqual(sweep.names, ["net-hidden=30,eta=0.5", "net-hidden=100,eta=0.1"])
    }

    /// Random search: in bounds, uniform in log space, reproducible from its seed, and
    /// asking for more points keeps the first ones (each point has its own stream).
    func testRandomSearchIsSeededStableAndLogUniform() {
        let axes: KeyValuePairs<String, Distribution> = ["eta": .logUniform(1e-4, 1), "hidden": .choice([30, 100])]
        let small = Sweep.random("search", count: 5, seed: 7, axes)
        let large = Sweep.random("search", count: 400, seed: 7, axes)
        let other = Sweep.random("search", count: 5, seed: 8, axes)
        XCTAssertEqual(small.points.map { $0["eta"] }, large.points.prefix(5).map { $0["eta"] })
        XCTAssertNotEqual(small.points.map { $0["eta"] }, other.points.map { $0["eta"] })
        XCTAssertEqual(large.names.prefix(2), ["search-001", "search-002"])
        let etas = large.points.map { $0["eta"] }
        XCTAssertTrue(etas.allSatisfy { (1e-4...1).contains($0) })
        // Log-uniform: each decade of the four holds about a quarter of the draws.
        let decades = Dictionary(grouping: etas) { Int(floor(log10($0))) }.mapValues(\.count)
        for decade in -4...(-1) { XCTAssertEqual(Double(decades[decade] ?? 0), 100, accuracy: 35, "decade \(decade)") }
        XCTAssertEqual(Set(large.points.map { $0["hidden"] }), [30, 100])
    }

    func testSeedRepeats() {
        let repeats = Sweep.seeds("mlp", count: 3, base: 10)
        XCTAssertEqual(repeats.names, ["mlp-seed0", "mlp-seed1", "mlp-seed2"])
        XCTAssertEqual(repeats.points.map { $0.int("seed") }, [10, 11, 12])
    }
}
