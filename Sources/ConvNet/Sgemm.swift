import CBLAS
import Foundation
import Synchronization

/// C[m, n] = op(A) . op(B), row-major float32 (alpha 1, beta 0): every product of the
/// dense and convolution layers goes through here, so that its time can be counted.
func sgemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
           _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
           _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    let start = SgemmClock.isCounting ? DispatchTime.now().uptimeNanoseconds : 0
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    if start > 0 { SgemmClock.nanoseconds.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed) }
}

/// Time spent in sgemm, summed over threads, for the benchmark's "share of time in sgemm".
/// Counts only while switched on (off, a product costs one extra load).
public enum SgemmClock {
    private static let counting = Atomic<Bool>(false)
    fileprivate static let nanoseconds = Atomic<UInt64>(0)

    static var isCounting: Bool { counting.load(ordering: .relaxed) }

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
