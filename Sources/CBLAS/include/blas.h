// The BLAS the engine multiplies with: Debian's OpenBLAS, loaded at first use with kernels
// that fit this CPU (blas.c says why and how). Row-major float32 only, as the engine needs.
#pragma once
#include <stdbool.h>

// c[m, n] = alpha . op(a) . op(b) + beta . c, row-major (cblas_sgemm with CblasRowMajor).
void blas_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

// sum x[i * incx] . y[i * incy] for i < n (cblas_sdot).
float blas_sdot(int n, const float *x, int incx, const float *y, int incy);

// OpenBLAS's thread count for one product (openblas_set/get_num_threads).
void blas_set_threads(int threads);
int blas_threads(void);

// OpenBLAS's build line, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... Cooperlake".
const char *blas_config(void);
// The kernel set OpenBLAS runs, e.g. "Cooperlake", "Haswell", "Prescott".
const char *blas_core(void);
// Who chose that kernel set: "OpenBLAS" (its own detection), "experiments" (from the CPU's
// features, since OpenBLAS 0.3.21 falls back to SSE3 kernels on CPUs newer than it), or
// "OPENBLAS_CORETYPE" (the user's environment, never overridden).
const char *blas_core_chooser(void);
// The CPU features the choice was made from, e.g. "avx512 bf16", "avx2 fma", "none".
const char *blas_cpu_features(void);
