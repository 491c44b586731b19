// OpenBLAS chooses its kernels in its load-time constructor, from the CPU model it knows, or
// from OPENBLAS_CORETYPE. Debian's 0.3.21 does not know recent Intel server CPUs (Sapphire
// Rapids) and falls back to its SSE3 "Prescott" kernels there: 14-27 GFLOP/s against 70-143
// with the AVX-512 ones (../shared/TOOLCHAIN.md). Setting the variable from Swift is too
// late when the library is linked (its constructor runs before main), so the engine does not
// link it: it loads it here at first use, after choosing OPENBLAS_CORETYPE from the CPU's
// own feature bits, unless the user set the variable. On CPUs OpenBLAS does know, the choice
// is the one it would make itself (AMD EPYC Zen 4: Cooperlake either way).
#define _GNU_SOURCE
#include "blas.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

// cblas.h's values for row-major and (no) transpose.
enum { row_major = 101, no_trans = 111, trans = 112 };

static void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                        float *, int);
static float (*sdot_fn)(int, const float *, int, const float *, int);
static void (*set_threads_fn)(int);
static int (*get_threads_fn)(void);
static char *(*config_fn)(void);
static char *(*core_fn)(void);
static const char *chooser = "OpenBLAS";
static const char *features = "none";
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

// The OpenBLAS 0.3.21 kernel set for this CPU, or NULL to leave the choice to OpenBLAS.
static const char *core_for_this_cpu(void) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d) || a < 7) return NULL;
    int amd = b == 0x68747541;  // "Auth"enticAMD
    __get_cpuid(1, &a, &b, &c, &d);
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1;
    if (!osxsave) return NULL;
    // The OS must save the vector registers: XCR0 bits 1-2 (AVX), and 5-7 (AVX-512).
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    int avx_state = (xcr0_low & 0x6) == 0x6, avx512_state = (xcr0_low & 0xe6) == 0xe6;
    __cpuid_count(7, 0, a, b, c, d);
    unsigned max_subleaf = a;
    int avx2 = (b >> 5) & 1;
    // AVX-512 F, DQ, CD, BW and VL: what OpenBLAS's SkylakeX kernels use.
    int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 28) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
    int bf16 = 0;
    if (max_subleaf >= 1) {
        __cpuid_count(7, 1, a, b, c, d);
        bf16 = (a >> 5) & 1;
    }
    if (avx512 && avx512_state && fma) {
        features = bf16 ? "avx512 bf16" : "avx512";
        return bf16 ? "Cooperlake" : "SkylakeX";
    }
    if (avx2 && fma && avx_state) {
        features = "avx2 fma";
        return amd ? "Zen" : "Haswell";
    }
#endif
    return NULL;
}

static void *symbol(void *library, const char *name) {
    void *found = dlsym(library, name);
    if (!found) {
        fprintf(stderr, "experiments: the OpenBLAS library has no %s: reinstall it with scripts/setup.sh\n", name);
        exit(1);
    }
    return found;
}

static void load(void) {
    const char *users = getenv("OPENBLAS_CORETYPE");
    const char *core = core_for_this_cpu();
    int set_here = 0;
    if (users && *users) {
        chooser = "OPENBLAS_CORETYPE";
    } else if (core) {
        setenv("OPENBLAS_CORETYPE", core, 1);
        chooser = "experiments";
        set_here = 1;
    }
    // RTLD_LOCAL: its symbols stay out of the process's namespace (nothing else links it).
    void *library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
    // The constructor has read the variable: child processes choose for themselves again.
    if (set_here) unsetenv("OPENBLAS_CORETYPE");
    if (!library) {
        fprintf(stderr, "experiments: OpenBLAS is not installed (libopenblas.so.0 not found): run scripts/setup.sh\n");
        exit(1);
    }
    sgemm_fn = symbol(library, "cblas_sgemm");
    sdot_fn = symbol(library, "cblas_sdot");
    set_threads_fn = symbol(library, "openblas_set_num_threads");
    get_threads_fn = symbol(library, "openblas_get_num_threads");
    config_fn = symbol(library, "openblas_get_config");
    core_fn = symbol(library, "openblas_get_corename");
}

static inline void ensure_loaded(void) { pthread_once(&loaded, load); }

void blas_sgemm(bool transpose_a, bool transpose_b, int m, int n, int k, float alpha,
                const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    ensure_loaded();
    sgemm_fn(row_major, transpose_a ? trans : no_trans, transpose_b ? trans : no_trans, m, n, k, alpha, a, lda, b,
             ldb, beta, c, ldc);
}

float blas_sdot(int n, const float *x, int incx, const float *y, int incy) {
    ensure_loaded();
    return sdot_fn(n, x, incx, y, incy);
}

void blas_set_threads(int threads) {
    ensure_loaded();
    set_threads_fn(threads);
}

int blas_threads(void) {
    ensure_loaded();
    return get_threads_fn();
}

const char *blas_config(void) {
    ensure_loaded();
    return config_fn();
}

const char *blas_core(void) {
    ensure_loaded();
    return core_fn();
}

const char *blas_core_chooser(void) {
    ensure_loaded();
    return chooser;
}

const char *blas_cpu_features(void) {
    ensure_loaded();
    return features;
}
