// zlib (zlib1g-dev): gzip reading for IDX and CSV data files.
#include <zlib.h>
