/*
 * WASI's process interface: arguments, environment, clocks, random bytes,
 * exit, yield and poll_oneoff.
 */
#include "core/wasi_host.h"
#include "core/task.h"
#include "core/timeout.h"
#include "core/wasm_task.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "wasmos/task.h"

/* The environment every WASI program sees (docs/wasi.md). */
static const char ENVIRON[] = "PATH=/boot\0HOME=/tmp\0TERM=xterm\0";
#define ENVIRON_COUNT 3

/* The board's nominal CPU clock: 100 MHz, one instruction per cycle (src/board/clock.ts). */
#define NS_PER_INSTRUCTION 10

/* Copies `count` NUL-terminated strings (`len` bytes in all) to buf and their addresses to ptrs. */
static int put_strings(wasm_instance *inst, const char *s, uint32_t count, uint32_t len, uint32_t ptrs, uint32_t buf)
{
	uint8_t *b = wasm_mem_range(inst, buf, len);
	if (!b || !wasm_mem_range(inst, ptrs, count * 4) || count > UINT32_MAX / 4)
		return WASI_EFAULT;
	memcpy(b, s, len);
	for (uint32_t i = 0, at = 0; i < count; i++) {
		wasi_put32(inst, ptrs + i * 4, buf + at);
		at += (uint32_t)strlen(s + at) + 1;
	}
	return 0;
}

static int put_sizes(wasm_instance *inst, uint32_t count, uint32_t len, uint32_t count_ptr, uint32_t len_ptr)
{
	int e = wasi_put32(inst, count_ptr, count);
	return e ? e : wasi_put32(inst, len_ptr, len);
}

/* argv[0] is the task name, then the spawner's arguments (struct wasm_task's block). */
WASI_FN(args_sizes_get)
{
	struct wasm_task *wt = ctx;
	return RET(put_sizes(inst, wt->argc, wt->args_len, U32(0), U32(1)));
}

WASI_FN(args_get)
{
	struct wasm_task *wt = ctx;
	return RET(put_strings(inst, wt->args, wt->argc, wt->args_len, U32(0), U32(1)));
}

WASI_FN(environ_sizes_get)
{
	return RET(put_sizes(inst, ENVIRON_COUNT, sizeof ENVIRON - 1, U32(0), U32(1)));
}

WASI_FN(environ_get)
{
	return RET(put_strings(inst, ENVIRON, ENVIRON_COUNT, sizeof ENVIRON - 1, U32(0), U32(1)));
}

static uint64_t now_ns(void)
{
	uint64_t ticks = time_now(), per_ms = time_ticks_per_ms();
	return ticks / per_ms * 1000000u + ticks % per_ms * 1000000u / per_ms;
}

/* The task's retired instructions as time: the kernel keeps no per-task clock. */
static uint64_t cpu_ns(void)
{
	uint32_t f = irq_save();
	struct task *me = current_task();
	uint64_t n = me->instret + (rd_instret() - me->instret_in);
	irq_restore(f);
	return n * NS_PER_INSTRUCTION;
}

WASI_FN(clock_res_get)
{
	uint64_t res;
	switch (U32(0)) {
	case WASI_CLOCK_REALTIME:
	case WASI_CLOCK_MONOTONIC: res = (1000000u + time_ticks_per_ms() - 1) / time_ticks_per_ms(); break;
	case WASI_CLOCK_PROCESS_CPUTIME:
	case WASI_CLOCK_THREAD_CPUTIME: res = NS_PER_INSTRUCTION; break;
	default: return RET(WASI_EINVAL);
	}
	return RET(wasi_put64(inst, U32(1), res));
}

/* clock_time_get(id, precision: u64, time: *u64). Real time is guest time since boot: there is no wall clock. */
WASI_FN(clock_time_get)
{
	uint64_t t;
	switch (U32(0)) {
	case WASI_CLOCK_REALTIME:
	case WASI_CLOCK_MONOTONIC: t = now_ns(); break;
	case WASI_CLOCK_PROCESS_CPUTIME:
	case WASI_CLOCK_THREAD_CPUTIME: t = cpu_ns(); break; /* one thread per task */
	default: return RET(WASI_EINVAL);
	}
	return RET(wasi_put64(inst, U32(2), t));
}

/*
 * Not cryptographic: splitmix64 from a fixed seed, shared by every task, so a
 * boot on the board is reproducible (the kernel has no entropy source).
 */
static uint64_t rng_state = 0x5741534d4f53ull; /* "WASMOS" */

