// See include/portable_math.h. Every function here uses only IEEE-754 basic operations in a
// fixed order (no fused multiply-adds: the build passes -ffp-contract=off, and none are
// written), conversions and integer bit manipulation, so it rounds alike on every CPU.
//
// Methods (all error bounds are before the final rounding, so results are within about half
// an ulp plus a few hundredths):
//   exp  x = (128e + j) ln2/128 + r, |r| <= ln2/256; 2^(j/128) from a double-double table,
//        e^r - 1 by a degree-5 Taylor polynomial (error < 2^-60), scaled by 2^e.
//   log  x = 2^e m, m in [0.6875, 1.375) split into 128 subintervals; r = m c - 1 computed
//        exactly as a double-double (c has 10 bits, m is split in two, both products exact);
//        log x = e ln2 - log c + log1p(r), with log1p(r) - r by a degree-9 Taylor polynomial
//        (|r| < 2^-7) and the sums carried in double-doubles. c = 1 on the two subintervals
//        that touch 1, so log x near 1 is log1p of the exact x - 1.
//   sin, cos  x = n pi/2 + y (y a double-double, |y| <= pi/4), Taylor polynomials to degree
//        17 (sin) and 18 (cos); y^2 and y^3 by Dekker's exact product, and y - y^3/6 and
//        1 - y^2/2 as double-doubles, so only the smaller terms round.
#include "portable_math.h"
#include "kernel_paths.h"
#include "paths.h"
#include "portable_math_tables.h"
#include <math.h>    // HUGE_VAL and NAN only (constants)
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define PM_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define PM_ALWAYS_INLINE inline
#endif

static inline uint64_t bits_of(double x) {
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double double_of(uint64_t u) {
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

// 2^e for -1022 <= e <= 1023.
static inline double pow2(int e) { return double_of((uint64_t)(e + 1023) << 52); }

// s + *err = a + b exactly (Knuth's TwoSum).
static inline double two_sum(double a, double b, double *err) {
    const double s = a + b, bb = s - a;
    *err = (a - (s - bb)) + (b - bb);
    return s;
}

// p + *err = a * b exactly (Dekker's product with Veltkamp's splitting; |a|, |b| < 2^995).
static inline double two_prod(double a, double b, double *err) {
    const double split = 134217729.0;  // 2^27 + 1
    const double p = a * b;
    const double ca = split * a, ah = ca - (ca - a), al = a - ah;
    const double cb = split * b, bh = cb - (cb - b), bl = b - bh;
    *err = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return p;
}

static const double shift52 = 0x1.8p52;  // x + shift52 - shift52 rounds |x| < 2^51 to an integer

double portable_exp(double x) {
    if (!(x > -746.0 && x < 709.8)) {
        if (x != x) return x + x;         // NaN
        return x > 0 ? HUGE_VAL : 0.0;   // overflow (exp(709.79) > DBL_MAX) or underflow
    }
    const double kd = (x * INV_LN2_128 + shift52) - shift52;
    const int k = (int)kd;
    const double r = (x - kd * LN2_128_HI) - kd * LN2_128_LO;  // the first difference is exact
    const int j = (int)((unsigned)k & 127u), e = (k - j) / 128;
    const double p = r + r * r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120))));
    const double t_hi = exp_table[j][0], t_lo = exp_table[j][1];
    const double y = t_hi + (t_lo + t_hi * p);
    if (e > 1020) return y * pow2(e - 2) * 4.0;                  // may overflow to +inf
    if (e < -1021) return y * pow2(e + 1000) * pow2(-1000);      // subnormal: rounded twice
    return y * pow2(e);
}

