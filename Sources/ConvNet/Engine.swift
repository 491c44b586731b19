import CKernels
import Foundation

/// The engine's version for cache keys: raise it whenever a change alters what the engine
/// computes or records for the same config, so stored runs are never silently reused.
/// 2: training runs OpenBLAS on one thread (bit-identical whatever the machine's cores).
/// 3: a large enough mini-batch is trained in chunks whose gradients are summed in chunk
/// order (BatchChunks.swift); the sigmoid uses a vectorisable e^x (within 2 ulp of exp);
/// a convolution's bias gradient is summed in 8 partial sums. All change the rounding.
/// 4: dense layers multiply mini-batches of up to 16 samples with their own kernels
/// (`SmallBatch`, Sources/CKernels), which round differently from OpenBLAS.
/// 5: mini-batches are split into chunks of 8 samples (cache-sized) instead of at most 2;
/// the dense layers' forward kernel sums in 16 lanes on CPUs with AVX-512;
/// OpenBLAS runs kernels chosen for the CPU (Sources/CBLAS/blas.c), which on some CPUs are
/// not the ones it chose before.
public enum Engine {
    public static let version = 5

    /// The CPU as runs and benchmarks name it: /proc/cpuinfo's model name, which on virtual
    /// machines is often only the product line ("AMD EPYC"), so with its family and model
    /// numbers (AMD family 25 model 1 is Zen 3, model 17 Zen 4) and the vector features the
    /// kernels choose by.
    public static var cpu: String {
        let lines = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
        func field(_ name: String) -> String? {
            // "model" must not match "model name": compare the whole key before the colon.
            lines.first { $0.split(separator: ":", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) == name }?
                .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        }
        let family = field("cpu family").map { "family \($0)" }, model = field("model").map { "model \($0)" }
        let details = [family, model].compactMap { $0 }.joined(separator: " ")
        return "\(field("model name") ?? "unknown CPU") (\(details.isEmpty ? "" : details + "; ")\(BLASKernels.cpuFeatures))"
    }

    /// Which code multiplies the dense layers' matrices on this machine (it decides the
    /// rounding, so a run records it beside the BLAS build).
    public static var denseProducts: String {
        guard SmallBatch.isAvailable else { return "OpenBLAS (no AVX2+FMA)" }
        let kernels = small_gemm_avx512() != 0 ? "AVX-512" : "AVX2+FMA"
        return "own \(kernels) kernels up to \(SmallBatch.limit) samples, OpenBLAS above"
    }
}
