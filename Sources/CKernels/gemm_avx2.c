// The AVX2 + FMA path of kernel_sgemm (see gemm.c).
#include "gemm_internal.h"
#if HAVE_X86_PATHS
#include "gemm_x86.h"

// 8 lanes, 16 registers (U * V accumulators + V columns + 1 broadcast).
#define transpose_block_avx2 gemm_transpose8
#define PATH_NAME(f) f##_avx2
#define PATH_TARGET AVX2_TARGET
#define W 8
#define VEC __m256
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VLOAD_N(p, n) _mm256_maskload_ps(p, gemm_mask8(n))
#define VSTORE_N(p, v, n) _mm256_maskstore_ps(p, gemm_mask8(n), v)
#define VBCAST(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define UMAX_V1 12
#define UMAX_V2 6
#define UMAX_V3 4
#define UMAX_V4 2
#define PATH_TRANSPOSE 1
#include "gemm_body.h"
#endif
