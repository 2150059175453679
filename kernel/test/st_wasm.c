/* Wasm tasks from the kernel's side: spawn/exit cycles leak nothing, a trap
 * ends only its task, refusals carry their codes. The modules are tiny
 * binaries written out by hand (the kernel build has no assembler for .wat);
 * tests/kernel/wasm-*.test.ts cover the rest with real programs. */
#include "test/selftest.h"
#include "core/heap.h"
#include "core/pmm.h"
#include "core/wasm_task.h"
#include "arch/riscv/vm.h"

#define CYCLES 200

/* _start: wasmos.exit(wasmos.task_id() % 100) */
static const uint8_t exit_with_id[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x0c, 0x03, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00,
	0x02, 0x20, 0x02,
	0x06, 'w', 'a', 's', 'm', 'o', 's', 0x07, 't', 'a', 's', 'k', '_', 'i', 'd', 0x00, 0x00,
	0x06, 'w', 'a', 's', 'm', 'o', 's', 0x04, 'e', 'x', 'i', 't', 0x00, 0x01,
	0x03, 0x02, 0x01, 0x02,
	0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x02,
	0x0a, 0x0c, 0x01, 0x0a, 0x00, 0x10, 0x00, 0x41, 0xe4, 0x00, 0x70, 0x10, 0x01, 0x0b,
};

/* _start: unreachable */
static const uint8_t trap[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
	0x03, 0x02, 0x01, 0x00,
	0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
	0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b,
};

/* imports env.foo */
static const uint8_t bad_import[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
	0x02, 0x0b, 0x01, 0x03, 'e', 'n', 'v', 0x03, 'f', 'o', 'o', 0x00, 0x00,
};

/* (memory 64) and an empty _start: 4 MiB of linear memory */
static const uint8_t big_memory[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
	0x03, 0x02, 0x01, 0x00,
	0x05, 0x03, 0x01, 0x00, 0x40,
	0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00,
	0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
};

static int spawn(const char *name, const uint8_t *m, uint32_t len, uint32_t quota)
{
	struct wasm_spawn s = { .module = m, .module_len = len, .name = name, .quota = quota };
	return wasm_task_spawn(&s, NULL, NULL, 0);
}

static uint32_t free_pages(void)
{
	return pmm_free_pages() + heap_slab_pages() + vm_pt_pages();
}

void st_wasm(void)
{
	/* Warm the caches (slabs, page tables) the cycles below reuse. */
	int id = spawn("warm", exit_with_id, sizeof exit_with_id, 0);
	CHECK(id > 0);
	CHECK_EQ(st_wait_exit(id, 2000), id % 100);

	uint32_t heap0 = heap_bytes_in_use(), pages0 = free_pages();
	int bad = 0;
	for (int i = 0; i < CYCLES; i++) {
		id = spawn("cycle", exit_with_id, sizeof exit_with_id, 256 * 1024);
		if (id <= 0 || st_wait_exit(id, 2000) != id % 100)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(heap_bytes_in_use(), heap0);
	CHECK_EQ(free_pages(), pages0);

	id = spawn("trap", trap, sizeof trap, 0);
	CHECK(id > 0);
	CHECK_EQ(st_wait_exit(id, 2000), EXIT_WASM_TRAP);

	CHECK_EQ(spawn("badimport", bad_import, sizeof bad_import, 0), E_BAD_MODULE);
	CHECK_EQ(spawn("garbage", trap + 8, sizeof trap - 8, 0), E_BAD_MODULE);
	CHECK_EQ(spawn("big", big_memory, sizeof big_memory, 1024 * 1024), E_NO_MEMORY);
	CHECK_EQ(spawn("", trap, sizeof trap, 0), E_INVALID);
	CHECK_EQ(heap_bytes_in_use(), heap0);
}
