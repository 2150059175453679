/*
 * The host interface of Wasm tasks: module "env" (WasmOS's four IPC calls) and
 * module "wasmos" (the extensions). docs/abi.md lists every import.
 */
#ifndef CORE_WASM_IMPORTS_H
#define CORE_WASM_IMPORTS_H

#include <stddef.h>
#include <stdint.h>
#include "wasm/wasm.h"

/*
 * A wasm_resolve_fn; ctx is the struct wasm_task. Binds env.* and wasmos.*
 * imports (exact signatures), then the task's extra imports if it has any.
 * Refusals say why: "unknown import", "wrong signature: expected (i32) -> i32".
 */
int wasm_imports_resolve(void *ctx, const char *module, uint32_t module_len, const char *field, uint32_t field_len,
			 const wasm_functype *type, wasm_host_binding *out, char *err, size_t errlen);

#endif
