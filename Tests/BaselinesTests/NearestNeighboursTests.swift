import XCTest
@testable import Baselines

final class NearestNeighboursTests: XCTestCase {
    /// A small deterministic generator, so the test data is the same on every machine.
    struct LCG { var state: UInt64; mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24) } }

    /// The k nearest by exact float64 distance, ties to the lower index: the definition.
    func naiveNeighbours(train: [Float], query: ArraySlice<Float>, dimension: Int, k: Int) -> [Int32] {
        let count = train.count / dimension
        var distances: [(distance: Double, index: Int)] = []
        for t in 0..<count {
            var sum = 0.0
            for i in 0..<dimension {
                let d = Double(query[query.startIndex + i]) - Double(train[t * dimension + i])
                sum += d * d
            }
            distances.append((sum, t))
        }
        distances.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
        return distances.prefix(k).map { Int32($0.index) }
    }

    func testMatchesNaiveSearchAcrossBlockBoundaries() {
        var rng = LCG(state: 7)
        let dimension = 13, trainCount = 300, queryCount = 70
        let train = (0..<(trainCount * dimension)).map { _ in rng.next() }
        let queries = (0..<(queryCount * dimension)).map { _ in rng.next() }
        // Small blocks force several query and training blocks, and a ragged last block.
        let search = NearestNeighbours(maxK: 7, queryBlock: 16, trainBlock: 64)
        let found = search.search(train: train, queries: queries, dimension: dimension)
        for q in 0..<queryCount {
            let expected = naiveNeighbours(train: train, query: queries[(q * dimension)..<((q + 1) * dimension)],
                                           dimension: dimension, k: 7)
            XCTAssertEqual(Array(found.indices(ofQuery: q)), expected, "query \(q)")
        }
        XCTAssertTrue(zip(found.distances.dropLast(), found.distances.dropFirst()).enumerated()
            .allSatisfy { ($0.offset + 1) % 7 == 0 || $0.element.0 <= $0.element.1 }, "distances ascend per query")
    }

    func testEqualDistancesGoToTheLowerTrainingIndex() {
        // Training points 0 and 2 are both at distance 1 from the query; 1 is farther.
        let train: [Float] = [1, 0, 3, 0, 0, 1]
        let found = NearestNeighbours(maxK: 2).search(train: train, queries: [0, 0], dimension: 2)
        XCTAssertEqual(Array(found.indices(ofQuery: 0)), [0, 2])
        XCTAssertEqual(found.distances, [1, 1])
    }

    func testVoteTieGoesToTheSmallestLabel() {
        // Four neighbours labelled 3, 1, 3, 1: a tie between 1 and 3, scikit-learn picks 1.
        let neighbours = NearestNeighbours.Neighbours(queryCount: 1, k: 4, indices: [0, 1, 2, 3], distances: [1, 2, 3, 4])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 4), [1])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 3), [3])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 1), [3])
    }

    func testKLargerThanTrainingSetIsClamped() {
        let found = NearestNeighbours(maxK: 10).search(train: [0, 1, 5], queries: [4], dimension: 1)
        XCTAssertEqual(found.k, 3)
        XCTAssertEqual(Array(found.indices(ofQuery: 0)), [2, 1, 0])
    }
}