double portable_log(double x) {
    uint64_t ix = bits_of(x);
    int e_adjust = 0;
    if (ix - 0x0010000000000000u >= 0x7ff0000000000000u - 0x0010000000000000u) {
        if (x != x) return x + x;                               // NaN
        if ((ix << 1) == 0) return -HUGE_VAL;                  // +-0
        if (ix == 0x7ff0000000000000u) return x;                // +inf
        if (ix >> 63) return NAN;                               // x < 0 (NAN has the same bits everywhere)
        ix = bits_of(x * 0x1p52);                               // subnormal: normalise
        e_adjust = -52;
    }
    const uint64_t tmp = ix - 0x3fe6000000000000u;              // 0.6875
    const int j = (int)((tmp >> 45) & 127);
    const uint64_t top = tmp >> 52;
    const int e = (top >= 2048 ? (int)top - 4096 : (int)top) + e_adjust;
    const uint64_t iz = ix - (tmp & 0xfff0000000000000u);     // m = x 2^-e in [0.6875, 1.375)
    const double m = double_of(iz), m_hi = double_of(iz & 0xffffffff00000000u), m_lo = m - m_hi;
    const double invc = log_table[j][0], logc_hi = log_table[j][1], logc_lo = log_table[j][2];
    // r = m invc - 1 exactly: m_hi (21 bits) and m_lo (32 bits) times invc (10 bits) are
    // exact, and m_hi invc is within 1% of 1, so subtracting 1 is exact.
    double r_lo;
    const double r_hi = two_sum(m_hi * invc - 1.0, m_lo * invc, &r_lo);
    const double kd = e;
    double w_lo, s_lo;
    const double w_hi = two_sum(kd * LN2_HI, logc_hi, &w_lo);   // kd * LN2_HI is exact
    const double s_hi = two_sum(w_hi, r_hi, &s_lo);
    const double poly = r_hi * r_hi * (-1.0 / 2 + r_hi * (1.0 / 3 + r_hi * (-1.0 / 4 + r_hi * (1.0 / 5
                      + r_hi * (-1.0 / 6 + r_hi * (1.0 / 7 + r_hi * (-1.0 / 8 + r_hi * (1.0 / 9))))))));
    const double lo = poly + (r_lo + (kd * LN2_LO + (logc_lo + (w_lo + s_lo))));
    return s_hi + lo;
}

// The 32 bits of the 288-bit integer p (9 words, least significant first) from bit `at`
// upwards, 0 <= at < 288.
static uint32_t bits_at(const uint32_t p[9], int at) {
    const int w = at / 32, b = at % 32;
    uint64_t v = p[w];
    if (w + 1 < 9) v |= (uint64_t)p[w + 1] << 32;
    return (uint32_t)(v >> b);
}

