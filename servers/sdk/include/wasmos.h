/*
 * The WasmOS SDK for C programs compiled to wasm32 with clang:
 *
 *   clang-19 --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export=main -O2 \
 *            -I servers/sdk/include -o prog.wasm prog.c
 *
 * Include this one header. It declares the kernel's imports (module "env":
 * WasmOS's IPC; module "wasmos": the extensions), the messages of
 * servers/idl/messages.idl (<wasmos/messages.h>), and small helpers. Write
 * `int main(void)`: the header supplies the `_start` entry point that calls it
 * (clang gives an exported `main` two parameters, which the kernel does not
 * accept as an entry). docs/sdk.md has complete examples.
 */
#ifndef WASMOS_H
#define WASMOS_H

#include <stddef.h>
#include <stdint.h>
#include <wasmos/messages.h>

#define WASMOS_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

/* Task id of the kernel: answers ping, service_lookup and service_register. */
#define TASK_KERNEL 0
/* ipc_recv / wasmos_recv: from anyone, kernel notifications included. */
#define IPC_ANY (-1)
/* Timeouts in milliseconds. */
#define IPC_FOREVER (-1)
#define IPC_POLL 0

/*
 * ---- env: WasmOS's IPC ----
 * A message is a whole struct message (MSG_MAX bytes, 4-byte aligned): the
 * kernel copies all of it. Results are 0 (or an id) or a negative E_* code.
 */

/* The task providing service `name`; waits up to 10 s for it to register. */
WASMOS_IMPORT("env", "ipc_lookup") int32_t ipc_lookup(const char *name);
/* Sends *m to dst and waits for the reply, which overwrites *m. */
WASMOS_IMPORT("env", "ipc_call") int32_t ipc_call(int32_t dst, struct message *m);
/* Waits for a message from src (or IPC_ANY); m->src tells who sent it. */
WASMOS_IMPORT("env", "ipc_recv") int32_t ipc_recv(int32_t src, struct message *m);
/* Answers dst, which waits in ipc_call on us. Never blocks; a bad pointer traps. */
WASMOS_IMPORT("env", "ipc_reply") void ipc_reply(int32_t dst, struct message *m);

/* ---- wasmos: the extensions ---- */

/* Sends without waiting for a reply; blocks until dst receives it, up to timeout_ms. */
WASMOS_IMPORT("wasmos", "send") int32_t wasmos_send(int32_t dst, struct message *m, int32_t timeout_ms);
/* ipc_recv with a timeout; returns the message length, E_TIMEOUT or E_WOULD_BLOCK. */
WASMOS_IMPORT("wasmos", "recv") int32_t wasmos_recv(int32_t src, struct message *m, int32_t timeout_ms);
/* Posts notification bits (NOTIFY_*) to a task. */
WASMOS_IMPORT("wasmos", "notify") int32_t wasmos_notify(int32_t dst, uint32_t bits);
/* Registers this task as the provider of `name` (which must be in its `provides`). */
WASMOS_IMPORT("wasmos", "service_register") int32_t wasmos_service_register(const char *name);
/* ipc_lookup with a timeout (0: E_NOT_FOUND at once). */
WASMOS_IMPORT("wasmos", "service_lookup") int32_t wasmos_service_lookup(const char *name, int32_t timeout_ms);
/*
 * Starts a Wasm module as a child task. args: strings each ended by a NUL, back
 * to back (they become arguments 1..; argument 0 is `name`); quota in bytes
 * (0 = default); uses/provides: comma-separated service names, or NULL.
 */
WASMOS_IMPORT("wasmos", "spawn")
int32_t wasmos_spawn(const void *module, uint32_t module_len, const char *name, const char *args, uint32_t args_len,
		     uint32_t quota, const char *uses, const char *provides);
WASMOS_IMPORT("wasmos", "kill") int32_t wasmos_kill(int32_t task);
/* Ends the task (negative codes become 1). */
WASMOS_IMPORT("wasmos", "exit") __attribute__((noreturn)) void wasmos_exit(int32_t code);
WASMOS_IMPORT("wasmos", "task_id") int32_t wasmos_task_id(void);
/* Guest time since boot, and the guest instructions this task has run. */
WASMOS_IMPORT("wasmos", "clock_ms") int64_t wasmos_clock_ms(void);
WASMOS_IMPORT("wasmos", "clock_ns") int64_t wasmos_clock_ns(void);
WASMOS_IMPORT("wasmos", "instret") int64_t wasmos_instret(void);
/* Writes len bytes to the kernel console (and the trace log). */
WASMOS_IMPORT("wasmos", "debug_print") void wasmos_debug_print(const void *p, uint32_t len);
/* Arguments: argument 0 is the task's name. arg_get copies argument `index`
 * (and a NUL if it fits) and returns its length, or E_INVALID. */
