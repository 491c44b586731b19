// Exact nearest neighbours of byte vectors (8-bit images): squared Euclidean distances in
// integers. The sums are exact (784 x 255^2 fits an int32 many times over), so every
// instruction-set path (include/kernel_paths.h) gives the same numbers; the wider paths are
// only faster. The work is a GEMM-like product of the queries with the training rows:
// ||q - t||^2 = ||q||^2 + ||t||^2 - 2 q.t, computed as
//   ||q||^2 + (||t||^2 - 256 sum(t)) - 2 sum_i t_i (q_i - 128)
// so that the product multiplies unsigned training bytes by signed query bytes (the operands
// of AVX-512 VNNI's vpdpbusd); every term is an exact int32.
#pragma once
#include <stddef.h>
#include <stdint.h>

// The training rows in the kernels' layout (panels of 64 rows, 4 bytes of each row at a time),
// with each row's term ||t||^2 - 256 sum(t). Sizes for `integer_pack_train`'s buffers:
size_t integer_packed_bytes(size_t train_count, size_t dimension);
size_t integer_packed_terms(size_t train_count);

// Packs `train` (train_count x dimension bytes, row-major) into `packed` (integer_packed_bytes)
// and `terms` (integer_packed_terms int32s). Any path reads the same packing.
void integer_pack_train(size_t train_count, size_t dimension, const uint8_t *train,
                        uint8_t *packed, int32_t *terms);

// The k nearest packed training rows of each of `query_count` queries (row-major bytes):
// distances[q * k + j] the exact squared distance and indices[q * k + j] the training row of
// query q's j-th nearest neighbour, ordered by (distance, training index): equal distances go
// to the lower index. Requires 1 <= k <= train_count. Queries are independent: callers may
// split them over threads (each call allocates its own scratch; returns -1 when that fails).
int integer_nearest(size_t query_count, size_t dimension, const uint8_t *queries,
                    size_t train_count, const uint8_t *packed, const int32_t *terms, size_t k,
                    int32_t *distances, int32_t *indices);

// Every squared distance: out[q * train_count + t] = sum_i (queries[q, i] - train[t, i])^2,
// through the same kernels as integer_nearest (for tests). Returns -1 when allocation fails.
int integer_squared_distances(size_t query_count, size_t dimension, const uint8_t *queries,
                              size_t train_count, const uint8_t *packed, const int32_t *terms,
                              int32_t *out);

// Float pixels that are byte/255 (float32 division, as the data loaders make them) back to
// their bytes: bytes[i] = pixels[i] * 255 rounded, checked to give back pixels[i] exactly.
// Returns count when every pixel is such a value, else the index of the first that is not
// (out of [0, 1], NaN, or between two byte values).
size_t integer_bytes_from_pixels(size_t count, const float *pixels, uint8_t *bytes);
