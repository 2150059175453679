/*
 * Wasm conformance driver (bootarg "wasmdriver"): runs the script protocol of
 * the runtime's test drivers (tests/wasm/host-driver.c) against modules
 * running as real Wasm tasks, so tests/kernel/wasm-conformance.test.ts can
 * compare every result and trap with V8. The script is the boot archive's
 * file "script"; modules are archive files:
 *
 *   load <file>          -> ok | error <why>      spawns the module as a task
 *   call <export> <t:hex>... -> ok <t:hex>... | trap <kind> <message> | error <why>
 *   mem                  -> mem <bytes> <fnv-1a hex> of the task's linear memory
 *   unload               -> ok                    kills the task
 *
 * Each answer is one console line starting with "= ". The module's task does
 * the calls itself (it serves the driver's IPC requests instead of running
 * an entry point), so they run on its own stack, preemptible, like any Wasm
 * code. Unlike a normal Wasm task it survives traps, which the protocol needs.
 * It also gets the test imports "host.add/sum/fail/nop" the V8 side offers.
 */
#include "core/boot.h"
#include "core/boot_archive.h"
#include "core/console.h"
#include "core/fdt.h"
#include "core/panic.h"
#include "core/wasm_task.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/task.h"

enum { DRV_PING = 0x200, DRV_CALL = 0x202, DRV_MEM = 0x204 };
#define MAX_VALUES 64

/* Request: u32 nargs, u64 args[nargs], export name (NUL-terminated).
 * Reply: u32 status, u32 nresults, u8 types[MAX_VALUES], u64 results[n], trap message. */
struct call_reply {
	uint32_t status, nresults;
	uint8_t types[MAX_VALUES];
	uint64_t results[MAX_VALUES];
	char message[320];
};

/* ---- the task side ---- */

static wasm_status host_add(wasm_instance *i, void *ctx, uint64_t *s)
{
	s[0] = (uint32_t)((uint32_t)s[0] + (uint32_t)s[1]);
	return WASM_OK;
}

static wasm_status host_fail(wasm_instance *i, void *ctx, uint64_t *s)
{
	wasm_set_trap_message(i, "host.fail was called");
	return WASM_TRAP_HOST;
}

static wasm_status host_nop(wasm_instance *i, void *ctx, uint64_t *s) { return WASM_OK; }

static wasm_status host_sum(wasm_instance *i, void *ctx, uint64_t *s)
{
	uint32_t size, p = (uint32_t)s[0], n = (uint32_t)s[1];
	uint8_t *m = wasm_memory(i, &size);
	if (!m || p > size || n > size - p)
		return WASM_TRAP_MEMORY_OOB;
	uint32_t sum = 0;
	for (uint32_t k = 0; k < n; k++)
		sum += m[p + k];
	s[0] = sum;
	return WASM_OK;
}

static int test_imports(void *ctx, const char *module, uint32_t mlen, const char *field, uint32_t flen,
			const wasm_functype *t, wasm_host_binding *out, char *err, size_t errlen)
{
	static const struct { const char *name; wasm_host_fn fn; uint32_t np, nr; } fns[] = {
		{ "add", host_add, 2, 1 }, { "sum", host_sum, 2, 1 }, { "fail", host_fail, 0, 0 }, { "nop", host_nop, 0, 0 },
	};
	if (mlen != 4 || memcmp(module, "host", 4) != 0) {
		snprintf(err, errlen, "unknown import module");
		return 1;
	}
	for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
		if (strlen(fns[k].name) != flen || memcmp(fns[k].name, field, flen) != 0)
			continue;
		bool ok = t->nparams == fns[k].np && t->nresults == fns[k].nr;
		for (uint32_t i = 0; ok && i < t->nparams; i++)
			ok = t->params[i] == WASM_I32;
		for (uint32_t i = 0; ok && i < t->nresults; i++)
			ok = t->results[i] == WASM_I32;
		if (!ok) {
			snprintf(err, errlen, "wrong signature");
			return 1;
		}
		out->fn = fns[k].fn;
		out->ctx = NULL;
		return 0;
	}
	snprintf(err, errlen, "unknown import");
	return 1;
}

