/*
 * The wasmos imports for userland servers (docs/userland.md): the boot
 * archive, device access for drivers, spawning with grants, task and memory
 * information, and system operations.
 */
#ifndef CORE_WASM_SYS_IMPORTS_H
#define CORE_WASM_SYS_IMPORTS_H

#include <stddef.h>
#include "core/wasm_host.h"

extern const struct host_import wasm_sys_imports[];
extern const size_t wasm_sys_imports_count;

#endif
