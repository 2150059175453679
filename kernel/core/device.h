/* Device grants: MMIO windows, DMA quota and IRQ ownership of driver tasks. */
#ifndef CORE_DEVICE_H
#define CORE_DEVICE_H

#include "core/task.h"

/* Checks that `spawner` may pass `g` on (NULL spawner: the kernel, may grant anything). */
int device_check_grant(const struct task *spawner, const struct dev_grant *g);
/* Takes the grant for t: maps the window, claims and enables the IRQ. */
int device_apply_grant(struct task *t, const struct dev_grant *g);
/* Releases t's IRQs (t is being destroyed). */
void device_task_gone(struct task *t);
/* The PLIC external interrupt: route claimed sources to their owners. */
void device_external_interrupt(void);

#endif
