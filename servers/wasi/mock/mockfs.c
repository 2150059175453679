/*
 * A stand-in for the fs and console servers, for testing the kernel's WASI
 * layer before the real servers exist (tests/kernel/wasi.test.ts). Built with
 * the C SDK (not WASI). It registers "console" and "fs" (its task needs
 * provides=console,fs) and serves:
 *   fs: a few files and directories in memory, /boot read-only, /tmp writable;
 *       closing a file that was written prints "mockfs: wrote PATH: N bytes,
 *       fnv1a HASH, starts TEXT" so a test can check what a program wrote;
 *   console: console_read_line answers two scripted lines, then E_END.
 */
#include <wasmos.h>

#define MAX_FILES 16
#define MAX_OPEN  16
#define FILE_MAX  8192
#define PATH_MAX_ 64

struct file {
	char path[PATH_MAX_];
	uint8_t kind; /* 0 = free slot */
	uint32_t size;
	uint8_t data[FILE_MAX];
};

struct open_file {
	int32_t file; /* index + 1; 0 = free */
	uint32_t flags;
	int32_t owner;
	int written;
};

static struct file files[MAX_FILES];
static struct open_file opens[MAX_OPEN];
static const char *const input[] = { "first line of input", "second line" };
static uint32_t input_next;

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void str_copy(char *d, const char *s, uint32_t cap)
{
	uint32_t i = 0;
	for (; s[i] && i + 1 < cap; i++)
		d[i] = s[i];
	d[i] = 0;
}

static int32_t find(const char *path)
{
	for (int32_t i = 0; i < MAX_FILES; i++)
		if (files[i].kind && str_eq(files[i].path, path))
			return i;
	return -1;
}

/* The directory part of a path ("/tmp/x" -> "/tmp", "/x" -> "/"). */
static void parent_of(const char *path, char *out)
{
	uint32_t n = (uint32_t)wasmos_strlen(path), cut = 0;
	for (uint32_t i = 0; i < n; i++)
		if (path[i] == '/')
			cut = i;
	if (cut == 0) {
		str_copy(out, "/", PATH_MAX_);
		return;
	}
	memcpy(out, path, cut);
	out[cut] = 0;
}

static int read_only(const char *path)
{
	return path[0] == '/' && path[1] == 'b' && path[2] == 'o' && path[3] == 'o' && path[4] == 't' &&
	       (path[5] == '/' || path[5] == 0);
}

static int32_t add(const char *path, uint8_t kind)
{
	if (wasmos_strlen(path) >= PATH_MAX_)
		return E_NAME_TOO_LONG;
	char parent[PATH_MAX_];
	parent_of(path, parent);
	int32_t p = find(parent);
	if (!str_eq(parent, "/") && (p < 0 || files[p].kind != FS_KIND_DIR))
		return p < 0 ? E_NOT_FOUND : E_NOT_DIR;
	for (int32_t i = 0; i < MAX_FILES; i++) {
		if (!files[i].kind) {
			str_copy(files[i].path, path, PATH_MAX_);
			files[i].kind = kind;
			files[i].size = 0;
			return i;
		}
	}
	return E_NO_SPACE;
}

static void put(const char *path, const char *text, uint32_t n)
{
	int32_t i = add(path, FS_KIND_FILE);
	memcpy(files[i].data, text, n);
	files[i].size = n;
}

static uint32_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void print_hex(uint32_t v)
{
	char b[9];
	for (int i = 7; i >= 0; i--, v >>= 4)
		b[i] = "0123456789abcdef"[v & 15];
	b[8] = 0;
	wasmos_print(b);
}

static struct open_file *handle(int32_t h, int32_t src)
{
	if (h < 1 || h > MAX_OPEN || !opens[h - 1].file || opens[h - 1].owner != src)
		return 0;
	return &opens[h - 1];
}

