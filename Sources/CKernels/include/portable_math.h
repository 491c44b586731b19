// Elementary functions that give the same bits on every CPU and operating system. The C
// library's exp, log, sin, tanh... differ between systems (and between glibc's FMA and
// non-FMA variants), so results stored by one machine could not be reproduced on another.
// These use only IEEE-754 basic operations (+ - * / and conversions, correctly rounded
// everywhere) and integer bit manipulation; the build forbids contraction into fused
// multiply-adds; no library call. Tables come from mpmath (portable_math_tables.h).
#pragma once
#include <stddef.h>

// Double precision, for softmax and cross-entropy, normal draws, Gaussian weights, angles
// and log-uniform draws. Measured error < 0.52 ulp (exp, log) and < 0.6 ulp (sin, cos)
// against long-double references (see portable_math.c for the methods).
//   exp: +inf above ~709.78, 0 below ~-745.13; subnormal results may be off by 1 ulp (still
//        deterministic); exp(NaN) = NaN.
//   log: log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, log(1) = +0.
//   sin, cos: reduction by pi/2 in three parts of 33 bits (Cody-Waite) for |x| < 2^20 pi/2
//        (about 1.6e6), by a 1280-bit 2/pi (Payne-Hanek) beyond, so every finite argument is
//        reduced accurately (the large path is only slower); sin(+-0) = +-0; inf, NaN -> NaN.
double portable_exp(double x);
double portable_log(double x);
double portable_sin(double x);
double portable_cos(double x);

// Single precision over arrays (the activations): y[i] = f(x[i]) for i < n; y may equal x
// (in place), otherwise they must not overlap. Each is compiled once per instruction-set
// path (kernel_paths.h) from one body that computes in double precision and rounds once to
// float, so every path gives the same bits; measured error < 0.51 ulp over every float.
// Large arguments saturate (tanh to +-1, sigmoid to 0 and 1, expm1 to -1 and +inf), the
// sign of zero is kept (tanh, expm1), and NaN gives NaN.
void portable_tanhf_array(const float *x, float *y, size_t n);     // tanh x
void portable_expm1f_array(const float *x, float *y, size_t n);    // e^x - 1
void portable_sigmoidf_array(const float *x, float *y, size_t n);  // 1 / (1 + e^-x)
