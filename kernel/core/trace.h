/*
 * Event tracing into the ring the host reads through the trace device
 * (docs/trace.md). Call sites test TRACE_ON() first: with no device, or no
 * host reading, an event costs two loads and a branch.
 */
#ifndef CORE_TRACE_H
#define CORE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include "wasmos/trace_format.h"
#include "core/fdt.h"

struct task;

extern volatile struct trace_header *trace_ring;

/* One load of trace_ring: trace_set_active may clear it at any time. */
static inline bool trace_on(void)
{
	volatile struct trace_header *h = trace_ring;
	return h != 0 && h->enabled != 0;
}
#define TRACE_ON() __builtin_expect(trace_on(), 0)

void trace_init(const struct fdt_info *info);
/* Starts (on) or stops recording for the whole system, whatever the host
 * asks (wasmos.system 3/4): stopped, the ring stays attached but gets no
 * records. 0, or E_NOT_FOUND when the board has no trace device. */
int trace_set_active(bool on);
void trace_ipc(int kind, int32_t src, int32_t dst, int32_t type, uint32_t len, int32_t result, const uint8_t *payload);
void trace_denied(int what, int32_t target, const char *name);
void trace_denied_addr(int what, uint32_t addr);
void trace_task_create(const struct task *t);
void trace_task_exit(int32_t id, int32_t reason);
void trace_fault(int32_t id, uint32_t cause, uint32_t epc, uint32_t tval);
void trace_service(int op, int32_t result, const char *name);
/* prev's state and peer go with it: the host sees at once why it left the CPU. */
void trace_switch(const struct task *prev, const struct task *next);
void trace_irq(uint32_t irq, int32_t owner);
/* These two check TRACE_ON() themselves. */
void trace_log(const char *s, uint32_t n);
/* Emits TASK_STATS for every task when due; returns when it next wants to run. */
uint64_t trace_stats_tick(uint64_t now);

#endif
