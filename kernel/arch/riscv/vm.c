#include "arch/riscv/vm.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "core/pmm.h"
#include "core/task.h"
#include "core/panic.h"
#include "lib/string.h"
#include "wasmos/errors.h"

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
/* A and D preset: no hardware (or trap-based) A/D updates are ever needed. */
#define KFLAGS (PTE_V | PTE_G | PTE_A | PTE_D)

#define MEGA (4u << 20)
#define VMEM_PAGES (VMEM_SIZE / PAGE_SIZE)

static uint32_t root[1024] __attribute__((aligned(4096)));
static uint32_t vmem_bitmap[VMEM_PAGES / 32];
static uint32_t vmem_used, pt_pages;
/* vmem pages that are reserved as guards (bit set = guard). */
static uint32_t guard_bitmap[VMEM_PAGES / 32];
static uint32_t rodata_end_addr, mem_lo, mem_hi;

extern char __kernel_start[], __text_end[], __rodata_end[];

static inline uint32_t pte_pa(uint32_t pte) { return (pte >> 10) << 12; }
static inline uint32_t make_pte(uint32_t pa, uint32_t flags) { return ((pa >> 12) << 10) | flags; }

/* The level-0 table for va, created on demand; NULL if a megapage is there or memory ran out. */
static uint32_t *l0_table(uint32_t va, bool create)
{
	uint32_t *e = &root[va >> 22];
	if (*e & PTE_V) {
		if (*e & PTE_LEAF)
			return 0;
		return (uint32_t *)pte_pa(*e);
	}
	if (!create)
		return 0;
	uintptr_t pa = pmm_alloc();
	if (!pa)
		return 0;
	memset((void *)pa, 0, PAGE_SIZE);
	*e = make_pte(pa, PTE_V);
	pt_pages++;
	return (uint32_t *)pa;
}

static int map_page(uint32_t va, uint32_t pa, uint32_t perm)
{
	uint32_t *l0 = l0_table(va, true);
	if (!l0)
		return E_NO_MEMORY;
	l0[(va >> 12) & 0x3ff] = make_pte(pa, KFLAGS | perm);
	return 0;
}

static uint32_t *pte_of(uint32_t va)
{
	uint32_t *l0 = l0_table(va, false);
	return l0 ? &l0[(va >> 12) & 0x3ff] : 0;
}

static void map_identity(uint32_t lo, uint32_t hi, uint32_t perm)
{
	for (uint32_t a = lo; a < hi;) {
		if ((a & (MEGA - 1)) == 0 && hi - a >= MEGA && !(root[a >> 22] & PTE_V)) {
			root[a >> 22] = make_pte(a, KFLAGS | perm);
			a += MEGA;
		} else {
			if (map_page(a, a, perm))
				panic("vm: out of memory for page tables");
			a += PAGE_SIZE;
		}
	}
}

static inline bool vbit(const uint32_t *bm, uint32_t i) { return bm[i / 32] & (1u << (i % 32)); }
static inline void vset(uint32_t *bm, uint32_t i, bool v)
{
	if (v)
		bm[i / 32] |= 1u << (i % 32);
	else
		bm[i / 32] &= ~(1u << (i % 32));
}

/*
 * The code pool: native code of the Wasm runtime's native tier (wasm.h wasm_code_alloc). Reserved
 * at boot (so compiling never changes the memory figures of a running system), written through
 * the identity map (read+write, not executable) and run through a read+execute alias at
 * EXEC_ALIAS_BASE: no page is ever writable and executable at the same address. Blocks are
 * 256-byte grains, first fit; each starts with its owner's task id, so the blocks of a task that
 * died without freeing its module are reclaimed when the pool runs out.
 */
#define CODE_GRAIN 256u
#define CODE_GRAINS (CODE_POOL_PAGES * PAGE_SIZE / CODE_GRAIN)
#define CODE_KERNEL (-1) /* owner of blocks allocated outside any task: never reclaimed */
struct code_block {
	int32_t owner;
	uint32_t grains;
};
static uintptr_t code_pa;
static uint32_t code_busy[CODE_GRAINS / 32], code_start[CODE_GRAINS / 32];

static void code_pool_init(void)
{
	uintptr_t pa = pmm_alloc_contig(CODE_POOL_PAGES);
	if (!pa)
		return;
	for (uint32_t i = 0; i < CODE_POOL_PAGES; i++)
		if (map_page(EXEC_ALIAS_BASE + i * PAGE_SIZE, pa + i * PAGE_SIZE, PTE_R | PTE_X))
			panic("vm: out of memory for page tables");
	code_pa = pa;
}

static void code_mark(uint32_t s, uint32_t g, bool busy)
{
	for (uint32_t i = s; i < s + g; i++)
		vset(code_busy, i, busy);
	vset(code_start, s, busy);
}

