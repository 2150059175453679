/*
 * Access control. A task holds two sets of service names, "uses" (may look
 * up, and then send to, whoever registered them) and "provides" (may
 * register), plus per-task send rights: to a task found by lookup, to a task
 * that sent to it (so servers can answer clients), to its parent and children.
 */
#ifndef CORE_ACCESS_H
#define CORE_ACCESS_H

#include <stdbool.h>
#include "core/task.h"

struct name_set;

/* Parses "a,b,c" ("*" = every name); NULL or "" gives NULL (the empty set).
 * *err is set to E_INVALID or E_NO_MEMORY on failure. */
struct name_set *names_parse(const char *csv, int *err);
void names_free(struct name_set *s);
bool names_has(const struct name_set *s, const char *name);
bool names_subset(const struct name_set *sub, const struct name_set *super);
uint32_t names_bytes(const struct name_set *s);

bool access_may_send_slow(const struct task *from, const struct task *to);
static inline bool access_may_send(const struct task *from, const struct task *to)
{
	uint32_t slot = task_slot(to->id);
	return (from->send_ok[slot / 32] & (1u << (slot % 32))) || access_may_send_slow(from, to);
}
static inline void access_grant_send(struct task *from, const struct task *to)
{
	uint32_t slot = task_slot(to->id);
	from->send_ok[slot / 32] |= 1u << (slot % 32);
}
/* A task's slot is being reused: nobody keeps a right to send to it. */
void access_forget(const struct task *dead);

#endif
