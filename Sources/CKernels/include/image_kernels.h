// The convolution and pooling layers' data movement: im2col, its adjoint col2im, the
// layout changes around the convolution's product, and pooling. Plain loops that the
// compiler vectorises once per instruction-set path (AVX-512, AVX2, baseline); each call
// runs on the path kernel_paths.h selects (kernel_path_current). They copy, compare and add
// in the same order on every path, and the build forbids fused multiply-adds here, so every
// path gives the same bits.
#pragma once
#include <stddef.h>
#include <stdint.h>

// The shape of a 2-D convolution over NCHW images; pad_top/pad_left are the leading padding.
typedef struct {
    size_t channels, height, width, kernel_h, kernel_w, stride, dilation;
    ptrdiff_t pad_top, pad_left;
    size_t out_h, out_w;
} conv_shape;

// columns[(c*kh + i)*kw + j, s*P + oy*out_w + ox] = x[s, c, oy*stride - pad_top + i*dilation,
// ox*stride - pad_left + j*dilation], 0 outside the image (P = out_h * out_w).
void conv_im2col(const conv_shape *shape, const float *x, size_t batch, float *columns);

// The adjoint of im2col: adds each column entry to the input pixel it came from (dx must be
// zeroed first).
void conv_col2im(const conv_shape *shape, const float *columns, size_t batch, float *dx);

// y[s, f, p] = product[f, s*P + p] + bias[f]: the product's [filters, batch*P] layout to NCHW.
void conv_product_to_nchw(const float *product, const float *bias, size_t batch, size_t filters, size_t positions,
                          float *y);

// product[f, s*P + p] = dy[s, f, p]: an NCHW gradient to the product's layout.
void conv_nchw_to_product(const float *dy, size_t batch, size_t filters, size_t positions, float *product);

// Max pooling of planes x h x w: y = the first maximum of each window in row-major order,
// arg = its offset from x (for the backward pass).
void max_pool(const float *x, size_t planes, size_t h, size_t w, size_t size, size_t stride, size_t out_h,
              size_t out_w, float *y, int32_t *arg);

// Average pooling: y = the sum of each window, added in row-major order, times scale.
void average_pool(const float *x, size_t planes, size_t h, size_t w, size_t size, size_t stride, size_t out_h,
                  size_t out_w, float scale, float *y);
