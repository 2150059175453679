/*
 * Spawning and running Wasm tasks.
 *
 * A spawn does the work that can fail in the spawner's context, so the
 * spawner gets the error at once: it decodes, validates and translates the
 * module, checks every import against the host interface, finds the entry
 * point and (unless the module has a start function, whose code must run as
 * the new task) instantiates it. All of that memory is task memory allocated
 * after a mark (task_alloc_unlimited) and bounded by the new task's quota
 * through the runtime's heap; task_create_adopting hands it to the new task
 * as it is created. If the spawner dies half way, its own exit frees it.
 *
 * The new task's entry instantiates (if still needed), then calls the entry
 * point. Returning ends the task with the entry's result as exit code; a
 * trap logs "task N (name) trapped: <what, module, function, offset>" and
 * ends only that task with EXIT_WASM_TRAP. Nothing needs freeing by hand:
 * destroying the task frees all of its allocations.
 */
#include "core/wasm_task.h"
#include "core/console.h"
#include "core/device.h"
#include "core/pmm.h"
#include "core/task.h"
#include "core/wasm_imports.h"
#include "lib/format.h"
#include "lib/string.h"
#include "wasmos/errors.h"

static void *wt_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return size > UINT32_MAX ? NULL : task_alloc_unlimited((uint32_t)size);
}

static void wt_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	task_free(p);
}

static bool has_text(const char *s, const char *w)
{
	size_t n = strlen(w);
	for (; *s; s++)
		if (strncmp(s, w, n) == 0)
			return true;
	return false;
}

/* The runtime's messages say "out of memory" whenever the quota ran out. */
static int load_error(const char *msg)
{
	return has_text(msg, "out of memory") ? E_NO_MEMORY : E_BAD_MODULE;
}

/* Every import must be a function env/wasmos (or the task's extra imports) provides, with its signature. */
static int check_imports(struct wasm_task *wt, char *err, size_t errlen)
{
	for (uint32_t i = 0, n = wasm_import_count(wt->mod); i < n; i++) {
		const char *mod, *field;
		uint32_t ml, fl, func;
		uint8_t kind;
		wasm_functype t;
		wasm_host_binding b;
		char why[128];
		if (wasm_import_info(wt->mod, i, &mod, &ml, &field, &fl, &kind, &func) != 0)
			return E_BAD_MODULE;
		if (kind != WASM_EXTERN_FUNC)
			snprintf(why, sizeof why, "only functions can be imported");
		else if (wasm_func_type(wt->mod, func, &t) != 0)
			snprintf(why, sizeof why, "no signature");
		else if (!wasm_imports_resolve(wt, mod, ml, field, fl, &t, &b, why, sizeof why))
			continue;
		snprintf(err, errlen, "import %.*s.%.*s refused: %s", (int)ml, mod, (int)fl, field, why);
		return E_BAD_MODULE;
	}
	return 0;
}

/* _start or main, taking nothing and returning nothing or an i32. */
static int find_entry(struct wasm_task *wt, char *err, size_t errlen)
{
	static const char *const names[] = { "_start", "main" };
	for (int i = 0; i < 2; i++) {
		int32_t e = wasm_find_export(wt->mod, names[i], (uint32_t)strlen(names[i]));
		const char *nm;
		uint32_t nl, func;
		uint8_t kind;
		if (e < 0 || wasm_export_info(wt->mod, (uint32_t)e, &nm, &nl, &kind, &func) || kind != WASM_EXTERN_FUNC)
			continue;
		wasm_functype t;
		if (wasm_func_type(wt->mod, func, &t) || t.nparams != 0 || t.nresults > 1 ||
		    (t.nresults == 1 && t.results[0] != WASM_I32)) {
			snprintf(err, errlen, "entry point %s must take no parameters and return nothing or an i32", names[i]);
			return E_BAD_MODULE;
		}
		wt->entry = (int32_t)func;
		wt->entry_returns = t.nresults == 1;
		return 0;
	}
	snprintf(err, errlen, "no exported function _start or main");
	return E_BAD_MODULE;
}

