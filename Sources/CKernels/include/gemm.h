// Single-precision matrix product, single-threaded and reentrant (no global mutable state,
// so threads may call it concurrently), with the same bits on every instruction-set path.
//
// c[m, n] = op(a)[m, k] . op(b)[k, n], row-major float32 (op = transpose when the flag is set;
// a is m x k, or k x m when transposed, with row stride lda; likewise b). c has row stride
// ldc; its previous contents are ignored (no alpha, no beta).
//
// The contract: every element of c is ONE chain of fused multiply-adds over k, in increasing k,
//
//     s = +0.0f; for p in 0..<k: s = fmaf(op(a)[i][p], op(b)[p][j], s); c[i][j] = s
//
// (k = 0 gives +0). The kernels vectorise across output elements only (never across k), and
// when they split k into blocks the chain continues in order through a float in c, so the
// result is this chain's, bit for bit, on every path (baseline C, AVX2, AVX-512), for every
// size, leading dimension and alignment; the paths differ only in speed.
// Any size is allowed (m, n or k may be 0); lda, ldb and ldc are at least the row lengths.
#pragma once
#include <stddef.h>

void kernel_sgemm(int transpose_a, int transpose_b, size_t m, size_t n, size_t k,
                  const float *a, size_t lda, const float *b, size_t ldb, float *c, size_t ldc);
