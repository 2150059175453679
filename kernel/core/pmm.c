#include "core/pmm.h"
#include <stdbool.h>
#include "core/panic.h"
#include "lib/string.h"

/* Up to 1 GiB of RAM: 262144 pages, a 32 KiB bitmap (bit set = page in use). */
#define MAX_PAGES (262144u)

static uint32_t bitmap[MAX_PAGES / 32] __attribute__((section(".noclear.pmm")));
static uint32_t base, npages, nfree, hint;

static inline bool used(uint32_t i) { return bitmap[i / 32] & (1u << (i % 32)); }
static inline void set_used(uint32_t i) { bitmap[i / 32] |= 1u << (i % 32); }
static inline void set_free(uint32_t i) { bitmap[i / 32] &= ~(1u << (i % 32)); }

void pmm_init(uint32_t mem_base, uint32_t mem_size)
{
	base = mem_base;
	npages = mem_size / PAGE_SIZE;
	if (npages > MAX_PAGES)
		npages = MAX_PAGES;
	memset(bitmap, 0, (npages + 31) / 32 * 4);
	nfree = npages;
	hint = 0;
}

void pmm_reserve(uint32_t rbase, uint32_t size)
{
	if (!size)
		return;
	uint64_t lo = rbase < base ? base : rbase;
	uint64_t hi = (uint64_t)rbase + size;
	uint64_t end = (uint64_t)base + (uint64_t)npages * PAGE_SIZE;
	if (hi > end)
		hi = end;
	for (uint64_t a = lo & ~(uint64_t)(PAGE_SIZE - 1); a < hi; a += PAGE_SIZE) {
		uint32_t i = (uint32_t)((a - base) / PAGE_SIZE);
		if (!used(i)) {
			set_used(i);
			nfree--;
		}
	}
}

uintptr_t pmm_alloc(void)
{
	for (uint32_t n = 0; n < npages / 32 + 1; n++) {
		uint32_t w = (hint + n) % ((npages + 31) / 32);
		if (bitmap[w] == 0xffffffffu)
			continue;
		for (uint32_t b = 0; b < 32; b++) {
			uint32_t i = w * 32 + b;
			if (i < npages && !used(i)) {
				set_used(i);
				nfree--;
				hint = w;
				return base + i * PAGE_SIZE;
			}
		}
	}
	return 0;
}

uintptr_t pmm_alloc_contig(uint32_t n)
{
	if (n == 0)
		return 0;
	if (n == 1)
		return pmm_alloc();
	uint32_t run = 0;
	for (uint32_t i = 0; i < npages; i++) {
		if (used(i)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			uint32_t first = i + 1 - n;
			for (uint32_t j = first; j <= i; j++)
				set_used(j);
			nfree -= n;
			return base + first * PAGE_SIZE;
		}
	}
	return 0;
}

void pmm_free(uintptr_t pa)
{
	uint32_t i = (pa - base) / PAGE_SIZE;
	if (pa < base || i >= npages || (pa & (PAGE_SIZE - 1)) || !used(i))
		panic("pmm_free: bad page %p", (void *)pa);
	set_free(i);
	nfree++;
}

void pmm_free_contig(uintptr_t pa, uint32_t n)
{
	for (uint32_t j = 0; j < n; j++)
		pmm_free(pa + j * PAGE_SIZE);
}

uint32_t pmm_free_pages(void) { return nfree; }
uint32_t pmm_total_pages(void) { return npages; }
uint32_t pmm_mem_base(void) { return base; }
uint32_t pmm_mem_end(void) { return base + npages * PAGE_SIZE; }
