/* Device access for driver tasks: an MMIO window, DMA-able memory and IRQs,
 * granted at creation (boot manifest or spawner). Nothing else may touch them. */
#ifndef WASMOS_DEVICE_H
#define WASMOS_DEVICE_H

#include <stdint.h>

struct dev_grant {
	uint32_t mmio_base, mmio_size; /* physical window; size 0 = none */
	int32_t irq;                   /* PLIC source, 0 = none */
	uint32_t dma_bytes;            /* DMA memory quota, 0 = none */
};

/* Checked device register access (width 1, 2 or 4, naturally aligned). */
int dev_mmio_read(uint32_t pa, uint32_t width, uint32_t *value);
int dev_mmio_write(uint32_t pa, uint32_t width, uint32_t value);

/* Physically contiguous, zeroed, page-aligned memory a device may DMA to;
 * returns the kernel pointer and its physical address, or NULL (denied, over
 * quota, out of memory). Freed with dev_dma_free or when the task exits. */
void *dev_dma_alloc(uint32_t size, uint32_t *phys);
int dev_dma_free(void *p);

/* A granted IRQ fired (NOTIFY_IRQ) and the driver has quieted the device:
 * let the interrupt controller deliver that source again. */
int dev_irq_ack(int irq);

#endif