static void do_call(struct wasm_task *wt, struct msg *m, uint32_t len)
{
	static uint64_t args[MAX_VALUES];
	struct call_reply r;
	memset(&r, 0, sizeof r);
	uint32_t nargs;
	memcpy(&nargs, m->payload, 4);
	int32_t e = -1;
	if (nargs <= MAX_VALUES && len > MSG_HEADER + 4 + nargs * 8) {
		const char *name = (const char *)m->payload + 4 + nargs * 8;
		memcpy(args, m->payload + 4, nargs * 8);
		m->payload[len - MSG_HEADER - 1] = 0;
		e = wasm_find_export(wt->mod, name, (uint32_t)strlen(name));
	}
	const char *nm;
	uint32_t nl, func;
	uint8_t kind;
	wasm_functype t;
	if (e < 0 || wasm_export_info(wt->mod, (uint32_t)e, &nm, &nl, &kind, &func) || kind != WASM_EXTERN_FUNC ||
	    wasm_func_type(wt->mod, func, &t) || t.nparams != nargs || t.nresults > MAX_VALUES) {
		r.status = WASM_STATUS_COUNT; /* not callable */
	} else {
		r.status = wasm_call(wt->inst, func, args, r.results);
		r.nresults = t.nresults;
		memcpy(r.types, t.results, t.nresults);
		if (r.status != WASM_OK)
			strlcpy(r.message, wasm_trap_message(wt->inst), sizeof r.message);
	}
	m->type = DRV_CALL + 1;
	memcpy(m->payload, &r, sizeof r);
	ipc_reply(m->src, m, MSG_HEADER + sizeof r);
}

static void do_mem(struct wasm_task *wt, struct msg *m)
{
	uint32_t size = 0, h = 2166136261u;
	uint8_t *p = wasm_memory(wt->inst, &size);
	for (uint32_t i = 0; i < size; i++)
		h = (h ^ p[i]) * 16777619u;
	m->type = DRV_MEM + 1;
	memcpy(m->payload, &size, 4);
	memcpy(m->payload + 4, &h, 4);
	ipc_reply(m->src, m, MSG_HEADER + 8);
}

static void serve(struct wasm_task *wt)
{
	static struct msg m; /* one served task at a time */
	for (;;) {
		int len = ipc_recv(IPC_ANY, &m, sizeof m, IPC_FOREVER);
		if (len < (int)MSG_HEADER || m.src == TASK_KERNEL)
			continue;
		if (m.type == DRV_CALL)
			do_call(wt, &m, (uint32_t)len);
		else if (m.type == DRV_MEM)
			do_mem(wt, &m);
		else {
			m.type++;
			ipc_reply(m.src, &m, MSG_HEADER);
		}
	}
}

/* ---- the driver side ---- */

static struct boot_archive archive;
static struct msg req;
static int child;

static void answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void answer(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 1)
		n = sizeof line - 1;
	console_write("= ", 2);
	console_write(line, (size_t)n);
	console_write("\n", 1);
}

static void unload(void)
{
	if (child > 0) {
		task_kill(child, EXIT_KILLED);
		child = 0;
	}
}

static void cmd_load(const char *file)
{
	unload();
	struct boot_file f;
	char err[256];
	if (boot_archive_find(&archive, file, &f) != 0) {
		answer("error no file %s", file);
		return;
	}
	struct wasm_spawn s = {
		.module = f.data, .module_len = f.size, .name = "test", .quota = 96u << 20, .uses = "*",
		.extra_imports = test_imports, .run = serve,
	};
	int id = wasm_task_spawn(&s, NULL, err, sizeof err);
	if (id < 0) {
		answer("error %s", err);
		return;
	}
	child = id;
	req.type = DRV_PING;
	int r = ipc_call(child, &req, MSG_HEADER, sizeof req, IPC_FOREVER);
	if (r < 0) {
		child = 0;
		answer("error the module did not start (%s): see the kernel log", err_name(r));
		return;
	}
	answer("ok");
}

static uint64_t parse_hex(const char *s, const char **end)
{
	uint64_t v = 0;
	for (;; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v << 4 | (uint32_t)d;
	}
	*end = s;
	return v;
}

static const char *type_name(uint8_t t)
{
	switch (t) {
	case WASM_I32: return "i32";
	case WASM_I64: return "i64";
	case WASM_F32: return "f32";
	case WASM_F64: return "f64";
	default: return "ref";
	}
}