static bool instantiate(struct wasm_task *wt, char *err, size_t errlen)
{
	wt->inst = wasm_instantiate(wt->mod, &wt->heap, NULL, wasm_imports_resolve, wt, err, errlen);
	return wt->inst != NULL;
}

static void wasm_task_main(void *arg)
{
	struct wasm_task *wt = arg;
	if (!wt->inst) {
		char err[200];
		if (!instantiate(wt, err, sizeof err)) {
			kprintf("task %d (%s) cannot start: %s\n", task_self(), wt->name, err);
			task_exit(has_text(err, "out of memory") ? EXIT_NO_MEMORY : EXIT_WASM_TRAP);
		}
	}
	if (wt->run) {
		wt->run(wt);
		task_exit(EXIT_OK);
	}
	uint64_t result[1] = { 0 };
	wasm_status s = wasm_call(wt->inst, (uint32_t)wt->entry, NULL, result);
	if (s == WASM_OK) {
		int32_t code = wt->entry_returns ? (int32_t)(uint32_t)result[0] : 0;
		task_exit(code < 0 ? 1 : code);
	}
	kprintf("task %d (%s) trapped: %s\n", task_self(), wt->name, wasm_trap_message(wt->inst));
	task_exit(EXIT_WASM_TRAP);
}

const struct wasm_task *wasm_task_of(const struct task *t)
{
	return t->entry == wasm_task_main ? t->arg : NULL;
}

/* Checks the spec's simple fields; the argument block's length, or an error. */
static int check_spec(const struct wasm_spawn *s, uint32_t *quota, char *err, size_t errlen)
{
	struct task *me = current_task();
	if (me == idle_task()) {
		snprintf(err, errlen, "the idle thread cannot spawn");
		return E_INVALID;
	}
	size_t nl = s->name ? strnlen(s->name, TASK_NAME_MAX) : 0;
	if (nl == 0 || nl >= TASK_NAME_MAX) {
		snprintf(err, errlen, "task name must be 1..%d characters", TASK_NAME_MAX - 1);
		return E_INVALID;
	}
	if (s->args_len > WASM_ARGS_MAX || (s->args_len && !s->args)) {
		snprintf(err, errlen, "arguments exceed %u bytes", WASM_ARGS_MAX);
		return E_INVALID;
	}
	if (!s->module || s->module_len < 8) {
		snprintf(err, errlen, "not a WebAssembly module (%u bytes)", s->module_len);
		return E_BAD_MODULE;
	}
	/* Grants are checked again as the task is created; refusing them here spares loading the module. */
	if (s->flags & ~me->flags) {
		snprintf(err, errlen, "flags 0x%x beyond the spawner's 0x%x", s->flags, me->flags);
		return E_DENIED;
	}
	if (s->n_devices > 8 || (s->n_devices && !s->devices)) {
		snprintf(err, errlen, "%u device grants (at most 8)", s->n_devices);
		return E_INVALID;
	}
	for (uint32_t i = 0; i < s->n_devices; i++) {
		int r = device_check_grant(me, &s->devices[i]);
		if (r) {
			const struct dev_grant *g = &s->devices[i];
			snprintf(err, errlen, "device grant %u (window 0x%x+0x%x, irq %d, dma %u): %s", i, g->mmio_base,
				 g->mmio_size, (int)g->irq, g->dma_bytes,
				 r == E_EXISTS ? "the IRQ already has an owner" : r == E_DENIED ? "not held by the spawner" : "invalid");
			return r;
		}
	}
	*quota = s->quota ? s->quota : WASM_QUOTA_DEFAULT;
	if (me->mem_limit && *quota > me->mem_limit) {
		if (s->quota) {
			snprintf(err, errlen, "quota %u exceeds the spawner's own (%u)", *quota, me->mem_limit);
			return E_DENIED;
		}
		*quota = me->mem_limit;
	}
	return 0;
}

