import CKernels
import Foundation
import Synchronization

/// C[m, n] = op(A) . op(B), row-major float32: every product of the convolution and dense
/// layers. Our own kernels (Sources/CKernels/gemm.c), single-threaded (training splits a
/// mini-batch over threads instead): each element of C is one chain of fused multiply-adds
/// in increasing k, so it has the same bits on every instruction-set path and CPU.
func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
           _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
           _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    ProductClock.time {
        kernel_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, lda, b, ldb, c, ldc)
    }
}

/// Time spent in matrix products, summed over
/// threads, for the benchmark's "share of time in sgemm".
/// Counts only while switched on (off, a product costs one extra load).
public enum ProductClock {
    private static let counting = Atomic<Bool>(false)
    private static let nanoseconds = Atomic<UInt64>(0)

    /// Runs one product, counting its time when the clock is on.
    static func time(_ product: () -> Void) {
        guard counting.load(ordering: .relaxed) else { return product() }
        let start = DispatchTime.now().uptimeNanoseconds
        product()
        nanoseconds.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed)
    }

    /// Starts counting from zero.
    public static func start() {
        nanoseconds.store(0, ordering: .relaxed)
        counting.store(true, ordering: .relaxed)
    }

    /// Stops counting; returns the seconds counted since `start`.
    public static func stop() -> Double {
        counting.store(false, ordering: .relaxed)
        return Double(nanoseconds.load(ordering: .relaxed)) / 1e9
    }
}
