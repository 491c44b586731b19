import Foundation
import XCTest
@testable import ConvNet

/// The BLAS the engine loads (Sources/CBLAS/blas.c): kernels that fit the CPU, correct
/// results on the engine's own product shapes.
final class BLASTests: XCTestCase {
    /// On a CPU with AVX2 or AVX-512 the engine never runs OpenBLAS's generic SSE kernels
    /// (Debian's OpenBLAS 0.3.21 falls back to them on CPUs newer than itself).
    func testAVXCPUsDoNotRunGenericKernels() throws {
        try XCTSkipIf(BLASKernels.cpuFeatures == "none", "this CPU has neither AVX2 nor AVX-512")
        XCTAssertFalse(BLASKernels.generic.contains(BLASKernels.core),
                       "\(BLASKernels.description): generic kernels on a CPU with \(BLASKernels.cpuFeatures)")
        if BLASKernels.chooser != "OPENBLAS_CORETYPE" {
            let expected = BLASKernels.cpuFeatures.hasPrefix("avx512") ? ["SkylakeX", "Cooperlake"] : ["Haswell", "Zen"]
            XCTAssertTrue(expected.contains(BLASKernels.core), BLASKernels.description)
        }
    }

    /// The products of the seed-002 CNN and the dense layers, in all four transpose cases,
    /// against float64 sums: within a few float32 roundings of the sum of |terms| (the bound
    /// of a k-term float32 dot product, whatever order the kernels add in).
    func testEngineShapesAgreeWithFloat64() {
        var random = RandomStream(seed: 9, purpose: .initialization)
        // (m, n, k): conv1's im2col at a chunk of 32 images, conv2's, dense 512-128 at 64, 784-30 at 10.
        for (m, n, k) in [(18432, 16, 25), (2048, 32, 400), (64, 128, 512), (10, 30, 784), (30, 784, 10)] {
            let a = (0..<(m * k)).map { _ in Float(random.gaussian()) }
            let b = (0..<(k * n)).map { _ in Float(random.gaussian()) }
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                // Lay the operands out as the transposes say: A[i, t] sits at a[t * m + i] when transposed.
                let aStored = transposeA ? (0..<(m * k)).map { a[($0 % m) * k + $0 / m] } : a
                let bStored = transposeB ? (0..<(k * n)).map { b[($0 % k) * n + $0 / k] } : b
                var c = [Float](repeating: .nan, count: m * n)
                sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, aStored,
                      lda: transposeA ? m : k, bStored, ldb: transposeB ? k : n, &c, ldc: n)
                // 400 entries spread over the result (a full float64 product is slow in a debug test).
                for entry in stride(from: 0, to: m * n, by: max(1, m * n / 400)) {
                    let i = entry / n, j = entry % n
                    let terms = (0..<k).map { Double(a[i * k + $0]) * Double(b[$0 * n + j]) }
                    let bound = Double(k + 2) * 1.2e-7 * terms.reduce(0) { $0 + abs($1) }
                    XCTAssertLessThanOrEqual(abs(Double(c[entry]) - terms.reduce(0, +)), bound,
                                             "\(m)x\(n)x\(k) transposes \(transposeA) \(transposeB) at [\(i), \(j)] with \(BLASKernels.description)")
                }
            }
        }
    }
}
