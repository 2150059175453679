#include "core/sched.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "core/panic.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/switch.h"

#define NPRIO (TASK_PRIO_HIGHEST + 1)

static struct list ready[NPRIO];
static uint32_t ready_mask;
static uint64_t slice_ticks;
/* highest[m] = the highest set bit of the 8-bit mask m (no clz instruction in rv32gc). */
static uint8_t highest[1u << NPRIO];

void sched_init(uint32_t timebase_hz)
{
	for (int i = 0; i < NPRIO; i++)
		list_init(&ready[i]);
	for (uint32_t m = 1; m < (1u << NPRIO); m++)
		highest[m] = (uint8_t)(highest[m >> 1] + (m > 1 ? 1 : 0));
	slice_ticks = (uint64_t)timebase_hz * SLICE_MS / 1000;
}

int sched_highest_ready(void)
{
	return highest[ready_mask];
}

void sched_make_ready(struct task *t)
{
	t->state = T_RUNNABLE;
	list_push_back(&ready[t->prio], &t->run_link);
	ready_mask |= 1u << t->prio;
	/* Someone now competes with the running task: its slice must be enforced. */
	struct task *cur = current_task();
	if (cur->state == T_RUNNABLE && t->prio >= cur->prio)
		timer_want(cur->slice_end);
}

void sched_unqueue(struct task *t)
{
	if (!list_linked(&t->run_link))
		return;
	list_del(&t->run_link);
	if (list_empty(&ready[t->prio]))
		ready_mask &= ~(1u << t->prio);
}

static struct task *pick_next(void)
{
	int p = sched_highest_ready();
	if (!p)
		return idle_task();
	struct list *n = list_pop_front(&ready[p]);
	if (list_empty(&ready[p]))
		ready_mask &= ~(1u << p);
	return list_entry(n, struct task, run_link);
}

uint64_t sched_current_instret(void)
{
	uint32_t f = irq_save();
	struct task *me = current_task();
	uint64_t n = me->instret + (rd_instret() - me->instret_in);
	irq_restore(f);
	return n;
}

static void switch_to(struct task *prev, struct task *next)
{
	uint64_t now = rd_instret();
	prev->instret += now - prev->instret_in;
	next->instret_in = now;
	next->switches++;
	next->slice_end = time_now() + slice_ticks;
	/* Lazy FP: save only state that changed, restore only state that exists. */
	uint32_t st = csr_read(sstatus);
	if ((st & SSTATUS_FS) == SSTATUS_FS_DIRTY) {
		fp_save(prev->f, &prev->fcsr);
		prev->fp_saved = true;
	}
	if (next->fp_saved)
		fp_restore(next->f, &next->fcsr);
	if ((st & SSTATUS_FS) == SSTATUS_FS_DIRTY || next->fp_saved) {
		csr_clear(sstatus, SSTATUS_FS);
		csr_set(sstatus, SSTATUS_FS_CLEAN);
	}
	if (TRACE_ON())
		trace_switch(prev, next);
	switch_context(&prev->saved_sp, next->saved_sp, next);
	/* Back in prev: whoever ran before may have left a zombie to free. */
	if (task_zombies_pending)
		task_reap_zombies();
}

void schedule(void)
{
	struct task *prev = current_task();
	if (prev->state == T_RUNNABLE && !list_linked(&prev->run_link))
		list_push_back(&ready[prev->prio], &prev->run_link), ready_mask |= 1u << prev->prio;
	struct task *next = pick_next();
	if (next == prev)
		return;
	switch_to(prev, next);
}

int32_t sched_block(uint8_t state, uint64_t deadline)
{
	struct task *me = current_task();
	me->state = state;
	me->deadline = deadline;
	if (deadline != NO_DEADLINE)
		timeout_add(me);
	schedule();
	return me->result;
}

void sched_wake(struct task *t, int32_t result)
{
	if (t->state == T_RUNNABLE || t->state == T_ZOMBIE || t->state == T_IDLE)
		return;
	list_del(&t->wait_link);
	timeout_cancel(t);
	t->result = result;
	sched_make_ready(t);
}

void sched_yield_if_preempted(void)
{
	if (sched_highest_ready() > current_task()->prio)
		schedule();
}

void sched_interrupt_exit(void)
{
	struct task *cur = current_task();
	int best = sched_highest_ready();
	if (best > cur->prio || (best && best == cur->prio && time_now() >= cur->slice_end))
		schedule();
}

void sched_tick(uint64_t now)
{
	struct task *cur = current_task();
	int best = sched_highest_ready();
	if (best && best >= cur->prio && cur->state == T_RUNNABLE)
		timer_want(cur->slice_end > now ? cur->slice_end : now + slice_ticks);
}
