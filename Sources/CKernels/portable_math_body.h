// Private to CKernels: the float array functions of portable_math.c, included once per
// instruction-set path by each_path.h (PATH_TARGET, PATH_NAME(f)). The loops have
// no branches or calls, so the compiler vectorises them at the path's width; each lane does
// the same double-precision operations as the baseline's scalar code, so the bits agree.

// e^t - 1 for t = k ln2 + r (|r| <= ln2/2, k = round(t/ln2)) as e^r - 1 (returned) and
// *scale = 2^k; |t| <= 200, or NaN (then the result is NaN). e^t - 1 = scale * result +
// (scale - 1). The degree-9 Taylor polynomial's relative error is below 2e-11, far under a
// float's half ulp (3e-8).
PATH_TARGET static PM_ALWAYS_INLINE double PATH_NAME(expm1_reduced)(double t, double *scale) {
    const double shift = 0x1.8p52;              // adding it rounds to an integer
    double kd = t * PM_INV_LN2 + shift;
    uint64_t bits;
    memcpy(&bits, &kd, sizeof bits);            // k is the low bits of kd's significand
    kd -= shift;
    const double r = (t - kd * PM_LN2_HI) - kd * PM_LN2_LO;   // kd * PM_LN2_HI is exact
    const uint64_t two_k = (bits + 1023) << 52;
    memcpy(scale, &two_k, sizeof two_k);
    return r + r * r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
             + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880))))))));
}

// tanh x = (e^2x - 1) / (e^2x + 1); |x| >= 10 rounds to +-1 in float.
PATH_TARGET static void PATH_NAME(tanhf_array)(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const float xi = x[i];
        double t = xi;
        t = t < -10 ? -10 : t;
        t = t > 10 ? 10 : t;
        double scale;
        const double p = PATH_NAME(expm1_reduced)(2 * t, &scale);
        const double e = scale * p + (scale - 1);
        const double v = e / (e + 2);
        y[i] = xi == 0 ? xi : (float)v;
    }
}

// e^x - 1; x <= -104 rounds to -1 and x >= 89 overflows to +inf in float.
PATH_TARGET static void PATH_NAME(expm1f_array)(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const float xi = x[i];
        double t = xi;
        t = t < -104 ? -104 : t;
        t = t > 89 ? 89 : t;
        double scale;
        const double p = PATH_NAME(expm1_reduced)(t, &scale);
        const double e = scale * p + (scale - 1);
        y[i] = xi == 0 ? xi : (float)e;
    }
}

// 1 / (1 + e^-x); |x| >= 120 rounds to 0 or 1 in float.
PATH_TARGET static void PATH_NAME(sigmoidf_array)(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        double t = -(double)x[i];
        t = t < -120 ? -120 : t;
        t = t > 120 ? 120 : t;
        double scale;
        const double p = PATH_NAME(expm1_reduced)(t, &scale);
        const double e = scale + scale * p;
        y[i] = (float)(1 / (1 + e));
    }
}
