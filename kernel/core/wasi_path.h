/* Paths of WASI calls, made absolute for the fs server. */
#ifndef CORE_WASI_PATH_H
#define CORE_WASI_PATH_H

#include <stdint.h>
#include "core/wasi_state.h"

/*
 * Resolves `rel` (len bytes, not NUL-terminated) against the directory
 * `base` (absolute, normalized) into out: absolute, without ".", ".." or empty
 * components, no trailing slash ("/" for the root). ".." stops at the root.
 * A leading "/" is taken relative to base too (wasi-libc strips it for the
 * preopened "/", so it only comes from programs calling WASI directly).
 * Returns 0 or a WASI errno: EINVAL (a NUL inside), ENAMETOOLONG.
 */
int wasi_path_resolve(const char *base, const char *rel, uint32_t len, char out[WASI_PATH_MAX]);

/* A stable inode number for a path (FNV-1a): the fs protocol has none, and
 * programs compare st_ino to tell files apart. */
uint64_t wasi_path_ino(const char *path);

#endif