static uint64_t rng_next(void)
{
	uint32_t f = irq_save();
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	irq_restore(f);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

WASI_FN(random_get)
{
	uint32_t len = U32(1);
	uint8_t *p = wasm_mem_range(inst, U32(0), len);
	if (!p)
		return RET(WASI_EFAULT);
	for (uint32_t i = 0; i < len; i += 8) {
		uint64_t v = rng_next();
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
	return RET(0);
}

WASI_FN(proc_exit)
{
	/* WASI's exit code is a u32; WasmOS's own codes are >= 0 (as wasmos.exit). */
	task_exit(I32(0) < 0 ? 1 : I32(0));
}

WASI_FN(sched_yield)
{
	task_yield();
	return RET(0);
}

/* Sleeps until guest time `deadline` (ns), in task_sleep's milliseconds rounded up. */
static void sleep_until(uint64_t deadline)
{
	for (uint64_t now = now_ns(); now < deadline; now = now_ns()) {
		uint64_t ms = (deadline - now + 999999u) / 1000000u;
		task_sleep(ms > 3600000u ? 3600000u : (uint32_t)ms);
	}
}

static void put_event(uint8_t *ev, const uint8_t *sub, uint16_t error, uint8_t type, uint64_t nbytes)
{
	memset(ev, 0, WASI_EVENT_SIZE);
	memcpy(ev, sub, 8); /* userdata */
	memcpy(ev + 8, &error, 2);
	ev[10] = type;
	memcpy(ev + 16, &nbytes, 8);
}

static bool wall_clock(const uint8_t *sub)
{
	uint32_t id = wasi_get32(sub + 16);
	return id == WASI_CLOCK_REALTIME || id == WASI_CLOCK_MONOTONIC;
}

/* When a clock subscription is due, relative ones counted from `start`. A
 * CPU-time clock cannot be slept on: it is due at once (with ENOTSUP). */
static uint64_t clock_due(const uint8_t *sub, uint64_t start)
{
	uint64_t timeout = wasi_get64(sub + 24);
	if (!wall_clock(sub))
		return start;
	if (wasi_get32(sub + 40) & WASI_SUBCLOCK_ABSTIME)
		return timeout;
	return start + timeout < start ? UINT64_MAX : start + timeout;
}

/*
 * poll_oneoff(in, out, nsubscriptions, nevents). Descriptor subscriptions are
 * reported ready at once (stdin's read then waits for a line; files and the
 * console never block); with none, the task sleeps until the earliest clock
 * subscription and reports every clock due by then.
 */
WASI_FN(poll_oneoff)
{
	WASI_STATE(st);
	uint32_t n = U32(2);
	if (n == 0)
		return RET(WASI_EINVAL);
	if (n > UINT32_MAX / WASI_SUBSCRIPTION_SIZE)
		return RET(WASI_EFAULT);
	const uint8_t *in = wasm_mem_range(inst, U32(0), n * WASI_SUBSCRIPTION_SIZE);
	uint8_t *out = wasm_mem_range(inst, U32(1), n * WASI_EVENT_SIZE);
	if (!in || !out || !wasm_mem_range(inst, U32(3), 4))
		return RET(WASI_EFAULT);
	uint32_t events = 0;
	uint64_t earliest = UINT64_MAX, start = now_ns();
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *s = in + i * WASI_SUBSCRIPTION_SIZE;
		if (s[8] == WASI_EVENTTYPE_FD_READ || s[8] == WASI_EVENTTYPE_FD_WRITE) {
			struct wasi_fd *f = wasi_fd_get(st, wasi_get32(s + 16));
			put_event(out + events++ * WASI_EVENT_SIZE, s, f ? 0 : WASI_EBADF, s[8], f ? 1 : 0);
		} else if (s[8] == WASI_EVENTTYPE_CLOCK) {
			uint64_t due = clock_due(s, start);
			earliest = due < earliest ? due : earliest;
		} else {
			put_event(out + events++ * WASI_EVENT_SIZE, s, WASI_EINVAL, s[8], 0);
		}
	}
	if (events == 0) {
		sleep_until(earliest);
		uint64_t now = now_ns();
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *s = in + i * WASI_SUBSCRIPTION_SIZE;
			if (clock_due(s, start) <= now)
				put_event(out + events++ * WASI_EVENT_SIZE, s, wall_clock(s) ? 0 : WASI_ENOTSUP,
					  WASI_EVENTTYPE_CLOCK, 0);
		}
	}
	return RET(wasi_put32(inst, U32(3), events));
}
