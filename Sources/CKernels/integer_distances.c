// See include/integer_distances.h. The search body (integer_distances_body.h) is compiled once
// per instruction-set path; the paths differ in their micro-kernel, the product of 6 queries
// with a panel of 64 training rows:
//   baseline  portable C;
//   AVX2      vpmaddwd on bytes widened to int16 (8 lanes);
//   AVX-512   vpdpbusd (AVX-512 VNNI: 4 byte products summed per int32 lane, 16 lanes) when
//             this CPU has it, else the AVX2 kernel.
// Every one sums exact integer products, so all give the same distances.
#include "integer_distances.h"
#include "kernel_paths.h"
#include "paths.h"
#include <stdlib.h>
#include <string.h>
#if HAVE_X86_PATHS
#include <cpuid.h>
#include <immintrin.h>
#endif

enum { PANEL_ROWS = 64, MICRO_ROWS = 6, QUERY_BLOCK = 240 };

// Padded training rows (bytes 0): a term that keeps their distances above any real one
// (real squared distances are below 2^26) without overflowing an int32.
#define PADDING_TERM 0x70000000

typedef void (*micro_kernel)(size_t groups, const uint8_t *panel, const int8_t *queries, size_t ldq,
                             int32_t *restrict dots);

typedef struct {
    size_t query_count, dimension, train_count, k;
    const uint8_t *queries, *packed;
    const int32_t *terms;
    int32_t *distances, *indices;  // the k nearest (matrix NULL)
    int32_t *matrix;               // or every distance
} search_job;

size_t integer_packed_bytes(size_t train_count, size_t dimension) {
    return (train_count + PANEL_ROWS - 1) / PANEL_ROWS * PANEL_ROWS * ((dimension + 3) / 4 * 4);
}

size_t integer_packed_terms(size_t train_count) {
    return (train_count + PANEL_ROWS - 1) / PANEL_ROWS * PANEL_ROWS;
}

// packed[((p * groups) + g) * 256 + l * 4 + j] = train[p * 64 + l, 4 g + j] (0 past the ends):
// for each panel p of 64 rows and each group g of 4 columns, the 64 rows' 4 bytes in a row.
void integer_pack_train(size_t train_count, size_t dimension, const uint8_t *train,
                        uint8_t *packed, int32_t *terms) {
    const size_t groups = (dimension + 3) / 4, rows = integer_packed_terms(train_count);
    for (size_t t = 0; t < rows; t++) {
        const size_t p = t / PANEL_ROWS, l = t % PANEL_ROWS;
        int32_t square = 0, sum = 0;
        for (size_t g = 0; g < groups; g++) {
            uint8_t *out = packed + ((p * groups) + g) * PANEL_ROWS * 4 + l * 4;
            for (size_t j = 0; j < 4; j++) {
                const size_t i = 4 * g + j;
                const uint8_t v = t < train_count && i < dimension ? train[t * dimension + i] : 0;
                out[j] = v;
                square += v * v;
                sum += v;
            }
        }
        terms[t] = t < train_count ? square - 256 * sum : PADDING_TERM;
    }
}

#define EACH_PATH_BODY "integer_distances_body.h"
#include "each_path.h"
#if HAVE_X86_PATHS

// vpmaddwd: 4 training rows' 4 bytes widened to 16 int16, times a query's 4 bytes repeated:
// lanes (row, bytes 0-1) and (row, bytes 2-3), added in pairs at the end. 2 queries x 16 rows
// per pass over the groups (8 accumulators of 16 registers).
AVX2_TARGET static void micro_avx2(size_t groups, const uint8_t *panel, const int8_t *queries, size_t ldq,
                                   int32_t *restrict dots) {
    for (int r = 0; r < MICRO_ROWS; r += 2) {
        for (int l0 = 0; l0 < PANEL_ROWS; l0 += 16) {
            __m256i acc[2][4];
            for (int a = 0; a < 2; a++) for (int c = 0; c < 4; c++) acc[a][c] = _mm256_setzero_si256();
            for (size_t g = 0; g < groups; g++) {
                const uint8_t *t = panel + g * PANEL_ROWS * 4 + l0 * 4;
                __m256i tv[4];
                for (int c = 0; c < 4; c++) tv[c] = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(t + 16 * c)));
                for (int a = 0; a < 2; a++) {
                    int32_t w;
                    memcpy(&w, queries + (r + a) * ldq + 4 * g, 4);
                    const __m256i qv = _mm256_broadcastq_epi64(_mm_cvtepi8_epi16(_mm_cvtsi32_si128(w)));
                    for (int c = 0; c < 4; c++) acc[a][c] = _mm256_add_epi32(acc[a][c], _mm256_madd_epi16(tv[c], qv));
                }
            }
            for (int a = 0; a < 2; a++) for (int c = 0; c < 4; c++) {
                _Alignas(32) int32_t lanes[8];
                _mm256_store_si256((__m256i *)lanes, acc[a][c]);
                for (int i = 0; i < 4; i++) dots[(r + a) * PANEL_ROWS + l0 + 4 * c + i] = lanes[2 * i] + lanes[2 * i + 1];
            }
        }
    }
}