static int32_t fs_open(struct message *m)
{
	const char *path = m->fs_open.path;
	uint32_t flags = m->fs_open.flags;
	int32_t f = find(path);
	if (f >= 0 && files[f].kind == FS_KIND_DIR)
		return E_IS_DIR;
	if ((flags & (FS_O_WRITE | FS_O_CREATE | FS_O_TRUNCATE)) && read_only(path))
		return E_READ_ONLY;
	if (f < 0) {
		if (!(flags & FS_O_CREATE))
			return E_NOT_FOUND;
		f = add(path, FS_KIND_FILE);
		if (f < 0)
			return f;
	}
	if (flags & FS_O_TRUNCATE)
		files[f].size = 0;
	for (int32_t i = 0; i < MAX_OPEN; i++) {
		if (!opens[i].file) {
			opens[i] = (struct open_file){ f + 1, flags, m->src, 0 };
			msg_init(m, MSG_FS_OPEN_REPLY);
			m->fs_open_reply.handle = i + 1;
			return WASMOS_REPLY;
		}
	}
	return E_NO_SPACE;
}

static int32_t fs_close(struct message *m)
{
	struct open_file *o = handle(m->fs_close.handle, m->src);
	if (!o)
		return E_BAD_HANDLE;
	if (o->written) {
		struct file *f = &files[o->file - 1];
		char start[17];
		uint32_t n = f->size < 16 ? f->size : 16;
		memcpy(start, f->data, n);
		start[n] = 0;
		for (uint32_t i = 0; i < n; i++)
			if (start[i] == '\n')
				start[i] = '|';
		wasmos_print("mockfs: wrote ");
		wasmos_print(f->path);
		wasmos_print(": ");
		wasmos_print_int((int32_t)f->size);
		wasmos_print(" bytes, fnv1a ");
		print_hex(fnv1a(f->data, f->size));
		wasmos_print(", starts ");
		wasmos_print(start);
		wasmos_print("\n");
	}
	o->file = 0;
	msg_init(m, MSG_FS_CLOSE_REPLY);
	return WASMOS_REPLY;
}

static int32_t fs_read(struct message *m)
{
	struct open_file *o = handle(m->fs_read.handle, m->src);
	if (!o || !(o->flags & FS_O_READ))
		return E_BAD_HANDLE;
	struct file *f = &files[o->file - 1];
	uint32_t off = m->fs_read.offset, len = m->fs_read.len;
	if (len > sizeof m->fs_read_reply.data)
		return E_INVALID;
	uint32_t n = off >= f->size ? 0 : (f->size - off < len ? f->size - off : len);
	msg_init(m, MSG_FS_READ_REPLY);
	memcpy(m->fs_read_reply.data, f->data + off, n);
	m->fs_read_reply.data_len = n;
	return WASMOS_REPLY;
}

static int32_t fs_write(struct message *m)
{
	struct open_file *o = handle(m->fs_write.handle, m->src);
	if (!o || !(o->flags & FS_O_WRITE))
		return E_BAD_HANDLE;
	struct file *f = &files[o->file - 1];
	uint32_t off = (o->flags & FS_O_APPEND) ? f->size : m->fs_write.offset, len = m->fs_write.data_len;
	if (len > sizeof m->fs_write.data || off > FILE_MAX)
		return E_INVALID;
	if (len > FILE_MAX - off)
		len = FILE_MAX - off; /* full: a short write */
	if (off > f->size)
		memset(f->data + f->size, 0, off - f->size);
	memcpy(f->data + off, m->fs_write.data, len);
	if (off + len > f->size)
		f->size = off + len;
	o->written = 1;
	msg_init(m, MSG_FS_WRITE_REPLY);
	m->fs_write_reply.written = len;
	return WASMOS_REPLY;
}

