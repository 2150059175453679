/* Memory accounting: creating and destroying many tasks leaks nothing. */
#include "test/selftest.h"
#include "core/heap.h"
#include "core/pmm.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"

static void allocator(void *arg)
{
	int k = (int)(intptr_t)arg;
	void *a = task_alloc(100 + k);
	void *b = task_alloc(5000);
	void *c = task_alloc(64);
	if (a)
		memset(a, 1, 100);
	if (b)
		memset(b, 2, 5000);
	task_free(c);
	b = task_realloc(b, 9000);
	if (k % 3 == 0)
		return;
	/* Block in IPC to be killed there. */
	struct msg m;
	ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
}

static volatile int limit_r1, limit_r2;

static void limited(void *arg)
{
	(void)arg;
	void *a = task_alloc(3000);
	limit_r1 = a != 0;
	limit_r2 = task_alloc(3000) != 0;
}

/* Free pages, counting slab and page-table pages (caches the kernel keeps) as free. */
static uint32_t free_pages(void)
{
	return pmm_free_pages() + heap_slab_pages() + vm_pt_pages();
}

static void one_round(int n)
{
	int ids[16];
	for (int i = 0; i < n; i++) {
		struct task_spec s = { .name = "mem", .entry = allocator, .arg = (void *)(intptr_t)i,
				       .uses = "echo", .provides = "x,y", .stack_size = 8192 + (uint32_t)(i % 3) * 4096 };
		ids[i % 16] = st_spawn_spec(&s);
		if (i % 16 == 15) {
			task_sleep(1);
			for (int j = 0; j < 16; j++) {
				task_kill(ids[j], EXIT_KILLED);
				st_wait_exit(ids[j], 1000);
			}
		}
	}
	task_sleep(1);
}

/*
 * memcpy and memmove against a byte-by-byte model at every pair of offsets
 * within a word and lengths around the word loops' thresholds, with guard
 * bytes around the destination; memmove also with overlaps both ways.
 */
static uint8_t copy_src[96], copy_dst[96], copy_want[96];

static void copies(void)
{
	bool ok = true;
	for (uint32_t so = 0; so < 4; so++)
		for (uint32_t dof = 0; dof < 4; dof++)
			for (uint32_t n = 0; n <= 41; n++) {
				for (uint32_t i = 0; i < sizeof copy_src; i++) {
					copy_src[i] = (uint8_t)(i * 7 + 1);
					copy_dst[i] = copy_want[i] = 0xee;
				}
				/* The model computes its bytes (a copy loop would become a memcpy call). */
				for (uint32_t i = 0; i < n; i++)
					copy_want[8 + dof + i] = (uint8_t)((8 + so + i) * 7 + 1);
				memcpy(copy_dst + 8 + dof, copy_src + 8 + so, n);
				ok = ok && memcmp(copy_dst, copy_want, sizeof copy_dst) == 0;
				/* Overlapping: copy_dst moved onto itself by -5..+5 bytes. */
				for (int shift = -5; shift <= 5; shift++) {
					for (uint32_t i = 0; i < sizeof copy_dst; i++)
						copy_dst[i] = copy_want[i] = (uint8_t)(i * 13 + 3);
					uint8_t *from = copy_dst + 16 + so, *to = from + shift;
					for (uint32_t i = 0; i < n; i++)
						copy_want[16 + so + shift + i] = (uint8_t)((16 + so + i) * 13 + 3);
					memmove(to, from, n);
					ok = ok && memcmp(copy_dst, copy_want, sizeof copy_dst) == 0;
				}
			}
	CHECK(ok);
}

void st_memory(void)
{
	copies();
	/* One round first so that slab pages for these sizes exist. */
	one_round(16);
	uint32_t pages = free_pages(), heap = heap_bytes_in_use(), vmem = vmem_pages_in_use();
	one_round(160);
	CHECK_EQ(free_pages(), pages);
	CHECK_EQ(heap_bytes_in_use(), heap);
	CHECK_EQ(vmem_pages_in_use(), vmem);
	/* task_alloc honours the task's memory limit and is freed with it. */
	struct task_spec s = { .name = "limited", .entry = limited, .mem_limit = 4096 };
	int t = st_spawn_spec(&s);
	CHECK_EQ(st_wait_exit(t, 1000), EXIT_OK);
	CHECK_EQ(limit_r1, 1);
	CHECK_EQ(limit_r2, 0);
	task_sleep(1);
	CHECK_EQ(free_pages(), pages);
	CHECK_EQ(heap_bytes_in_use(), heap);
	/* Out of task slots: a clear error, and nothing lost. */
	int made[200];
	int n = 0, last = 0;
	for (; n < 200; n++) {
		struct task_spec q = { .name = "filler", .entry = allocator, .arg = (void *)1, .stack_size = 4096 };
		last = task_create(&q);
		if (last < 0)
			break;
		made[n] = last;
	}
	CHECK_EQ(last, E_NO_MEMORY);
	for (int i = 0; i < n; i++) {
		task_kill(made[i], EXIT_KILLED);
		st_wait_exit(made[i], 1000);
	}
	task_sleep(1);
	CHECK_EQ(free_pages(), pages);
	CHECK_EQ(heap_bytes_in_use(), heap);
}
