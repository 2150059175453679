/*
 * Wasm tasks: a WebAssembly module run by the kernel's runtime (kernel/wasm/)
 * in a kernel task of its own, with its own linear memory, value stack and
 * kernel stack. Everything a Wasm task holds (module, instance, memory,
 * arguments) is task memory: it is charged to the task and freed with it,
 * however the task ends. docs/kernel.md ("Wasm tasks") describes the design,
 * docs/abi.md the imports.
 */
#ifndef CORE_WASM_TASK_H
#define CORE_WASM_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wasm/wasm.h"
#include "wasmos/task.h"

#define WASM_QUOTA_DEFAULT    (4u << 20) /* bytes a task may hold when the spawner gives no quota */
#define WASM_ARGS_MAX         4096u      /* bytes of the argument block */
#define WASM_KSTACK           (16u * 1024)
#define WASM_LOOKUP_TIMEOUT_MS 10000     /* env.ipc_lookup waits this long for a service */

struct wasm_task;

struct wasm_spawn {
	const uint8_t *module;   /* the binary; read during the call only */
	uint32_t module_len;
	const char *name;        /* task name, 1..TASK_NAME_MAX-1 chars; also names the module in traps */
	const char *args;        /* arguments: strings each ended by a NUL, back to back (NULL = none) */
	uint32_t args_len;
	uint32_t quota;          /* bytes for module, instance, memory and stacks; 0 = default */
	const char *uses, *provides; /* service names granted (see struct task_spec) */
	int priority;            /* 0 = default */
	const struct dev_grant *devices; /* device grants (copied by the spawn) */
	uint32_t n_devices;
	uint32_t flags;          /* TASKF_* (only what the spawner holds) */
	/* For kernel test drivers only: imports beyond env/wasmos, and a function
	 * the task runs instead of the module's entry point. */
	wasm_resolve_fn extra_imports;
	void *extra_ctx;
	void (*run)(struct wasm_task *wt);
};

struct wasm_task {
	wasm_heap heap;
	wasm_module *mod;
	wasm_instance *inst;
	int32_t entry;           /* function index of _start or main; -1 with `run` */
	bool entry_returns;      /* the entry point returns an i32 (the exit code) */
	uint32_t quota;
	void (*run)(struct wasm_task *wt);
	wasm_resolve_fn extra_imports;
	void *extra_ctx;
	uint32_t argc;           /* argv[0] is the task name */
	uint32_t args_len;
	char *args;              /* argv[0..argc), each NUL-terminated, back to back */
	char name[TASK_NAME_MAX];
	void *wasi;               /* WASI preview 1 state (core/wasi_state.h), task memory, made on first use */
};

/* Filled by a successful spawn. */
struct wasm_spawn_info {
	uint32_t mem_bytes; /* what the task holds as it starts: kernel stack, module, instance */
};

/*
 * Validates and links a module and starts it as a child of the calling task
 * (not the idle thread). Returns the new task's id, or:
 *   E_BAD_MODULE  invalid binary (section, offset, rule), an import WasmOS does
 *                 not provide or with the wrong signature, no entry point;
 *   E_NO_MEMORY   the module or its instance does not fit in the quota;
 *   E_DENIED      granting names or a quota beyond what the caller holds;
 *   E_INVALID     bad name, arguments or priority.
 * Refusals are also written to the kernel log; `err` (may be NULL) gets the
 * reason. `info` may be NULL.
 */
int wasm_task_spawn(const struct wasm_spawn *s, struct wasm_spawn_info *info, char *err, size_t errlen);

struct task;
/* The Wasm task a kernel task runs, or NULL for native code (for the trace). */
const struct wasm_task *wasm_task_of(const struct task *t);

#endif
