// Private to CKernels: what the translation units of kernel_sgemm share (gemm.c with the
// dispatch and the baseline path; gemm_avx2.c, gemm_avx512.c, gemm_avx512y.c; each includes
// gemm_body.h once, for its path). See include/gemm.h.
#pragma once
#include "gemm.h"
#include "paths.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define GEMM_KC 512               // most k per block (the chain continues through C between blocks)
#define GEMM_MC 144               // rows of op(A) packed at a time
#define GEMM_NC 768               // columns of op(B) packed at a time
#define GEMM_STACK_FLOATS 4096    // packing on the stack up to this size, else malloc
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

static inline float *gemm_alloc(size_t floats) {
    float *p = malloc(floats * sizeof(float) + 64);
    if (!p) abort();
    return p;
}
static inline void gemm_free(float *p) { free(p); }

// How a product is computed: turned (swap) or not, tiles of U rows by V vectors, op(A) packed
// or not (SL), by which body; cost its estimated cycles.
typedef struct gemm_plan gemm_plan;
struct gemm_plan {
    double cost;
    int swap, V, U, SL;
    void (*execute)(const gemm_plan *, int, int, size_t, size_t, size_t, const float *, size_t, const float *, size_t,
                    float *, size_t);
};

// Each path's planner (gemm_body.h): replaces *best by its cheaper plans.
#define GEMM_CONSIDER(name) \
    void name(gemm_plan *best, int ta, int tb, size_t m, size_t n, size_t k)
GEMM_CONSIDER(gemm_consider_baseline);
#if HAVE_X86_PATHS
GEMM_CONSIDER(gemm_consider_avx2);
GEMM_CONSIDER(gemm_consider_avx512);
GEMM_CONSIDER(gemm_consider_avx512y);
#endif

// Tiles of one width and op(A) layout (gemm_body.h), for any number of rows U.
typedef void (*gemm_tiles_fn)(int U, size_t kc, const float *pa, size_t sas, const float *pb, size_t pbs, float *c,
                              ptrdiff_t crs, size_t nvalid, int accumulate);
