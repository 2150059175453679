/* IPC pieces other kernel modules use (task exit, timers, IRQs, the kernel endpoint). */
#ifndef CORE_IPC_INTERNAL_H
#define CORE_IPC_INTERNAL_H

#include <stdint.h>
#include "core/task.h"

/* ORs bits into t's notifications, delivering at once if t waits for them.
 * `from` is who caused it (for the trace). Interrupts off. */
void notify_post(struct task *t, uint32_t bits, int32_t from);
/* Records that child `id` exited with `reason` in its parent and notifies it. */
void notify_child_exit(struct task *parent, int32_t id, int32_t reason);
/* Fails every IPC wait that involves `dead` with E_EXITED (it is going away). */
void ipc_task_gone(struct task *dead);

#endif