static int32_t fs_readdir(struct message *m)
{
	char dir[256];
	str_copy(dir, m->fs_readdir.path, sizeof dir);
	int32_t d = find(dir);
	if (!str_eq(dir, "/") && (d < 0 || files[d].kind != FS_KIND_DIR))
		return d < 0 ? E_NOT_FOUND : E_NOT_DIR;
	uint32_t want = m->fs_readdir.index, seen = 0;
	for (int32_t i = 0; i < MAX_FILES; i++) {
		char parent[PATH_MAX_];
		if (!files[i].kind)
			continue;
		parent_of(files[i].path, parent);
		if (!str_eq(parent, dir) || seen++ != want)
			continue;
		const char *name = files[i].path + wasmos_strlen(parent) + (str_eq(parent, "/") ? 0 : 1);
		msg_init(m, MSG_FS_READDIR_REPLY);
		m->fs_readdir_reply.size = files[i].size;
		m->fs_readdir_reply.kind = files[i].kind;
		CSTR_SET(m->fs_readdir_reply.name, name);
		return WASMOS_REPLY;
	}
	return E_END;
}

static int32_t fs_stat(struct message *m)
{
	if (str_eq(m->fs_stat.path, "/")) {
		msg_init(m, MSG_FS_STAT_REPLY);
		m->fs_stat_reply.kind = FS_KIND_DIR;
		return WASMOS_REPLY;
	}
	int32_t f = find(m->fs_stat.path);
	if (f < 0)
		return E_NOT_FOUND;
	msg_init(m, MSG_FS_STAT_REPLY);
	m->fs_stat_reply.size = files[f].size;
	m->fs_stat_reply.kind = files[f].kind;
	return WASMOS_REPLY;
}

static int32_t fs_mkdir(struct message *m)
{
	if (read_only(m->fs_mkdir.path))
		return E_READ_ONLY;
	if (find(m->fs_mkdir.path) >= 0)
		return E_EXISTS;
	int32_t r = add(m->fs_mkdir.path, FS_KIND_DIR);
	if (r < 0)
		return r;
	msg_init(m, MSG_FS_MKDIR_REPLY);
	return WASMOS_REPLY;
}

static int32_t fs_delete(struct message *m)
{
	const char *path = m->fs_delete.path;
	if (read_only(path))
		return E_READ_ONLY;
	int32_t f = find(path);
	if (f < 0)
		return E_NOT_FOUND;
	for (int32_t i = 0; i < MAX_FILES; i++) {
		char parent[PATH_MAX_];
		if (files[i].kind) {
			parent_of(files[i].path, parent);
			if (str_eq(parent, path))
				return E_NOT_EMPTY;
		}
	}
	files[f].kind = 0;
	msg_init(m, MSG_FS_DELETE_REPLY);
	return WASMOS_REPLY;
}

static int32_t read_line(struct message *m)
{
	if (input_next >= sizeof input / sizeof input[0])
		return E_END;
	msg_init(m, MSG_CONSOLE_READ_LINE_REPLY);
	CSTR_SET(m->console_read_line_reply.line, input[input_next++]);
	return WASMOS_REPLY;
}

static int32_t serve(struct message *m)
{
	switch (m->type) {
	case MSG_FS_OPEN: return fs_open(m);
	case MSG_FS_CLOSE: return fs_close(m);
	case MSG_FS_READ: return fs_read(m);
	case MSG_FS_WRITE: return fs_write(m);
	case MSG_FS_READDIR: return fs_readdir(m);
	case MSG_FS_STAT: return fs_stat(m);
	case MSG_FS_MKDIR: return fs_mkdir(m);
	case MSG_FS_DELETE: return fs_delete(m);
	case MSG_CONSOLE_READ_LINE: return read_line(m);
	default: return E_UNSUPPORTED;
	}
}

int main(void)
{
	static char big[3000];
	add("/boot", FS_KIND_DIR);
	add("/tmp", FS_KIND_DIR);
	put("/boot/hello.txt", "Hello from the mock fs!\nsecond line\n", 36);
	/* 3,000 bytes: a copy spans several fs messages and cp's 700-byte reads. */
	for (uint32_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + (i * 7 + i / 26) % 26);
	put("/boot/big.txt", big, sizeof big);
	if (wasmos_service_register("console") < 0)
		wasmos_print("mockfs: cannot register console\n");
	wasmos_serve("fs", serve);
}
