// Debian's OpenBLAS (libopenblas-dev): cblas_sgemm and friends, plus the thread controls.
#include <cblas.h>
