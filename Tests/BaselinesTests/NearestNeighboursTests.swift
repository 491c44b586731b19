import CKernels
import XCTest
@testable import Baselines

final class NearestNeighboursTests: XCTestCase {
    /// A small deterministic generator, so the test data is the same on every machine.
    struct LCG { var state: UInt64; mutating func next() -> UInt8 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 40) } }

    /// Squared Euclidean distance of two byte rows, plainly.
    func squaredDistance(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
        zip(a, b).reduce(0) { sum, pair in sum + (Int(pair.0) - Int(pair.1)) * (Int(pair.0) - Int(pair.1)) }
    }

    /// The k nearest by exact distance, ties to the lower index: the definition.
    func naiveNeighbours(train: [UInt8], query: ArraySlice<UInt8>, dimension: Int, k: Int) -> [(index: Int32, squared: Int)] {
        let count = train.count / dimension
        var distances = (0..<count).map { t in
            (index: Int32(t), squared: squaredDistance(query, train[(t * dimension)..<((t + 1) * dimension)]))
        }
        distances.sort { $0.squared < $1.squared || ($0.squared == $1.squared && $0.index < $1.index) }
        return Array(distances.prefix(k))
    }

    /// Rows of bytes where some values repeat often, so that equal distances occur.
    func bytes(_ count: Int, _ rng: inout LCG) -> [UInt8] {
        (0..<count).map { _ in let b = rng.next(); return b < 64 ? 0 : b > 224 ? 255 : b }
    }

    func testMatchesNaiveSearchAcrossBlockBoundaries() throws {
        var rng = LCG(state: 7)
        let dimension = 13, trainCount = 300, queryCount = 70
        let train = bytes(trainCount * dimension, &rng), queries = bytes(queryCount * dimension, &rng)
        // Small query blocks make several tasks and a ragged last one; 300 training rows end in
        // a ragged panel of 64. The float pixels byte/255 give the same answer.
        let search = NearestNeighbours(maxK: 7, queryBlock: 16)
        let found = search.search(train: train, queries: queries, dimension: dimension)
        let fromPixels = try search.search(train: train.map { Float($0) / 255 }, queries: queries.map { Float($0) / 255 },
                                           dimension: dimension)
        XCTAssertEqual(found, fromPixels)
        for q in 0..<queryCount {
            let expected = naiveNeighbours(train: train, query: queries[(q * dimension)..<((q + 1) * dimension)],
                                           dimension: dimension, k: 7)
            XCTAssertEqual(Array(found.indices(ofQuery: q)), expected.map(\.index), "query \(q)")
            XCTAssertEqual(Array(found.distances[(q * 7)..<((q + 1) * 7)]),
                           expected.map { Double($0.squared).squareRoot() / 255 }, "query \(q)")
        }
    }

    func testEqualDistancesGoToTheLowerTrainingIndex() throws {
        // Training points 0 and 2 are both at distance 1 from the query; 1 is farther.
        let train: [Float] = [1, 0, 1, 1, 0, 1]
        let found = try NearestNeighbours(maxK: 2).search(train: train, queries: [0, 0], dimension: 2)
        XCTAssertEqual(Array(found.indices(ofQuery: 0)), [0, 2])
        XCTAssertEqual(found.distances, [1, 1])
        // 200 equally distant rows over several panels, and one nearer in the middle: the nearer
        // first, then the lowest indices.
        var rows = [UInt8](repeating: 10, count: 200 * 4)
        rows[150 * 4] = 3
        let many = NearestNeighbours(maxK: 5).search(train: rows, queries: [2, 10, 10, 10, 2, 10, 10, 10], dimension: 4)
        XCTAssertEqual(Array(many.indices(ofQuery: 0)), [150, 0, 1, 2, 3])
        XCTAssertEqual(many.indices(ofQuery: 0), many.indices(ofQuery: 1))
    }

    func testIntegerDistancesEqualPlainReferenceOnEveryPath() {
        let before = kernel_path_current()
        defer { _ = kernel_path_select(before) }
        let paths = [kernel_path_avx512, kernel_path_avx2, kernel_path_baseline]
            .filter { kernel_paths_supported() & (1 << $0.rawValue) != 0 }
        XCTAssertTrue(paths.contains(kernel_path_baseline))
        var rng = LCG(state: 11)
        for dimension in [1, 3, 13, 784, 785] {
            let trainCount = 150, queryCount = 20
            let train = bytes(trainCount * dimension, &rng), queries = bytes(queryCount * dimension, &rng)
            var reference = [Int32]()
            for q in 0..<queryCount {
                for t in 0..<trainCount {
                    reference.append(Int32(squaredDistance(queries[(q * dimension)..<((q + 1) * dimension)],
                                                           train[(t * dimension)..<((t + 1) * dimension)])))
                }
            }
            var packed = [UInt8](repeating: 0, count: integer_packed_bytes(trainCount, dimension))
            var terms = [Int32](repeating: 0, count: integer_packed_terms(trainCount))
            integer_pack_train(trainCount, dimension, train, &packed, &terms)
            var found: [NearestNeighbours.Neighbours] = []
            for path in paths {
                XCTAssertEqual(kernel_path_select(path), 0)
                var out = [Int32](repeating: -1, count: queryCount * trainCount)
                XCTAssertEqual(integer_squared_distances(queryCount, dimension, queries, trainCount, packed, terms, &out), 0)
                XCTAssertEqual(out, reference, "dimension \(dimension), path \(path.rawValue)")
                found.append(NearestNeighbours(maxK: 9, queryBlock: 7).search(train: train, queries: queries, dimension: dimension))
            }
            XCTAssertTrue(found.allSatisfy { $0 == found[0] }, "dimension \(dimension): the paths' neighbours differ")
        }
    }

    func testPixelBytesRoundTripAndNonBytePixelsAreRefused() throws {
        let before = kernel_path_current()
        defer { _ = kernel_path_select(before) }
        let all = (0...255).map { UInt8($0) }
        for path in [kernel_path_avx512, kernel_path_avx2, kernel_path_baseline]
        where kernel_paths_supported() & (1 << path.rawValue) != 0 {
            XCTAssertEqual(kernel_path_select(path), 0)
            XCTAssertEqual(try NearestNeighbours.bytes(fromPixels: all.map { Float($0) / 255 }), all)
            for bad: Float in [0.5, 1.5, -0.1, .nan, .infinity, 1 / 255 + 1e-6] {
                XCTAssertThrowsError(try NearestNeighbours.bytes(fromPixels: [0, 1, bad, 0.5], name: "query pixels")) { error in
                    let message = "\(error)"
                    XCTAssertTrue(message.contains("query pixels") && message.contains("index 2") && message.contains("k/255"), message)
                }
            }
            // Many chunks over the cores: the first bad pixel of all is named.
            var many = [Float](repeating: 1, count: 1_000_000)
            many[700_001] = 0.3
            many[900_000] = 2
            XCTAssertThrowsError(try NearestNeighbours.bytes(fromPixels: many)) { XCTAssertTrue("\($0)".contains("index 700001"), "\($0)") }
        }
        XCTAssertThrowsError(try NearestNeighbours(maxK: 1).search(train: [0, 0.5], queries: [0, 0], dimension: 2))
    }

    func testVoteTieGoesToTheSmallestLabel() {
        // Four neighbours labelled 3, 1, 3, 1: a tie between 1 and 3, scikit-learn picks 1.
        let neighbours = NearestNeighbours.Neighbours(queryCount: 1, k: 4, indices: [0, 1, 2, 3], distances: [1, 2, 3, 4])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 4), [1])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 3), [3])
        XCTAssertEqual(NearestNeighbours.vote(neighbours, labels: [3, 1, 3, 1], k: 1), [3])
    }

    func testKLargerThanTrainingSetIsClamped() {
        let found = NearestNeighbours(maxK: 10).search(train: [0, 1, 5] as [UInt8], queries: [4], dimension: 1)
        XCTAssertEqual(found.k, 3)
        XCTAssertEqual(Array(found.indices(ofQuery: 0)), [2, 1, 0])
    }
}