/* First fit of g free grains, or CODE_GRAINS (full words are skipped whole). */
static uint32_t code_find(uint32_t g)
{
	uint32_t run = 0;
	for (uint32_t i = 0; i < CODE_GRAINS; i++) {
		if (!(i & 31) && code_busy[i / 32] == ~0u) {
			run = 0;
			i += 31;
			continue;
		}
		run = vbit(code_busy, i) ? 0 : run + 1;
		if (run == g)
			return i + 1 - g;
	}
	return CODE_GRAINS;
}

/* Frees the blocks of tasks that no longer exist. */
static void code_reclaim(void)
{
	for (uint32_t i = 0; i < CODE_GRAINS; i++) {
		if (!vbit(code_start, i))
			continue;
		struct code_block *b = (struct code_block *)(code_pa + i * CODE_GRAIN);
		if (b->owner != CODE_KERNEL && !task_lookup(b->owner))
			code_mark(i, b->grains, false);
	}
}

void *wasm_code_alloc(size_t n, void **exec)
{
	if (!code_pa || n == 0 || n > CODE_GRAINS * CODE_GRAIN - sizeof(struct code_block))
		return 0;
	uint32_t g = (uint32_t)((n + sizeof(struct code_block) + CODE_GRAIN - 1) / CODE_GRAIN);
	uint32_t f = irq_save();
	uint32_t s = code_find(g);
	if (s == CODE_GRAINS) {
		code_reclaim();
		s = code_find(g);
	}
	if (s == CODE_GRAINS) {
		irq_restore(f);
		return 0;
	}
	code_mark(s, g, true);
	struct code_block *b = (struct code_block *)(code_pa + s * CODE_GRAIN);
	struct task *t = current_task();
	b->owner = t && t->id > 0 ? t->id : CODE_KERNEL; /* the kernel's own (id 0) are never reclaimed */
	b->grains = g;
	irq_restore(f);
	*exec = (void *)(EXEC_ALIAS_BASE + s * CODE_GRAIN + sizeof *b);
	return b + 1;
}

void wasm_code_free(void *p, size_t n)
{
	(void)n;
	struct code_block *b = (struct code_block *)p - 1;
	uintptr_t off = (uintptr_t)b - code_pa;
	uint32_t f = irq_save();
	if (code_pa && off < CODE_GRAINS * CODE_GRAIN && !(off % CODE_GRAIN) && vbit(code_start, off / CODE_GRAIN))
		code_mark(off / CODE_GRAIN, b->grains, false);
	irq_restore(f);
}

void vm_init(const struct fdt_info *info)
{
	uint32_t kstart = (uint32_t)__kernel_start;
	uint32_t text_end = (uint32_t)__text_end, ro_end = (uint32_t)__rodata_end;
	mem_lo = info->mem_base;
	mem_hi = info->mem_base + info->mem_size;
	rodata_end_addr = ro_end;
	/* The 4 MiB block holding the kernel is mapped page by page for W^X. */
	uint32_t kblock_end = (kstart & ~(MEGA - 1)) + MEGA;
	if (kblock_end > mem_hi)
		kblock_end = mem_hi;
	for (uint32_t a = kstart & ~(MEGA - 1); a < kblock_end; a += PAGE_SIZE) {
		uint32_t perm = a < kstart ? PTE_R | PTE_W : a < text_end ? PTE_R | PTE_X : a < ro_end ? PTE_R : PTE_R | PTE_W;
		if (map_page(a, a, perm))
			panic("vm: out of memory for page tables");
	}
	if (mem_lo < (kstart & ~(MEGA - 1)))
		map_identity(mem_lo, kstart & ~(MEGA - 1), PTE_R | PTE_W);
	map_identity(kblock_end, mem_hi, PTE_R | PTE_W);
	code_pool_init();
	vm_map_mmio(info->uart_base, PAGE_SIZE);
	vm_map_mmio(info->plic_base, info->plic_size);
	if (info->trace_base)
		vm_map_mmio(info->trace_base, info->trace_size ? info->trace_size : PAGE_SIZE);
	csr_write(satp, SATP_MODE_SV32 | ((uint32_t)root >> 12));
	sfence_vma_all();
}

int vm_map_mmio(uint32_t pa, uint32_t size)
{
	if (!size || pa >= mem_lo || (uint64_t)pa + size > mem_lo || pa >= VMEM_BASE)
		return E_INVALID;
	uint32_t f = irq_save();
	int err = 0;
	uint32_t lo = pa & ~(PAGE_SIZE - 1), hi = pa + size;
	for (uint32_t a = lo; a < hi && !err;) {
		if (a < MEGA) {
			/* First 4 MiB: page by page, so that page 0 stays unmapped. */
			if (a != 0) {
				uint32_t *pte = pte_of(a);
				if (!pte || !(*pte & PTE_V))
					err = map_page(a, a, PTE_R | PTE_W);
			}
			a += PAGE_SIZE;
		} else {
			uint32_t block = a & ~(MEGA - 1);
			if (!(root[block >> 22] & PTE_V))
				root[block >> 22] = make_pte(block, KFLAGS | PTE_R | PTE_W);
			a = block + MEGA;
			if (a == 0)
				break;
		}
	}
	sfence_vma_all();
	irq_restore(f);
	return err;
}

