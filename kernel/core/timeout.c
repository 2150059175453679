#include "core/timeout.h"
#include "core/sched.h"
#include "core/ipc_internal.h"
#include "core/trace.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/sbi.h"
#include "wasmos/errors.h"

static struct list timeouts = LIST_INIT(timeouts); /* by t->deadline */
static struct list timers = LIST_INIT(timers);     /* by t->timer_deadline */
uint64_t timer_armed = NO_DEADLINE;
#define armed timer_armed
static uint32_t ticks_per_ms = 10000;

void timeout_init(uint32_t timebase_hz)
{
	ticks_per_ms = timebase_hz / 1000 ? timebase_hz / 1000 : 1;
}

uint32_t time_ticks_per_ms(void) { return ticks_per_ms; }

uint64_t deadline_after_ms_slow(int32_t ms)
{
	return time_now() + (uint64_t)ms * ticks_per_ms;
}

static uint64_t key_deadline(struct list *l) { return list_entry(l, struct task, timeout_link)->deadline; }
static uint64_t key_timer(struct list *l) { return list_entry(l, struct task, timer_link)->timer_deadline; }

static void insert_sorted(struct list *head, struct list *node, uint64_t key, uint64_t (*key_of)(struct list *))
{
	list_for_each(it, head) {
		if (key_of(it) > key) {
			list_insert_before(it, node);
			return;
		}
	}
	list_push_back(head, node);
}

void timeout_add(struct task *t)
{
	insert_sorted(&timeouts, &t->timeout_link, t->deadline, key_deadline);
	timer_want(t->deadline);
}

void task_timer_arm(struct task *t, uint64_t deadline)
{
	list_del(&t->timer_link);
	t->timer_deadline = deadline;
	insert_sorted(&timers, &t->timer_link, deadline, key_timer);
	timer_want(deadline);
}

void task_timer_cancel(struct task *t) { list_del(&t->timer_link); }

void timer_arm(uint64_t deadline)
{
	armed = deadline;
	sbi_set_timer(deadline);
}

static uint64_t first_deadline(struct list *head, uint64_t (*key_of)(struct list *))
{
	return list_empty(head) ? NO_DEADLINE : key_of(head->next);
}

void timer_interrupt(void)
{
	uint64_t now = time_now();
	while (!list_empty(&timeouts)) {
		struct task *t = list_entry(timeouts.next, struct task, timeout_link);
		if (t->deadline > now)
			break;
		/* A sleep ends normally; every other wait fails with E_TIMEOUT. */
		sched_wake(t, t->state == T_SLEEP ? 0 : E_TIMEOUT);
	}
	while (!list_empty(&timers)) {
		struct task *t = list_entry(timers.next, struct task, timer_link);
		if (t->timer_deadline > now)
			break;
		list_del(&t->timer_link);
		notify_post(t, NOTIFY_TIMER, TASK_KERNEL);
	}
	/* Everything above only ever asks for earlier deadlines; recompute from scratch. */
	armed = NO_DEADLINE;
	uint64_t next = first_deadline(&timeouts, key_deadline);
	uint64_t t2 = first_deadline(&timers, key_timer);
	if (t2 < next)
		next = t2;
	uint64_t t3 = trace_stats_tick(now);
	if (t3 < next)
		next = t3;
	/* Always re-arm: that is also what clears the pending timer interrupt. */
	armed = next;
	sbi_set_timer(next);
	sched_tick(now);
}
