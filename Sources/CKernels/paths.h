// Private to CKernels: the target attributes of each path, for kernels that are compiled once
// per path from one body (each_path.h includes a body once per path; the GEMM has a file per path).
#pragma once
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define HAVE_X86_PATHS 1
#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#else
#define HAVE_X86_PATHS 0
#endif
