#include "core/heap.h"
#include "core/pmm.h"
#include "core/panic.h"
#include "arch/riscv/irq.h"
#include "lib/string.h"

#define MIN_SHIFT 4
#define MAX_SHIFT 11
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)

struct free_obj {
	struct free_obj *next;
};

/* Per RAM page: 0 = not heap, 1..NCLASSES = slab of that class, or
 * LARGE_TAG | pages for the first page of a large allocation. */
#define LARGE_TAG 0x8000u
#define LARGE_MAX_PAGES 0x7fffu
static uint16_t *page_meta;
static struct free_obj *free_lists[NCLASSES];
static uint32_t in_use, slab_pages;

static uint16_t *meta_of(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	if (a < pmm_mem_base() || a >= pmm_mem_end())
		panic("kfree: %p is not heap memory", p);
	return &page_meta[(a - pmm_mem_base()) / PAGE_SIZE];
}

void heap_init(void)
{
	uint32_t bytes = pmm_total_pages() * sizeof(uint16_t);
	uint32_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uintptr_t pa = pmm_alloc_contig(pages);
	if (!pa)
		panic("heap_init: no memory for page metadata");
	page_meta = (uint16_t *)pa;
	memset(page_meta, 0, pages * PAGE_SIZE);
}

static int class_of(size_t size)
{
	int c = 0;
	size_t s = 1u << MIN_SHIFT;
	while (s < size) {
		s <<= 1;
		c++;
	}
	return c;
}

void *kmalloc(size_t size)
{
	if (size == 0)
		size = 1;
	uint32_t f = irq_save();
	void *p = 0;
	if (size > (1u << MAX_SHIFT)) {
		uint32_t n = (size + PAGE_SIZE - 1) / PAGE_SIZE;
		uintptr_t pa = size <= LARGE_MAX_PAGES * PAGE_SIZE ? pmm_alloc_contig(n) : 0;
		if (pa) {
			*meta_of((void *)pa) = (uint16_t)(LARGE_TAG | n);
			in_use += n * PAGE_SIZE;
			p = (void *)pa;
		}
		irq_restore(f);
		return p;
	}
	int c = class_of(size);
	if (!free_lists[c]) {
		uintptr_t pa = pmm_alloc();
		if (!pa) {
			irq_restore(f);
			return 0;
		}
		*meta_of((void *)pa) = (uint16_t)(c + 1);
		slab_pages++;
		uint32_t sz = 1u << (c + MIN_SHIFT);
		for (uint32_t off = 0; off < PAGE_SIZE; off += sz) {
			struct free_obj *o = (struct free_obj *)(pa + off);
			o->next = free_lists[c];
			free_lists[c] = o;
		}
	}
	struct free_obj *o = free_lists[c];
	free_lists[c] = o->next;
	in_use += 1u << (c + MIN_SHIFT);
	irq_restore(f);
	return o;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

size_t ksize(const void *p)
{
	uint32_t m = *meta_of(p);
	if (m & LARGE_TAG)
		return (m & ~LARGE_TAG) * PAGE_SIZE;
	if (m == 0 || m > NCLASSES)
		panic("ksize: %p is not allocated", p);
	return 1u << (m - 1 + MIN_SHIFT);
}

void kfree(void *p)
{
	if (!p)
		return;
	uint32_t f = irq_save();
	uint16_t *m = meta_of(p);
	if (*m & LARGE_TAG) {
		uint32_t n = *m & ~LARGE_TAG;
		if ((uintptr_t)p & (PAGE_SIZE - 1))
			panic("kfree: %p is inside a large block", p);
		*m = 0;
		pmm_free_contig((uintptr_t)p, n);
		in_use -= n * PAGE_SIZE;
	} else {
		if (*m == 0 || *m > NCLASSES)
			panic("kfree: %p is not allocated", p);
		int c = (int)*m - 1;
		struct free_obj *o = p;
		o->next = free_lists[c];
		free_lists[c] = o;
		in_use -= 1u << (c + MIN_SHIFT);
	}
	irq_restore(f);
}

uint32_t heap_bytes_in_use(void) { return in_use; }
uint32_t heap_slab_pages(void) { return slab_pages; }
