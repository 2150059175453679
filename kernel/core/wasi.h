/*
 * WASI preview 1 (module wasi_snapshot_preview1) for Wasm tasks, on top of
 * IPC: stdout/stderr to the kernel console, stdin from the console server,
 * files through the fs server (docs/userland.md).
 */
#ifndef CORE_WASI_H
#define CORE_WASI_H

#include <stddef.h>
#include "core/wasm_host.h"

extern const struct host_import wasi_imports[];
extern const size_t wasi_imports_count;

#endif
