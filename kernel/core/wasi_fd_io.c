/*
 * WASI data transfer: fd_read/fd_write (and the positional forms) over the
 * console and the fs server, and fd_readdir. A transfer that fails after
 * moving some bytes reports those bytes (POSIX's short count); the error
 * comes with the next call.
 */
#include "core/wasi_host.h"
#include "core/wasi_fs.h"
#include "core/wasi_path.h"
#include "core/console.h"
#include "core/trace.h"

#define PRINT_CHUNK 128 /* the console keeps interrupts off while it writes */

int wasi_iov(wasm_instance *inst, uint32_t iovs, uint32_t i, uint8_t **buf, uint32_t *len)
{
	uint64_t at = (uint64_t)iovs + (uint64_t)i * WASI_IOVEC_SIZE;
	const uint8_t *v = at <= UINT32_MAX ? wasm_mem_range(inst, (uint32_t)at, WASI_IOVEC_SIZE) : NULL;
	if (!v)
		return WASI_EFAULT;
	*len = wasi_get32(v + 4);
	*buf = wasm_mem_range(inst, wasi_get32(v), *len);
	return *buf ? 0 : WASI_EFAULT;
}

/* Moves bytes between the iovecs and a file at *pos (advanced); the count or a negative errno. */
static int64_t file_io(wasm_instance *inst, struct wasi_state *st, struct wasi_fd *f, uint32_t iovs, uint32_t n,
		       uint32_t *pos, bool write)
{
	int64_t total = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *buf;
		uint32_t len;
		int e = wasi_iov(inst, iovs, i, &buf, &len);
		if (e)
			return total ? total : -e;
		for (uint32_t done = 0; done < len;) {
			uint32_t want = len - done < WASI_FS_CHUNK ? len - done : WASI_FS_CHUNK;
			int r = write ? wasi_fs_write(st, f->handle, *pos, buf + done, want)
				      : wasi_fs_read(st, f->handle, *pos, buf + done, want);
			if (r < 0)
				return total ? total : -(int64_t)wasi_errno(r);
			done += (uint32_t)r;
			total += r;
			*pos += (uint32_t)r;
			if ((uint32_t)r < want)
				return total; /* the end of the file, or the file system is full */
		}
	}
	return total;
}

static int64_t console_out(wasm_instance *inst, uint32_t iovs, uint32_t n)
{
	int64_t total = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *buf;
		uint32_t len;
		int e = wasi_iov(inst, iovs, i, &buf, &len);
		if (e)
			return total ? total : -e;
		/* As wasmos.debug_print: the kernel console and the trace's LOG records. */
		for (uint32_t done = 0; done < len; done += PRINT_CHUNK) {
			uint32_t k = len - done < PRINT_CHUNK ? len - done : PRINT_CHUNK;
			console_write((const char *)buf + done, k);
			trace_log((const char *)buf + done, k);
		}
		total += len;
	}
	return total;
}

/* One line from the console server per refill; what is left stays for the next read. */
static int64_t stdin_read(wasm_instance *inst, struct wasi_state *st, uint32_t iovs, uint32_t n)
{
	if (st->line_pos == st->line_len) {
		int r = wasi_console_read_line(st);
		if (r <= 0)
			return r == 0 ? 0 : -(int64_t)wasi_errno(r);
	}
	int64_t total = 0;
	for (uint32_t i = 0; i < n && st->line_pos < st->line_len; i++) {
		uint8_t *buf;
		uint32_t len;
		int e = wasi_iov(inst, iovs, i, &buf, &len);
		if (e)
			return total ? total : -e;
		uint32_t k = st->line_len - st->line_pos;
		if (k > len)
			k = len;
		memcpy(buf, st->line + st->line_pos, k);
		st->line_pos = (uint16_t)(st->line_pos + k);
		total += k;
	}
	return total;
}

