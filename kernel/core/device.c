#include "wasmos/device.h"
#include "wasmos/errors.h"
#include "core/device.h"
#include "core/fdt.h"
#include "core/heap.h"
#include "core/ipc_internal.h"
#include "core/pmm.h"
#include "core/trace.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/plic.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"

struct dma_block {
	struct list link;
	uintptr_t pa;
	uint32_t pages;
};

static int32_t irq_owner[PLIC_MAX_SOURCES];
static bool irq_in_service[PLIC_MAX_SOURCES];

static bool window_has(const struct task *t, uint32_t pa, uint32_t size)
{
	for (uint32_t i = 0; i < t->n_devs; i++) {
		const struct dev_grant *g = &t->devs[i];
		if (g->mmio_size && pa >= g->mmio_base && (uint64_t)pa + size <= (uint64_t)g->mmio_base + g->mmio_size)
			return true;
	}
	return false;
}

static uint32_t dma_quota(const struct task *t)
{
	uint32_t q = 0;
	for (uint32_t i = 0; i < t->n_devs; i++)
		q += t->devs[i].dma_bytes;
	return q;
}

int device_check_grant(const struct task *spawner, const struct dev_grant *g)
{
	if (g->mmio_size && ((uint64_t)g->mmio_base + g->mmio_size > pmm_mem_base()))
		return E_INVALID;
	if (g->irq < 0 || (uint32_t)g->irq > plic_ndev())
		return E_INVALID;
	if (g->irq && irq_owner[g->irq] && (!spawner || irq_owner[g->irq] != spawner->id))
		return E_EXISTS;
	if (!spawner)
		return 0;
	/* A holder of every device hands out device-tree windows only (never the PLIC, timer or RAM). */
	if (spawner->flags & TASKF_ALL_DEVICES)
		return !g->mmio_size || fdt_driver_window(g->mmio_base, g->mmio_size) ? 0 : E_DENIED;
	if (g->mmio_size && !window_has(spawner, g->mmio_base, g->mmio_size))
		return E_DENIED;
	if (g->irq && irq_owner[g->irq] != spawner->id)
		return E_DENIED;
	if (g->dma_bytes > dma_quota(spawner))
		return E_DENIED;
	return 0;
}

int device_apply_grant(struct task *t, const struct dev_grant *g)
{
	if (g->mmio_size)
		vm_map_mmio(g->mmio_base, g->mmio_size);
	if (g->irq) {
		irq_owner[g->irq] = t->id;
		irq_in_service[g->irq] = false;
		plic_enable((uint32_t)g->irq, 1);
	}
	return 0;
}

void device_task_gone(struct task *t)
{
	for (uint32_t i = 1; i < PLIC_MAX_SOURCES; i++) {
		if (irq_owner[i] != t->id)
			continue;
		plic_enable(i, 0);
		if (irq_in_service[i])
			plic_complete(i);
		irq_in_service[i] = false;
		irq_owner[i] = 0;
	}
	while (!list_empty(&t->dma)) {
		struct dma_block *b = container_of(list_pop_front(&t->dma), struct dma_block, link);
		pmm_free_contig(b->pa, b->pages);
		kfree(b);
	}
}

void device_external_interrupt(void)
{
	uint32_t irq;
	while ((irq = plic_claim()) != 0) {
		struct task *owner = irq < PLIC_MAX_SOURCES ? task_lookup(irq_owner[irq]) : NULL;
		if (TRACE_ON())
			trace_irq(irq, owner ? owner->id : 0);
		if (!owner) {
			/* Nobody drives it: keep it quiet for good. */
			plic_enable(irq, 0);
			plic_complete(irq);
			continue;
		}
		/* Completed only when the driver calls dev_irq_ack (the source stays masked until then). */
		irq_in_service[irq] = true;
		owner->irq_pending[irq / 32] |= 1u << (irq % 32);
		notify_post(owner, NOTIFY_IRQ, TASK_KERNEL);
	}
}

/* The device tree never changes, so registers an all-devices check once allowed
 * stay allowed: remember the last few (init polls the host mailbox's register,
 * and a tree walk per access would cost tens of thousands of instructions). */
#define ALLOWED_CACHE 8
static uint32_t allowed_pa[ALLOWED_CACHE], allowed_width[ALLOWED_CACHE];
static unsigned allowed_next;

static bool all_devices_window(uint32_t pa, uint32_t width)
{
	for (unsigned i = 0; i < ALLOWED_CACHE; i++)
		if (allowed_width[i] == width && allowed_pa[i] == pa)
			return true;
	if (!fdt_driver_window(pa, width) || vm_map_mmio(pa, width) != 0)
		return false;
	allowed_pa[allowed_next] = pa;
	allowed_width[allowed_next] = width;
	allowed_next = (allowed_next + 1) % ALLOWED_CACHE;
	return true;
}

