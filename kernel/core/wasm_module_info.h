/*
 * What the kernel reads from a module binary itself, before instantiating it:
 * the imports (so a spawn refuses unknown ones at once, in the spawner's
 * context) and whether a start function would run at instantiation (which
 * must then happen in the new task, not in its spawner). The runtime's
 * interface (wasm.h) has no import list, so this walks the sections of a
 * binary that wasm_load has already accepted; it still checks every bound.
 */
#ifndef CORE_WASM_MODULE_INFO_H
#define CORE_WASM_MODULE_INFO_H

#include <stdbool.h>
#include <stdint.h>

struct wasm_import_ref {
	const char *module, *field;   /* not NUL-terminated */
	uint32_t module_len, field_len;
	uint8_t kind;                 /* 0 function, 1 table, 2 memory, 3 global */
	uint32_t func;                /* kind 0: its index in the function index space */
};

/* Called for each import in order; a nonzero return stops the walk and is returned. */
typedef int (*wasm_import_visit)(void *ctx, const struct wasm_import_ref *imp);

/* Walks the imports of the binary; sets *has_start. Returns 0, the first
 * nonzero result of visit, or -1 when the binary is malformed. */
int wasm_module_scan(const uint8_t *bytes, uint32_t len, wasm_import_visit visit, void *ctx, bool *has_start);

#endif
