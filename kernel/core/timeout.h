/* Guest time, timeouts of blocking calls, per-task timers, and the one
 * hardware timer (through SBI) that serves them all. */
#ifndef CORE_TIMEOUT_H
#define CORE_TIMEOUT_H

#include <stdint.h>
#include "core/task.h"

#define NO_DEADLINE UINT64_MAX

#include "arch/riscv/csr.h"

void timeout_init(uint32_t timebase_hz);
static inline uint64_t time_now(void) { return rd_time(); }
uint32_t time_ticks_per_ms(void);
uint64_t deadline_after_ms_slow(int32_t ms);
/* ms < 0: no deadline; otherwise now + ms. */
static inline uint64_t deadline_after_ms(int32_t ms)
{
	return ms < 0 ? NO_DEADLINE : deadline_after_ms_slow(ms);
}
/* Adds/removes t to/from the blocking-timeout list (t->deadline). */
void timeout_add(struct task *t);
static inline void timeout_cancel(struct task *t) { list_del(&t->timeout_link); }
/* timer_set() support. */
void task_timer_arm(struct task *t, uint64_t deadline);
void task_timer_cancel(struct task *t);
extern uint64_t timer_armed;
void timer_arm(uint64_t deadline);
/* Makes sure the hardware timer fires by `deadline`. */
static inline void timer_want(uint64_t deadline)
{
	if (deadline < timer_armed)
		timer_arm(deadline);
}
/* The S-mode timer interrupt. */
void timer_interrupt(void);

#endif