static bool mmio_allowed(struct task *t, uint32_t pa, uint32_t width)
{
	if (width != 1 && width != 2 && width != 4)
		return false;
	if (pa & (width - 1))
		return false;
	if (window_has(t, pa, width))
		return true;
	/* Every device of the device tree, but not the kernel's own (PLIC, timer...) nor RAM. */
	if (t->flags & TASKF_ALL_DEVICES)
		return all_devices_window(pa, width);
	return false;
}

int device_mmio_check(uint32_t pa, uint32_t width)
{
	if ((width != 1 && width != 2 && width != 4) || (pa & (width - 1)))
		return E_INVALID;
	return 0;
}

int dev_mmio_read(uint32_t pa, uint32_t width, uint32_t *value)
{
	struct task *t = current_task();
	if (!vm_check((uintptr_t)value, 4, true))
		return E_BAD_POINTER;
	if (!mmio_allowed(t, pa, width)) {
		if (TRACE_ON())
			trace_denied_addr(TRACE_DENY_MMIO, pa);
		return E_DENIED;
	}
	/* A bus error here faults the task, not the kernel: interrupts are on. */
	switch (width) {
	case 1: *value = *(volatile uint8_t *)pa; break;
	case 2: *value = *(volatile uint16_t *)pa; break;
	default: *value = *(volatile uint32_t *)pa; break;
	}
	return 0;
}

int dev_mmio_write(uint32_t pa, uint32_t width, uint32_t value)
{
	struct task *t = current_task();
	if (!mmio_allowed(t, pa, width)) {
		if (TRACE_ON())
			trace_denied_addr(TRACE_DENY_MMIO, pa);
		return E_DENIED;
	}
	switch (width) {
	case 1: *(volatile uint8_t *)pa = (uint8_t)value; break;
	case 2: *(volatile uint16_t *)pa = (uint16_t)value; break;
	default: *(volatile uint32_t *)pa = value; break;
	}
	return 0;
}

void *dev_dma_alloc(uint32_t size, uint32_t *phys)
{
	if (!size || size > DEVICE_DMA_MAX || (phys && !vm_check((uintptr_t)phys, 4, true)))
		return NULL;
	uint32_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	uint32_t f = irq_save();
	struct task *t = current_task();
	void *r = NULL;
	if (!(t->flags & TASKF_ALL_DEVICES) && t->dma_used + pages * PAGE_SIZE > dma_quota(t)) {
		if (TRACE_ON())
			trace_denied_addr(TRACE_DENY_DMA, size);
		goto out;
	}
	struct dma_block *b = kmalloc(sizeof *b);
	uintptr_t pa = b ? pmm_alloc_contig(pages) : 0;
	if (!pa) {
		kfree(b);
		goto out;
	}
	memset((void *)pa, 0, pages * PAGE_SIZE);
	b->pa = pa;
	b->pages = pages;
	list_push_back(&t->dma, &b->link);
	t->dma_used += pages * PAGE_SIZE;
	t->mem_bytes += pages * PAGE_SIZE;
	if (phys)
		*phys = (uint32_t)pa; /* RAM is identity-mapped: kernel pointer == physical address */
	r = (void *)pa;
out:
	irq_restore(f);
	return r;
}

int device_dma_denied(uint32_t size)
{
	uint32_t f = irq_save();
	struct task *t = current_task();
	uint32_t bytes = (size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	bool over = !(t->flags & TASKF_ALL_DEVICES) && t->dma_used + bytes > dma_quota(t);
	irq_restore(f);
	return over ? E_DENIED : E_NO_MEMORY;
}

void *device_dma_range(uint32_t pa, uint32_t len)
{
	uint32_t f = irq_save();
	struct task *t = current_task();
	void *r = NULL;
	list_for_each(it, &t->dma) {
		struct dma_block *b = container_of(it, struct dma_block, link);
		if (pa >= b->pa && (uint64_t)pa + len <= (uint64_t)b->pa + b->pages * PAGE_SIZE) {
			r = (void *)pa; /* RAM is identity-mapped */
			break;
		}
	}
	irq_restore(f);
	return r;
}

int dev_dma_free(void *p)
{
	uint32_t f = irq_save();
	struct task *t = current_task();
	int r = E_INVALID;
	list_for_each(it, &t->dma) {
		struct dma_block *b = container_of(it, struct dma_block, link);
		if (b->pa == (uintptr_t)p) {
			list_del(&b->link);
			pmm_free_contig(b->pa, b->pages);
			t->dma_used -= b->pages * PAGE_SIZE;
			t->mem_bytes -= b->pages * PAGE_SIZE;
			kfree(b);
			r = 0;
			break;
		}
	}
	irq_restore(f);
	return r;
}

int dev_irq_ack(int irq)
{
	if (irq <= 0 || (uint32_t)irq > plic_ndev())
		return E_INVALID;
	uint32_t f = irq_save();
	int r = 0;
	if (irq_owner[irq] != current_task()->id) {
		if (TRACE_ON())
			trace_denied_addr(TRACE_DENY_IRQ, (uint32_t)irq);
		r = E_DENIED;
	} else if (irq_in_service[irq]) {
		irq_in_service[irq] = false;
		plic_complete((uint32_t)irq);
	}
	irq_restore(f);
	return r;
}
