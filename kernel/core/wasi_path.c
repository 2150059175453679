#include "core/wasi_path.h"
#include "core/wasi_abi.h"
#include "lib/string.h"

/* Drops the last component of an absolute path ("/a/b" -> "/a", "/a" -> "/"). */
static void pop(char *out, uint32_t *n)
{
	while (*n > 1 && out[*n - 1] != '/')
		(*n)--;
	if (*n > 1)
		(*n)--; /* the slash before it, except the root's */
	out[*n] = 0;
}

int wasi_path_resolve(const char *base, const char *rel, uint32_t len, char out[WASI_PATH_MAX])
{
	uint32_t n = (uint32_t)strlcpy(out, base, WASI_PATH_MAX);
	if (n == 0 || n >= WASI_PATH_MAX || out[0] != '/')
		return WASI_EINVAL;
	for (uint32_t i = 0; i < len;) {
		uint32_t j = i;
		while (j < len && rel[j] != '/') {
			if (rel[j] == 0)
				return WASI_EINVAL;
			j++;
		}
		uint32_t k = j - i;
		const char *c = rel + i;
		i = j + 1;
		if (k == 0 || (k == 1 && c[0] == '.'))
			continue;
		if (k == 2 && c[0] == '.' && c[1] == '.') {
			pop(out, &n);
			continue;
		}
		uint32_t sep = n > 1; /* no second slash after the root */
		if (n + sep + k >= WASI_PATH_MAX)
			return WASI_ENAMETOOLONG;
		if (sep)
			out[n++] = '/';
		memcpy(out + n, c, k);
		n += k;
		out[n] = 0;
	}
	return 0;
}

uint64_t wasi_path_ino(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *path; path++)
		h = (h ^ (uint8_t)*path) * 0x100000001b3ull;
	return h ? h : 1;
}
