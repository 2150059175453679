/*
 * The wasi_snapshot_preview1 import table: every function of WASI preview 1
 * with its exact signature, so any program built against wasi-libc links at
 * spawn. Implementations live in wasi_proc.c, wasi_fd.c, wasi_fd_io.c and
 * wasi_path_ops.c (docs/wasi.md); what WasmOS cannot do (links, renames,
 * symlinks, sockets, timestamps, resizing, signals) answers ENOSYS and says
 * so once per task in the kernel log.
 */
#include "core/wasi.h"
#include "core/wasi_host.h"

/* An unsupported function: ENOSYS, and one log line per task naming it. */
#define UNSUPPORTED(name, bit)                                                       \
	static wasm_status wasi_##name(wasm_instance *inst, void *ctx, uint64_t *slots) \
	{                                                                            \
		wasi_log_unsupported(ctx, wasi_state_get(ctx), bit, #name);          \
		return RET(WASI_ENOSYS);                                             \
	}

UNSUPPORTED(fd_allocate, 0)
UNSUPPORTED(fd_filestat_set_size, 1)
UNSUPPORTED(fd_filestat_set_times, 2)
UNSUPPORTED(path_filestat_set_times, 3)
UNSUPPORTED(path_link, 4)
UNSUPPORTED(path_readlink, 5)
UNSUPPORTED(path_rename, 6)
UNSUPPORTED(path_symlink, 7)
UNSUPPORTED(proc_raise, 8)
UNSUPPORTED(sock_accept, 9)
UNSUPPORTED(sock_recv, 10)
UNSUPPORTED(sock_send, 11)
UNSUPPORTED(sock_shutdown, 12)

#define W "wasi_snapshot_preview1"

/* Signatures as in the witx: i = i32, I = i64. */
const struct host_import wasi_imports[] = {
	{ W, "args_get", "ii", "i", wasi_args_get },
	{ W, "args_sizes_get", "ii", "i", wasi_args_sizes_get },
	{ W, "environ_get", "ii", "i", wasi_environ_get },
	{ W, "environ_sizes_get", "ii", "i", wasi_environ_sizes_get },
	{ W, "clock_res_get", "ii", "i", wasi_clock_res_get },
	{ W, "clock_time_get", "iIi", "i", wasi_clock_time_get },
	{ W, "fd_advise", "iIIi", "i", wasi_fd_advise },
	{ W, "fd_allocate", "iII", "i", wasi_fd_allocate },
	{ W, "fd_close", "i", "i", wasi_fd_close },
	{ W, "fd_datasync", "i", "i", wasi_fd_datasync },
	{ W, "fd_fdstat_get", "ii", "i", wasi_fd_fdstat_get },
	{ W, "fd_fdstat_set_flags", "ii", "i", wasi_fd_fdstat_set_flags },
	{ W, "fd_fdstat_set_rights", "iII", "i", wasi_fd_fdstat_set_rights },
	{ W, "fd_filestat_get", "ii", "i", wasi_fd_filestat_get },
	{ W, "fd_filestat_set_size", "iI", "i", wasi_fd_filestat_set_size },
	{ W, "fd_filestat_set_times", "iIIi", "i", wasi_fd_filestat_set_times },
	{ W, "fd_pread", "iiiIi", "i", wasi_fd_pread },
	{ W, "fd_prestat_get", "ii", "i", wasi_fd_prestat_get },
	{ W, "fd_prestat_dir_name", "iii", "i", wasi_fd_prestat_dir_name },
	{ W, "fd_pwrite", "iiiIi", "i", wasi_fd_pwrite },
	{ W, "fd_read", "iiii", "i", wasi_fd_read },
	{ W, "fd_readdir", "iiiIi", "i", wasi_fd_readdir },
	{ W, "fd_renumber", "ii", "i", wasi_fd_renumber },
	{ W, "fd_seek", "iIii", "i", wasi_fd_seek },
	{ W, "fd_sync", "i", "i", wasi_fd_sync },
	{ W, "fd_tell", "ii", "i", wasi_fd_tell },
	{ W, "fd_write", "iiii", "i", wasi_fd_write },
	{ W, "path_create_directory", "iii", "i", wasi_path_create_directory },
	{ W, "path_filestat_get", "iiiii", "i", wasi_path_filestat_get },
	{ W, "path_filestat_set_times", "iiiiIIi", "i", wasi_path_filestat_set_times },
	{ W, "path_link", "iiiiiii", "i", wasi_path_link },
	{ W, "path_open", "iiiiiIIii", "i", wasi_path_open },
	{ W, "path_readlink", "iiiiii", "i", wasi_path_readlink },
	{ W, "path_remove_directory", "iii", "i", wasi_path_remove_directory },
	{ W, "path_rename", "iiiiii", "i", wasi_path_rename },
	{ W, "path_symlink", "iiiii", "i", wasi_path_symlink },
	{ W, "path_unlink_file", "iii", "i", wasi_path_unlink_file },
	{ W, "poll_oneoff", "iiii", "i", wasi_poll_oneoff },
	{ W, "proc_exit", "i", "", wasi_proc_exit },
	{ W, "proc_raise", "i", "i", wasi_proc_raise },
	{ W, "random_get", "ii", "i", wasi_random_get },
	{ W, "sched_yield", "", "i", wasi_sched_yield },
	{ W, "sock_accept", "iii", "i", wasi_sock_accept },
	{ W, "sock_recv", "iiiiii", "i", wasi_sock_recv },
	{ W, "sock_send", "iiiii", "i", wasi_sock_send },
	{ W, "sock_shutdown", "ii", "i", wasi_sock_shutdown },
};
const size_t wasi_imports_count = sizeof wasi_imports / sizeof wasi_imports[0];
