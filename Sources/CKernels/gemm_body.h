// Private to CKernels: the body of kernel_sgemm for one instruction-set path, included once
// per path (gemm.c, gemm_avx2.c, gemm_avx512.c, gemm_avx512y.c) with these defined:
//   PATH_NAME(f)   the function name f for this path
//   PATH_TARGET      its target attribute (empty for the baseline)
//   W              lanes per vector; VEC the vector type
//   VZERO(), VLOAD(p), VSTORE(p, v), VBCAST(x), VFMA(a, b, c) = a * b + c with one rounding,
//   VLOAD_N(p, n), VSTORE_N(p, v, n) the first n < W lanes (the others read as 0, not written)
//   UMAX_V1 .. UMAX_V4  the most rows of a tile with 1 .. 4 vectors of columns
//   PATH_TRANSPOSE 1 when PATH_NAME(transpose_block)(src, lds, rows, dst, ldd) exists: a W x W
//                  block with dst[p * ldd + x] = src[x * lds + p] for x < rows, else 0
//
// The product is computed in one orientation: C's columns (the "vector" dimension, n) across
// the lanes of vectors, C's rows (the "broadcast" dimension, m) one per accumulator row. The
// caller turns a product the other way round by swapping the operands and C's strides.
// Every accumulator lane is one element's chain: acc = fma(a[i][p], b[p][j], acc), p
// increasing, starting from +0 (first k block) or from the float stored in C by the previous
// k block. The packing only copies.

// A tile of U rows by V vectors (nvalid <= V * W columns valid) over kc steps of k.
// pa: the packed rows of op(A), pa[u * GEMM_KC + p] (SL 0) or pa[p * U + u] (SL 1); or op(A)
// itself, pa[u * sas + p] (SL 2).
// pb: op(B)'s columns, pb[p * pbs + x] for x < V * W (full vectors readable).
// c: the tile's element (u, x) at c[u * crs + x]; accumulate: start from it.
PATH_TARGET static inline __attribute__((always_inline)) void PATH_NAME(tile)(
    const int U, const int V, const int SL, size_t kc, const float *restrict pa, size_t sas,
    const float *restrict pb, size_t pbs, float *c, ptrdiff_t crs, size_t nvalid, int accumulate) {
    VEC acc[16][4];
    // The last vector of a row partial when nvalid < V * W.
    const int full = (int)(nvalid / W), part = (int)(nvalid % W);
    if (!accumulate) {
        _Pragma("clang loop unroll(full)") for (int u = 0; u < U; u++)
            _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) acc[u][v] = VZERO();
    } else {
        _Pragma("clang loop unroll(full)") for (int u = 0; u < U; u++)
            _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++)
                acc[u][v] = v < full ? VLOAD(c + u * crs + v * W) : v == full && part ? VLOAD_N(c + u * crs + v * W, part) : VZERO();
    }
    for (size_t p = 0; p < kc; p++) {
        VEC b[4];
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) b[v] = VLOAD(pb + v * W);
        _Pragma("clang loop unroll(full)") for (int u = 0; u < U; u++) {
            const VEC a = VBCAST(pa[SL == 0 ? u * GEMM_KC : SL == 1 ? u : u * sas]);
            _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) acc[u][v] = VFMA(a, b[v], acc[u][v]);
        }
        pa += SL == 1 ? U : 1;
        pb += pbs;
    }
    _Pragma("clang loop unroll(full)") for (int u = 0; u < U; u++)
        _Pragma("clang loop unroll(full)") for (int v = 0; v < V; v++) {
            if (v < full) VSTORE(c + u * crs + v * W, acc[u][v]);
            else if (v == full && part) VSTORE_N(c + u * crs + v * W, acc[u][v], part);
        }
}

