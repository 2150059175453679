/*
 * The fs and console servers' protocols (servers/idl/messages.idl), as calls
 * for the WASI host functions. Results are >= 0 on success, otherwise a
 * kernel or server error code (E_*; wasi_errno() translates it).
 */
#ifndef CORE_WASI_FS_H
#define CORE_WASI_FS_H

#include <stdint.h>
#include "core/wasi_state.h"

/* fs_open flags and kinds (the IDL's fs_o_* and fs_kind_*, checked in wasi_fs.c). */
#define WASI_FS_O_READ     0x1
#define WASI_FS_O_WRITE    0x2
#define WASI_FS_O_CREATE   0x4
#define WASI_FS_O_TRUNCATE 0x8
#define WASI_FS_O_APPEND   0x10
#define WASI_FS_KIND_FILE  1
#define WASI_FS_KIND_DIR   2
#define WASI_FS_CHUNK      1024 /* bytes one fs_read or fs_write carries */
#define WASI_FS_NAME_MAX   64   /* fs_readdir's name field, NUL included */

int wasi_fs_open(struct wasi_state *st, const char *path, uint32_t flags); /* the handle */
int wasi_fs_close(struct wasi_state *st, int32_t handle);
/* Up to WASI_FS_CHUNK bytes at offset into dst; the count (0 at the end). */
int wasi_fs_read(struct wasi_state *st, int32_t handle, uint32_t offset, void *dst, uint32_t len);
/* Up to WASI_FS_CHUNK bytes; the count written. */
int wasi_fs_write(struct wasi_state *st, int32_t handle, uint32_t offset, const void *src, uint32_t len);
int wasi_fs_stat(struct wasi_state *st, const char *path, uint32_t *size, uint8_t *kind);
/* Entry `index` of a directory: 1 and its fields, or 0 past the last one. */
int wasi_fs_readdir(struct wasi_state *st, const char *path, uint32_t index, uint32_t *size, uint8_t *kind,
		    char name[WASI_FS_NAME_MAX]);
int wasi_fs_mkdir(struct wasi_state *st, const char *path);
int wasi_fs_delete(struct wasi_state *st, const char *path);

/* Reads a line from the console server into st->line with a newline added:
 * its length (>= 1), or 0 at the end of input (Ctrl-D on an empty line). */
int wasi_console_read_line(struct wasi_state *st);

#endif
