/*
 * Per-task WASI state: the file descriptor table, the stdin line buffer, the
 * cached ids of the servers WASI talks to, and the message buffer for those
 * calls. Made on a task's first WASI call with task_alloc, so it is charged
 * to the task and freed with it however the task ends; hung off
 * struct wasm_task's `wasi` field. This header stays free of the kernel's
 * message headers so the server-protocol files (wasi_fs.c, wasi_console.c)
 * can use the IDL's generated structs instead.
 */
#ifndef CORE_WASI_STATE_H
#define CORE_WASI_STATE_H

#include <stdbool.h>
#include <stdint.h>

#define WASI_FD_MAX    32
#define WASI_PATH_MAX  256   /* the fs messages' path field, NUL included */
#define WASI_MSG_BYTES 1512  /* MSG_MAX (checked in wasi_rpc.c) */
#define WASI_LINE_MAX  257   /* console_read_line's 255 characters, a newline, a NUL */
#define WASI_PREOPEN_FD 3

enum wasi_fd_kind { WFD_FREE, WFD_STDIN, WFD_CONSOLE_OUT, WFD_DIR, WFD_FILE };

struct wasi_fd {
	uint8_t kind;          /* enum wasi_fd_kind */
	bool preopen;          /* reported by fd_prestat_get */
	uint16_t flags;        /* WASI fdflags */
	int32_t handle;        /* fs handle (WFD_FILE) */
	uint32_t offset;       /* file position (the fs protocol's offsets are u32) */
	uint64_t rights, inheriting;
	char path[WASI_PATH_MAX]; /* absolute and normalized (WFD_DIR, WFD_FILE) */
};

struct wasi_state {
	uint32_t msg[WASI_MSG_BYTES / 4]; /* first: 4-byte aligned, as IPC wants */
	int32_t fs_id, console_id;        /* server task ids; 0 = not looked up yet */
	uint64_t unsupported_logged;      /* one bit per unsupported function already reported */
	uint16_t line_pos, line_len;      /* unread stdin bytes: line[line_pos..line_len) */
	char line[WASI_LINE_MAX];
	struct wasi_fd fds[WASI_FD_MAX];
};

/* The calling task's state (ctx is its struct wasm_task), made on first use; NULL when out of memory. */
struct wasi_state *wasi_state_get(void *ctx);
/* The open descriptor fd, or NULL. */
struct wasi_fd *wasi_fd_get(struct wasi_state *st, uint32_t fd);
/* The lowest free descriptor number, or -1 when the table is full. */
int wasi_fd_alloc(struct wasi_state *st);
/* A kernel or server error code (E_*) as a WASI errno (wasi_errno.c). */
uint16_t wasi_errno(int err);
/* Logs, once per task and function, that a program called something WASI here does not implement. */
void wasi_log_unsupported(void *ctx, struct wasi_state *st, unsigned bit, const char *what);

#endif
