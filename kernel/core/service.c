/* The service registry: a small table of name -> task id. A lookup of a name
 * not yet registered waits (T_LOOKUP) on a list that register() scans. */
#include "wasmos/service.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "core/service.h"
#include "core/access.h"
#include "core/sched.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"

#define MAX_SERVICES 64

static struct {
	char name[SERVICE_NAME_MAX];
	int32_t task; /* 0 = free slot */
} table[MAX_SERVICES];

static struct list waiters = LIST_INIT(waiters);

static bool valid_name(const char *name)
{
	if (!vm_check_str((uintptr_t)name, SERVICE_NAME_MAX))
		return false;
	size_t n = strlen(name);
	return n > 0 && strcmp(name, "*") != 0 && !strchr(name, ',');
}

static int find(const char *name)
{
	for (int i = 0; i < MAX_SERVICES; i++)
		if (table[i].task && strcmp(table[i].name, name) == 0)
			return i;
	return -1;
}

int service_register(const char *name)
{
	if (!valid_name(name))
		return E_INVALID;
	uint32_t f = irq_save();
	struct task *me = current_task();
	int r = 0;
	if (!names_has(me->provides, name)) {
		if (TRACE_ON())
			trace_denied(TRACE_DENY_REGISTER, me->id, name);
		r = E_DENIED;
	} else if (find(name) >= 0) {
		r = E_EXISTS;
	} else {
		int slot = -1;
		for (int i = 0; i < MAX_SERVICES && slot < 0; i++)
			if (!table[i].task)
				slot = i;
		if (slot < 0) {
			r = E_NO_MEMORY;
		} else {
			strlcpy(table[slot].name, name, SERVICE_NAME_MAX);
			table[slot].task = me->id;
			/* Wake everyone waiting for this name; they may now send to us. */
			list_for_each_safe(it, nx, &waiters) {
				struct task *w = list_entry(it, struct task, wait_link);
				if (strcmp(w->wait_name, name) == 0) {
					access_grant_send(w, me);
					sched_wake(w, me->id);
				}
			}
		}
	}
	if (TRACE_ON())
		trace_service(1, r, name);
	if (r == 0)
		sched_yield_if_preempted();
	irq_restore(f);
	return r;
}

int service_lookup(const char *name, int32_t timeout_ms)
{
	if (!valid_name(name))
		return E_INVALID;
	uint32_t f = irq_save();
	struct task *me = current_task();
	int r;
	if (!names_has(me->uses, name)) {
		if (TRACE_ON())
			trace_denied(TRACE_DENY_LOOKUP, me->id, name);
		r = E_DENIED;
	} else {
		int i = find(name);
		if (i >= 0) {
			struct task *t = task_lookup(table[i].task);
			if (t)
				access_grant_send(me, t);
			r = table[i].task;
		} else if (timeout_ms == 0) {
			r = E_NOT_FOUND;
		} else {
			me->wait_name = name;
			list_push_back(&waiters, &me->wait_link);
			r = sched_block(T_LOOKUP, deadline_after_ms(timeout_ms));
		}
	}
	if (TRACE_ON())
		trace_service(2, r, name);
	irq_restore(f);
	return r;
}

void service_task_gone(struct task *dead)
{
	for (int i = 0; i < MAX_SERVICES; i++)
		if (table[i].task == dead->id)
			table[i].task = 0;
}