/* Lays out argv: the name, then the given strings (a missing final NUL is added). */
static void set_args(struct wasm_task *wt, const struct wasm_spawn *s)
{
	size_t nl = strlen(s->name);
	char *a = wt->args;
	memcpy(a, s->name, nl + 1);
	if (s->args_len)
		memcpy(a + nl + 1, s->args, s->args_len);
	wt->args_len = (uint32_t)(nl + 1 + s->args_len);
	if (s->args_len && s->args[s->args_len - 1] != 0)
		a[wt->args_len++] = 0;
	wt->argc = 0;
	for (uint32_t i = 0; i < wt->args_len; i++)
		wt->argc += a[i] == 0;
}

static int spawn(const struct wasm_spawn *s, struct wasm_spawn_info *info, char *err, size_t errlen)
{
	uint32_t quota;
	int r = check_spec(s, &quota, err, errlen);
	if (r)
		return r;
	struct list *mark = task_alloc_mark();
	struct wasm_task *wt = task_alloc_unlimited(sizeof *wt + TASK_NAME_MAX + s->args_len + 1);
	if (!wt) {
		snprintf(err, errlen, "out of memory");
		return E_NO_MEMORY;
	}
	memset(wt, 0, sizeof *wt);
	wt->heap = (wasm_heap){ wt_alloc, wt_free, wt, quota, 0 };
	wt->quota = quota;
	wt->entry = -1;
	wt->run = s->run;
	wt->extra_imports = s->extra_imports;
	wt->extra_ctx = s->extra_ctx;
	wt->args = (char *)(wt + 1);
	strlcpy(wt->name, s->name, sizeof wt->name);
	set_args(wt, s);

	wt->mod = wasm_load(&wt->heap, s->module, s->module_len, wt->name, err, errlen);
	if (!wt->mod) {
		r = load_error(err);
		goto fail;
	}
	if ((r = check_imports(wt, err, errlen)) != 0)
		goto fail;
	if (!wt->run && (r = find_entry(wt, err, errlen)) != 0)
		goto fail;
	/* A start function is the module's own code: it runs as the new task. */
	if (!wasm_has_start(wt->mod) && !instantiate(wt, err, errlen)) {
		r = load_error(err);
		goto fail;
	}
	struct task_spec spec = {
		.name = wt->name, .entry = wasm_task_main, .arg = wt, .priority = s->priority,
		.stack_size = WASM_KSTACK, .uses = s->uses, .provides = s->provides, .mem_limit = quota,
		.devices = s->devices, .n_devices = s->n_devices, .flags = s->flags,
	};
	/* Measured before the task exists: it may run, and even end, before we return. */
	if (info)
		info->mem_bytes = task_alloc_bytes_since(mark) + (WASM_KSTACK + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
	r = task_create_adopting(&spec, mark);
	if (r > 0)
		return r;
	snprintf(err, errlen, "%s", r == E_DENIED ? "grants beyond what the spawner holds"
		 : r == E_EXISTS ? "the IRQ already has an owner"
		 : r == E_INVALID ? "bad priority or device grant" : "cannot create the task");
fail:
	if (wt->inst)
		wasm_instance_free(wt->inst);
	if (wt->mod)
		wasm_module_free(wt->mod);
	task_free(wt);
	return r;
}

int wasm_task_spawn(const struct wasm_spawn *s, struct wasm_spawn_info *info, char *err, size_t errlen)
{
	char local[256];
	if (!err || errlen == 0) {
		err = local;
		errlen = sizeof local;
	}
	err[0] = 0;
	int r = spawn(s, info, err, errlen);
	if (r < 0)
		kprintf("spawn \"%.*s\": %s: %s\n", TASK_NAME_MAX, s->name ? s->name : "", err_name(r), err);
	return r;
}
