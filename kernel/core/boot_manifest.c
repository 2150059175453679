#include "core/boot_manifest.h"
#include "core/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"
#include "wasmos/task.h"

void manifest_begin(struct manifest_reader *r, const char *text, uint32_t len)
{
	r->text = text;
	r->len = len;
	r->pos = 0;
	r->line = 0;
}

struct cursor {
	const char *p, *end;
};

static bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void skip_blanks(struct cursor *c)
{
	while (c->p < c->end && blank(*c->p))
		c->p++;
}

/* Reads a key (up to '=' or a blank) into tok; true if '=' follows. */
static bool read_key(struct cursor *c, char *tok, size_t cap)
{
	size_t n = 0;
	while (c->p < c->end && !blank(*c->p) && *c->p != '=') {
		if (n + 1 < cap)
			tok[n++] = *c->p;
		c->p++;
	}
	tok[n] = 0;
	if (c->p < c->end && *c->p == '=') {
		c->p++;
		return true;
	}
	return false;
}

/* Reads a bare or quoted value into tok; its length, or -1 when malformed or too long. */
static int read_value(struct cursor *c, char *tok, size_t cap)
{
	size_t n = 0;
	if (c->p < c->end && *c->p == '"') {
		c->p++;
		for (;;) {
			if (c->p >= c->end)
				return -1; /* unterminated */
			char ch = *c->p++;
			if (ch == '"')
				break;
			if (ch == '\\') {
				if (c->p >= c->end || (*c->p != '"' && *c->p != '\\'))
					return -1;
				ch = *c->p++;
			}
			if (ch == 0 || n + 1 >= cap)
				return -1;
			tok[n++] = ch;
		}
		if (c->p < c->end && !blank(*c->p))
			return -1;
	} else {
		while (c->p < c->end && !blank(*c->p)) {
			if (*c->p == '"' || *c->p == 0 || n + 1 >= cap)
				return -1;
			tok[n++] = *c->p++;
		}
	}
	tok[n] = 0;
	return (int)n;
}

/* Decimal bytes with an optional K, M or G (binary) suffix. */
static bool parse_size(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	uint32_t shift = 0;
	if (*s == 'K' || *s == 'k')
		shift = 10;
	else if (*s == 'M' || *s == 'm')
		shift = 20;
	else if (*s == 'G' || *s == 'g')
		shift = 30;
	if (shift)
		s++;
	v <<= shift;
	if (*s || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "all-devices,kill-any,system" (any subset, in any order) -> TASKF_* bits. */
static bool parse_flags(const char *s, uint32_t *out)
{
	static const struct { const char *name; uint32_t bit; } names[] = {
		{ "all-devices", TASKF_ALL_DEVICES }, { "kill-any", TASKF_KILL_ANY }, { "system", TASKF_SYSTEM },
	};
	*out = 0;
	while (*s) {
		size_t n = 0;
		while (s[n] && s[n] != ',')
			n++;
		bool known = false;
		for (size_t i = 0; i < sizeof names / sizeof names[0] && !known; i++)
			if (strlen(names[i].name) == n && strncmp(s, names[i].name, n) == 0) {
				*out |= names[i].bit;
				known = true;
			}
		if (!known)
			return false;
		s += n + (s[n] == ',');
	}
	return true;
}

static bool copy_to(char *dst, size_t cap, const char *src, int n)
{
	if (n <= 0 || (size_t)n >= cap)
		return false;
	memcpy(dst, src, (size_t)n + 1);
	return true;
}

static int parse_task(struct manifest_reader *r, struct cursor *c, struct boot_task *t, char *err, size_t errlen)
{
	char key[24];
	skip_blanks(c);
	int n = read_value(c, r->tok, sizeof r->tok);
	if (n <= 0 || !copy_to(t->module, sizeof t->module, r->tok, n)) {
		snprintf(err, errlen, "\"task\" needs a module file name (1..%u bytes)", BOOT_ARCHIVE_NAME_MAX - 1);
		return E_INVALID;
	}
	strlcpy(t->name, t->module, sizeof t->name);
	for (;;) {
		skip_blanks(c);
		if (c->p >= c->end || *c->p == '#')
			return 1;
		bool has_value = read_key(c, key, sizeof key);
		n = has_value ? read_value(c, r->tok, sizeof r->tok) : -1;
		if (n < 0) {
			snprintf(err, errlen, "\"%s\": expected key=value (values with blanks in double quotes)", key);
			return E_INVALID;
		}
		bool ok = true;
		if (strcmp(key, "name") == 0) {
			ok = copy_to(t->name, sizeof t->name, r->tok, n);
		} else if (strcmp(key, "arg") == 0) {
			ok = t->args_len + (uint32_t)n + 1 <= sizeof t->args;
			if (ok) {
				memcpy(t->args + t->args_len, r->tok, (size_t)n + 1);
				t->args_len += (uint32_t)n + 1;
			}
		} else if (strcmp(key, "quota") == 0) {
			ok = parse_size(r->tok, &t->quota);
		} else if (strcmp(key, "uses") == 0) {
			ok = copy_to(t->uses, sizeof t->uses, r->tok, n);
		} else if (strcmp(key, "provides") == 0) {
			ok = copy_to(t->provides, sizeof t->provides, r->tok, n);
		} else if (strcmp(key, "flags") == 0) {
			ok = parse_flags(r->tok, &t->flags);
		} else if (strcmp(key, "device") == 0) {
			ok = t->n_devices < MANIFEST_DEVICES_MAX &&
			     copy_to(t->devices[t->n_devices], MANIFEST_DEVICE_MAX, r->tok, n);
			if (ok)
				t->n_devices++;
		} else if (strcmp(key, "dma") == 0) {
			ok = parse_size(r->tok, &t->dma);
		} else if (strcmp(key, "priority") == 0) {
			ok = n == 1 && r->tok[0] >= '1' && r->tok[0] <= '7';
			t->priority = r->tok[0] - '0';
		} else {
			kprintf("boot manifest line %u: unknown key \"%s\" ignored\n", r->line, key);
		}
		if (!ok) {
			snprintf(err, errlen, "bad value for %s: \"%s\"", key, r->tok);
			return E_INVALID;
		}
	}
}

int manifest_next(struct manifest_reader *r, struct boot_task *out, char *err, size_t errlen)
{
	while (r->pos < r->len) {
		const char *start = r->text + r->pos;
		uint32_t n = 0;
		while (r->pos + n < r->len && start[n] != '\n')
			n++;
		r->pos += n + (r->pos + n < r->len);
		r->line++;
		struct cursor c = { start, start + n };
		char word[16];
		skip_blanks(&c);
		if (c.p >= c.end || *c.p == '#')
			continue;
		if (read_key(&c, word, sizeof word) || strcmp(word, "task") != 0) {
			kprintf("boot manifest line %u: unknown directive \"%s\" ignored\n", r->line, word);
			continue;
		}
		memset(out, 0, sizeof *out);
		out->line = r->line;
		return parse_task(r, &c, out, err, errlen);
	}
	return 0;
}
