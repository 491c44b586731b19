// The instruction-set paths of the engine's C kernels. Every kernel exists once per path,
// compiled from one source with different target attributes, and every path performs the
// same IEEE-754 operations in the same order on every output element (explicit fused
// multiply-adds, no contraction, fixed summation orders), so all paths give the same bits;
// the wider paths are only faster. The baseline path is portable C (no intrinsics), so a
// build on any other CPU computes the same bits through it.
#pragma once

typedef enum {
    kernel_path_baseline = 0,  // portable C: any CPU
    kernel_path_avx2 = 1,      // x86-64 with AVX2 and FMA (8 lanes)
    kernel_path_avx512 = 2,    // x86-64 with AVX-512 F/BW/DQ/VL (16 lanes)
} kernel_path;

// Bit p set when this CPU and its operating system run path p (the baseline always).
unsigned kernel_paths_supported(void);

// The path every kernel runs now: the one selected, else the fastest this CPU supports.
kernel_path kernel_path_current(void);

// Makes `path` the current one for every later kernel call; 0 on success, -1 when this
// CPU lacks it (nothing changes then). Select before work starts: kernels already running
// finish on the path they started with.
int kernel_path_select(kernel_path path);
