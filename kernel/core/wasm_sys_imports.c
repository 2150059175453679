#include "core/wasm_sys_imports.h"

/* Filled in by the userland imports work (docs/userland.md). */
const struct host_import wasm_sys_imports[1] = { { "", "", "", "", NULL } };
const size_t wasm_sys_imports_count = 0;
