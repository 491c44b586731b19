// See include/gemm.h. One body (gemm_body.h) compiled once per instruction-set path, each in
// its own translation unit so they compile in parallel: the baseline here with portable C
// (fmaf on 4-float "vectors"), AVX2+FMA with 8 lanes (gemm_avx2.c), AVX-512 with 16 or 8
// (gemm_avx512.c, gemm_avx512y.c). Each path packs op(A) and op(B) into panels (exact copies)
// and runs tiles of U rows by V vectors of columns, every lane of every accumulator one
// element's chain of fused multiply-adds in increasing k, so every path gives the chain's bits.
#include "gemm_internal.h"
#include "kernel_paths.h"
#include <math.h>

// ---- Baseline: portable C, 4-float vectors of fmaf.
typedef struct { float x[4]; } gemm_vec4;
static inline gemm_vec4 gemm4_zero(void) { gemm_vec4 r = {{0, 0, 0, 0}}; return r; }
static inline gemm_vec4 gemm4_load(const float *p) { gemm_vec4 r; memcpy(r.x, p, sizeof r.x); return r; }
static inline void gemm4_store(float *p, gemm_vec4 v) { memcpy(p, v.x, sizeof v.x); }
static inline gemm_vec4 gemm4_load_n(const float *p, int n) {
    gemm_vec4 r = gemm4_zero();
    for (int i = 0; i < n; i++) r.x[i] = p[i];
    return r;
}
static inline void gemm4_store_n(float *p, gemm_vec4 v, int n) { for (int i = 0; i < n; i++) p[i] = v.x[i]; }
static inline gemm_vec4 gemm4_bcast(float x) { gemm_vec4 r = {{x, x, x, x}}; return r; }
static inline gemm_vec4 gemm4_fma(gemm_vec4 a, gemm_vec4 b, gemm_vec4 c) {
    for (int i = 0; i < 4; i++) c.x[i] = fmaf(a.x[i], b.x[i], c.x[i]);
    return c;
}
#define PATH_NAME(f) f##_baseline
#define PATH_TARGET
#define W 4
#define VEC gemm_vec4
#define VZERO() gemm4_zero()
#define VLOAD(p) gemm4_load(p)
#define VSTORE(p, v) gemm4_store(p, v)
#define VLOAD_N(p, n) gemm4_load_n(p, n)
#define VSTORE_N(p, v, n) gemm4_store_n(p, v, n)
#define VBCAST(x) gemm4_bcast(x)
#define VFMA(a, b, c) gemm4_fma(a, b, c)
#define UMAX_V1 8
#define UMAX_V2 4
#define UMAX_V3 2
#define UMAX_V4 2
#define PATH_TRANSPOSE 0
#include "gemm_body.h"

void kernel_sgemm(int transpose_a, int transpose_b, size_t m, size_t n, size_t k, const float *a, size_t lda,
                  const float *b, size_t ldb, float *c, size_t ldc) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
        for (size_t i = 0; i < m; i++) memset(c + i * ldc, 0, n * sizeof(float));
        return;
    }
    gemm_plan plan;
    plan.cost = __builtin_inf();
    switch (kernel_path_current()) {
#if HAVE_X86_PATHS
    case kernel_path_avx512:
        gemm_consider_avx512(&plan, transpose_a, transpose_b, m, n, k);
        gemm_consider_avx512y(&plan, transpose_a, transpose_b, m, n, k);
        break;
    case kernel_path_avx2: gemm_consider_avx2(&plan, transpose_a, transpose_b, m, n, k); break;
#endif
    default: gemm_consider_baseline(&plan, transpose_a, transpose_b, m, n, k); break;
    }
#ifdef GEMM_PLAN_HOOK
    GEMM_PLAN_HOOK(&plan);
#endif
    plan.execute(&plan, transpose_a, transpose_b, m, n, k, a, lda, b, ldb, c, ldc);
}
