import CKernels
import Dispatch

/// Brute-force k-nearest neighbours on raw feature vectors with Euclidean distance,
/// the baseline of seed 000 (scikit-learn's `KNeighborsClassifier(algorithm='brute')`).
///
/// How it works, and why:
/// 1. Pixels are bytes (an image set's float pixels are byte/255; `bytes(fromPixels:)`
///    recovers them, and refuses a pixel that is not one). Squared distances between byte
///    vectors are integers, computed exactly in int32 (784 x 255^2 fits many times over) by
///    the C kernels of Sources/CKernels/integer_distances.c: a GEMM-like product of the
///    queries with the training rows, blocked so that a panel of 64 training rows and a
///    block of queries stay in cache, on the widest instruction-set path this CPU runs
///    (AVX-512 VNNI's byte products where it has them). Every path, and every thread count,
///    gives the same integers: there is no rounding to refine.
/// 2. Ties: neighbours are ordered by (distance, training index), so equal distances go to
///    the lower training index, as in scikit-learn's brute force.
/// 3. Threads: queries are independent; blocks of `queryBlock` queries are shared out over
///    the cores, and each query's result is the same whichever thread computes it.
public struct NearestNeighbours: Sendable {
    /// The largest k this search returns neighbours for (vote with any k up to it).
    public let maxK: Int
    /// Queries per task handed to a core (fewer when there are few queries, so that every
    /// core gets work); each task reads the whole training set once.
    public let queryBlock: Int

    public init(maxK: Int, queryBlock: Int = 240) {
        precondition(maxK >= 1, "k must be at least 1")
        precondition(queryBlock >= 1, "a query block holds at least one query")
        self.maxK = maxK
        self.queryBlock = queryBlock
    }

    /// The nearest training rows of each query, nearest first.
    public struct Neighbours: Sendable, Equatable {
        public let queryCount: Int
        public let k: Int
        /// `queryCount * k` training indices, row per query.
        public let indices: [Int32]
        /// `queryCount * k` Euclidean distances in pixel units (bytes / 255): the square root
        /// of the exact integer squared distance of the bytes, divided by 255.
        public let distances: [Double]

        public func indices(ofQuery q: Int) -> ArraySlice<Int32> { indices[(q * k)..<((q + 1) * k)] }
    }

    /// A pixel that is not a byte value k/255, so the exact integer search cannot take it.
    public struct PixelError: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// The bytes of float pixels that are byte/255 (as every image set's loader makes them):
    /// `UInt8((x * 255).rounded())`, checked to give back exactly `x`. Throws for any other
    /// value (out of [0, 1], NaN, or between two byte values), naming the first one.
    public static func bytes(fromPixels pixels: [Float], name: String = "pixels") throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: pixels.count)
        // In chunks over the cores (a training set is tens of millions of pixels); each chunk
        // reports the first pixel in it that is not a byte value (or its end).
        let chunks = max(1, min(64, pixels.count / 65_536))
        var firstBad = [Int](repeating: 0, count: chunks)
        pixels.withUnsafeBufferPointer { source in
        bytes.withUnsafeMutableBufferPointer { out in
        firstBad.withUnsafeMutableBufferPointer { found in
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let from = chunk * source.count / chunks, to = (chunk + 1) * source.count / chunks
                found[chunk] = from + integer_bytes_from_pixels(to - from, source.baseAddress! + from,
                                                                out.baseAddress! + from)
                if found[chunk] == to { found[chunk] = Int.max }
            }
        }}}
        if let bad = firstBad.min(), bad != Int.max {
            throw PixelError(message: "\(name): value \(pixels[bad]) at index \(bad) is not a byte value k/255; "
                + "the exact k-NN search takes 8-bit images only")
        }
        return bytes
    }

    /// Finds the `maxK` nearest training rows of every query, for float pixels that are
    /// byte/255 (throws `PixelError` otherwise; see `bytes(fromPixels:)`).
    /// - Parameters: `train` is `trainCount x dimension` row-major, `queries` is
    ///   `queryCount x dimension` row-major.
    public func search(train: [Float], queries: [Float], dimension: Int) throws -> Neighbours {
        try search(train: Self.bytes(fromPixels: train, name: "training pixels"),
                   queries: Self.bytes(fromPixels: queries, name: "query pixels"), dimension: dimension)
    }

    /// Finds the `maxK` nearest training rows of every query, by exact squared Euclidean
    /// distance of the bytes.
    /// - Parameters: `train` is `trainCount x dimension` row-major, `queries` is
    ///   `queryCount x dimension` row-major.
    public func search(train: [UInt8], queries: [UInt8], dimension: Int) -> Neighbours {
        precondition(dimension > 0 && train.count % dimension == 0 && queries.count % dimension == 0)
        let trainCount = train.count / dimension
        let queryCount = queries.count / dimension
        let k = min(maxK, trainCount)
        guard k > 0 else { return Neighbours(queryCount: queryCount, k: 0, indices: [], distances: []) }

        var packed = [UInt8](repeating: 0, count: integer_packed_bytes(trainCount, dimension))
        var terms = [Int32](repeating: 0, count: integer_packed_terms(trainCount))
        // Panels of 64 rows are packed independently: ranges of them over the cores.
        let panels = (trainCount + 63) / 64, packTasks = min(panels, 16)
        let panelBytes = integer_packed_bytes(64, dimension)
        train.withUnsafeBufferPointer { trainPtr in
        packed.withUnsafeMutableBufferPointer { packedPtr in
        terms.withUnsafeMutableBufferPointer { termsPtr in
            DispatchQueue.concurrentPerform(iterations: packTasks) { task in
                let from = task * panels / packTasks, to = (task + 1) * panels / packTasks
                let rows = min(to * 64, trainCount) - from * 64
                integer_pack_train(rows, dimension, trainPtr.baseAddress! + from * 64 * dimension,
                                   packedPtr.baseAddress! + from * panelBytes, termsPtr.baseAddress! + from * 64)
            }
        }}}

        var squared = [Int32](repeating: 0, count: queryCount * k)
        var indices = [Int32](repeating: 0, count: queryCount * k)
        // At least 8 tasks when there are 8 queries, so that every core has work.
        let block = max(1, min(queryBlock, (queryCount + 7) / 8))
        let tasks = (queryCount + block - 1) / block
        var failed = false
        packed.withUnsafeBufferPointer { packedPtr in
        terms.withUnsafeBufferPointer { termsPtr in
        queries.withUnsafeBufferPointer { queryPtr in
        squared.withUnsafeMutableBufferPointer { squaredPtr in
        indices.withUnsafeMutableBufferPointer { indexPtr in
            let failures = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(tasks, 1))
            failures.initialize(repeating: false)
            // Each task writes only its own queries' rows.
            DispatchQueue.concurrentPerform(iterations: tasks) { task in
                let from = task * block, count = min(block, queryCount - from)
                failures[task] = integer_nearest(count, dimension, queryPtr.baseAddress! + from * dimension,
                                                 trainCount, packedPtr.baseAddress!, termsPtr.baseAddress!, k,
                                                 squaredPtr.baseAddress! + from * k,
                                                 indexPtr.baseAddress! + from * k) != 0
            }
            failed = failures.contains(true)
            failures.deallocate()
        }}}}}
        precondition(!failed, "k-NN: out of memory for the query blocks' scratch")
        return Neighbours(queryCount: queryCount, k: k, indices: indices,
                          distances: squared.map { Double($0).squareRoot() / 255 })
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
