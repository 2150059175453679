/* WASI descriptors: what they are, closing, renumbering, positions. */
#include "core/wasi_host.h"
#include "core/wasi_fs.h"
#include "core/wasi_path.h"

static uint8_t filetype_of(const struct wasi_fd *f)
{
	switch (f->kind) {
	case WFD_STDIN:
	case WFD_CONSOLE_OUT: return WASI_FILETYPE_CHARACTER_DEVICE;
	case WFD_DIR: return WASI_FILETYPE_DIRECTORY;
	case WFD_FILE: return WASI_FILETYPE_REGULAR_FILE;
	default: return WASI_FILETYPE_UNKNOWN;
	}
}

int wasi_filestat_put(wasm_instance *inst, struct wasi_state *st, const char *path, uint32_t ptr)
{
	uint8_t *p = wasm_mem_range(inst, ptr, WASI_FILESTAT_SIZE);
	if (!p)
		return WASI_EFAULT;
	uint32_t size = 0;
	uint8_t kind = 0, type = WASI_FILETYPE_CHARACTER_DEVICE;
	if (path) {
		int r = wasi_fs_stat(st, path, &size, &kind);
		if (r)
			return wasi_errno(r);
		type = kind == WASI_FS_KIND_DIR ? WASI_FILETYPE_DIRECTORY : WASI_FILETYPE_REGULAR_FILE;
	}
	uint64_t ino = wasi_path_ino(path ? path : "<console>"), one = 1, sz = size;
	memset(p, 0, WASI_FILESTAT_SIZE); /* the fs protocol has no times: all 0 */
	memcpy(p + 0, &one, 8);           /* dev */
	memcpy(p + 8, &ino, 8);
	p[16] = type;
	memcpy(p + 24, &one, 8);          /* nlink */
	memcpy(p + 32, &sz, 8);
	return 0;
}

WASI_FN(fd_close)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	int r = f->kind == WFD_FILE ? wasi_fs_close(st, f->handle) : 0;
	memset(f, 0, sizeof *f); /* closed even if the server complained: the handle is gone either way */
	return RET(r ? wasi_errno(r) : 0);
}

WASI_FN(fd_fdstat_get)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	uint8_t *p = wasm_mem_range(inst, U32(1), WASI_FDSTAT_SIZE);
	if (!p)
		return RET(WASI_EFAULT);
	memset(p, 0, WASI_FDSTAT_SIZE);
	p[0] = filetype_of(f);
	memcpy(p + 2, &f->flags, 2);
	memcpy(p + 8, &f->rights, 8);
	memcpy(p + 16, &f->inheriting, 8);
	return RET(0);
}

WASI_FN(fd_fdstat_set_flags)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	uint16_t flags = (uint16_t)U32(1);
	/* Appending is how the fs server opened the file: it cannot change later. */
	if (f->kind == WFD_FILE && ((flags ^ f->flags) & WASI_FDFLAG_APPEND))
		return RET(WASI_ENOTSUP);
	f->flags = flags;
	return RET(0);
}

/* Rights may only shrink (the WASI rule); nothing here grows them back. */
WASI_FN(fd_fdstat_set_rights)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	if ((U64(1) & ~f->rights) || (U64(2) & ~f->inheriting))
		return RET(WASI_ENOTCAPABLE);
	f->rights = U64(1);
	f->inheriting = U64(2);
	return RET(0);
}

WASI_FN(fd_filestat_get)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f)
		return RET(WASI_EBADF);
	bool stdio = f->kind == WFD_STDIN || f->kind == WFD_CONSOLE_OUT;
	return RET(wasi_filestat_put(inst, st, stdio ? NULL : f->path, U32(1)));
}

