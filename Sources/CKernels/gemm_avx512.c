// The AVX-512 path of kernel_sgemm with 16 lanes (see gemm.c).
#include "gemm_internal.h"
#if HAVE_X86_PATHS
#include <immintrin.h>

// 16 lanes, 32 registers (broadcasts fold into the multiply-adds).
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
#endif
