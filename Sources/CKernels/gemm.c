// See include/gemm.h. One body (gemm_body.h) compiled once per instruction-set path: the
// baseline with portable C (fmaf on 4-float "vectors"), AVX2+FMA with 8 lanes, AVX-512 with
// 16. Each path packs op(A) and op(B) into panels (exact copies) and runs tiles of U rows by
// V vectors of columns, every lane of every accumulator one element's chain of fused
// multiply-adds in increasing k, so every path gives the chain's bits.
#include "gemm.h"
#include "kernel_paths.h"
#include "paths.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GEMM_KC 512               // most k per block (the chain continues through C between blocks)
#define GEMM_MC 144               // rows of op(A) packed at a time
#define GEMM_NC 768               // columns of op(B) packed at a time
#define GEMM_STACK_FLOATS 4096    // packing on the stack up to this size, else malloc

static float *gemm_alloc(size_t floats) {
    float *p = malloc(floats * sizeof(float) + 64);
    if (!p) abort();
    return p;
}
static void gemm_free(float *p) { free(p); }

// How a product is computed: turned (swap) or not, tiles of U rows by V vectors, op(A) packed
// or not (SL), by which body; cost its estimated cycles.
typedef struct gemm_plan gemm_plan;
struct gemm_plan {
    double cost;
    int swap, V, U, SL;
    void (*execute)(const gemm_plan *, int, int, size_t, size_t, size_t, const float *, size_t, const float *, size_t,
                    float *, size_t);
};
#ifndef GEMM_DIRECT_PANELS
#define GEMM_DIRECT_PANELS 2      // op(A) read where it lies when it meets at most this many panels
#endif
#define GEMM_LANES_PER_CYCLE 16.0 // lane multiply-adds per cycle, for the cost estimates
#ifndef GEMM_COST_TRANSPOSE
#define GEMM_COST_TRANSPOSE 0.3   // cycles per element of a transposing pack
#endif
#define GEMM_COST_COPY 0.1        // cycles per element of a copying pack
#define GEMM_COST_SCATTER 1.0     // cycles per element of C written through a tile buffer
#define GEMM_COST_TILE 20.0       // cycles per tile call

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
#undef PATH_NAME
#undef PATH_TARGET
#undef W
#undef VEC
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VLOAD_N
#undef VSTORE_N
#undef VBCAST
#undef VFMA
#undef UMAX_V1
#undef UMAX_V2
#undef UMAX_V3
#undef UMAX_V4
#undef PATH_TRANSPOSE

#if HAVE_X86_PATHS
#include <immintrin.h>

// ---- AVX2 + FMA: 8 lanes, 16 registers (U * V accumulators + V columns + 1 broadcast).
// dst[p * ldd + x] = src[x * lds + p] for p < 8, x < rows (0 for x >= rows).
AVX2_TARGET static inline void gemm_transpose8(const float *src, ptrdiff_t lds, int rows, float *dst, size_t ldd) {
    __m256 r[8];
    for (int i = 0; i < 8; i++) r[i] = i < rows ? _mm256_loadu_ps(src + i * lds) : _mm256_setzero_ps();
    __m256 r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4], r5 = r[5], r6 = r[6], r7 = r[7];
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xee),
           s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xee),
           s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xee),
           s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xee);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(s3, s7, 0x31));
}
// Lanes [0, n) set.
AVX2_TARGET static inline __m256i gemm_mask8(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
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
#undef PATH_NAME
#undef PATH_TARGET
#undef W
#undef VEC
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VLOAD_N
#undef VSTORE_N
#undef VBCAST
#undef VFMA
#undef UMAX_V1
#undef UMAX_V2
#undef UMAX_V3
#undef UMAX_V4
#undef PATH_TRANSPOSE

// ---- AVX-512: 16 lanes, 32 registers (broadcasts fold into the multiply-adds).
AVX512_TARGET static inline void gemm_transpose16(const float *src, ptrdiff_t lds, int rows, float *dst, size_t ldd) {
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = i < rows ? _mm512_loadu_ps(src + i * lds) : _mm512_setzero_ps();
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    }
    // r[4q + s]: rows 4q..4q+3, columns s, s+4, s+8, s+12 (one per 128-bit lane).
    for (int q = 0; q < 16; q += 8)
        for (int s = 0; s < 4; s++) {
            t[q + s] = _mm512_shuffle_f32x4(r[q + s], r[q + 4 + s], 0x88);
            t[q + 4 + s] = _mm512_shuffle_f32x4(r[q + s], r[q + 4 + s], 0xdd);
        }
    for (int s = 0; s < 8; s++) {
        r[s] = _mm512_shuffle_f32x4(t[s], t[8 + s], 0x88);
        r[8 + s] = _mm512_shuffle_f32x4(t[s], t[8 + s], 0xdd);
    }
    for (int i = 0; i < 16; i++) _mm512_storeu_ps(dst + i * ldd, r[i]);  // r[i]: column i
}
#define transpose_block_avx512 gemm_transpose16
#define PATH_NAME(f) f##_avx512
#define PATH_TARGET AVX512_TARGET
#define W 16
#define VEC __m512
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VLOAD_N(p, n) _mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), p)
#define VSTORE_N(p, v, n) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (n)) - 1), v)
#define VBCAST(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define UMAX_V1 12
#define UMAX_V2 12
#define UMAX_V3 8
#define UMAX_V4 6
#define PATH_TRANSPOSE 1
#include "gemm_body.h"
#undef PATH_NAME
#undef PATH_TARGET
#undef W
#undef VEC
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VLOAD_N
#undef VSTORE_N
#undef VBCAST
#undef VFMA
#undef UMAX_V1
#undef UMAX_V2
#undef UMAX_V3
#undef UMAX_V4
#undef PATH_TRANSPOSE

// ---- AVX-512 with 8 lanes (ymm): the same FMA throughput on CPUs that split 512-bit
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
#undef PATH_NAME
#undef PATH_TARGET
#undef W
#undef VEC
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VLOAD_N
#undef VSTORE_N
#undef VBCAST
#undef VFMA
#undef UMAX_V1
#undef UMAX_V2
#undef UMAX_V3
#undef UMAX_V4
#undef PATH_TRANSPOSE
#endif

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
        consider_avx512(&plan, transpose_a, transpose_b, m, n, k);
        consider_avx512y(&plan, transpose_a, transpose_b, m, n, k);
        break;
    case kernel_path_avx2: consider_avx2(&plan, transpose_a, transpose_b, m, n, k); break;
#endif
    default: consider_baseline(&plan, transpose_a, transpose_b, m, n, k); break;
    }
#ifdef GEMM_PLAN_HOOK
    GEMM_PLAN_HOOK(&plan);
#endif
    plan.execute(&plan, transpose_a, transpose_b, m, n, k, a, lda, b, ldb, c, ldc);
}
