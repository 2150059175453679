/*
 * Requests to the fs server for WASI, built with the structs generated from
 * the IDL (this file includes no kernel message header, whose names the
 * generated one shares).
 */
#include "core/wasi_fs.h"
#include "core/wasi_rpc.h"
#include "lib/string.h"
#include "../../servers/sdk/include/wasmos/messages.h"

_Static_assert(WASI_FS_O_READ == FS_O_READ && WASI_FS_O_WRITE == FS_O_WRITE && WASI_FS_O_CREATE == FS_O_CREATE &&
	       WASI_FS_O_TRUNCATE == FS_O_TRUNCATE && WASI_FS_O_APPEND == FS_O_APPEND, "fs_open flags");
_Static_assert(WASI_FS_KIND_FILE == FS_KIND_FILE && WASI_FS_KIND_DIR == FS_KIND_DIR, "fs kinds");
_Static_assert(sizeof(((struct fs_read_reply_fields *)0)->data) == WASI_FS_CHUNK, "fs_read chunk");
_Static_assert(sizeof(((struct fs_write_fields *)0)->data) == WASI_FS_CHUNK, "fs_write chunk");
_Static_assert(sizeof(((struct fs_readdir_reply_fields *)0)->name) == WASI_FS_NAME_MAX, "fs_readdir name");
_Static_assert(sizeof(((struct fs_open_fields *)0)->path) == WASI_PATH_MAX, "fs path");
_Static_assert(sizeof(struct message) == WASI_MSG_BYTES, "message size");

#define REQ(fields) ((uint32_t)(MSG_HEADER + sizeof(struct fields)))

static struct message *start(struct wasi_state *st, int32_t type)
{
	struct message *m = (struct message *)st->msg;
	m->type = type;
	m->src = 0;
	return m;
}

/* Sends and checks the reply type: 0 or an error. */
static int call(struct wasi_state *st, uint32_t len, int32_t reply)
{
	int r = wasi_rpc(st, WASI_SVC_FS, len);
	if (r == reply)
		return 0;
	return r < 0 ? r : E_IO; /* a reply of another type: the server is confused */
}

/* Copies a path into a request; callers pass normalized paths shorter than the field. */
static void set_path(char *field, const char *path)
{
	memset(field, 0, WASI_PATH_MAX);
	strlcpy(field, path, WASI_PATH_MAX);
}

int wasi_fs_open(struct wasi_state *st, const char *path, uint32_t flags)
{
	struct message *m = start(st, MSG_FS_OPEN);
	set_path(m->fs_open.path, path);
	m->fs_open.flags = flags;
	int r = call(st, REQ(fs_open_fields), MSG_FS_OPEN_REPLY);
	return r ? r : m->fs_open_reply.handle;
}

int wasi_fs_close(struct wasi_state *st, int32_t handle)
{
	struct message *m = start(st, MSG_FS_CLOSE);
	m->fs_close.handle = handle;
	return call(st, REQ(fs_close_fields), MSG_FS_CLOSE_REPLY);
}

int wasi_fs_read(struct wasi_state *st, int32_t handle, uint32_t offset, void *dst, uint32_t len)
{
	struct message *m = start(st, MSG_FS_READ);
	m->fs_read.handle = handle;
	m->fs_read.offset = offset;
	m->fs_read.len = len < WASI_FS_CHUNK ? len : WASI_FS_CHUNK;
	int r = call(st, REQ(fs_read_fields), MSG_FS_READ_REPLY);
	if (r)
		return r;
	uint32_t n = m->fs_read_reply.data_len;
	if (n > len)
		return E_IO; /* never trust a server to stay inside the caller's buffer */
	memcpy(dst, m->fs_read_reply.data, n);
	return (int)n;
}

int wasi_fs_write(struct wasi_state *st, int32_t handle, uint32_t offset, const void *src, uint32_t len)
{
	struct message *m = start(st, MSG_FS_WRITE);
	if (len > WASI_FS_CHUNK)
		len = WASI_FS_CHUNK;
	m->fs_write.handle = handle;
	m->fs_write.offset = offset;
	memcpy(m->fs_write.data, src, len);
	m->fs_write.data_len = len;
	int r = call(st, REQ(fs_write_fields), MSG_FS_WRITE_REPLY);
	if (r)
		return r;
	return m->fs_write_reply.written > len ? E_IO : (int)m->fs_write_reply.written;
}

int wasi_fs_stat(struct wasi_state *st, const char *path, uint32_t *size, uint8_t *kind)
{
	struct message *m = start(st, MSG_FS_STAT);
	set_path(m->fs_stat.path, path);
	int r = call(st, REQ(fs_stat_fields), MSG_FS_STAT_REPLY);
	if (r)
		return r;
	*size = m->fs_stat_reply.size;
	*kind = m->fs_stat_reply.kind;
	return 0;
}

int wasi_fs_readdir(struct wasi_state *st, const char *path, uint32_t index, uint32_t *size, uint8_t *kind,
		    char name[WASI_FS_NAME_MAX])
{
	struct message *m = start(st, MSG_FS_READDIR);
	set_path(m->fs_readdir.path, path);
	m->fs_readdir.index = index;
	int r = call(st, REQ(fs_readdir_fields), MSG_FS_READDIR_REPLY);
	if (r == E_END)
		return 0;
	if (r)
		return r;
	*size = m->fs_readdir_reply.size;
	*kind = m->fs_readdir_reply.kind;
	memcpy(name, m->fs_readdir_reply.name, WASI_FS_NAME_MAX);
	name[WASI_FS_NAME_MAX - 1] = 0; /* a full field has no NUL */
	return 1;
}

int wasi_fs_mkdir(struct wasi_state *st, const char *path)
{
	struct message *m = start(st, MSG_FS_MKDIR);
	set_path(m->fs_mkdir.path, path);
	return call(st, REQ(fs_mkdir_fields), MSG_FS_MKDIR_REPLY);
}

int wasi_fs_delete(struct wasi_state *st, const char *path)
{
	struct message *m = start(st, MSG_FS_DELETE);
	set_path(m->fs_delete.path, path);
	return call(st, REQ(fs_delete_fields), MSG_FS_DELETE_REPLY);
}
