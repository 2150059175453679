/*
 * Host functions of Wasm tasks. Each runs in the calling task, with interrupts
 * on, as an ordinary C call from the interpreter; the kernel calls it makes
 * may block the task (the interpreter's state simply waits on its stack).
 *
 * Pointers: every pointer/length pair is checked against the instance's linear
 * memory before the kernel touches it. A function with a result reports a bad
 * pointer as E_BAD_POINTER; one without a result (env.ipc_reply,
 * wasmos.debug_print) cannot, so a bad pointer traps the task. Messages are
 * always MSG_MAX bytes at a 4-byte aligned address: the kernel copies them
 * straight between the tasks' linear memories.
 */
#include "core/wasm_imports.h"
#include "core/wasi.h"
#include "core/wasm_host.h"
#include "core/wasm_sys_imports.h"
#include "core/console.h"
#include "core/sched.h"
#include "core/task.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "core/wasm_task.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/msg.h"
#include "wasmos/service.h"
#include "wasmos/task.h"

#define NAME_ARG_MAX 256 /* uses/provides lists passed to spawn, NUL included */
#define PRINT_CHUNK 128

/* ---- env: WasmOS's IPC ---- */

static wasm_status env_ipc_lookup(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[SERVICE_NAME_MAX];
	int n = wasm_mem_str(inst, U32(0), name, sizeof name);
	if (n < 0)
		return RET(n);
	return RET(service_lookup(name, WASM_LOOKUP_TIMEOUT_MS));
}

static wasm_status env_ipc_call(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct msg *m = wasm_mem_msg(inst, U32(1));
	if (!m)
		return RET(E_BAD_POINTER);
	int r = ipc_call(I32(0), m, MSG_MAX, MSG_MAX, IPC_FOREVER);
	return RET(r < 0 ? r : 0);
}

static wasm_status env_ipc_recv(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct msg *m = wasm_mem_msg(inst, U32(1));
	if (!m)
		return RET(E_BAD_POINTER);
	int r = ipc_recv(I32(0), m, MSG_MAX, IPC_FOREVER);
	return RET(r < 0 ? r : 0);
}

static wasm_status env_ipc_reply(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct msg *m = wasm_mem_msg(inst, U32(1));
	if (!m)
		return wasm_host_fail(inst, "env.ipc_reply: message at 0x%x is not %u aligned bytes of linear memory", U32(1),
				 MSG_MAX);
	ipc_reply(I32(0), m, MSG_MAX);
	return WASM_OK;
}

/* ---- wasmos: extensions ---- */

static wasm_status os_send(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct msg *m = wasm_mem_msg(inst, U32(1));
	return RET(m ? ipc_send(I32(0), m, MSG_MAX, I32(2)) : E_BAD_POINTER);
}

static wasm_status os_recv(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct msg *m = wasm_mem_msg(inst, U32(1));
	return RET(m ? ipc_recv(I32(0), m, MSG_MAX, I32(2)) : E_BAD_POINTER);
}

static wasm_status os_notify(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(ipc_notify(I32(0), U32(1)));
}

static wasm_status os_service_register(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[SERVICE_NAME_MAX];
	int n = wasm_mem_str(inst, U32(0), name, sizeof name);
	return RET(n < 0 ? n : service_register(name));
}

static wasm_status os_service_lookup(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[SERVICE_NAME_MAX];
	int n = wasm_mem_str(inst, U32(0), name, sizeof name);
	return RET(n < 0 ? n : service_lookup(name, I32(1)));
}

/* spawn(module, module_len, name, args, args_len, quota, uses, provides) -> id */
static wasm_status os_spawn(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[TASK_NAME_MAX], uses[NAME_ARG_MAX], provides[NAME_ARG_MAX];
	struct wasm_spawn s = { 0 };
	s.module_len = U32(1);
	s.module = wasm_mem_range(inst, U32(0), s.module_len);
	s.args_len = U32(4);
	s.args = s.args_len ? (const char *)wasm_mem_range(inst, U32(3), s.args_len) : NULL;
	s.quota = U32(5);
	if (!s.module || (s.args_len && !s.args))
		return RET(E_BAD_POINTER);
	int n = wasm_mem_str(inst, U32(2), name, sizeof name);
	if (n < 0)
		return RET(n);
	s.name = name;
	int r = wasm_mem_opt_str(inst, U32(6), uses, sizeof uses, &s.uses);
	if (!r)
		r = wasm_mem_opt_str(inst, U32(7), provides, sizeof provides, &s.provides);
	if (r)
		return RET(r);
	return RET(wasm_task_spawn(&s, NULL, NULL, 0));
}

static wasm_status os_kill(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(task_kill(I32(0), EXIT_KILLED));
}

static wasm_status os_exit(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	/* The task's memory, this instance included, goes with it: nothing runs after. */
	task_exit(I32(0) < 0 ? 1 : I32(0));
}

