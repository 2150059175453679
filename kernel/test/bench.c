/*
 * Benchmarks (bootarg "bench", or "bench=boot,ipc,switch"): figures in guest
 * instructions (instret), printed as "bench: <name> <value>" lines, then the
 * machine powers off. On the board instret counts retired instructions; under
 * QEMU use -icount shift=0 for the same meaning.
 */
#include "core/boot.h"
#include "core/bootargs.h"
#include "core/console.h"
#include "core/panic.h"
#include "arch/riscv/csr.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/task.h"
#include "lib/string.h"

#define ROUNDS 2000

static void echo_server(void *arg)
{
	(void)arg;
	struct msg m;
	for (;;) {
		int len = ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
		if (len < 0)
			continue;
		int from = m.src;
		m.type++;
		ipc_reply(from, &m, (uint32_t)len);
	}
}

static void yielder(void *arg)
{
	(void)arg;
	for (;;)
		task_yield();
}

static int spawn(const char *name, task_entry_t fn)
{
	struct task_spec s = { .name = name, .entry = fn, .uses = "*" };
	return task_create(&s);
}

static bool wanted(const char *what)
{
	char v[64];
	if (!bootarg_value("bench", v, sizeof v))
		return true; /* bare "bench": everything */
	if (strcmp(v, "all") == 0)
		return true;
	size_t n = strlen(what);
	for (const char *p = v; *p;) {
		if (strncmp(p, what, n) == 0 && (p[n] == ',' || p[n] == 0))
			return true;
		const char *c = strchr(p, ',');
		if (!c)
			break;
		p = c + 1;
	}
	return false;
}

static void bench_ipc(void)
{
	int server = spawn("bench-echo", echo_server);
	struct msg m;
	memset(&m, 0, sizeof m);
	for (int i = 0; i < 100; i++) {
		m.type = 20;
		ipc_call(server, &m, MSG_HEADER + 8, sizeof m, IPC_FOREVER);
	}
	uint64_t t0 = rd_instret();
	for (int i = 0; i < ROUNDS; i++) {
		m.type = 20;
		ipc_call(server, &m, MSG_HEADER + 8, sizeof m, IPC_FOREVER);
	}
	uint64_t dt = rd_instret() - t0;
	/* The loop itself (a few instructions per round) is included: an upper bound. */
	kprintf("bench: ipc_round_trip %u instructions (call + reply of a 16-byte message, %d rounds)\n",
		(unsigned)(dt / ROUNDS), ROUNDS);
	task_kill(server, EXIT_KILLED);
}

static void bench_switch(void)
{
	int other = spawn("bench-yield", yielder);
	for (int i = 0; i < 100; i++)
		task_yield();
	uint64_t t0 = rd_instret();
	for (int i = 0; i < ROUNDS; i++)
		task_yield();
	uint64_t dt = rd_instret() - t0;
	/* Each of our yields is two switches: to the other task and back. */
	kprintf("bench: context_switch %u instructions (task_yield between two tasks)\n", (unsigned)(dt / (2 * ROUNDS)));
	task_kill(other, EXIT_KILLED);
}

void bench_main(void *arg)
{
	(void)arg;
	if (wanted("boot"))
		kprintf("bench: boot_to_first_task %u instructions\n", (unsigned)boot_first_task_instret);
	if (wanted("ipc"))
		bench_ipc();
	if (wanted("switch"))
		bench_switch();
	kprintf("bench: done\n");
	poweroff(POWEROFF_PASS);
}
