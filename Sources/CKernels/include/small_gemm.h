// Matrix products with a small mini-batch on one side, for the dense layers.
// OpenBLAS packs both operands into its own layout on every call; with 10 samples the
// packing costs more than the arithmetic (784-30 layer at batch 10: 20-30 us per product
// through cblas_sgemm, 8-12 us here). These kernels read the operands where they lie.
// Row-major float32. Call them only when small_gemm_supported() (an x86 CPU with AVX2
// and FMA); elsewhere they trap.
#pragma once
#include <stddef.h>

// 1 when this CPU has AVX2 and FMA, 0 otherwise.
int small_gemm_supported(void);
// 1 when the kernels use 16-lane AVX-512 blocks on this CPU (small_gemm_abt then sums in
// another order than with AVX2; small_gemm_ab gives the same bits either way).
int small_gemm_avx512(void);

// c[rows, m] = a[rows, k] . b[m, k]^T: dot products of a's rows with b's rows.
void small_gemm_abt(size_t rows, size_t m, size_t k, const float *a, const float *b, float *c);

// c[rows, n] = A . b[inner, n], with A(r, t) = a[r * a_row_stride + t * a_inner_stride]:
// each row of c a combination of b's rows. A strided A serves both dY . W (strides inner, 1)
// and dY^T . X (strides 1, rows).
void small_gemm_ab(size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                   size_t a_inner_stride, const float *b, float *c);
