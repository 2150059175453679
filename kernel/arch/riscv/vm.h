/*
 * Sv32 paging. One address space, shared by the kernel and every task:
 *   - RAM is identity-mapped (kernel text RX, rodata R, the rest RW);
 *   - devices are identity-mapped when the kernel or a driver grant needs them
 *     (page 0 stays unmapped so NULL dereferences fault);
 *   - the "vmem" area (VMEM_BASE, 64 MiB) holds page-by-page mappings of
 *     scattered physical pages: task stacks (with an unmapped guard page
 *     below each) and large task allocations.
 */
#ifndef ARCH_RISCV_VM_H
#define ARCH_RISCV_VM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "core/fdt.h"

#define VMEM_BASE 0xc0000000u
#define VMEM_SIZE 0x04000000u
/* The code pool (native code of Wasm tasks): reserved at boot, executed at this read+execute alias. */
#define EXEC_ALIAS_BASE 0xd0000000u
#define CODE_POOL_PAGES 64u

void vm_init(const struct fdt_info *info);
/* Identity-maps a device window read/write. Returns 0 or E_NO_MEMORY/E_INVALID. */
int vm_map_mmio(uint32_t pa, uint32_t size);
/* Reserves guard + pages of virtual space and backs the upper `pages` with
 * fresh zeroed physical pages. Returns the lowest mapped address, or NULL. */
void *vmem_alloc(uint32_t pages, uint32_t guard);
void vmem_free(void *va, uint32_t pages, uint32_t guard);
/* True when [va, va+len) is mapped (and writable, if asked) kernel memory
 * that a task may hand to the kernel as a buffer. */
bool vm_check(uintptr_t va, uint32_t len, bool write);
/* True when a NUL-terminated string of at most max bytes (NUL included) is readable at va. */
bool vm_check_str(uintptr_t va, uint32_t max);
/* wasm.h: n writable bytes of the code pool (NULL when full), *exec where they run; and their release. */
void *wasm_code_alloc(size_t n, void **exec);
void wasm_code_free(void *p, size_t n);
/* True when va lies in an unmapped guard page of the vmem area. */
bool vm_is_guard(uintptr_t va);
uint32_t vmem_pages_in_use(void);
/* Pages used by level-0 page tables (created on demand, kept). */
uint32_t vm_pt_pages(void);

#endif
