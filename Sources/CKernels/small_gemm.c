// See include/small_gemm.h. Each kernel keeps a block of accumulators in registers and
// sums in a fixed order, so a result depends only on the operands (not on threads or
// alignment). The block shapes were measured on the 784-30 and 512-128 layers at batch 10.
#include "small_gemm.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx2,fma")))

int small_gemm_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

int small_gemm_avx512(void) {
    __builtin_cpu_init();
    return small_gemm_supported() && __builtin_cpu_supports("avx512f");
}

// Sum of the 8 lanes, pairwise in a fixed order.
AVX2 static inline float lane_sum(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    return _mm_cvtss_f32(h);
}

// R rows of a against C rows of b (all of length k), 8 of k at a time; c has row stride ldc.
#define DOTS(R, C)                                                                           \
AVX2 static void dots_##R##x##C(size_t k, const float *a, const float *b, float *c, size_t ldc) { \
    __m256 acc[R][C];                                                                        \
    for (int r = 0; r < R; r++) for (int j = 0; j < C; j++) acc[r][j] = _mm256_setzero_ps(); \
    size_t t = 0;                                                                            \
    for (; t + 8 <= k; t += 8) {                                                             \
        __m256 av[R];                                                                        \
        for (int r = 0; r < R; r++) av[r] = _mm256_loadu_ps(a + r * k + t);                  \
        for (int j = 0; j < C; j++) {                                                        \
            __m256 bv = _mm256_loadu_ps(b + j * k + t);                                      \
            for (int r = 0; r < R; r++) acc[r][j] = _mm256_fmadd_ps(av[r], bv, acc[r][j]);   \
        }                                                                                    \
    }                                                                                        \
    for (int r = 0; r < R; r++) for (int j = 0; j < C; j++) {                                \
        float s = lane_sum(acc[r][j]);                                                       \
        for (size_t u = t; u < k; u++) s = __builtin_fmaf(a[r * k + u], b[j * k + u], s);    \
        c[r * ldc + j] = s;                                                                  \
    }                                                                                        \
}
DOTS(2, 6)
DOTS(1, 6)
DOTS(2, 1)
DOTS(1, 1)

// The same with 16 lanes: k in steps of 16, the last partial step a masked load (no scalar
// tail); the lanes summed by _mm512_reduce_add_ps.
#define DOTS16(R, C)                                                                         \
AVX512 static void dots16_##R##x##C(size_t k, const float *a, const float *b, float *c, size_t ldc) { \
    __m512 acc[R][C];                                                                        \
    for (int r = 0; r < R; r++) for (int j = 0; j < C; j++) acc[r][j] = _mm512_setzero_ps(); \
    for (size_t t = 0; t < k; t += 16) {                                                     \
        __mmask16 m = k - t >= 16 ? 0xffff : (__mmask16)((1u << (k - t)) - 1);               \
        __m512 av[R];                                                                        \
        for (int r = 0; r < R; r++) av[r] = _mm512_maskz_loadu_ps(m, a + r * k + t);          \
        for (int j = 0; j < C; j++) {                                                        \
            __m512 bv = _mm512_maskz_loadu_ps(m, b + j * k + t);                             \
            for (int r = 0; r < R; r++) acc[r][j] = _mm512_fmadd_ps(av[r], bv, acc[r][j]);   \
        }                                                                                    \
    }                                                                                        \
    for (int r = 0; r < R; r++) for (int j = 0; j < C; j++) c[r * ldc + j] = _mm512_reduce_add_ps(acc[r][j]); \
}
DOTS16(2, 6)
DOTS16(1, 6)
DOTS16(2, 1)
DOTS16(1, 1)

// Blocks of 6 rows of b (in L1 while every pair of a's rows passes them) by 2 rows of a:
// 12 accumulators, 8 loads per 12 multiply-adds. On a CPU with AVX-512 the same blocks with
// 16 lanes (another summation order: runs record which kernels multiplied).
#define ABT(DOTS)                                                                            \
    size_t j = 0;                                                                            \
    for (; j + 6 <= m; j += 6) {                                                             \
        size_t r = 0;                                                                        \
        for (; r + 2 <= rows; r += 2) DOTS##_2x6(k, a + r * k, b + j * k, c + r * m + j, m); \
        if (r < rows) DOTS##_1x6(k, a + r * k, b + j * k, c + r * m + j, m);                 \
    }                                                                                        \
    for (; j < m; j++) {                                                                     \
        size_t r = 0;                                                                        \
        for (; r + 2 <= rows; r += 2) DOTS##_2x1(k, a + r * k, b + j * k, c + r * m + j, m); \
        if (r < rows) DOTS##_1x1(k, a + r * k, b + j * k, c + r * m + j, m);                 \
    }

AVX2 static void abt_avx2(size_t rows, size_t m, size_t k, const float *a, const float *b, float *c) { ABT(dots) }
AVX512 static void abt_avx512(size_t rows, size_t m, size_t k, const float *a, const float *b, float *c) { ABT(dots16) }

