#include "core/access.h"
#include "core/heap.h"
#include "lib/string.h"
#include "wasmos/errors.h"
#include "wasmos/service.h"

struct name_set {
	bool all;
	uint32_t n;
	char *names[]; /* point into the same allocation */
};

struct name_set *names_parse(const char *csv, int *err)
{
	*err = 0;
	if (!csv || !*csv)
		return NULL;
	size_t len = strnlen(csv, 4096);
	if (len >= 4096) {
		*err = E_INVALID;
		return NULL;
	}
	uint32_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += csv[i] == ',';
	struct name_set *s = kmalloc(sizeof *s + n * sizeof(char *) + len + 1);
	if (!s) {
		*err = E_NO_MEMORY;
		return NULL;
	}
	char *copy = (char *)&s->names[n];
	memcpy(copy, csv, len + 1);
	s->all = false;
	s->n = 0;
	for (char *p = copy;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		size_t l = strlen(p);
		if (l == 0 || l >= SERVICE_NAME_MAX) {
			kfree(s);
			*err = E_INVALID;
			return NULL;
		}
		if (strcmp(p, "*") == 0)
			s->all = true;
		s->names[s->n++] = p;
		if (!comma)
			break;
		p = comma + 1;
	}
	return s;
}

void names_free(struct name_set *s) { kfree(s); }

bool names_has(const struct name_set *s, const char *name)
{
	if (!s)
		return false;
	if (s->all)
		return true;
	for (uint32_t i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return true;
	return false;
}

bool names_subset(const struct name_set *sub, const struct name_set *super)
{
	if (!sub)
		return true;
	if (super && super->all)
		return true;
	if (sub->all)
		return false;
	for (uint32_t i = 0; i < sub->n; i++)
		if (!names_has(super, sub->names[i]))
			return false;
	return true;
}

uint32_t names_bytes(const struct name_set *s) { return s ? (uint32_t)ksize(s) : 0; }

bool access_may_send_slow(const struct task *from, const struct task *to)
{
	if (from->uses && from->uses->all)
		return true;
	return to->parent == from->id || from->parent == to->id;
}

static void forget_one(struct task *t, void *ctx)
{
	uint32_t slot = *(uint32_t *)ctx;
	t->send_ok[slot / 32] &= ~(1u << (slot % 32));
}

void access_forget(const struct task *dead)
{
	uint32_t slot = task_slot(dead->id);
	task_for_each(forget_one, &slot);
}