#define GEMM_U_CASE(Uv, Vv, SLv)                                                                              \
    case Uv:                                                                                                  \
        if (Uv <= UMAX_V##Vv) PATH_NAME(tile)(Uv, Vv, SLv, kc, pa, sas, pb, pbs, c, crs, nvalid, accumulate); \
        break;
#define GEMM_TILES(Vv, SLv)                                                                                    \
    PATH_TARGET static void PATH_NAME(tiles_##Vv##_##SLv)(int U, size_t kc, const float *pa, size_t sas,         \
                                                          const float *pb, size_t pbs, float *c, ptrdiff_t crs, \
                                                          size_t nvalid, int accumulate) {                      \
        switch (U) {                                                                                           \
            GEMM_U_CASE(1, Vv, SLv) GEMM_U_CASE(2, Vv, SLv) GEMM_U_CASE(3, Vv, SLv) GEMM_U_CASE(4, Vv, SLv)    \
            GEMM_U_CASE(5, Vv, SLv) GEMM_U_CASE(6, Vv, SLv) GEMM_U_CASE(7, Vv, SLv) GEMM_U_CASE(8, Vv, SLv)    \
            GEMM_U_CASE(9, Vv, SLv) GEMM_U_CASE(10, Vv, SLv) GEMM_U_CASE(11, Vv, SLv) GEMM_U_CASE(12, Vv, SLv) \
            GEMM_U_CASE(13, Vv, SLv) GEMM_U_CASE(14, Vv, SLv) GEMM_U_CASE(15, Vv, SLv) GEMM_U_CASE(16, Vv, SLv) \
        default: __builtin_unreachable();                                                                      \
        }                                                                                                      \
    }
GEMM_TILES(1, 0) GEMM_TILES(1, 1) GEMM_TILES(1, 2) GEMM_TILES(2, 0) GEMM_TILES(2, 1) GEMM_TILES(2, 2)
GEMM_TILES(3, 0) GEMM_TILES(3, 1) GEMM_TILES(3, 2) GEMM_TILES(4, 0) GEMM_TILES(4, 1) GEMM_TILES(4, 2)
#undef GEMM_U_CASE
#undef GEMM_TILES

// The tiles of V vectors with op(A) as SL says, for any U.
PATH_TARGET static gemm_tiles_fn PATH_NAME(tiles)(int V, int SL) {
    static const gemm_tiles_fn fns[12] = {
        PATH_NAME(tiles_1_0), PATH_NAME(tiles_1_1), PATH_NAME(tiles_1_2), PATH_NAME(tiles_2_0),
        PATH_NAME(tiles_2_1), PATH_NAME(tiles_2_2), PATH_NAME(tiles_3_0), PATH_NAME(tiles_3_1),
        PATH_NAME(tiles_3_2), PATH_NAME(tiles_4_0), PATH_NAME(tiles_4_1), PATH_NAME(tiles_4_2)};
    return fns[(V - 1) * 3 + SL];
}

// Copies a turned tile of U rows (C^T: element (u, x) at c[x * ldc + u]) to a buffer,
// tmp[u * nt + x] (to_buffer), or back; U a constant, so the copy unrolls.
PATH_TARGET static inline __attribute__((always_inline)) void PATH_NAME(turned_copy)(
    const int U, int to_buffer, float *restrict tmp, size_t nt, float *restrict c, ptrdiff_t ldc, size_t nvalid) {
    for (size_t x = 0; x < nvalid; x++)
        _Pragma("clang loop unroll(full)") for (int u = 0; u < U; u++) {
            if (to_buffer) tmp[(size_t)u * nt + x] = c[(ptrdiff_t)x * ldc + u];
            else c[(ptrdiff_t)x * ldc + u] = tmp[(size_t)u * nt + x];
        }
}

// A tile of the turned product (C^T: element (u, x) at c[x * ldc + u]), through a buffer of U
// rows of V * W floats. Kept out of the tiles, so that each tile is compiled for contiguous
// rows only (the copies inside every tile took most of the compile time); not inlined, which
// keeps the buffer out of gemm's frame.
PATH_TARGET __attribute__((noinline)) static void PATH_NAME(tile_turned)(
    gemm_tiles_fn tiles, int V, int U, size_t kc, const float *pa, size_t sas, const float *pb, size_t pbs, float *c,
    ptrdiff_t ldc, size_t nvalid, int accumulate) {
    float tmp[16 * 4 * W] __attribute__((aligned(64)));
    const size_t nt = (size_t)(V * W);
#define GEMM_COPY(Uv, in) \
    case Uv: PATH_NAME(turned_copy)(Uv, in, tmp, nt, c, ldc, nvalid); break;
#define GEMM_COPIES(in)                                                                                      \
    switch (U) {                                                                                             \
        GEMM_COPY(1, in) GEMM_COPY(2, in) GEMM_COPY(3, in) GEMM_COPY(4, in) GEMM_COPY(5, in) GEMM_COPY(6, in)  \
        GEMM_COPY(7, in) GEMM_COPY(8, in) GEMM_COPY(9, in) GEMM_COPY(10, in) GEMM_COPY(11, in)                \
        GEMM_COPY(12, in) GEMM_COPY(13, in) GEMM_COPY(14, in) GEMM_COPY(15, in) GEMM_COPY(16, in)            \
    default: __builtin_unreachable();                                                                        \
    }
    if (accumulate) {
        for (int u = 0; u < U; u++)
            for (size_t x = nvalid; x < nt; x++) tmp[(size_t)u * nt + x] = 0;
        GEMM_COPIES(1)
    }
    tiles(U, kc, pa, sas, pb, pbs, tmp, (ptrdiff_t)nt, nt, accumulate);
    GEMM_COPIES(0)
#undef GEMM_COPIES
#undef GEMM_COPY
}

PATH_TARGET static int PATH_NAME(umax)(int V) {
    return V == 1 ? UMAX_V1 : V == 2 ? UMAX_V2 : V == 3 ? UMAX_V3 : UMAX_V4;
}

// One panel of op(B): dst[p * nr + x] = op(B)[p][x] for x < nvalid, 0 for the rest of nr.
PATH_TARGET static void PATH_NAME(pack_b)(size_t kc, size_t nvalid, size_t nr, const float *b, ptrdiff_t brs,
                                        ptrdiff_t bcs, float *restrict dst) {
    if (bcs == 1) {
        for (size_t p = 0; p < kc; p++) {
            const float *s = b + (ptrdiff_t)p * brs;
            float *d = dst + p * nr;
            for (size_t x = 0; x < nvalid; x++) d[x] = s[x];
            for (size_t x = nvalid; x < nr; x++) d[x] = 0;
        }
        return;
    }
    size_t x0 = 0;
#if PATH_TRANSPOSE
    if (brs == 1) {
        for (; x0 < nvalid; x0 += W) {
            const size_t rows = nvalid - x0 < W ? nvalid - x0 : W;
            size_t p = 0;
            for (; p + W <= kc; p += W)
                PATH_NAME(transpose_block)(b + (ptrdiff_t)x0 * bcs + p, bcs, (int)rows, dst + p * nr + x0, nr);
            for (; p < kc; p++)
                for (size_t x = x0; x < x0 + W; x++) dst[p * nr + x] = x < nvalid ? b[(ptrdiff_t)x * bcs + p] : 0;
        }
        for (size_t p = 0; p < kc; p++)
            for (size_t x = x0; x < nr; x++) dst[p * nr + x] = 0;
        return;
    }
#endif
    for (size_t p = 0; p < kc; p++) {
        for (size_t x = x0; x < nvalid; x++) dst[p * nr + x] = b[(ptrdiff_t)p * brs + (ptrdiff_t)x * bcs];
        for (size_t x = nvalid; x < nr; x++) dst[p * nr + x] = 0;
    }
}

// Rows [i0, i0 + mc) of op(A), columns [0, kc), as panels of U rows (the last may be fewer).
PATH_TARGET static void PATH_NAME(pack_a)(int SL, int U, size_t mc, size_t kc, const float *a, ptrdiff_t ars,
                                        ptrdiff_t acs, float *restrict dst) {
    for (size_t i = 0; i < mc; i += (size_t)U) {
        const size_t uu = mc - i < (size_t)U ? mc - i : (size_t)U;
        const float *s = a + (ptrdiff_t)i * ars;
        float *d = dst + i * (SL == 0 ? GEMM_KC : kc);
        if (SL == 0) {
            for (size_t u = 0; u < uu; u++) {
                const float *row = s + (ptrdiff_t)u * ars;
                if (acs == 1)
                    for (size_t p = 0; p < kc; p++) d[u * GEMM_KC + p] = row[p];
                else
                    for (size_t p = 0; p < kc; p++) d[u * GEMM_KC + p] = row[(ptrdiff_t)p * acs];
            }
        } else {
            for (size_t p = 0; p < kc; p++) {
                const float *col = s + (ptrdiff_t)p * acs;
                if (ars == 1)
                    for (size_t u = 0; u < uu; u++) d[p * uu + u] = col[u];
                else
                    for (size_t u = 0; u < uu; u++) d[p * uu + u] = col[(ptrdiff_t)u * ars];
            }
        }
    }
}

// C[i * crs + j * ccs] = sum over p of op(A)(i, p) op(B)(p, j), op(A)(i, p) = A[i * ars + p * acs],
// op(B)(p, j) = B[p * brs + j * bcs]; columns V vectors at a time, rows U at a time, op(A) packed
// (SL 0 when acs is 1, SL 1 when ars is 1) or read where it lies (SL 2, acs 1).
// ccs is 1, or crs is 1 (the turned product). abuf and bbuf as PATH_NAME(buffers) says.
PATH_TARGET static void PATH_NAME(gemm)(int V, int U, int SL, size_t m, size_t n, size_t k, const float *A,
                                      ptrdiff_t ars, ptrdiff_t acs, const float *B, ptrdiff_t brs, ptrdiff_t bcs,
                                      float *C, ptrdiff_t crs, ptrdiff_t ccs, float *abuf, float *bbuf) {
    const gemm_tiles_fn tiles = PATH_NAME(tiles)(V, SL);
    const size_t nr = (size_t)(V * W);
    const size_t nc_block = nr * (GEMM_NC / nr > 0 ? GEMM_NC / nr : 1);
    const size_t mc_block = (size_t)U * (GEMM_MC / U > 0 ? GEMM_MC / U : 1);
    const int pack_all = bcs != 1;
    const size_t kc_block = (k + (k + GEMM_KC - 1) / GEMM_KC - 1) / ((k + GEMM_KC - 1) / GEMM_KC);
    for (size_t jc = 0; jc < n; jc += nc_block) {
        const size_t nc = n - jc < nc_block ? n - jc : nc_block;
        for (size_t pc = 0; pc < k; pc += kc_block) {
            const size_t kc = k - pc < kc_block ? k - pc : kc_block;
            const float *bp = B + (ptrdiff_t)pc * brs + (ptrdiff_t)jc * bcs;
            if (pack_all) {
                for (size_t jr = 0; jr < nc; jr += nr)
                    PATH_NAME(pack_b)(kc, nc - jr < nr ? nc - jr : nr, nr, bp + (ptrdiff_t)jr * bcs, brs, bcs,
                                      bbuf + jr * GEMM_KC);
            } else if (nc % W) {  // a last panel ending inside a vector: copied, padded
                const size_t jr = nc - nc % nr;
                PATH_NAME(pack_b)(kc, nc - jr, nr, bp + jr, brs, 1, bbuf);
            }
            for (size_t ic = 0; ic < m; ic += mc_block) {
                const size_t mc = m - ic < mc_block ? m - ic : mc_block;
                const float *ap = A + (ptrdiff_t)ic * ars + (ptrdiff_t)pc * acs;
                if (SL != 2) PATH_NAME(pack_a)(SL, U, mc, kc, ap, ars, acs, abuf);
                for (size_t jr = 0; jr < nc; jr += nr) {
                    const size_t nv = nc - jr < nr ? nc - jr : nr;
                    // A last panel of fewer vectors runs narrower tiles (U fits: umax falls with V).
                    const int vv = nv < nr ? (int)((nv + W - 1) / W) : V;
                    const gemm_tiles_fn tl = vv == V ? tiles : PATH_NAME(tiles)(vv, SL);
                    const float *pb;
                    size_t pbs;
                    if (pack_all) pb = bbuf + jr * GEMM_KC, pbs = nr;
                    else if (nv % W) pb = bbuf, pbs = nr;
                    else pb = bp + jr, pbs = (size_t)brs;
                    for (size_t ir = 0; ir < mc; ir += (size_t)U) {
                        const int uu = mc - ir < (size_t)U ? (int)(mc - ir) : U;
                        const float *pa = SL == 2 ? ap + (ptrdiff_t)ir * ars : abuf + ir * (SL == 0 ? GEMM_KC : kc);
                        float *c = C + (ptrdiff_t)(ic + ir) * crs + (ptrdiff_t)(jc + jr) * ccs;
                        if (ccs == 1) tl(uu, kc, pa, (size_t)ars, pb, pbs, c, crs, nv, pc > 0);
                        else PATH_NAME(tile_turned)(tl, vv, uu, kc, pa, (size_t)ars, pb, pbs, c, ccs, nv, pc > 0);
                    }
                }
            }
        }
    }
}

PATH_TARGET static void PATH_NAME(execute)(const gemm_plan *plan, int ta, int tb, size_t m, size_t n, size_t k,
                                         const float *a, size_t lda, const float *b, size_t ldb, float *c,
                                         size_t ldc);

// A plan for the product turned so that its vectors run across n (swap: the product C^T =
// op(B)^T op(A)^T instead), with the tile shape and an estimate of its cost in cycles.
PATH_TARGET static gemm_plan PATH_NAME(plan)(int swap, int ta, int tb, size_t m, size_t n, size_t k) {
    int scalar_rows_contiguous = !ta, vector_rows_contiguous = !tb;   // acs == 1, bcs == 1
    if (swap) {
        size_t t = m; m = n; n = t;
        scalar_rows_contiguous = tb, vector_rows_contiguous = ta;
    }
    gemm_plan plan;
    plan.swap = swap;
    const size_t vectors = (n + W - 1) / W;
    int V;
    if (vectors <= 4) V = (int)vectors;
    else {  // few wasted lanes, and wide tiles (fewer loads per multiply-add)
        V = 4;
        double best = 0;
        for (int v = 4; v >= 2; v--) {
            const size_t padded = (vectors + (size_t)v - 1) / (size_t)v * (size_t)v;
            const double score = (double)vectors / (double)padded * (1 - 0.04 * (4 - v));
            if (score > best) best = score, V = v;
        }
    }
    const size_t nr = (size_t)(V * W), panels_n = (n + nr - 1) / nr;
    plan.V = V;
    plan.SL = !scalar_rows_contiguous ? 1 : panels_n <= GEMM_DIRECT_PANELS ? 2 : 0;
    const int umax = PATH_NAME(umax)(V);
    const size_t panels = (m + (size_t)umax - 1) / (size_t)umax;
    plan.U = (int)((m + panels - 1) / panels);
    const size_t kblocks = (k + GEMM_KC - 1) / GEMM_KC;
    // A broadcast per multiply-add of 8 lanes runs slower than the wider tiles.
    double cost = (double)(panels_n * nr) * (double)m * (double)k / GEMM_LANES_PER_CYCLE * (nr < 16 ? 1.3 : 1.0);
    if (!vector_rows_contiguous) cost += GEMM_COST_TRANSPOSE * (double)n * (double)k;
    else if (n % nr) cost += GEMM_COST_COPY * (double)nr * (double)k;
    if (plan.SL != 2) cost += GEMM_COST_COPY * (double)m * (double)k;
    if (swap) cost += GEMM_COST_SCATTER * (double)(m * n) * (double)kblocks;
    cost += GEMM_COST_TILE * (double)(panels * panels_n * kblocks);
    plan.cost = cost;
    plan.execute = PATH_NAME(execute);
    return plan;
}

// The buffer sizes (floats) gemm needs.
PATH_TARGET static void PATH_NAME(buffers)(int V, int U, int SL, size_t m, size_t n, ptrdiff_t bcs, size_t *a_size,
                                         size_t *b_size) {
    const size_t nr = (size_t)(V * W);
    const size_t nc_block = nr * (GEMM_NC / nr > 0 ? GEMM_NC / nr : 1);
    const size_t mc_block = (size_t)U * (GEMM_MC / U > 0 ? GEMM_MC / U : 1);
    const size_t mr = (m + (size_t)U - 1) / (size_t)U * (size_t)U;
    *a_size = SL == 2 ? 0 : (mr < mc_block ? mr : mc_block) * GEMM_KC;
    const size_t nn = (n + nr - 1) / nr * nr;
    *b_size = bcs != 1 ? (nn < nc_block ? nn : nc_block) * GEMM_KC : n % W ? nr * GEMM_KC : 0;
}

// Runs a plan.
PATH_TARGET static void PATH_NAME(execute)(const gemm_plan *plan, int ta, int tb, size_t m, size_t n, size_t k,
                                         const float *a, size_t lda, const float *b, size_t ldb, float *c,
                                         size_t ldc) {
    ptrdiff_t ars = ta ? 1 : (ptrdiff_t)lda, acs = ta ? (ptrdiff_t)lda : 1;
    ptrdiff_t brs = tb ? 1 : (ptrdiff_t)ldb, bcs = tb ? (ptrdiff_t)ldb : 1;
    ptrdiff_t crs = (ptrdiff_t)ldc, ccs = 1;
    if (plan->swap) {  // C^T = op(B)^T op(A)^T
        size_t t = m; m = n; n = t;
        const float *x = a; a = b; b = x;
        ptrdiff_t r = ars, s = acs;
        ars = bcs, acs = brs, brs = s, bcs = r;
        crs = 1, ccs = (ptrdiff_t)ldc;
    }
    size_t a_size, b_size;
    PATH_NAME(buffers)(plan->V, plan->U, plan->SL, m, n, bcs, &a_size, &b_size);
    const size_t a_room = (a_size + 15) / 16 * 16;
    float stack[GEMM_STACK_FLOATS] __attribute__((aligned(64)));
    float *heap = 0, *abuf = stack, *bbuf = stack + a_room;
    if (a_room + b_size > GEMM_STACK_FLOATS) {
        heap = gemm_alloc(a_room + b_size);
        abuf = heap, bbuf = heap + a_room;
    }
    PATH_NAME(gemm)(plan->V, plan->U, plan->SL, m, n, k, a, ars, acs, b, brs, bcs, c, crs, ccs, abuf, bbuf);
    gemm_free(heap);
}

// Adds this body's two plans (vectors across n, or across m) to the candidates.
PATH_TARGET void PATH_NAME(gemm_consider)(gemm_plan *best, int ta, int tb, size_t m, size_t n, size_t k) {
    for (int swap = 0; swap < 2; swap++) {
#ifdef GEMM_SWAP_FILTER
        if (!GEMM_SWAP_FILTER(swap)) continue;
#endif
        gemm_plan p = PATH_NAME(plan)(swap, ta, tb, m, n, k);
        if (p.cost < best->cost) *best = p;
    }
}