static wasm_status os_task_id(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(task_self());
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	uint64_t per_ms = time_ticks_per_ms();
	return ticks / per_ms * 1000000u + ticks % per_ms * 1000000u / per_ms;
}

static wasm_status os_clock_ms(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET64(time_now() / time_ticks_per_ms());
}

static wasm_status os_clock_ns(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET64(ticks_to_ns(time_now()));
}

static wasm_status os_instret(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET64(sched_current_instret());
}

static wasm_status os_debug_print(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	const char *p = (const char *)wasm_mem_range(inst, U32(0), U32(1));
	if (!p)
		return wasm_host_fail(inst, "wasmos.debug_print: 0x%x+%u is outside linear memory", U32(0), U32(1));
	/* In pieces: the console keeps interrupts off while it writes. */
	for (uint32_t done = 0, n = U32(1); done < n; done += PRINT_CHUNK) {
		uint32_t k = n - done < PRINT_CHUNK ? n - done : PRINT_CHUNK;
		console_write(p + done, k);
		trace_log(p + done, k);
	}
	return WASM_OK;
}

static wasm_status os_arg_count(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct wasm_task *wt = ctx;
	return RET(wt->argc);
}

/* arg_get(index, buf, cap) -> length: copies argument `index` and a NUL if it fits. */
static wasm_status os_arg_get(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct wasm_task *wt = ctx;
	uint32_t idx = U32(0), cap = U32(2);
	if (idx >= wt->argc)
		return RET(E_INVALID);
	const char *a = wt->args;
	for (uint32_t i = 0; i < idx; i++)
		a += strlen(a) + 1;
	uint32_t len = (uint32_t)strlen(a);
	uint8_t *buf = wasm_mem_range(inst, U32(1), cap);
	if (!buf)
		return RET(E_BAD_POINTER);
	memcpy(buf, a, len + 1 <= cap ? len + 1 : cap);
	return RET(len);
}

static wasm_status os_yield(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	task_yield();
	return WASM_OK;
}

static wasm_status os_sleep(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(I32(0) < 0 ? E_INVALID : task_sleep(U32(0)));
}

static wasm_status os_timer_set(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(I32(0) < 0 ? E_INVALID : timer_set(U32(0)));
}

/* ---- the table ---- */

static const struct host_import imports[] = {
	{ "env", "ipc_lookup", "i", "i", env_ipc_lookup },
	{ "env", "ipc_call", "ii", "i", env_ipc_call },
	{ "env", "ipc_recv", "ii", "i", env_ipc_recv },
	{ "env", "ipc_reply", "ii", "", env_ipc_reply },
	{ "wasmos", "send", "iii", "i", os_send },
	{ "wasmos", "recv", "iii", "i", os_recv },
	{ "wasmos", "notify", "ii", "i", os_notify },
	{ "wasmos", "service_register", "i", "i", os_service_register },
	{ "wasmos", "service_lookup", "ii", "i", os_service_lookup },
	{ "wasmos", "spawn", "iiiiiiii", "i", os_spawn },
	{ "wasmos", "kill", "i", "i", os_kill },
	{ "wasmos", "exit", "i", "", os_exit },
	{ "wasmos", "task_id", "", "i", os_task_id },
	{ "wasmos", "clock_ms", "", "I", os_clock_ms },
	{ "wasmos", "clock_ns", "", "I", os_clock_ns },
	{ "wasmos", "instret", "", "I", os_instret },
	{ "wasmos", "debug_print", "ii", "", os_debug_print },
	{ "wasmos", "arg_count", "", "i", os_arg_count },
	{ "wasmos", "arg_get", "iii", "i", os_arg_get },
	{ "wasmos", "yield", "", "", os_yield },
	{ "wasmos", "sleep", "i", "i", os_sleep },
	{ "wasmos", "timer_set", "i", "i", os_timer_set },
};

int wasm_imports_resolve(void *ctx, const char *module, uint32_t module_len, const char *field, uint32_t field_len,
			 const wasm_functype *type, wasm_host_binding *out, char *err, size_t errlen)
{
	struct wasm_task *wt = ctx;
	int known_module = 0;
	const struct { const struct host_import *t; size_t n; } tables[] = {
		{ imports, sizeof imports / sizeof imports[0] },
		{ wasm_sys_imports, wasm_sys_imports_count },
		{ wasi_imports, wasi_imports_count },
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		enum host_match r = wasm_host_match(tables[i].t, tables[i].n, wt, module, module_len, field, field_len, type,
						    out, err, errlen, &known_module);
		if (r != HOST_ABSENT)
			return r == HOST_BOUND ? 0 : 1;
	}
	if (!known_module && wt && wt->extra_imports)
		return wt->extra_imports(wt->extra_ctx, module, module_len, field, field_len, type, out, err, errlen);
	snprintf(err, errlen, known_module ? "unknown import"
		 : "unknown import module (WasmOS provides env, wasmos and wasi_snapshot_preview1)");
	return 1;
}
