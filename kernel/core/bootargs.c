#include "core/bootargs.h"
#include "lib/string.h"

static const char *args = "";

void bootargs_set(const char *cmdline) { args = cmdline ? cmdline : ""; }

/* Finds `key` as a whole word (or before '='); returns the char after it. */
static const char *find(const char *key)
{
	size_t k = strlen(key);
	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) >= k && strncmp(w, key, k) == 0 && (w[k] == ' ' || w[k] == 0 || w[k] == '='))
			return w + k;
	}
	return NULL;
}

bool bootarg_has(const char *key) { return find(key) != NULL; }

bool bootarg_value(const char *key, char *out, size_t size)
{
	const char *p = find(key);
	if (!p || *p != '=' || !size)
		return false;
	p++;
	size_t n = 0;
	while (p[n] && p[n] != ' ' && n + 1 < size) {
		out[n] = p[n];
		n++;
	}
	out[n] = 0;
	return true;
}
