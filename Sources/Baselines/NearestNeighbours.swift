import CBLAS
import Dispatch

/// Brute-force k-nearest neighbours on raw feature vectors with Euclidean distance,
/// the baseline of seed 000 (scikit-learn's `KNeighborsClassifier(algorithm='brute')`).
///
/// How it works, and why:
/// 1. Candidates: squared distances ||t||^2 - 2 q.t (the ||q||^2 term is the same for
///    every candidate of a query, so ranking ignores it) come from one float32 sgemm per
///    block of queries x block of training rows, so memory stays bounded (about
///    `queryBlock * trainBlock` floats) even for 60,000 x 10,000.
/// 2. Refinement: float32 rounding can swap near-equal distances, and OpenBLAS rounds
///    differently with a different thread count. So each query keeps `k + margin`
///    candidates, and their exact distances are recomputed in float64 (as scikit-learn
///    does for float32 input). The final neighbours therefore do not depend on the
///    thread count, and agree with scikit-learn's.
/// 3. Ties: equal float64 distances are ordered by the lower training index.
public struct NearestNeighbours: Sendable {
    /// The largest k this search returns neighbours for (vote with any k up to it).
    public let maxK: Int
    /// Extra candidates kept per query for the float64 refinement.
    public let margin: Int
    public let queryBlock: Int
    public let trainBlock: Int

    public init(maxK: Int, margin: Int = 16, queryBlock: Int = 512, trainBlock: Int = 4096) {
        precondition(maxK >= 1, "k must be at least 1")
        self.maxK = maxK
        self.margin = margin
        self.queryBlock = queryBlock
        self.trainBlock = trainBlock
    }

    /// The nearest training rows of each query, nearest first.
    public struct Neighbours: Sendable, Equatable {
        public let queryCount: Int
        public let k: Int
        /// `queryCount * k` training indices, row per query.
        public let indices: [Int32]
        /// `queryCount * k` Euclidean distances (float64, exact for float32 inputs).
        public let distances: [Double]

        public func indices(ofQuery q: Int) -> ArraySlice<Int32> { indices[(q * k)..<((q + 1) * k)] }
    }

    /// Finds the `maxK` nearest training rows of every query.
    /// - Parameters: `train` is `trainCount x dimension` row-major, `queries` is
    ///   `queryCount x dimension` row-major.
    public func search(train: [Float], queries: [Float], dimension: Int) -> Neighbours {
        precondition(dimension > 0 && train.count % dimension == 0 && queries.count % dimension == 0)
        let trainCount = train.count / dimension
        let queryCount = queries.count / dimension
        let k = min(maxK, trainCount)
        let keep = min(k + margin, trainCount)

        let trainNorms = squaredNorms(train, dimension: dimension)
        // Per query: the `keep` smallest approximate distances seen so far, sorted ascending.
        var candidateDistance = [Float](repeating: .infinity, count: queryCount * keep)
        var candidateIndex = [Int32](repeating: -1, count: queryCount * keep)
        var products = [Float](repeating: 0, count: min(queryBlock, max(queryCount, 1)) * min(trainBlock, max(trainCount, 1)))

        train.withUnsafeBufferPointer { trainPtr in
        queries.withUnsafeBufferPointer { queryPtr in
        products.withUnsafeMutableBufferPointer { productPtr in
        candidateDistance.withUnsafeMutableBufferPointer { candDist in
        candidateIndex.withUnsafeMutableBufferPointer { candIdx in
            for q0 in stride(from: 0, to: queryCount, by: queryBlock) {
                let qn = min(queryBlock, queryCount - q0)
                for t0 in stride(from: 0, to: trainCount, by: trainBlock) {
                    let tn = min(trainBlock, trainCount - t0)
                    // products[q][t] = -2 * query[q0+q] . train[t0+t]
                    blas_sgemm(false, true,
                               Int32(qn), Int32(tn), Int32(dimension),
                               -2, queryPtr.baseAddress! + q0 * dimension, Int32(dimension),
                               trainPtr.baseAddress! + t0 * dimension, Int32(dimension),
                               0, productPtr.baseAddress!, Int32(tn))
                    let products = UnsafeBufferPointer(productPtr)
                    // Queries are independent: split them over the cores (no shared writes).
                    let chunks = min(qn, 8)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let from = chunk * qn / chunks, to = (chunk + 1) * qn / chunks
                        for q in from..<to {
                            let row = products.baseAddress! + q * tn
                            let dist = candDist.baseAddress! + (q0 + q) * keep
                            let idx = candIdx.baseAddress! + (q0 + q) * keep
                            for t in 0..<tn {
                                let d = trainNorms[t0 + t] + row[t]
                                if d < dist[keep - 1] {
                                    insertSorted(d, Int32(t0 + t), dist, idx, keep)
                                }
                            }
                        }
                    }
                }
            }
        }}}}}

