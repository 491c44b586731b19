// Private to CKernels: the bodies of image_kernels.c, included once per instruction-set path
// by each_path.h, with PATH_TARGET and PATH_NAME(f) defined. The loops are written so the compiler
// vectorises their innermost runs of contiguous pixels at the path's width.

PATH_TARGET static void PATH_NAME(conv_im2col)(const conv_shape *s, const float *x, size_t batch, float *columns) {
    const size_t p = s->out_h * s->out_w, cols = batch * p, plane = s->height * s->width;
    for (size_t c = 0; c < s->channels; c++)
        for (size_t i = 0; i < s->kernel_h; i++)
            for (size_t j = 0; j < s->kernel_w; j++) {
                size_t first, end;
                inside_columns(s, j, &first, &end);
                const ptrdiff_t offset = (ptrdiff_t)(j * s->dilation) - s->pad_left;
                float *row = columns + ((c * s->kernel_h + i) * s->kernel_w + j) * cols;
                for (size_t n = 0; n < batch; n++) {
                    const float *image = x + (n * s->channels + c) * plane;
                    for (size_t oy = 0; oy < s->out_h; oy++) {
                        const ptrdiff_t iy = (ptrdiff_t)(oy * s->stride + i * s->dilation) - s->pad_top;
                        float *restrict line = row + n * p + oy * s->out_w;
                        if (iy < 0 || iy >= (ptrdiff_t)s->height) {
                            for (size_t ox = 0; ox < s->out_w; ox++) line[ox] = 0;
                            continue;
                        }
                        const float *restrict source = image + iy * (ptrdiff_t)s->width + offset;
                        for (size_t ox = 0; ox < first; ox++) line[ox] = 0;
                        if (s->stride == 1)
                            for (size_t ox = first; ox < end; ox++) line[ox] = source[ox];
                        else
                            for (size_t ox = first; ox < end; ox++) line[ox] = source[ox * s->stride];
                        for (size_t ox = end; ox < s->out_w; ox++) line[ox] = 0;
                    }
                }
            }
}

PATH_TARGET static void PATH_NAME(conv_col2im)(const conv_shape *s, const float *columns, size_t batch, float *dx) {
    const size_t p = s->out_h * s->out_w, cols = batch * p, plane = s->height * s->width;
    for (size_t c = 0; c < s->channels; c++)
        for (size_t i = 0; i < s->kernel_h; i++)
            for (size_t j = 0; j < s->kernel_w; j++) {
                size_t first, end;
                inside_columns(s, j, &first, &end);
                const ptrdiff_t offset = (ptrdiff_t)(j * s->dilation) - s->pad_left;
                const float *row = columns + ((c * s->kernel_h + i) * s->kernel_w + j) * cols;
                for (size_t n = 0; n < batch; n++) {
                    float *image = dx + (n * s->channels + c) * plane;
                    for (size_t oy = 0; oy < s->out_h; oy++) {
                        const ptrdiff_t iy = (ptrdiff_t)(oy * s->stride + i * s->dilation) - s->pad_top;
                        if (iy < 0 || iy >= (ptrdiff_t)s->height) continue;
                        const float *restrict from = row + n * p + oy * s->out_w;
                        float *restrict target = image + iy * (ptrdiff_t)s->width + offset;
                        if (s->stride == 1)
                            for (size_t ox = first; ox < end; ox++) target[ox] += from[ox];
                        else
                            for (size_t ox = first; ox < end; ox++) target[ox * s->stride] += from[ox];
                    }
                }
            }
}

PATH_TARGET static void PATH_NAME(conv_product_to_nchw)(const float *product, const float *bias, size_t batch,
                                                       size_t filters, size_t positions, float *y) {
    const size_t cols = batch * positions;
    for (size_t n = 0; n < batch; n++)
        for (size_t f = 0; f < filters; f++) {
            const float *restrict from = product + f * cols + n * positions;
            float *restrict to = y + (n * filters + f) * positions;
            const float b = bias[f];
            for (size_t i = 0; i < positions; i++) to[i] = from[i] + b;
        }
}

PATH_TARGET static void PATH_NAME(conv_nchw_to_product)(const float *dy, size_t batch, size_t filters,
                                                       size_t positions, float *product) {
    const size_t cols = batch * positions;
    for (size_t n = 0; n < batch; n++)
        for (size_t f = 0; f < filters; f++) {
            const float *restrict from = dy + (n * filters + f) * positions;
            float *restrict to = product + f * cols + n * positions;
            for (size_t i = 0; i < positions; i++) to[i] = from[i];
        }
}

PATH_TARGET static void PATH_NAME(max_pool)(const float *restrict x, size_t planes, size_t h, size_t w,
                                           size_t size, size_t stride, size_t out_h, size_t out_w,
                                           float *restrict y, int32_t *restrict arg) {
    for (size_t plane = 0; plane < planes; plane++)
        for (size_t oy = 0; oy < out_h; oy++) {
            const size_t o = (plane * out_h + oy) * out_w, row = plane * h * w + oy * stride * w;
            if (size == 2 && stride == 2) {
                MAX_POOL_ROW(2)
            } else {
                MAX_POOL_ROW(0)
            }
        }
}

PATH_TARGET static void PATH_NAME(average_pool)(const float *restrict x, size_t planes, size_t h, size_t w,
                                               size_t size, size_t stride, size_t out_h, size_t out_w,
                                               float scale, float *restrict y) {
    for (size_t plane = 0; plane < planes; plane++)
        for (size_t oy = 0; oy < out_h; oy++)
            for (size_t ox = 0; ox < out_w; ox++) {
                const size_t corner = plane * h * w + oy * stride * w + ox * stride;
                float sum = 0;
                for (size_t i = 0; i < size; i++)
                    for (size_t j = 0; j < size; j++) sum += x[corner + i * w + j];
                y[(plane * out_h + oy) * out_w + ox] = sum * scale;
            }
}
