// Private to CKernels: the search of integer_distances.c, included once per instruction-set
// path with PATH_TARGET (the path's target attribute) and PATH_NAME(f) (f_<path>) defined.
// The same integer operations on every path; the compiler vectorises them for the path.

// The portable micro-kernel: dots[r * 64 + l] = sum over the groups of training row l's 4
// bytes times query row r's 4 (shifted) bytes. Plain C, no intrinsics.
__attribute__((unused)) static PATH_TARGET void PATH_NAME(micro_portable)(size_t groups, const uint8_t *panel, const int8_t *queries,
                                                  size_t ldq, int32_t *restrict dots) {
    int32_t acc[MICRO_ROWS][PANEL_ROWS];
    for (int r = 0; r < MICRO_ROWS; r++) for (int l = 0; l < PANEL_ROWS; l++) acc[r][l] = 0;
    for (size_t g = 0; g < groups; g++) {
        const uint8_t *t = panel + g * PANEL_ROWS * 4;
        for (int r = 0; r < MICRO_ROWS; r++) {
            const int8_t *q = queries + r * ldq + 4 * g;
            const int32_t q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
            for (int l = 0; l < PANEL_ROWS; l++)
                acc[r][l] += t[4 * l] * q0 + t[4 * l + 1] * q1 + t[4 * l + 2] * q2 + t[4 * l + 3] * q3;
        }
    }
    for (int r = 0; r < MICRO_ROWS; r++) for (int l = 0; l < PANEL_ROWS; l++) dots[r * PANEL_ROWS + l] = acc[r][l];
}

// Queries in blocks of QUERY_BLOCK (shifted to signed bytes, kept in L2 with one panel of
// training rows); for each panel of 64 training rows, ascending, every group of MICRO_ROWS
// queries through the micro-kernel, then the distances into each query's sorted list.
static PATH_TARGET int PATH_NAME(search)(const search_job *job, micro_kernel micro) {
    const size_t groups = (job->dimension + 3) / 4, ldq = 4 * groups;
    const size_t panels = (job->train_count + PANEL_ROWS - 1) / PANEL_ROWS, k = job->k;
    int8_t *shifted = aligned_alloc(64, QUERY_BLOCK * ldq);
    int32_t *norms = aligned_alloc(64, QUERY_BLOCK * sizeof(int32_t));
    if (!shifted || !norms) { free(shifted); free(norms); return -1; }
    _Alignas(64) int32_t dots[MICRO_ROWS * PANEL_ROWS];
    _Alignas(64) int32_t d[PANEL_ROWS];

    for (size_t q0 = 0; q0 < job->query_count; q0 += QUERY_BLOCK) {
        const size_t count = job->query_count - q0 < QUERY_BLOCK ? job->query_count - q0 : QUERY_BLOCK;
        const size_t rows = (count + MICRO_ROWS - 1) / MICRO_ROWS * MICRO_ROWS;
        for (size_t r = 0; r < rows; r++) {
            int8_t *s = shifted + r * ldq;
            int32_t norm = 0;
            size_t i = 0;
            if (r < count) {
                const uint8_t *q = job->queries + (q0 + r) * job->dimension;
                for (; i < job->dimension; i++) { s[i] = (int8_t)(q[i] - 128); norm += q[i] * q[i]; }
            }
            for (; i < ldq; i++) s[i] = 0;
            norms[r] = norm;
        }
        if (job->matrix == NULL)
            for (size_t j = 0; j < count * k; j++) { job->distances[q0 * k + j] = INT32_MAX; job->indices[q0 * k + j] = -1; }

        for (size_t p = 0; p < panels; p++) {
            const uint8_t *panel = job->packed + p * groups * PANEL_ROWS * 4;
            const int32_t *terms = job->terms + p * PANEL_ROWS;
            const size_t first = p * PANEL_ROWS;
            const size_t valid = job->train_count - first < PANEL_ROWS ? job->train_count - first : PANEL_ROWS;
            for (size_t r0 = 0; r0 < rows; r0 += MICRO_ROWS) {
                micro(groups, panel, shifted + r0 * ldq, ldq, dots);
                for (size_t r = r0; r < r0 + MICRO_ROWS && r < count; r++) {
                    const int32_t norm = norms[r];
                    const int32_t *dot = dots + (r - r0) * PANEL_ROWS;
                    for (int l = 0; l < PANEL_ROWS; l++) d[l] = norm + terms[l] - 2 * dot[l];
                    const size_t q = q0 + r;
                    if (job->matrix != NULL) {
                        for (size_t l = 0; l < valid; l++) job->matrix[q * job->train_count + first + l] = d[l];
                        continue;
                    }
                    int32_t *dist = job->distances + q * k;
                    int32_t *index = job->indices + q * k;
                    const int32_t bound = dist[k - 1];
                    int any = 0;
                    for (int l = 0; l < PANEL_ROWS; l++) any |= d[l] < bound;
                    if (!any) continue;
                    // Rows in ascending order, entering only below the k-th distance and after
                    // equal ones: equal distances stay with the lower training index.
                    for (size_t l = 0; l < valid; l++) {
                        if (d[l] >= dist[k - 1]) continue;
                        size_t j = k - 1;
                        while (j > 0 && dist[j - 1] > d[l]) { dist[j] = dist[j - 1]; index[j] = index[j - 1]; j--; }
                        dist[j] = d[l];
                        index[j] = (int32_t)(first + l);
                    }
                }
            }
        }
    }
    free(shifted);
    free(norms);
    return 0;
}

// See integer_bytes_from_pixels: no early exit in the first pass, so that it vectorises.
static PATH_TARGET size_t PATH_NAME(bytes_from_pixels)(size_t count, const float *pixels, uint8_t *bytes) {
    int inexact = 0;
    for (size_t i = 0; i < count; i++) {
        const float x = pixels[i], scaled = x * 255.0f;
        const float clamped = scaled >= 0.0f ? (scaled <= 255.0f ? scaled : 255.0f) : 0.0f;  // NaN -> 0
        const uint8_t b = (uint8_t)(int32_t)(clamped + 0.5f);
        bytes[i] = b;
        inexact |= (float)b / 255.0f != x;
    }
    if (!inexact) return count;
    for (size_t i = 0; i < count; i++) if ((float)bytes[i] / 255.0f != pixels[i]) return i;
    return count;
}