/* Common to the four: the fd's checks, the transfer, the count stored at `out`. */
static int transfer(wasm_instance *inst, void *ctx, uint32_t fd, uint32_t iovs, uint32_t n, bool write,
		    bool positional, uint64_t at, uint32_t out)
{
	struct wasi_state *st = wasi_state_get(ctx);
	if (!st)
		return WASI_ENOMEM;
	struct wasi_fd *f = wasi_fd_get(st, fd);
	if (!f)
		return WASI_EBADF;
	if (!wasm_mem_range(inst, out, 4))
		return WASI_EFAULT;
	if (f->kind == WFD_DIR)
		return WASI_EISDIR;
	if ((f->kind == WFD_STDIN && write) || (f->kind == WFD_CONSOLE_OUT && !write))
		return WASI_EBADF;
	if (f->kind == WFD_FILE && !(f->rights & (write ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ)))
		return WASI_EBADF; /* POSIX: a file not opened for this */
	int64_t r;
	if (f->kind == WFD_FILE) {
		if (positional && at > UINT32_MAX)
			return WASI_EOVERFLOW;
		uint32_t pos = positional ? (uint32_t)at : f->offset;
		r = file_io(inst, st, f, iovs, n, &pos, write);
		if (!positional && r > 0)
			f->offset = pos;
	} else if (positional) {
		return WASI_ESPIPE;
	} else {
		r = write ? console_out(inst, iovs, n) : stdin_read(inst, st, iovs, n);
	}
	if (r < 0)
		return (int)-r;
	return wasi_put32(inst, out, (uint32_t)r);
}

/* fd_read(fd, iovs, iovs_len, nread) */
WASI_FN(fd_read)
{
	return RET(transfer(inst, ctx, U32(0), U32(1), U32(2), false, false, 0, U32(3)));
}

WASI_FN(fd_write)
{
	return RET(transfer(inst, ctx, U32(0), U32(1), U32(2), true, false, 0, U32(3)));
}

/* fd_pread(fd, iovs, iovs_len, offset: u64, nread) */
WASI_FN(fd_pread)
{
	return RET(transfer(inst, ctx, U32(0), U32(1), U32(2), false, true, U64(3), U32(4)));
}

WASI_FN(fd_pwrite)
{
	return RET(transfer(inst, ctx, U32(0), U32(1), U32(2), true, true, U64(3), U32(4)));
}

/*
 * fd_readdir(fd, buf, buf_len, cookie: u64, bufused): entries from index
 * `cookie` on, each a dirent and its name, until the buffer is full (the last
 * one may be cut: wasi-libc then asks again with a bigger buffer). A result
 * smaller than buf_len means the end of the directory.
 */
WASI_FN(fd_readdir)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	if (f->kind != WFD_DIR)
		return RET(WASI_ENOTDIR);
	uint32_t cap = U32(2);
	uint8_t *buf = wasm_mem_range(inst, U32(1), cap);
	if (!buf || !wasm_mem_range(inst, U32(4), 4))
		return RET(WASI_EFAULT);
	uint64_t cookie = U64(3);
	uint32_t used = 0;
	while (used < cap && cookie < UINT32_MAX) {
		char name[WASI_FS_NAME_MAX], full[WASI_PATH_MAX];
		uint32_t size;
		uint8_t kind;
		int r = wasi_fs_readdir(st, f->path, (uint32_t)cookie, &size, &kind, name);
		if (r < 0)
			return RET(wasi_errno(r));
		if (r == 0)
			break;
		uint32_t namlen = (uint32_t)strlen(name);
		uint8_t ent[WASI_DIRENT_SIZE] = { 0 };
		uint64_t next = cookie + 1;
		uint64_t ino = wasi_path_resolve(f->path, name, namlen, full) ? 0 : wasi_path_ino(full);
		memcpy(ent, &next, 8);
		memcpy(ent + 8, &ino, 8);
		memcpy(ent + 16, &namlen, 4);
		ent[20] = kind == WASI_FS_KIND_DIR ? WASI_FILETYPE_DIRECTORY : WASI_FILETYPE_REGULAR_FILE;
		uint32_t k = cap - used < WASI_DIRENT_SIZE ? cap - used : WASI_DIRENT_SIZE;
		memcpy(buf + used, ent, k);
		used += k;
		k = cap - used < namlen ? cap - used : namlen;
		memcpy(buf + used, name, k);
		used += k;
		cookie = next;
	}
	return RET(wasi_put32(inst, U32(4), used));
}
