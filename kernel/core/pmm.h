/* The physical page allocator: one bit per 4 KiB page of RAM. */
#ifndef CORE_PMM_H
#define CORE_PMM_H

#include <stdint.h>

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

void pmm_init(uint32_t mem_base, uint32_t mem_size);
/* Marks [base, base+size) in use (kernel image, device tree, boot archive). */
void pmm_reserve(uint32_t base, uint32_t size);
/* Returns a page's physical address, or 0 when memory is exhausted. Not zeroed. */
uintptr_t pmm_alloc(void);
/* n physically contiguous pages (first fit), or 0. Not zeroed. */
uintptr_t pmm_alloc_contig(uint32_t n);
void pmm_free(uintptr_t pa);
void pmm_free_contig(uintptr_t pa, uint32_t n);
uint32_t pmm_free_pages(void);
uint32_t pmm_total_pages(void);
uint32_t pmm_mem_base(void);
uint32_t pmm_mem_end(void);

#endif