void *vmem_alloc(uint32_t pages, uint32_t guard)
{
	uint32_t total = pages + guard;
	if (!pages || total > VMEM_PAGES)
		return 0;
	uint32_t f = irq_save();
	/* First fit from the bottom keeps the area (and its page tables) compact. */
	uint32_t start = VMEM_PAGES, run = 0;
	for (uint32_t i = 0; i < VMEM_PAGES; i++) {
		if (vbit(vmem_bitmap, i)) {
			run = 0;
			continue;
		}
		if (++run == total) {
			start = i + 1 - total;
			break;
		}
	}
	if (start == VMEM_PAGES) {
		irq_restore(f);
		return 0;
	}
	uint32_t va0 = VMEM_BASE + start * PAGE_SIZE;
	for (uint32_t i = 0; i < total; i++) {
		vset(vmem_bitmap, start + i, true);
		vset(guard_bitmap, start + i, i < guard);
	}
	for (uint32_t i = guard; i < total; i++) {
		uintptr_t pa = pmm_alloc();
		uint32_t va = va0 + i * PAGE_SIZE;
		if (!pa || map_page(va, pa, PTE_R | PTE_W)) {
			if (pa)
				pmm_free(pa);
			/* Unwind what was mapped so far. */
			for (uint32_t j = guard; j < i; j++) {
				uint32_t *pte = pte_of(va0 + j * PAGE_SIZE);
				pmm_free(pte_pa(*pte));
				*pte = 0;
			}
			for (uint32_t j = 0; j < total; j++) {
				vset(vmem_bitmap, start + j, false);
				vset(guard_bitmap, start + j, false);
			}
			sfence_vma_all();
			irq_restore(f);
			return 0;
		}
		memset((void *)pa, 0, PAGE_SIZE);
	}
	vmem_used += pages;
	irq_restore(f);
	return (void *)(va0 + guard * PAGE_SIZE);
}

void vmem_free(void *va, uint32_t pages, uint32_t guard)
{
	uint32_t f = irq_save();
	uint32_t va0 = (uint32_t)va - guard * PAGE_SIZE;
	uint32_t start = (va0 - VMEM_BASE) / PAGE_SIZE;
	for (uint32_t i = 0; i < pages; i++) {
		uint32_t a = (uint32_t)va + i * PAGE_SIZE;
		uint32_t *pte = pte_of(a);
		if (!pte || !(*pte & PTE_V))
			panic("vmem_free: %p not mapped", (void *)a);
		pmm_free(pte_pa(*pte));
		*pte = 0;
		sfence_vma_addr(a);
	}
	for (uint32_t i = 0; i < pages + guard; i++) {
		vset(vmem_bitmap, start + i, false);
		vset(guard_bitmap, start + i, false);
	}
	vmem_used -= pages;
	irq_restore(f);
}

bool vm_is_guard(uintptr_t va)
{
	if (va < VMEM_BASE || va >= VMEM_BASE + VMEM_SIZE)
		return false;
	uint32_t i = (va - VMEM_BASE) / PAGE_SIZE;
	return vbit(guard_bitmap, i);
}

bool vm_check(uintptr_t va, uint32_t len, bool write)
{
	if (!va || (va & 3) || len == 0 || va + len < va)
		return false;
	/* Fast path: a buffer on the caller's own (fully mapped) stack. */
	const struct task *me = current_task();
	if (va >= me->stack_bottom && va + len <= me->stack_top)
		return true;
	if (va >= mem_lo && va + len <= mem_hi)
		return !write || va >= rodata_end_addr || va + len <= (uint32_t)__kernel_start;
	if (va >= VMEM_BASE && va + len <= VMEM_BASE + VMEM_SIZE) {
		for (uint32_t a = va & ~(PAGE_SIZE - 1); a < va + len; a += PAGE_SIZE) {
			uint32_t *pte = pte_of(a);
			if (!pte || !(*pte & PTE_V))
				return false;
		}
		return true;
	}
	return false;
}

static bool readable_byte(uintptr_t va)
{
	if (va >= mem_lo && va < mem_hi)
		return true;
	if (va >= VMEM_BASE && va < VMEM_BASE + VMEM_SIZE) {
		uint32_t *pte = pte_of(va);
		return pte && (*pte & PTE_V);
	}
	return false;
}

bool vm_check_str(uintptr_t va, uint32_t max)
{
	for (uint32_t i = 0; i < max; i++) {
		uintptr_t a = va + i;
		if ((i == 0 || (a & (PAGE_SIZE - 1)) == 0) && !readable_byte(a))
			return false;
		if (*(const char *)a == 0)
			return true;
	}
	return false;
}

uint32_t vmem_pages_in_use(void) { return vmem_used; }
uint32_t vm_pt_pages(void) { return pt_pages; }
