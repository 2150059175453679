/*
 * What the WASI host functions share: the wasi_snapshot_preview1 functions
 * themselves (the table in wasi.c binds them), the task's state, and typed
 * stores into linear memory. Every function returns a WASI errno as its i32
 * result (0 = success); results go through pointers the guest passes, each
 * checked against its linear memory first (EFAULT).
 */
#ifndef CORE_WASI_HOST_H
#define CORE_WASI_HOST_H

#include "core/wasi_abi.h"
#include "core/wasi_state.h"
#include "core/wasm_host.h"
#include "lib/string.h"

/* Declares st, the calling task's state, or returns ENOMEM. */
#define WASI_STATE(st)                                   \
	struct wasi_state *st = wasi_state_get(ctx);     \
	if (!st)                                         \
		return RET(WASI_ENOMEM)

#define I64(k) ((int64_t)slots[k])
#define U64(k) ((uint64_t)slots[k])

static inline int wasi_put32(wasm_instance *inst, uint32_t ptr, uint32_t v)
{
	uint8_t *p = wasm_mem_range(inst, ptr, 4);
	if (!p)
		return WASI_EFAULT;
	memcpy(p, &v, 4);
	return 0;
}

static inline int wasi_put64(wasm_instance *inst, uint32_t ptr, uint64_t v)
{
	uint8_t *p = wasm_mem_range(inst, ptr, 8);
	if (!p)
		return WASI_EFAULT;
	memcpy(p, &v, 8);
	return 0;
}

static inline uint32_t wasi_get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t wasi_get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* iovs[i] of an iovec array at `iovs`: its buffer (checked) and length; 0 or EFAULT. */
int wasi_iov(wasm_instance *inst, uint32_t iovs, uint32_t i, uint8_t **buf, uint32_t *len);

/* Writes a filestat for `path` (its kind and size from the fs server; stdio when path is NULL). 0 or an errno. */
int wasi_filestat_put(wasm_instance *inst, struct wasi_state *st, const char *path, uint32_t ptr);

#define WASI_FN(name) wasm_status wasi_##name(wasm_instance *inst, void *ctx, uint64_t *slots)

/* args, environ, clocks, random, process (wasi_proc.c) */
WASI_FN(args_get); WASI_FN(args_sizes_get); WASI_FN(environ_get); WASI_FN(environ_sizes_get);
WASI_FN(clock_res_get); WASI_FN(clock_time_get); WASI_FN(random_get);
WASI_FN(proc_exit); WASI_FN(sched_yield); WASI_FN(poll_oneoff);
/* descriptors (wasi_fd.c, wasi_fd_io.c) */
WASI_FN(fd_advise); WASI_FN(fd_close); WASI_FN(fd_datasync); WASI_FN(fd_sync); WASI_FN(fd_fdstat_get);
WASI_FN(fd_fdstat_set_flags); WASI_FN(fd_fdstat_set_rights); WASI_FN(fd_filestat_get);
WASI_FN(fd_prestat_get); WASI_FN(fd_prestat_dir_name); WASI_FN(fd_renumber); WASI_FN(fd_seek); WASI_FN(fd_tell);
WASI_FN(fd_read); WASI_FN(fd_pread); WASI_FN(fd_write); WASI_FN(fd_pwrite); WASI_FN(fd_readdir);
/* paths (wasi_path_ops.c) */
WASI_FN(path_open); WASI_FN(path_filestat_get); WASI_FN(path_create_directory);
WASI_FN(path_unlink_file); WASI_FN(path_remove_directory);

#endif
