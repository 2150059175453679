/*
 * The scheduler: fixed priorities (TASK_PRIO_LOWEST..HIGHEST, idle below
 * them), round robin within a priority, a time slice enforced by the timer.
 * Everything here runs with interrupts off.
 */
#ifndef CORE_SCHED_H
#define CORE_SCHED_H

#include <stdint.h>
#include "core/task.h"

#define SLICE_MS 10

void sched_init(uint32_t timebase_hz);
/* Instructions the running task has retired so far (interrupts may be on). */
uint64_t sched_current_instret(void);
/* Makes t runnable and queues it (at the tail of its priority). */
void sched_make_ready(struct task *t);
/* Takes t off the ready queue (it is being destroyed). */
void sched_unqueue(struct task *t);
/* Switches to the best runnable task; the current one is requeued if still runnable. */
void schedule(void);
/* Blocks the current task in `state` until sched_wake() or the deadline
 * (UINT64_MAX = none; the timeout wakes it with E_TIMEOUT). Returns t->result. */
int32_t sched_block(uint8_t state, uint64_t deadline);
/* Ends t's wait (unlinking it from whatever it waited in) with `result`. */
void sched_wake(struct task *t, int32_t result);
/* After waking others: switch if a higher-priority task became runnable. */
void sched_yield_if_preempted(void);
/* On the way out of an interrupt: priority preemption and slice expiry. */
void sched_interrupt_exit(void);
/* Timer interrupt: the slice bookkeeping. */
void sched_tick(uint64_t now);
/* Highest priority with a runnable task, 0 if none. */
int sched_highest_ready(void);

#endif
