#include "core/wasi.h"

/* Filled in by the WASI work (docs/userland.md). */
const struct host_import wasi_imports[1] = { { "", "", "", "", NULL } };
const size_t wasi_imports_count = 0;