WASMOS_IMPORT("wasmos", "arg_count") int32_t wasmos_arg_count(void);
WASMOS_IMPORT("wasmos", "arg_get") int32_t wasmos_arg_get(int32_t index, char *buf, uint32_t cap);
WASMOS_IMPORT("wasmos", "yield") void wasmos_yield(void);
WASMOS_IMPORT("wasmos", "sleep") int32_t wasmos_sleep(int32_t ms);
/* One MSG_NOTIFY with NOTIFY_TIMER after ms (0 cancels). */
WASMOS_IMPORT("wasmos", "timer_set") int32_t wasmos_timer_set(int32_t ms);

/*
 * ---- wasmos: userland servers (docs/userland.md) ----
 */

/* The index-th boot archive file: its name into name (cut to cap, NUL-terminated); its size, or E_NOT_FOUND. */
WASMOS_IMPORT("wasmos", "bootfs_entry") int32_t wasmos_bootfs_entry(int32_t index, char *name, uint32_t cap);
/* Reads boot archive file `name` from offset into buf: bytes read (0 at or past its end), or E_NOT_FOUND. */
WASMOS_IMPORT("wasmos", "bootfs_read")
int32_t wasmos_bootfs_read(const char *name, uint32_t offset, void *buf, uint32_t len);

/* What device_find fills in. */
struct wasmos_device {
	uint32_t base, size;
	int32_t irq; /* 0 = none */
};
/* The index-th device tree node (in address order) compatible with `compatible`; 0 or E_NOT_FOUND. */
WASMOS_IMPORT("wasmos", "device_find")
int32_t wasmos_device_find(const char *compatible, int32_t index, struct wasmos_device *out);
/* A granted device register (width 1/2/4, aligned): the value, or E_DENIED / E_INVALID. */
WASMOS_IMPORT("wasmos", "mmio_read") int64_t wasmos_mmio_read(uint32_t addr, uint32_t width);
WASMOS_IMPORT("wasmos", "mmio_write") int32_t wasmos_mmio_write(uint32_t addr, uint32_t width, uint32_t value);
/* The driver has quieted its device: the IRQ (NOTIFY_IRQ) may fire again. */
WASMOS_IMPORT("wasmos", "irq_ack") int32_t wasmos_irq_ack(int32_t irq);
/* Zeroed, page-aligned, contiguous DMA memory within the quota: its physical address, or an error. */
WASMOS_IMPORT("wasmos", "dma_alloc") int64_t wasmos_dma_alloc(uint32_t size);
/* Copies between linear memory and the task's own DMA memory (E_DENIED outside its allocations). */
WASMOS_IMPORT("wasmos", "dma_write") int32_t wasmos_dma_write(uint32_t phys, const void *src, uint32_t len);
WASMOS_IMPORT("wasmos", "dma_read") int32_t wasmos_dma_read(uint32_t phys, void *dst, uint32_t len);

/* spawn_ex's flags. */
#define WASMOS_TASK_ALL_DEVICES 1u
#define WASMOS_TASK_KILL_ANY    2u
#define WASMOS_TASK_SYSTEM      4u
/* spawn_ex's spec (108 bytes); pointers are linear-memory addresses (0 = none for uses/provides). */
struct wasmos_spawn_spec {
	const void *module;
	uint32_t module_len;
	const char *name;
	const char *args;    /* NUL-terminated strings back to back */
	uint32_t args_len;
	uint32_t quota;      /* 0 = default */
	const char *uses, *provides;
	int32_t priority;    /* 0 = default */
	uint32_t flags;      /* WASMOS_TASK_* */
	uint32_t n_devices;  /* 0..4 */
	struct { uint32_t mmio_base, mmio_size; int32_t irq; uint32_t dma_bytes; } devices[4];
};
/* wasmos_spawn with devices, flags and priority: the task id, or an error (E_DENIED beyond what we hold). */
WASMOS_IMPORT("wasmos", "spawn_ex") int32_t wasmos_spawn_ex(const struct wasmos_spawn_spec *spec);

/* task_info's record. */
struct wasmos_task_info {
	int32_t id, parent;
	char name[24];
	int32_t state, priority;
	uint64_t instret;
	uint32_t mem_bytes, switches;
};
/* The index-th live task in id order; 0 or E_NOT_FOUND past the last. */
WASMOS_IMPORT("wasmos", "task_info") int32_t wasmos_task_info(int32_t index, struct wasmos_task_info *out);
struct wasmos_mem_info {
	uint32_t total, free, heap_used, tasks;
};
WASMOS_IMPORT("wasmos", "mem_info") int32_t wasmos_mem_info(struct wasmos_mem_info *out);
/* Needs the system flag (E_DENIED). */
#define WASMOS_SYSTEM_POWER_OFF 1
#define WASMOS_SYSTEM_REBOOT    2
#define WASMOS_SYSTEM_TRACE_ON  3
#define WASMOS_SYSTEM_TRACE_OFF 4
WASMOS_IMPORT("wasmos", "system") int32_t wasmos_system(int32_t op);

