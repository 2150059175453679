/*
 * WASI path calls: opening files and directories, stat, mkdir, unlink, rmdir.
 * Each path is resolved against its directory descriptor into the absolute
 * path the fs server takes (wasi_path.c).
 */
#include "core/wasi_host.h"
#include "core/wasi_fs.h"
#include "core/wasi_path.h"

/* The directory fd `dirfd` and the guest's path (ptr, len) as an absolute path; 0 or an errno. */
static int resolve(wasm_instance *inst, struct wasi_state *st, uint32_t dirfd, uint32_t ptr, uint32_t len,
		   char out[WASI_PATH_MAX])
{
	struct wasi_fd *d = wasi_fd_get(st, dirfd);
	if (!d)
		return WASI_EBADF;
	if (d->kind != WFD_DIR)
		return WASI_ENOTDIR;
	const char *p = (const char *)wasm_mem_range(inst, ptr, len);
	if (!p)
		return WASI_EFAULT;
	return wasi_path_resolve(d->path, p, len, out);
}

/* The fs_open flags for WASI rights, oflags and fdflags. */
static uint32_t open_flags(uint64_t rights, uint32_t oflags, uint32_t fdflags)
{
	uint32_t f = 0;
	if (rights & WASI_RIGHT_FD_READ)
		f |= WASI_FS_O_READ;
	if (rights & WASI_RIGHT_FD_WRITE)
		f |= WASI_FS_O_WRITE;
	if (!f)
		f = WASI_FS_O_READ; /* opened only to stat or seek: reading is the harmless mode */
	if (oflags & WASI_OFLAG_CREAT)
		f |= WASI_FS_O_CREATE;
	if (oflags & WASI_OFLAG_TRUNC)
		f |= WASI_FS_O_TRUNCATE;
	if (fdflags & WASI_FDFLAG_APPEND)
		f |= WASI_FS_O_APPEND;
	return f;
}

/*
 * path_open(dirfd, dirflags, path, path_len, oflags, rights: u64,
 *           inheriting: u64, fdflags, fd_out). A directory becomes a
 * descriptor of its own (the fs server opens only files): fd_readdir and
 * path_* calls use its path.
 */
WASI_FN(path_open)
{
	WASI_STATE(st);
	char path[WASI_PATH_MAX];
	int e = resolve(inst, st, U32(0), U32(2), U32(3), path);
	if (e)
		return RET(e);
	uint32_t oflags = U32(4) & 0xffff, fdflags = U32(7) & 0xffff;
	uint64_t rights = U64(5), inheriting = U64(6);
	if (!wasm_mem_range(inst, U32(8), 4))
		return RET(WASI_EFAULT);
	uint32_t size;
	uint8_t kind;
	int r = wasi_fs_stat(st, path, &size, &kind);
	if (r && !(wasi_errno(r) == WASI_ENOENT && (oflags & WASI_OFLAG_CREAT) && !(oflags & WASI_OFLAG_DIRECTORY)))
		return RET(wasi_errno(r));
	bool exists = r == 0;
	if (exists && (oflags & WASI_OFLAG_CREAT) && (oflags & WASI_OFLAG_EXCL))
		return RET(WASI_EEXIST);
	bool dir = exists && kind == WASI_FS_KIND_DIR;
	if ((oflags & WASI_OFLAG_DIRECTORY) && !dir)
		return RET(WASI_ENOTDIR);
	if (dir && ((rights & WASI_RIGHT_FD_WRITE) || (oflags & WASI_OFLAG_TRUNC)))
		return RET(WASI_EISDIR);
	int fd = wasi_fd_alloc(st);
	if (fd < 0)
		return RET(WASI_EMFILE);
	int32_t handle = 0;
	if (!dir) {
		handle = wasi_fs_open(st, path, open_flags(rights, oflags, fdflags));
		if (handle < 0)
			return RET(wasi_errno(handle));
	}
	struct wasi_fd *f = &st->fds[fd];
	memset(f, 0, sizeof *f);
	f->kind = dir ? WFD_DIR : WFD_FILE;
	f->flags = (uint16_t)fdflags;
	f->handle = handle;
	f->rights = rights;
	f->inheriting = inheriting;
	memcpy(f->path, path, sizeof f->path);
	return RET(wasi_put32(inst, U32(8), (uint32_t)fd));
}

/* path_filestat_get(dirfd, lookupflags, path, path_len, filestat) (no symlinks: the flags change nothing) */
WASI_FN(path_filestat_get)
{
	WASI_STATE(st);
	char path[WASI_PATH_MAX];
	int e = resolve(inst, st, U32(0), U32(2), U32(3), path);
	return RET(e ? e : wasi_filestat_put(inst, st, path, U32(4)));
}

WASI_FN(path_create_directory)
{
	WASI_STATE(st);
	char path[WASI_PATH_MAX];
	int e = resolve(inst, st, U32(0), U32(1), U32(2), path);
	if (e)
		return RET(e);
	int r = wasi_fs_mkdir(st, path);
	return RET(r ? wasi_errno(r) : 0);
}

/* fs_delete removes files and empty directories alike: the kind is checked first, as unlink/rmdir must. */
static int remove_kind(wasm_instance *inst, void *ctx, uint64_t *slots, bool want_dir)
{
	struct wasi_state *st = wasi_state_get(ctx);
	if (!st)
		return WASI_ENOMEM;
	char path[WASI_PATH_MAX];
	int e = resolve(inst, st, U32(0), U32(1), U32(2), path);
	if (e)
		return e;
	uint32_t size;
	uint8_t kind;
	int r = wasi_fs_stat(st, path, &size, &kind);
	if (r)
		return wasi_errno(r);
	if ((kind == WASI_FS_KIND_DIR) != want_dir)
		return want_dir ? WASI_ENOTDIR : WASI_EISDIR;
	r = wasi_fs_delete(st, path);
	return r ? wasi_errno(r) : 0;
}

WASI_FN(path_unlink_file)
{
	return RET(remove_kind(inst, ctx, slots, false));
}

WASI_FN(path_remove_directory)
{
	return RET(remove_kind(inst, ctx, slots, true));
}
