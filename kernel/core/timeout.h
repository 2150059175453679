/* Guest time, timeouts of blocking calls, per-task timers, and the one
 * hardware timer (through SBI) that serves them all. */
#ifndef CORE_TIMEOUT_H
#define CORE_TIMEOUT_H

#include <stdint.h>
#include "core/task.h"

#define NO_DEADLINE UINT64_MAX

void timeout_init(uint32_t timebase_hz);
uint64_t time_now(void);
uint32_t time_ticks_per_ms(void);
/* ms < 0: no deadline; otherwise now + ms. */
uint64_t deadline_after_ms(int32_t ms);
/* Adds/removes t to/from the blocking-timeout list (t->deadline). */
void timeout_add(struct task *t);
void timeout_cancel(struct task *t);
/* timer_set() support. */
void task_timer_arm(struct task *t, uint64_t deadline);
void task_timer_cancel(struct task *t);
/* Makes sure the hardware timer fires by `deadline`. */
void timer_want(uint64_t deadline);
/* The S-mode timer interrupt. */
void timer_interrupt(void);

#endif