/*
 * ---- memory functions ----
 * There is no libc, but the compiler calls these for struct copies and
 * initializers. Weak, so a program (or a libc) may bring its own.
 */
__attribute__((weak)) void *memset(void *d, int c, size_t n)
{
	unsigned char *p = (unsigned char *)d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

__attribute__((weak)) void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *p = (unsigned char *)d;
	const unsigned char *q = (const unsigned char *)s;
	while (n--)
		*p++ = *q++;
	return d;
}

__attribute__((weak)) void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *p = (unsigned char *)d;
	const unsigned char *q = (const unsigned char *)s;
	if (p < q) {
		while (n--)
			*p++ = *q++;
	} else {
		while (n--)
			p[n] = q[n];
	}
	return d;
}

__attribute__((weak)) int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/* ---- helpers ---- */

static inline size_t wasmos_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Writes a NUL-terminated string to the console. */
static inline void wasmos_print(const char *s)
{
	wasmos_debug_print(s, (uint32_t)wasmos_strlen(s));
}

/* Writes a signed decimal number to the console. */
static inline void wasmos_print_int(int32_t v)
{
	char buf[12];
	int i = sizeof buf;
	uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	wasmos_debug_print(buf + i, (uint32_t)(sizeof buf - (size_t)i));
}

/* "E_NOT_FOUND", or "E_?" for a code the IDL does not define. */
static inline const char *wasmos_error_text(int32_t code)
{
	const char *n = wasmos_error_name(code);
	return n ? n : "E_?";
}

/* Makes *m an empty message of `type`: src 0, payload zeroed. */
static inline void msg_init(struct message *m, int32_t type)
{
	m->type = type;
	m->src = 0;
	memset(m->raw, 0, sizeof m->raw);
}

/*
 * Copies a string into a cstr[n] field: at most n bytes (cut at a UTF-8
 * character boundary), NUL-terminated when shorter, the rest zeroed.
 */
static inline void cstr_set(char *field, size_t n, const char *s)
{
	size_t len = wasmos_strlen(s);
	if (len > n) {
		len = n;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(field, s, len);
	memset(field + len, 0, n - len);
}
#define CSTR_SET(field, s) cstr_set((field), sizeof(field), (s))

/* Copies at most n bytes into a bytes[n] field and sets its length. */
static inline void bytes_set(uint8_t *field, uint32_t *len_field, size_t n, const void *src, size_t len)
{
	if (len > n)
		len = n;
	memcpy(field, src, len);
	*len_field = (uint32_t)len;
}
#define BYTES_SET(payload, field, src, len) \
	bytes_set((payload).field, &(payload).field##_len, sizeof((payload).field), (src), (len))

/*
 * ipc_call that also checks the reply: 0 when it is type + 1; otherwise the IPC
 * error, the error the server replied with, or E_INVALID for another type.
 */
static inline int32_t wasmos_call(int32_t dst, struct message *m)
{
	int32_t type = m->type;
	int32_t r = ipc_call(dst, m);
	if (r < 0)
		return r;
	if (m->type < 0)
		return m->type;
	return m->type == type + 1 ? 0 : E_INVALID;
}

/* Handler results for wasmos_serve: reply with *m as left, or not at all;
 * a negative result is sent back as an error. */
#define WASMOS_REPLY 0
#define WASMOS_NO_REPLY 1

/*
 * Registers `name` (unless NULL) and serves forever: each message is received
 * into one buffer, handed to `handler`, and answered as it says. Kernel
 * notifications (src 0) reach the handler but are never answered.
 */
static inline __attribute__((noreturn)) void wasmos_serve(const char *name, int32_t (*handler)(struct message *m))
{
	static struct message m;
	if (name) {
		int32_t r = wasmos_service_register(name);
		if (r < 0) {
			wasmos_print("register failed: ");
			wasmos_print(wasmos_error_text(r));
			wasmos_print("\n");
			wasmos_exit(1);
		}
	}
	for (;;) {
		if (ipc_recv(IPC_ANY, &m) < 0)
			continue;
		int32_t src = m.src;
		int32_t r = handler(&m);
		if (src == TASK_KERNEL || r == WASMOS_NO_REPLY)
			continue;
		if (r < 0)
			msg_init(&m, r);
		ipc_reply(src, &m);
	}
}

/* The entry point the kernel calls: runs main() and exits with its result. */
int main(void);
__attribute__((weak, export_name("_start"))) int _start(void)
{
	return main();
}

#endif
