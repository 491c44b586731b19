import CBLAS
import CKernels
import Foundation
import Synchronization

/// C[m, n] = op(A) . op(B), row-major float32 (alpha 1, beta 0) through OpenBLAS: every
/// product of the convolution layers, and of the dense layers above `SmallBatch.limit`.
func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
           _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
           _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    ProductClock.time {
        blas_sgemm(transposeA, transposeB,
                   Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}

/// The dense layers' products when one side is a small mini-batch: the C kernels of
/// Sources/CKernels, which skip OpenBLAS's packing of both operands (at batch 10 it costs
/// more than the arithmetic). Measured with `scripts/bench.sh mlp`; the kernels sum in a
/// fixed order, so results stay independent of threads.
enum SmallBatch {
    /// The largest mini-batch (or batch chunk) the kernels take: measured forward + both
    /// backward products of 784-30, 784-100, 512-128 and 100-10 layers, the kernels win up to
    /// 12 samples by 1.1-4x, tie at 16 and lose by up to 25% at 20-32.
    static let limit = 16
    /// The kernels need AVX2 and FMA; without them every product goes to OpenBLAS.
    static let isAvailable = small_gemm_supported() != 0

    static func fits(_ batch: Int) -> Bool { batch <= limit && isAvailable }

    /// C[rows, m] = A[rows, k] . B[m, k]^T (a dense layer's forward pass).
    static func abt(rows: Int, m: Int, k: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                    _ c: UnsafeMutablePointer<Float>) {
        guard isAvailable else { fatalError("the small-batch kernels need AVX2 and FMA: check SmallBatch.fits first") }
        ProductClock.time { small_gemm_abt(rows, m, k, a, b, c) }
    }

    /// C[rows, n] = A . B[inner, n] with A(r, t) = a[r * rowStride + t * innerStride]
    /// (dY . W with strides (inner, 1); dY^T . X with strides (1, rows)).
    static func ab(rows: Int, n: Int, inner: Int, _ a: UnsafePointer<Float>, rowStride: Int, innerStride: Int,
                   _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
        guard isAvailable else { fatalError("the small-batch kernels need AVX2 and FMA: check SmallBatch.fits first") }
        ProductClock.time { small_gemm_ab(rows, n, inner, a, rowStride, innerStride, b, c) }
    }
}

/// Time spent in matrix products (OpenBLAS and the small-batch kernels), summed over
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
