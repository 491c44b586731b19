// See include/image_kernels.h. Each function is compiled once per instruction-set path
// (kernel_paths.h) from one body (image_kernels_body.h) and runs on the current path.
#include "image_kernels.h"
#include "kernel_paths.h"
#include "paths.h"

// The outputs ox whose input column ox*stride - pad_left + j*dilation lies inside the image,
// for kernel column j: [*first, *end).
static void inside_columns(const conv_shape *s, size_t j, size_t *first, size_t *end) {
    ptrdiff_t offset = (ptrdiff_t)(j * s->dilation) - s->pad_left, stride = (ptrdiff_t)s->stride;
    ptrdiff_t width = (ptrdiff_t)s->width, out_w = (ptrdiff_t)s->out_w;
    ptrdiff_t lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    ptrdiff_t hi = (width - 1 - offset) < 0 ? 0 : (width - 1 - offset) / stride + 1;
    if (lo > out_w) lo = out_w;
    if (hi > out_w) hi = out_w;
    if (hi < lo) hi = lo;
    *first = (size_t)lo;
    *end = (size_t)hi;
}

// One output row of max pooling with the window size a compile-time constant (the 2x2
// windows of every study vectorise over ox); size 0 means "read it from the argument".
#define MAX_POOL_ROW(SIZE)                                                                         \
    for (size_t ox = 0; ox < out_w; ox++) {                                                        \
        size_t corner = row + ox * stride, best = corner;                                          \
        float top = x[corner];                                                                     \
        for (size_t i = 0; i < (SIZE ? SIZE : size); i++)                                          \
            for (size_t j = 0; j < (SIZE ? SIZE : size); j++) {                                    \
                size_t at = corner + i * w + j;                                                    \
                float value = x[at];                                                               \
                int larger = value > top;                                                          \
                top = larger ? value : top;                                                        \
                best = larger ? at : best;                                                         \
            }                                                                                      \
        y[o + ox] = top;                                                                           \
        arg[o + ox] = (int32_t)best;                                                               \
    }

#define EACH_PATH_BODY "image_kernels_body.h"
#include "each_path.h"

void conv_im2col(const conv_shape *s, const float *x, size_t batch, float *columns) {
    PATH_DISPATCH(conv_im2col, s, x, batch, columns)
}

void conv_col2im(const conv_shape *s, const float *columns, size_t batch, float *dx) {
    PATH_DISPATCH(conv_col2im, s, columns, batch, dx)
}

void conv_product_to_nchw(const float *product, const float *bias, size_t batch, size_t filters, size_t positions,
                          float *y) {
    PATH_DISPATCH(conv_product_to_nchw, product, bias, batch, filters, positions, y)
}

void conv_nchw_to_product(const float *dy, size_t batch, size_t filters, size_t positions, float *product) {
    PATH_DISPATCH(conv_nchw_to_product, dy, batch, filters, positions, product)
}

void max_pool(const float *x, size_t planes, size_t h, size_t w, size_t size, size_t stride, size_t out_h,
              size_t out_w, float *y, int32_t *arg) {
    PATH_DISPATCH(max_pool, x, planes, h, w, size, stride, out_h, out_w, y, arg)
}

void average_pool(const float *x, size_t planes, size_t h, size_t w, size_t size, size_t stride, size_t out_h,
                  size_t out_w, float scale, float *y) {
    PATH_DISPATCH(average_pool, x, planes, h, w, size, stride, out_h, out_w, scale, y)
}
