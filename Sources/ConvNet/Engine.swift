import CKernels
import Foundation

/// The engine's version for cache keys: raise it whenever a change alters what the engine
/// computes or records for the same config, so stored runs are never silently reused.
/// 2: training runs OpenBLAS on one thread (bit-identical whatever the machine's cores).
/// 3: a large enough mini-batch is trained in chunks whose gradients are summed in chunk
/// order (BatchChunks.swift); the sigmoid uses a vectorisable e^x (within 2 ulp of exp);
/// a convolution's bias gradient is summed in 8 partial sums. All change the rounding.
/// 4: dense layers multiply mini-batches of up to 16 samples with their own kernels.
/// 5: mini-batches are split into chunks of 8 samples (cache-sized); OpenBLAS kernels
/// chosen for the CPU.
/// 6: one arithmetic on every CPU: every product through our own kernels (one chain of
/// fused multiply-adds per element, Sources/CKernels/gemm.c), our own exp, log, tanh,
/// sin and cos (Sources/CKernels/portable_math.c) instead of libm's, k-NN distances in
/// integers; the cache key is derived from the whole step (DerivedConfig.swift).
public enum Engine {
    public static let version = 6

    /// The CPU as runs and benchmarks name it: /proc/cpuinfo's model name, which on virtual
    /// machines is often only the product line ("AMD EPYC"), so with its family and model
    /// numbers (AMD family 25 model 1 is Zen 3, model 17 Zen 4) and the instruction-set
    /// paths it runs.
    public static var cpu: String {
        let lines = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").split(separator: "\n")
        func field(_ name: String) -> String? {
            // "model" must not match "model name": compare the whole key before the colon.
            lines.first { $0.split(separator: ":", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) == name }?
                .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces)
        }
        let family = field("cpu family").map { "family \($0)" }, model = field("model").map { "model \($0)" }
        let details = [family, model].compactMap { $0 }.joined(separator: " ")
        let paths = KernelPath.supported.map(\.rawValue).joined(separator: ", ")
        return "\(field("model name") ?? "unknown CPU") (\(details.isEmpty ? "" : details + "; ")paths \(paths))"
    }
}

/// The instruction-set path the engine's C kernels run (Sources/CKernels/include/kernel_paths.h).
/// Every path gives the same bits; `EXPERIMENTS_ISA` forces one, else the fastest runs.
public enum KernelPath: String, CaseIterable, Sendable {
    case baseline, avx2, avx512

    /// The environment variable that forces a path.
    public static let variable = "EXPERIMENTS_ISA"

    var cValue: kernel_path {
        switch self {
        case .baseline: return kernel_path_baseline
        case .avx2: return kernel_path_avx2
        case .avx512: return kernel_path_avx512
        }
    }

    /// The paths this CPU runs, fastest first.
    public static var supported: [KernelPath] {
        let bits = kernel_paths_supported()
        return allCases.reversed().filter { bits & (1 << $0.cValue.rawValue) != 0 }
    }

    /// The path kernels run now.
    public static var current: KernelPath {
        let path = kernel_path_current()
        return allCases.first { $0.cValue == path } ?? .baseline
    }

    /// Makes `path` the one every later kernel runs.
    public static func select(_ path: KernelPath) throws {
        guard kernel_path_select(path.cValue) == 0 else {
            throw EngineError("\(variable)=\(path.rawValue): this CPU lacks that path (it runs \(supported.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    /// Selects the path `EXPERIMENTS_ISA` names, if set; throws one clear line for a value
    /// that names no path or a path this CPU lacks.
    public static func selectFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let value = environment[variable], !value.isEmpty else { return }
        guard let path = KernelPath(rawValue: value) else {
            throw EngineError("\(variable)=\(value): not a path (paths: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        try select(path)
    }
}

/// A request the engine cannot serve (a model that cannot be built, a path this CPU lacks), in one line.
public struct EngineError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
