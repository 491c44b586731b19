// The AVX-512 path of kernel_sgemm with 8 lanes (see gemm.c).
#include "gemm_internal.h"
#if HAVE_X86_PATHS
#include "gemm_x86.h"

// 8 lanes (ymm): the same FMA throughput on CPUs that split 512-bit
// operations, and fewer wasted lanes when a dimension is 8 or less.
#define transpose_block_avx512y gemm_transpose8
#define PATH_NAME(f) f##_avx512y
#define PATH_TARGET AVX512_TARGET
#define W 8
#define VEC __m256
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VLOAD_N(p, n) _mm256_maskz_loadu_ps((__mmask8)((1u << (n)) - 1), p)
#define VSTORE_N(p, v, n) _mm256_mask_storeu_ps(p, (__mmask8)((1u << (n)) - 1), v)
#define VBCAST(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define UMAX_V1 16
#define UMAX_V2 12
#define UMAX_V3 8
#define UMAX_V4 6
#define PATH_TRANSPOSE 1
#include "gemm_body.h"
#endif