// vpdpbusd: unsigned training bytes times signed query bytes, 4 products summed into each
// of 16 int32 lanes (one lane per training row): 6 queries x 64 rows in 24 registers.
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void micro_vnni(size_t groups, const uint8_t *panel, const int8_t *queries, size_t ldq,
                       int32_t *restrict dots) {
    __m512i acc[MICRO_ROWS][4];
    for (int r = 0; r < MICRO_ROWS; r++) for (int c = 0; c < 4; c++) acc[r][c] = _mm512_setzero_si512();
    for (size_t g = 0; g < groups; g++) {
        const uint8_t *t = panel + g * PANEL_ROWS * 4;
        const __m512i t0 = _mm512_loadu_si512(t), t1 = _mm512_loadu_si512(t + 64),
                      t2 = _mm512_loadu_si512(t + 128), t3 = _mm512_loadu_si512(t + 192);
        for (int r = 0; r < MICRO_ROWS; r++) {
            int32_t w;
            memcpy(&w, queries + r * ldq + 4 * g, 4);
            const __m512i q = _mm512_set1_epi32(w);
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], t0, q);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], t1, q);
            acc[r][2] = _mm512_dpbusd_epi32(acc[r][2], t2, q);
            acc[r][3] = _mm512_dpbusd_epi32(acc[r][3], t3, q);
        }
    }
    for (int r = 0; r < MICRO_ROWS; r++) for (int c = 0; c < 4; c++)
        _mm512_storeu_si512(dots + r * PANEL_ROWS + 16 * c, acc[r][c]);
}

// AVX-512 VNNI: CPUID leaf 7, ECX bit 11 (the AVX-512 path has already checked the OS state).
static int has_vnni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (c >> 11) & 1;
}
#endif

static int run(const search_job *job) {
    switch (kernel_path_current()) {
#if HAVE_X86_PATHS
    case kernel_path_avx512: return search_avx512(job, has_vnni() ? micro_vnni : micro_avx2);
    case kernel_path_avx2: return search_avx2(job, micro_avx2);
#endif
    default: return search_baseline(job, micro_portable_baseline);
    }
}

int integer_nearest(size_t query_count, size_t dimension, const uint8_t *queries,
                    size_t train_count, const uint8_t *packed, const int32_t *terms, size_t k,
                    int32_t *distances, int32_t *indices) {
    if (k < 1 || k > train_count) return -1;
    const search_job job = {query_count, dimension, train_count, k, queries, packed, terms,
                            distances, indices, NULL};
    return run(&job);
}

int integer_squared_distances(size_t query_count, size_t dimension, const uint8_t *queries,
                              size_t train_count, const uint8_t *packed, const int32_t *terms,
                              int32_t *out) {
    const search_job job = {query_count, dimension, train_count, 1, queries, packed, terms,
                            NULL, NULL, out};
    return run(&job);
}

size_t integer_bytes_from_pixels(size_t count, const float *pixels, uint8_t *bytes) {
    switch (kernel_path_current()) {
#if HAVE_X86_PATHS
    case kernel_path_avx512: return bytes_from_pixels_avx512(count, pixels, bytes);
    case kernel_path_avx2: return bytes_from_pixels_avx2(count, pixels, bytes);
#endif
    default: return bytes_from_pixels_baseline(count, pixels, bytes);
    }
}
