/* Faults in task code end the task, never the kernel. */
#include "test/selftest.h"

static void null_deref(void *arg)
{
	(void)arg;
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0x8;
	*p = 1;
}

static void illegal(void *arg)
{
	(void)arg;
	__asm__ volatile(".word 0x00000000");
}

static void breakpoint(void *arg)
{
	(void)arg;
	__asm__ volatile("ebreak");
}

static void bus_error(void *arg)
{
	(void)arg;
	/* Mapped (the first 4 MiB are mapped page by page only where devices are),
	 * but grant it through the all-devices path: nothing answers at 0x3000. */
	uint32_t v;
	dev_mmio_read(0x00003000u, 4, &v);
}

static volatile int depth_limit = 1 << 30;

__attribute__((noinline)) static int recurse(int depth)
{
	volatile char pad[512];
	pad[0] = (char)depth;
	if (depth > depth_limit)
		return 0;
	return recurse(depth + 1) + pad[0];
}

static void overflow(void *arg)
{
	(void)arg;
	recurse(0);
}

/* Overflows while blocked? No: overflows, and a waiter on it is told. */
void st_faults(void)
{
	static const struct {
		const char *name;
		task_entry_t fn;
		int32_t want;
	} cases[] = {
		{ "null", null_deref, EXIT_FAULT },
		{ "illegal", illegal, EXIT_FAULT },
		{ "ebreak", breakpoint, EXIT_FAULT },
		{ "overflow", overflow, EXIT_STACK_OVERFLOW },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int t = st_spawn(cases[i].name, cases[i].fn, 0, 0, 0, 0);
		CHECK(t > 0);
		CHECK_EQ(st_wait_exit(t, 1000), cases[i].want);
	}
	/* A device access nobody answers: a fault for a task with every device right. */
	struct task_spec s = { .name = "buserr", .entry = bus_error, .flags = TASKF_ALL_DEVICES };
	int t = st_spawn_spec(&s);
	int32_t r = st_wait_exit(t, 1000);
	CHECK(r == EXIT_FAULT || r == EXIT_OK);
	/* The kernel is still fine: a call round trip to itself. */
	struct msg m;
	st_msg(&m, MSG_PING, "alive");
	CHECK_EQ(ipc_call(TASK_KERNEL, &m, MSG_HEADER + 6, sizeof m, 100), MSG_HEADER + 6);
}
