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
/* Largest single DMA allocation. */
#define DEVICE_DMA_MAX (16u << 20)
/* E_INVALID unless width is 1, 2 or 4 and pa is aligned to it; else 0. */
int device_mmio_check(uint32_t pa, uint32_t width);
/* Why dev_dma_alloc(size) just failed for the current task: E_DENIED (beyond
 * its DMA quota) or E_NO_MEMORY. */
int device_dma_denied(uint32_t size);
/* The kernel pointer of [pa, pa+len) when it lies inside one of the current
 * task's DMA allocations; NULL otherwise. */
void *device_dma_range(uint32_t pa, uint32_t len);
/* The PLIC external interrupt: route claimed sources to their owners. */
void device_external_interrupt(void);

#endif
