import Foundation
import XCTest
@testable import ConvNet

/// The hand-written numeric kernels against float64 references.
final class KernelTests: XCTestCase {
    /// Within 2 ulp of float64 e^x over the whole clamped range, on a dense grid.
    func testVectorizableExpIsWithinTwoUlp() {
        var worst = 0.0
        for step in 0...400_000 {
            let x = Float(-87.0 + 175.0 * Double(step) / 400_000)
            let exact = exp(Double(x))
            let ulp = Double(Float(exact).ulp)
            worst = max(worst, abs(Double(vectorizableExp(x)) - exact) / ulp)
        }
        XCTAssertLessThan(worst, 2)
        XCTAssertEqual(vectorizableExp(0), 1)
        XCTAssertEqual(vectorizableExp(-1000), vectorizableExp(-87.3))
        XCTAssertTrue(vectorizableExp(1000).isFinite)
    }

    /// The small-batch products against float64 sums, on shapes that take every block and
    /// tail of the kernels: within a few float32 roundings of the sum of |terms|.
    func testSmallBatchProductsAgreeWithFloat64() throws {
        try XCTSkipUnless(SmallBatch.isAvailable, "this CPU has no AVX2 and FMA: every product goes to OpenBLAS")
        var random = RandomStream(seed: 5, purpose: .initialization)
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in Float(random.gaussian()) } }
        func close(_ got: Float, _ sum: Double, _ magnitude: Double, terms: Int, _ what: String) {
            XCTAssertLessThanOrEqual(abs(Double(got) - sum), Double(terms + 2) * 1.2e-7 * magnitude, what)
        }
        for rows in [1, 2, 3, 5, 6, 7, 9, 10, 13, 16] {   // every remainder of the 6-row blocks
            for (k, n) in [(1, 1), (7, 9), (8, 16), (9, 17), (30, 10), (33, 24), (784, 30)] {
                // C[rows, n] = A[rows, k] . B[n, k]^T
                let a = values(rows * k), b = values(n * k)
                // Four guard values after each result catch a write past its end.
                var c = [Float](repeating: .nan, count: rows * n + 4)
                SmallBatch.abt(rows: rows, m: n, k: k, a, b, &c)
                XCTAssertTrue(c.suffix(4).allSatisfy(\.isNaN), "abt rows \(rows) k \(k) n \(n) wrote past its result")
                for r in 0..<rows {
                    for j in 0..<n {
                        let terms = (0..<k).map { Double(a[r * k + $0]) * Double(b[j * k + $0]) }
                        close(c[r * n + j], terms.reduce(0, +), terms.reduce(0) { $0 + abs($1) }, terms: k,
                              "abt rows \(rows) k \(k) n \(n) at [\(r), \(j)]")
                    }
                }
                // C[rows, n] = A[rows, k] . B[k, n], A read directly and transposed.
                let bk = values(k * n), at = (0..<(k * rows)).map { a[($0 % rows) * k + $0 / rows] }
                var direct = [Float](repeating: .nan, count: rows * n + 4), transposed = direct
                SmallBatch.ab(rows: rows, n: n, inner: k, a, rowStride: k, innerStride: 1, bk, &direct)
                SmallBatch.ab(rows: rows, n: n, inner: k, at, rowStride: 1, innerStride: rows, bk, &transposed)
                XCTAssertTrue(direct.suffix(4).allSatisfy(\.isNaN), "ab rows \(rows) k \(k) n \(n) wrote past its result")
                XCTAssertEqual(direct.prefix(rows * n), transposed.prefix(rows * n), "ab rows \(rows) k \(k) n \(n): the strides change the result")
                for r in 0..<rows {
                    for i in 0..<n {
                        let terms = (0..<k).map { Double(a[r * k + $0]) * Double(bk[$0 * n + i]) }
                        close(direct[r * n + i], terms.reduce(0, +), terms.reduce(0) { $0 + abs($1) }, terms: k,
                              "ab rows \(rows) k \(k) n \(n) at [\(r), \(i)]")
                    }
                }
            }
        }
    }
}
