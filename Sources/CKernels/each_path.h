// Private to CKernels: compiles a kernel body once per instruction-set path. Define
// EACH_PATH_BODY as the body file's name in quotes and include this file; the body sees
// PATH_TARGET (the path's target attribute) and PATH_NAME(f) (f_baseline, f_avx2, f_avx512).
// Include it again for another body. PATH_DISPATCH(f, ...) then calls the current path's f.
#include "kernel_paths.h"
#include "paths.h"

#define PATH_TARGET
#define PATH_NAME(f) f##_baseline
#include EACH_PATH_BODY
#undef PATH_TARGET
#undef PATH_NAME

#if HAVE_X86_PATHS
#define PATH_TARGET AVX2_TARGET
#define PATH_NAME(f) f##_avx2
#include EACH_PATH_BODY
#undef PATH_TARGET
#undef PATH_NAME

#define PATH_TARGET AVX512_TARGET
#define PATH_NAME(f) f##_avx512
#include EACH_PATH_BODY
#undef PATH_TARGET
#undef PATH_NAME
#endif
#undef EACH_PATH_BODY

#ifndef PATH_DISPATCH
#if HAVE_X86_PATHS
#define PATH_DISPATCH(f, ...)                                                 \
    switch (kernel_path_current()) {                                          \
    case kernel_path_avx512: f##_avx512(__VA_ARGS__); return;                 \
    case kernel_path_avx2: f##_avx2(__VA_ARGS__); return;                     \
    default: f##_baseline(__VA_ARGS__); return;                               \
    }
#else
#define PATH_DISPATCH(f, ...) f##_baseline(__VA_ARGS__);
#endif
#endif