        return refine(train: train, queries: queries, dimension: dimension, k: k, keep: keep,
                      candidates: candidateIndex, queryCount: queryCount)
    }

    /// Recomputes the candidates' distances in float64 and keeps the k nearest.
    private func refine(train: [Float], queries: [Float], dimension: Int, k: Int, keep: Int,
                        candidates: [Int32], queryCount: Int) -> Neighbours {
        var indices = [Int32](repeating: 0, count: queryCount * k)
        var distances = [Double](repeating: 0, count: queryCount * k)
        train.withUnsafeBufferPointer { trainPtr in
        queries.withUnsafeBufferPointer { queryPtr in
        indices.withUnsafeMutableBufferPointer { outIdx in
        distances.withUnsafeMutableBufferPointer { outDist in
            let chunks = min(queryCount, 8)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let from = chunk * queryCount / chunks, to = (chunk + 1) * queryCount / chunks
                var exact = [(distance: Double, index: Int32)]()
                exact.reserveCapacity(keep)
                for q in from..<to {
                    exact.removeAll(keepingCapacity: true)
                    let query = queryPtr.baseAddress! + q * dimension
                    for c in 0..<keep {
                        let t = candidates[q * keep + c]
                        let row = trainPtr.baseAddress! + Int(t) * dimension
                        var sum = 0.0
                        for i in 0..<dimension {
                            let diff = Double(query[i]) - Double(row[i])
                            sum += diff * diff
                        }
                        exact.append((sum, t))
                    }
                    exact.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
                    for j in 0..<k {
                        outIdx[q * k + j] = exact[j].index
                        outDist[q * k + j] = exact[j].distance.squareRoot()
                    }
                }
            }
        }}}}
        return Neighbours(queryCount: queryCount, k: k, indices: indices, distances: distances)
    }

    /// The majority label among each query's first `k` neighbours. A tie between labels
    /// goes to the smallest label, as in scikit-learn (argmax over sorted classes).
    public static func vote(_ neighbours: Neighbours, labels: [Int32], k: Int) -> [Int32] {
        precondition(k >= 1 && k <= neighbours.k)
        let classCount = Int(labels.max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: classCount)
        var predictions = [Int32](repeating: 0, count: neighbours.queryCount)
        for q in 0..<neighbours.queryCount {
            for c in 0..<classCount { counts[c] = 0 }
            for t in neighbours.indices(ofQuery: q).prefix(k) { counts[Int(labels[Int(t)])] += 1 }
            var best = 0
            for c in 1..<classCount where counts[c] > counts[best] { best = c }
            predictions[q] = Int32(best)
        }
        return predictions
    }
}

private func squaredNorms(_ rows: [Float], dimension: Int) -> [Float] {
    let count = rows.count / dimension
    var norms = [Float](repeating: 0, count: count)
    rows.withUnsafeBufferPointer { ptr in
        for r in 0..<count {
            norms[r] = blas_sdot(Int32(dimension), ptr.baseAddress! + r * dimension, 1,
                                 ptr.baseAddress! + r * dimension, 1)
        }
    }
    return norms
}

/// Inserts (d, index) into the ascending list of `count` entries, dropping the last.
@inline(__always)
private func insertSorted(_ d: Float, _ index: Int32, _ dist: UnsafeMutablePointer<Float>,
                          _ idx: UnsafeMutablePointer<Int32>, _ count: Int) {
    var j = count - 1
    while j > 0 && dist[j - 1] > d {
        dist[j] = dist[j - 1]
        idx[j] = idx[j - 1]
        j -= 1
    }
    dist[j] = d
    idx[j] = index
}