void small_gemm_abt(size_t rows, size_t m, size_t k, const float *a, const float *b, float *c) {
    if (small_gemm_avx512()) abt_avx512(rows, m, k, a, b, c);
    else abt_avx2(rows, m, k, a, b, c);
}

// R rows of c, 8 columns: c[r, 0..8] = sum over t of A(r, t) b[t, 0..8].
#define ROWS(R)                                                                              \
AVX2 static void rows_##R(size_t inner, size_t n, const float *a, size_t ars, size_t ats,    \
                          const float *b, float *c) {                                        \
    __m256 acc[R];                                                                           \
    for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();                                \
    for (size_t t = 0; t < inner; t++) {                                                     \
        __m256 bv = _mm256_loadu_ps(b + t * n);                                              \
        for (int r = 0; r < R; r++)                                                          \
            acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(a + r * ars + t * ats), bv, acc[r]); \
    }                                                                                        \
    for (int r = 0; r < R; r++) _mm256_storeu_ps(c + r * n, acc[r]);                         \
}
ROWS(1) ROWS(2) ROWS(3) ROWS(4) ROWS(5) ROWS(6)

// R rows of c, 16 columns: the same sums as rows_R, 16 columns at a time (each column is
// one chain of fused multiply-adds over t, so both widths give the same bits).
#define ROWS16(R)                                                                            \
AVX512 static void rows16_##R(size_t inner, size_t n, const float *a, size_t ars, size_t ats, \
                              const float *b, float *c) {                                    \
    __m512 acc[R];                                                                           \
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();                                \
    for (size_t t = 0; t < inner; t++) {                                                     \
        __m512 bv = _mm512_loadu_ps(b + t * n);                                              \
        for (int r = 0; r < R; r++) acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(a[r * ars + t * ats]), bv, acc[r]); \
    }                                                                                        \
    for (int r = 0; r < R; r++) _mm512_storeu_ps(c + r * n, acc[r]);                         \
}
ROWS16(1) ROWS16(2) ROWS16(3) ROWS16(4) ROWS16(5) ROWS16(6)

// Blocks of up to 6 rows by WIDTH columns from column i on; returns the first column left.
#define AB_BLOCKS(WIDTH, ROWS)                                                               \
    for (; i + WIDTH <= n; i += WIDTH) {                                                     \
        for (size_t r = 0; r < rows; r += 6) {                                               \
            const float *ar = a + r * a_row_stride;                                          \
            float *cr = c + r * n + i;                                                       \
            switch (rows - r < 6 ? rows - r : 6) {                                           \
            case 1: ROWS##_1(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break;  \
            case 2: ROWS##_2(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break;  \
            case 3: ROWS##_3(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break;  \
            case 4: ROWS##_4(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break;  \
            case 5: ROWS##_5(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break;  \
            default: ROWS##_6(inner, n, ar, a_row_stride, a_inner_stride, b + i, cr); break; \
            }                                                                                \
        }                                                                                    \
    }                                                                                        \
    return i;

AVX512 static size_t ab_avx512(size_t i, size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                               size_t a_inner_stride, const float *b, float *c) { AB_BLOCKS(16, rows16) }

// Blocks of up to 6 rows by 8 columns (wider AVX2 blocks measured slower: 4x16 took twice as long).
AVX2 static size_t ab_avx2(size_t i, size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                           size_t a_inner_stride, const float *b, float *c) { AB_BLOCKS(8, rows) }

// The last columns one at a time, with the vector columns' arithmetic exactly: a fused
// multiply-add per term.
AVX2 static void ab_tail(size_t i, size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                         size_t a_inner_stride, const float *b, float *c) {
    for (; i < n; i++) {
        for (size_t r = 0; r < rows; r++) {
            float s = 0;
            for (size_t t = 0; t < inner; t++) s = __builtin_fmaf(a[r * a_row_stride + t * a_inner_stride], b[t * n + i], s);
            c[r * n + i] = s;
        }
    }
}

void small_gemm_ab(size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                   size_t a_inner_stride, const float *b, float *c) {
    size_t i = 0;
    if (small_gemm_avx512()) i = ab_avx512(i, rows, n, inner, a, a_row_stride, a_inner_stride, b, c);
    i = ab_avx2(i, rows, n, inner, a, a_row_stride, a_inner_stride, b, c);
    ab_tail(i, rows, n, inner, a, a_row_stride, a_inner_stride, b, c);
}

#else
// Not an x86 CPU: no kernels; the dense layers multiply through OpenBLAS (never calling these).
int small_gemm_supported(void) { return 0; }
int small_gemm_avx512(void) { return 0; }
void small_gemm_abt(size_t rows, size_t m, size_t k, const float *a, const float *b, float *c) {
    (void)rows; (void)m; (void)k; (void)a; (void)b; (void)c; __builtin_trap();
}
void small_gemm_ab(size_t rows, size_t n, size_t inner, const float *a, size_t a_row_stride,
                   size_t a_inner_stride, const float *b, float *c) {
    (void)rows; (void)n; (void)inner; (void)a; (void)a_row_stride; (void)a_inner_stride; (void)b; (void)c;
    __builtin_trap();
}
#endif