static const char *kind_name(uint32_t s)
{
	static const char *const names[] = { "ok", "unreachable", "memory_oob", "div_zero", "int_overflow",
		"invalid_conversion", "table_oob", "null_func", "sig_mismatch", "stack_exhausted", "quota", "host", "exit" };
	return s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/* rest: "<export> <t:hex>..." */
static void cmd_call(const char *rest)
{
	if (child <= 0) {
		answer("error no module");
		return;
	}
	const char *p = rest;
	while (*p && *p != ' ')
		p++;
	size_t nl = (size_t)(p - rest);
	uint32_t nargs = 0;
	uint64_t args[MAX_VALUES];
	while (*p == ' ') {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		while (*p && *p != ':' && *p != ' ')
			p++;
		if (*p == ':')
			p++;
		if (nargs < MAX_VALUES)
			args[nargs++] = parse_hex(p, &p);
		while (*p && *p != ' ')
			p++;
	}
	if (4 + nargs * 8 + nl + 1 > MSG_PAYLOAD_MAX) {
		answer("error call too long");
		return;
	}
	req.type = DRV_CALL;
	memcpy(req.payload, &nargs, 4);
	memcpy(req.payload + 4, args, nargs * 8);
	memcpy(req.payload + 4 + nargs * 8, rest, nl);
	req.payload[4 + nargs * 8 + nl] = 0;
	int r = ipc_call(child, &req, MSG_HEADER + 4 + nargs * 8 + (uint32_t)nl + 1, sizeof req, IPC_FOREVER);
	if (r < 0) {
		/* wasmos.exit ends the task for good. */
		child = 0;
		answer("trap exit the task ended (%s)", err_name(r));
		return;
	}
	static struct call_reply cr;
	memcpy(&cr, req.payload, sizeof cr);
	if (cr.status == WASM_STATUS_COUNT) {
		answer("error no such export");
		return;
	}
	if (cr.status != WASM_OK) {
		answer("trap %s %s", kind_name(cr.status), cr.message);
		return;
	}
	char line[480];
	int n = snprintf(line, sizeof line, "ok");
	for (uint32_t i = 0; i < cr.nresults && n < (int)sizeof line; i++) {
		uint64_t v = cr.results[i];
		if (cr.types[i] == WASM_I32 || cr.types[i] == WASM_F32)
			v &= 0xffffffffu;
		uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
		if (hi)
			n += snprintf(line + n, sizeof line - (size_t)n, " %s:%x%08x", type_name(cr.types[i]), hi, lo);
		else
			n += snprintf(line + n, sizeof line - (size_t)n, " %s:%x", type_name(cr.types[i]), lo);
	}
	answer("%s", line);
}

static void cmd_mem(void)
{
	if (child <= 0) {
		answer("mem 0 811c9dc5");
		return;
	}
	req.type = DRV_MEM;
	int r = ipc_call(child, &req, MSG_HEADER, sizeof req, IPC_FOREVER);
	uint32_t size = 0, h = 0;
	if (r >= (int)MSG_HEADER + 8) {
		memcpy(&size, req.payload, 4);
		memcpy(&h, req.payload + 4, 4);
	}
	answer("mem %u %08x", size, h);
}

void wasm_driver_main(void *arg)
{
	const struct fdt_info *info = arg;
	char err[128];
	struct boot_file script;
	uint32_t start = info->initrd_start, end = info->initrd_end;
	if (!start || end <= start || boot_archive_open(&archive, (const void *)start, end - start, err, sizeof err) ||
	    boot_archive_find(&archive, "script", &script)) {
		kprintf("wasmdriver: no boot archive with a \"script\"\n");
		poweroff(POWEROFF_FAIL);
	}
	static char line[1024];
	const char *p = (const char *)script.data, *e = p + script.size;
	while (p < e) {
		size_t n = 0;
		while (p + n < e && p[n] != '\n')
			n++;
		size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
		memcpy(line, p, k);
		line[k] = 0;
		p += n + (p + n < e);
		if (strncmp(line, "load ", 5) == 0)
			cmd_load(line + 5);
		else if (strncmp(line, "call ", 5) == 0)
			cmd_call(line + 5);
		else if (strcmp(line, "mem") == 0)
			cmd_mem();
		else if (strcmp(line, "unload") == 0) {
			unload();
			answer("ok");
		} else if (k > 0)
			answer("error unknown command");
	}
	unload();
	kprintf("wasmdriver: done\n");
	poweroff(POWEROFF_PASS);
}
