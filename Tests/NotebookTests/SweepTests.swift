import XCTest
@testable import Notebook

final class SweepTests: XCTestCase {
    let eta = Axis<Double>("eta"), lambda = Axis<Int>("lambda"), hidden = Axis<Int>("hidden")

    func testGridTakesEveryCombinationFirstAxisSlowest() {
        let sweep = Sweep.grid("lr", eta.over([0.1, 1]), lambda.over([0, 5, 50]))
        XCTAssertEqual(sweep.names, ["lr-eta=0.1,lambda=0", "lr-eta=0.1,lambda=5", "lr-eta=0.1,lambda=50",
                                     "lr-eta=1,lambda=0", "lr-eta=1,lambda=5", "lr-eta=1,lambda=50"])
        XCTAssertEqual(sweep.points[4][eta], 1)
        let strength: Int = sweep.points[4][lambda]   // an integer axis reads back as an Int
        XCTAssertEqual(strength, 5)
    }

    func testPointByCoordinates() throws {
        let sweep = Sweep.grid("lr", eta.over([0.1, 1]), lambda.over([0, 5, 50]))
        let point = try StudyMistakes.checking { sweep.point(eta.at(1), lambda.at(50)) }
        XCTAssertEqual(point.name, "lr-eta=1,lambda=50")
        XCTAssertThrowsError(try StudyMistakes.checking { sweep.point(eta.at(0.5), lambda.at(5)) }) { error in
            XCTAssertEqual("\(error)", "sweep 'lr' has no point at eta=0.5,lambda=5 (its values: eta: 0.1, 1; lambda: 0, 5, 50)")
        }
    }

    /// An axis declared for another sweep is one line naming this sweep's axes, not a crash.
    func testAnAxisOfAnotherSweepIsOneLine() {
        let sweep = Sweep.grid("lr", eta.over([0.1, 1]))
        XCTAssertThrowsError(try StudyMistakes.checking { _ = sweep.points[0][hidden] }) { error in
            XCTAssertEqual("\(error)", "sweep 'lr' has no axis 'hidden' (its axes: eta)")
        }
    }

    func testZippedPairsTheLists() throws {
        let sweep = Sweep.zipped("net", hidden.over([30, 100]), eta.over([0.5, 0.1]))
        XCTAssertEqual(sweep.names, ["net-hidden=30,eta=0.5", "net-hidden=100,eta=0.1"])
        XCTAssertThrowsError(try StudyMistakes.checking { Sweep.zipped("net", hidden.over([30, 100]), eta.over([0.5])) }) { error in
            XCTAssertEqual("\(error)", "sweep 'net': zipped axes must have one length (hidden: 2, eta: 1)")
        }
    }

    /// Random search: in bounds, uniform in log space, reproducible from its seed, and
    /// asking for more points keeps the first ones (each point has its own stream).
    func testRandomSearchIsSeededStableAndLogUniform() {
        let draws = [eta.drawn(.logUniform(1e-4, 1)), hidden.drawn(.choice([30, 100]))]
        let small = Sweep.random("search", count: 5, seed: 7, draws[0], draws[1])
        let large = Sweep.random("search", count: 400, seed: 7, draws[0], draws[1])
        let other = Sweep.random("search", count: 5, seed: 8, draws[0], draws[1])
        XCTAssertEqual(small.points.map { $0[eta] }, large.points.prefix(5).map { $0[eta] })
        XCTAssertNotEqual(small.points.map { $0[eta] }, other.points.map { $0[eta] })
        XCTAssertEqual(large.names.prefix(2), ["search-001", "search-002"])
        let etas = large.points.map { $0[eta] }
        XCTAssertTrue(etas.allSatisfy { (1e-4...1).contains($0) })
        // Log-uniform: each decade of the four holds about a quarter of the draws.
        let decades = Dictionary(grouping: etas) { Int(floor(log10($0))) }.mapValues(\.count)
        for decade in -4...(-1) { XCTAssertEqual(Double(decades[decade] ?? 0), 100, accuracy: 35, "decade \(decade)") }
        XCTAssertEqual(Set(large.points.map { $0[hidden] }), [30, 100])
    }

    func testSeedRepeats() {
        let repeats = Sweep.seeds("mlp", count: 3, base: 10)
        XCTAssertEqual(repeats.names, ["mlp-seed0", "mlp-seed1", "mlp-seed2"])
        XCTAssertEqual(repeats.points.map(\.seed), [10, 11, 12])
    }

    /// Choices hand each point its typed value and find an option's points by the option
    /// itself; an option of another sweep is one line naming this sweep's options.
    func testChoicesCarryTheirValues() throws {
        let sgd = Choice("sgd", 0.5), adam = Choice("adam", 0.001), other = Choice("momentm", 0.05)
        let choices = Choices.grid("mlp", "optimizer", [sgd, adam], crossedWith: .seeds([0, 1]))
        XCTAssertEqual(choices.sweep.names, ["mlp-optimizer=sgd,seed=0", "mlp-optimizer=sgd,seed=1",
                                             "mlp-optimizer=adam,seed=0", "mlp-optimizer=adam,seed=1"])
        var handed: [Double] = []
        _ = choices.steps { point, rate in
            handed.append(rate)
            return Compute(point.name, summary: "", Constant(value: rate))
        }
        XCTAssertEqual(handed, [0.5, 0.5, 0.001, 0.001])
        XCTAssertEqual(try StudyMistakes.checking { choices.points(of: adam) }.map(\.seed), [0, 1])
        XCTAssertThrowsError(try StudyMistakes.checking { choices.points(of: other) }) { error in
            XCTAssertEqual("\(error)", "sweep 'mlp' has no option 'momentm' (its options: sgd, adam)")
        }
    }
}

/// A computation that records one number.
private struct Constant: Computation {
    let value: Double
    func compute(data: LoadedData?, into run: RunRecorder) throws { try run.metric(Metric("value"), [value]) }
}
