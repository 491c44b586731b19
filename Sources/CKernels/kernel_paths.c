// See include/kernel_paths.h. The CPU's features come from CPUID, and the operating system's
// support for the wider registers from XCR0 (a CPU may have AVX-512 while the OS does not
// save its registers).
#include "kernel_paths.h"
#include <stdatomic.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

static unsigned detect(void) {
    unsigned paths = 1u << kernel_path_baseline;
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d) || a < 7) return paths;
    __get_cpuid(1, &a, &b, &c, &d);
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1;
    if (!osxsave) return paths;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    (void)xcr0_high;
    const int avx_state = (xcr0_low & 0x6) == 0x6, avx512_state = (xcr0_low & 0xe6) == 0xe6;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1;
    // AVX-512 F (16), DQ (17), BW (30) and VL (31).
    const int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
    if (avx2 && fma && avx_state) paths |= 1u << kernel_path_avx2;
    if (avx512 && avx2 && fma && avx512_state) paths |= 1u << kernel_path_avx512;
#endif
    return paths;
}

static atomic_uint supported;       // 0 until detected
static atomic_int current = -1;     // -1 until selected or first used

unsigned kernel_paths_supported(void) {
    unsigned paths = atomic_load_explicit(&supported, memory_order_relaxed);
    if (!paths) {
        paths = detect();
        atomic_store_explicit(&supported, paths, memory_order_relaxed);
    }
    return paths;
}

kernel_path kernel_path_current(void) {
    int path = atomic_load_explicit(&current, memory_order_relaxed);
    if (path >= 0) return (kernel_path)path;
    const unsigned paths = kernel_paths_supported();
    path = paths & (1u << kernel_path_avx512) ? kernel_path_avx512
         : paths & (1u << kernel_path_avx2) ? kernel_path_avx2 : kernel_path_baseline;
    int unset = -1;
    atomic_compare_exchange_strong(&current, &unset, path);
    return (kernel_path)atomic_load_explicit(&current, memory_order_relaxed);
}

int kernel_path_select(kernel_path path) {
    if ((unsigned)path > kernel_path_avx512 || !(kernel_paths_supported() & (1u << path))) return -1;
    atomic_store_explicit(&current, (int)path, memory_order_relaxed);
    return 0;
}
