import CBLAS
/// The kernel set OpenBLAS runs in this process and who chose it (Sources/CBLAS/blas.c).
public enum BLASKernels {
    /// OpenBLAS's name for its kernel set, e.g. "Cooperlake", "Haswell", "Prescott".
    public static var core: String { String(cString: blas_core()) }

    /// Who chose the kernel set: "experiments", "OPENBLAS_CORETYPE" (the user) or "OpenBLAS".
    public static var chooser: String { String(cString: blas_core_chooser()) }
    /// The CPU's vector features the choice looked at: "avx512 bf16", "avx512", "avx2 fma" or "none".
    public static var cpuFeatures: String { String(cString: blas_cpu_features()) }

    /// e.g. "Cooperlake (chosen by experiments from the CPU's avx512 bf16)": what runs record.
    public static var description: String {
        switch chooser {
        case "experiments": return "\(core) (chosen by experiments from the CPU's \(cpuFeatures))"
        case "OPENBLAS_CORETYPE": return "\(core) (set by the user's OPENBLAS_CORETYPE; CPU: \(cpuFeatures))"
        default: return "\(core) (OpenBLAS's own choice; CPU: \(cpuFeatures))"
        }
    }

    /// OpenBLAS's generic kernel sets: SSE2/SSE3/SSE4 code that runs on any x86-64 CPU at a
    /// fraction of an AVX2 or AVX-512 CPU's speed.
    public static let generic: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom",
                                               "Barcelona", "Opteron", "Opteron(SSE3)", "Athlon", "Katmai",
                                               "Coppermine", "Northwood", "Banias", "Bobcat", "Nano", "Unknown"]
}