// Payne-Hanek: x = n pi/2 + (*yh + *yl) for finite |x| >= 2^20 pi/2, from a window of 224
// bits of 2/pi (the bits that make multiples of 4 are skipped; those after the window
// change the fraction by less than 2^-138).
static int rem_pio2_large(double x, double *yh, double *yl) {
    const uint64_t ix = bits_of(x);
    const uint64_t mant = (ix & 0x000fffffffffffffu) | 0x0010000000000000u;  // x = mant 2^E
    const int E = (int)((ix >> 52) & 0x7ff) - 1075;
    const int first = E - 1 < 1 ? 1 : E - 1;      // bits of 2/pi before this give multiples of 4
    const int q = (first - 1) / 32;
    uint32_t p[9] = {0};
    const uint32_t m0 = (uint32_t)mant, m1 = (uint32_t)(mant >> 32);
    for (int w = 0; w < 7; w++) {                 // p += mant * word << 32w
        const uint64_t word = two_over_pi[q + 6 - w];
        uint64_t v = word * m0 + p[w];
        p[w] = (uint32_t)v;
        v = word * m1 + p[w + 1] + (v >> 32);
        p[w + 1] = (uint32_t)v;
        uint64_t carry = v >> 32;
        for (int k = w + 2; k < 9 && carry; k++) {
            v = p[k] + carry;
            p[k] = (uint32_t)v;
            carry = v >> 32;
        }
    }
    // x 2/pi = p 2^(E - 32(q + 7)): bit b0 of p is the units.
    const int b0 = 32 * (q + 7) - E;
    unsigned n = bits_at(p, b0) & 3u;
    uint64_t hi = (uint64_t)bits_at(p, b0 - 32) << 32 | bits_at(p, b0 - 64);
    uint64_t lo = (uint64_t)bits_at(p, b0 - 96) << 32 | bits_at(p, b0 - 128);
    int negate = 0;
    if (hi >> 63) {                               // fraction >= 1/2: take 1 - fraction
        n += 1;
        negate = 1;
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    int s = 0;
    while (!(hi >> 63) && s < 120) {              // normalise (the fraction is never 0)
        hi = hi << 1 | lo >> 63;
        lo <<= 1;
        s++;
    }
    const double f_hi = (double)(hi >> 11) * pow2(-53 - s);
    const double f_lo = (double)(hi << 53 | lo >> 11) * pow2(-117 - s);
    double p_err;
    const double prod = two_prod(f_hi, PIO2_HI, &p_err);
    const double tail = p_err + (f_hi * PIO2_LO + f_lo * PIO2_HI);
    double h = prod + tail, l = (prod - h) + tail;
    if (negate) h = -h, l = -l;
    if (ix >> 63) h = -h, l = -l, n = 0u - n;
    *yh = h;
    *yl = l;
    return (int)(n & 3u);
}

// x = n pi/2 + (*yh + *yl), |*yh| <= pi/4 (a little more after rounding); returns n mod 4.
static int rem_pio2(double x, double *yh, double *yl) {
    const double ax = double_of(bits_of(x) & 0x7fffffffffffffffu);
    if (ax <= 0x1.921fb54442d18p-1) {
        *yh = x;
        *yl = 0;
        return 0;
    }
    if (ax < 0x1.921fb54442d18p20) {
        const double fn = (x * INV_PIO2 + shift52) - shift52;   // |fn| <= 2^20: fn PIO2_k exact
        const int n = (int)fn;
        const double t = x - fn * PIO2_1;                       // exact (Sterbenz)
        double e1, e2;
        const double s1 = two_sum(t, -(fn * PIO2_2), &e1);
        const double s2 = two_sum(s1, -(fn * PIO2_3), &e2);
        const double lo = (e1 + e2) - fn * PIO2_3T;
        const double h = s2 + lo;
        *yh = h;
        *yl = (s2 - h) + lo;
        return (int)((unsigned)n & 3u);
    }
    return rem_pio2_large(x, yh, yl);
}

// sin(y + yl), |y| <= pi/4 + tiny, |yl| <= ulp(y). y^3 is formed exactly (as v + v_lo) and
// y - y^3/6 with one rounding of y^3/6, so the error is about half an ulp plus 0.05.
static double kernel_sin(double y, double yl) {
    double z_lo, v_lo;
    const double z = two_prod(y, y, &z_lo);
    const double v = two_prod(z, y, &v_lo);
    const double r = 1.0 / 120 + z * (-1.0 / 5040 + z * (1.0 / 362880 + z * (-1.0 / 39916800
                   + z * (1.0 / 6227020800.0 + z * (-1.0 / 1307674368000.0 + z * (1.0 / 355687428096000.0))))));
    const double c3 = -(v / 6);
    double s_lo;
    const double s = two_sum(y, c3, &s_lo);
    const double tail = v * (z * r) - (v_lo + z_lo * y) / 6 + yl * (1 - 0.5 * z);
    return s + (s_lo + tail);
}

// cos(y + yl), |y| <= pi/4 + tiny, |yl| <= ulp(y).
static double kernel_cos(double y, double yl) {
    double z_lo;
    const double z = two_prod(y, y, &z_lo);
    const double hz = 0.5 * z, w = 1 - hz;
    const double correction = (1 - w) - hz;                     // 1 - hz = w + correction exactly
    const double q = 1.0 / 24 + z * (-1.0 / 720 + z * (1.0 / 40320 + z * (-1.0 / 3628800
                   + z * (1.0 / 479001600 + z * (-1.0 / 87178291200.0 + z * (1.0 / 20922789888000.0
                   + z * (-1.0 / 6402373705728000.0)))))));
    const double tail = z * z * q - (0.5 * z_lo + y * yl);
    return w + (correction + tail);
}

double portable_sin(double x) {
    const uint64_t ax = bits_of(x) & 0x7fffffffffffffffu;
    if (ax < 0x3e50000000000000u) return x;                    // |x| < 2^-26: sin x rounds to x
    if (ax > 0x7ff0000000000000u) return x + x;                // NaN
    if (ax == 0x7ff0000000000000u) return NAN;                 // +-inf
    double y, yl;
    switch (rem_pio2(x, &y, &yl)) {
    case 0: return kernel_sin(y, yl);
    case 1: return kernel_cos(y, yl);
    case 2: return -kernel_sin(y, yl);
    default: return -kernel_cos(y, yl);
    }
}

double portable_cos(double x) {
    const uint64_t ax = bits_of(x) & 0x7fffffffffffffffu;
    if (ax > 0x7ff0000000000000u) return x + x;                // NaN
    if (ax == 0x7ff0000000000000u) return NAN;                 // +-inf
    if (ax < 0x3e40000000000000u) return 1.0;                  // |x| < 2^-27: cos x rounds to 1
    double y, yl;
    switch (rem_pio2(x, &y, &yl)) {
    case 0: return kernel_cos(y, yl);
    case 1: return -kernel_sin(y, yl);
    case 2: return -kernel_cos(y, yl);
    default: return kernel_sin(y, yl);
    }
}

// The float array functions, once per path (portable_math_body.h). They compute in double:
// 1/ln2 and ln2 with 44 bits (so k ln2_hi is exact for |k| < 512).
static const double PM_INV_LN2 = 0x1.71547652b82fep0;
#define PM_LN2_HI LN2_HI
#define PM_LN2_LO LN2_LO

#define EACH_PATH_BODY "portable_math_body.h"
#include "each_path.h"

void portable_tanhf_array(const float *x, float *y, size_t n) { PATH_DISPATCH(tanhf_array, x, y, n) }
void portable_expm1f_array(const float *x, float *y, size_t n) { PATH_DISPATCH(expm1f_array, x, y, n) }
void portable_sigmoidf_array(const float *x, float *y, size_t n) { PATH_DISPATCH(sigmoidf_array, x, y, n) }
