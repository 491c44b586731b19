import CKernels
import Foundation
import XCTest
@testable import ConvNet

/// The engine's matrix products (Sources/CKernels/gemm.c): each element one chain of fused
/// multiply-adds in increasing k, the same bits on every instruction-set path, and close to
/// float64 sums.
final class ProductTests: XCTestCase {
    override func tearDown() {
        _ = kernel_path_select(KernelPath.supported[0].cValue)
    }

    /// Operands laid out as the transposes say: A[i, t] sits at a[t * m + i] when transposed.
    private struct Case {
        let m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool
        let a: [Float], b: [Float], aStored: [Float], bStored: [Float]

        init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, random: inout RandomStream) {
            self.m = m; self.n = n; self.k = k; self.transposeA = transposeA; self.transposeB = transposeB
            a = (0..<(m * k)).map { _ in Float(random.gaussian()) }
            b = (0..<(k * n)).map { _ in Float(random.gaussian()) }
            let a = self.a, b = self.b
            aStored = transposeA ? (0..<(m * k)).map { a[($0 % m) * k + $0 / m] } : a
            bStored = transposeB ? (0..<(k * n)).map { b[($0 % k) * n + $0 / k] } : b
        }

        func product() -> [Float] {
            var c = [Float](repeating: .nan, count: m * n)
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, aStored,
                  lda: transposeA ? m : k, bStored, ldb: transposeB ? k : n, &c, ldc: n)
            return c
        }

        /// The contract: s = 0, then s = fma(A[i, t], B[t, j], s) for t = 0, 1, ..., k - 1.
        func chain(_ i: Int, _ j: Int) -> Float {
            var s: Float = 0
            for t in 0..<k { s = s.addingProduct(a[i * k + t], b[t * n + j]) }
            return s
        }
    }

    /// The engine's shapes (seed-002 CNN at a chunk of 8, dense layers at 8 and 10, the
    /// elastic smoothing) and odd edge sizes, in all four transpose cases, on every path
    /// this CPU runs: every element equals the fused chain bit for bit.
    func testEveryPathComputesTheSameFusedChain() throws {
        var random = RandomStream(seed: 9, purpose: .initialization)
        let shapes = [(16, 4608, 25), (16, 25, 4608), (32, 512, 400), (32, 400, 512), (400, 512, 32), (8, 128, 512),
                      (128, 512, 8), (10, 30, 784), (1, 1, 1), (3, 17, 5), (7, 33, 0), (0, 5, 3), (65, 9, 13)]
        for (m, n, k) in shapes {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let product = Case(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, random: &random)
                var results: [KernelPath: [Float]] = [:]
                for path in KernelPath.supported {
                    try KernelPath.select(path)
                    results[path] = product.product()
                }
                let baseline = try XCTUnwrap(results[.baseline])
                for (path, c) in results {
                    XCTAssertEqual(c.map(\.bitPattern), baseline.map(\.bitPattern), "\(m)x\(n)x\(k) \(transposeA) \(transposeB) on \(path)")
                }
                // 200 entries spread over the result against the chain written out here.
                for entry in stride(from: 0, to: m * n, by: max(1, m * n / 200)) {
                    let i = entry / n, j = entry % n
                    XCTAssertEqual(baseline[entry].bitPattern, product.chain(i, j).bitPattern,
                                   "\(m)x\(n)x\(k) transposes \(transposeA) \(transposeB) at [\(i), \(j)]")
                }
            }
        }
    }

    /// Against float64 sums: within a few float32 roundings of the sum of |terms|.
    func testProductsAgreeWithFloat64() {
        var random = RandomStream(seed: 10, purpose: .initialization)
        for (m, n, k) in [(2048, 32, 400), (64, 128, 512), (10, 30, 784)] {
            let product = Case(m: m, n: n, k: k, transposeA: false, transposeB: true, random: &random)
            let c = product.product()
            for entry in stride(from: 0, to: m * n, by: max(1, m * n / 300)) {
                let i = entry / n, j = entry % n
                let terms = (0..<k).map { Double(product.a[i * k + $0]) * Double(product.b[$0 * n + j]) }
                let bound = Double(k + 2) * 1.2e-7 * terms.reduce(0) { $0 + abs($1) }
                XCTAssertLessThanOrEqual(abs(Double(c[entry]) - terms.reduce(0, +)), bound, "\(m)x\(n)x\(k) at [\(i), \(j)]")
            }
        }
    }

    /// EXPERIMENTS_ISA: a path by name, or one clear error for a name that is no path.
    func testTheEnvironmentVariableSelectsAPathOrSaysWhy() throws {
        try KernelPath.selectFromEnvironment(["EXPERIMENTS_ISA": "baseline"])
        XCTAssertEqual(KernelPath.current, .baseline)
        XCTAssertThrowsError(try KernelPath.selectFromEnvironment(["EXPERIMENTS_ISA": "neon"])) { error in
            XCTAssertEqual("\(error)", "EXPERIMENTS_ISA=neon: not a path (paths: baseline, avx2, avx512)")
        }
        XCTAssertEqual(KernelPath.current, .baseline, "a refused value changes nothing")
        try KernelPath.selectFromEnvironment([:])
        XCTAssertEqual(KernelPath.current, .baseline, "unset: the path stays")
    }
}
