#include "core/wasi_state.h"
#include "core/wasi_abi.h"
#include "core/console.h"
#include "core/task.h"
#include "core/wasm_task.h"
#include "lib/string.h"
#include "wasmos/task.h"

/* fds 0..2 are the console, 3 is "/" (wasi-libc finds it with fd_prestat_get). */
static void init_fds(struct wasi_state *st)
{
	static const uint8_t kinds[] = { WFD_STDIN, WFD_CONSOLE_OUT, WFD_CONSOLE_OUT };
	/* No FD_SEEK/FD_TELL: wasi-libc's isatty() then says yes, so stdout is line buffered. */
	const uint64_t tty = WASI_RIGHTS_ALL & ~(WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL);
	for (int i = 0; i < 3; i++) {
		st->fds[i].kind = kinds[i];
		st->fds[i].rights = tty;
	}
	struct wasi_fd *root = &st->fds[WASI_PREOPEN_FD];
	root->kind = WFD_DIR;
	root->preopen = true;
	root->rights = root->inheriting = WASI_RIGHTS_ALL;
	strlcpy(root->path, "/", sizeof root->path);
}

struct wasi_state *wasi_state_get(void *ctx)
{
	struct wasm_task *wt = ctx;
	if (wt->wasi)
		return wt->wasi;
	/* Host functions run in the task's own thread: task_alloc charges it. */
	struct wasi_state *st = task_alloc(sizeof *st);
	if (!st)
		return NULL;
	memset(st, 0, sizeof *st);
	init_fds(st);
	wt->wasi = st;
	return st;
}

struct wasi_fd *wasi_fd_get(struct wasi_state *st, uint32_t fd)
{
	if (fd >= WASI_FD_MAX || st->fds[fd].kind == WFD_FREE)
		return NULL;
	return &st->fds[fd];
}

int wasi_fd_alloc(struct wasi_state *st)
{
	for (int i = 0; i < WASI_FD_MAX; i++)
		if (st->fds[i].kind == WFD_FREE)
			return i;
	return -1;
}

void wasi_log_unsupported(void *ctx, struct wasi_state *st, unsigned bit, const char *what)
{
	struct wasm_task *wt = ctx;
	if (st) {
		if (st->unsupported_logged & (1ull << bit))
			return;
		st->unsupported_logged |= 1ull << bit;
	}
	kprintf("wasi: task %d (%s): %s is not supported (ENOSYS)\n", task_self(), wt->name, what);
}