WASI_FN(fd_prestat_get)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f || !f->preopen)
		return RET(WASI_EBADF); /* wasi-libc scans fds from 3 up to the first EBADF */
	uint8_t *p = wasm_mem_range(inst, U32(1), WASI_PRESTAT_SIZE);
	if (!p)
		return RET(WASI_EFAULT);
	uint32_t len = (uint32_t)strlen(f->path);
	memset(p, 0, WASI_PRESTAT_SIZE); /* tag 0: a directory */
	memcpy(p + 4, &len, 4);
	return RET(0);
}

WASI_FN(fd_prestat_dir_name)
{
	WASI_STATE(st);
	struct wasi_fd *f = wasi_fd_get(st, U32(0));
	if (!f || !f->preopen)
		return RET(WASI_EBADF);
	uint32_t len = (uint32_t)strlen(f->path);
	if (U32(2) < len)
		return RET(WASI_ENAMETOOLONG);
	uint8_t *p = wasm_mem_range(inst, U32(1), len);
	if (!p)
		return RET(WASI_EFAULT);
	memcpy(p, f->path, len); /* no NUL: the length came with fd_prestat_get */
	return RET(0);
}

/* dup2-like: `to` must be open (WASI's rule); it is closed first. */
WASI_FN(fd_renumber)
{
	WASI_STATE(st);
	struct wasi_fd *from = wasi_fd_get(st, U32(0)), *to = wasi_fd_get(st, U32(1));
	if (!from || !to)
		return RET(WASI_EBADF);
	if (from == to)
		return RET(0);
	if (to->kind == WFD_FILE)
		wasi_fs_close(st, to->handle);
	*to = *from;
	memset(from, 0, sizeof *from);
	return RET(0);
}

static int seekable(struct wasi_state *st, uint32_t fd, struct wasi_fd **out)
{
	struct wasi_fd *f = wasi_fd_get(st, fd);
	if (!f)
		return WASI_EBADF;
	if (f->kind != WFD_FILE)
		return f->kind == WFD_DIR ? WASI_EISDIR : WASI_ESPIPE;
	*out = f;
	return 0;
}

/* fd_seek(fd, offset: i64, whence: u8, newoffset: *u64) */
WASI_FN(fd_seek)
{
	WASI_STATE(st);
	struct wasi_fd *f;
	int e = seekable(st, U32(0), &f);
	if (e)
		return RET(e);
	int64_t base;
	switch (U32(2) & 0xff) {
	case WASI_WHENCE_SET: base = 0; break;
	case WASI_WHENCE_CUR: base = f->offset; break;
	case WASI_WHENCE_END: {
		uint32_t size;
		uint8_t kind;
		int r = wasi_fs_stat(st, f->path, &size, &kind);
		if (r)
			return RET(wasi_errno(r));
		base = size;
		break;
	}
	default: return RET(WASI_EINVAL);
	}
	int64_t off = I64(1), pos = base + off;
	if ((off > 0 && pos < base) || pos < 0)
		return RET(WASI_EINVAL);
	if (pos > UINT32_MAX)
		return RET(WASI_EOVERFLOW); /* fs offsets are 32-bit */
	if (wasm_mem_range(inst, U32(3), 8) == NULL)
		return RET(WASI_EFAULT);
	f->offset = (uint32_t)pos;
	return RET(wasi_put64(inst, U32(3), (uint64_t)pos));
}

WASI_FN(fd_tell)
{
	WASI_STATE(st);
	struct wasi_fd *f;
	int e = seekable(st, U32(0), &f);
	return RET(e ? e : wasi_put64(inst, U32(1), f->offset));
}

/* Advice is only advice: accepted and ignored (for an open descriptor). */
WASI_FN(fd_advise)
{
	WASI_STATE(st);
	return RET(wasi_fd_get(st, U32(0)) ? 0 : WASI_EBADF);
}

/* Every write has reached the fs server when fd_write returns: nothing is left to flush here. */
WASI_FN(fd_sync)
{
	WASI_STATE(st);
	return RET(wasi_fd_get(st, U32(0)) ? 0 : WASI_EBADF);
}

WASI_FN(fd_datasync)
{
	return wasi_fd_sync(inst, ctx, slots);
}
