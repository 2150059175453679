/*
 * Starting the system from the boot archive (the initrd): a kernel task
 * "boot" reads the manifest, spawns every task it lists as a Wasm task (its
 * children), logs what happens to them, and exits once all have exited. Step 4
 * replaces it by an init server; until then it is the only supervisor.
 *
 * Log lines, for people and for the tests:
 *   boot: memory: heap N bytes in use, N pages free
 *   boot: started "name" (module.wasm, N bytes) as task N: spawn N instructions, N bytes
 *   boot: task N (name) exited: reason
 *   boot: all tasks exited; memory: heap N bytes in use, N pages free
 */
#include "core/boot.h"
#include "core/boot_archive.h"
#include "core/boot_manifest.h"
#include "core/console.h"
#include "core/fdt.h"
#include "core/heap.h"
#include "core/pmm.h"
#include "core/sched.h"
#include "core/task.h"
#include "core/wasm_task.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/vm.h"
#include "wasmos/device.h"
#include "wasmos/errors.h"
#include "wasmos/ipc.h"
#include "wasmos/msg.h"
#include "lib/format.h"
#include "lib/string.h"

#define BOOT_STACK (32u * 1024)
#define SWEEP_MS 1000
#define BOOT_MAX_CHILDREN 256


struct child {
	int32_t id;
	char name[TASK_NAME_MAX];
};

struct boot_state {
	struct manifest_reader reader;
	struct boot_task task;
	struct child children[BOOT_MAX_CHILDREN];
	uint32_t alive;
	char err[256];
};

/* Free memory counting the pages the kernel keeps cached (slabs, page tables) as free. */
static void log_memory(const char *when)
{
	kprintf("boot: %smemory: heap %u bytes in use, %u pages free\n", when, heap_bytes_in_use(),
		pmm_free_pages() + heap_slab_pages() + vm_pt_pages());
}

static const char *reason_text(int32_t r, char *buf, size_t n)
{
	switch (r) {
	case EXIT_KILLED: return "killed";
	case EXIT_FAULT: return "fault";
	case EXIT_STACK_OVERFLOW: return "stack overflow";
	case EXIT_WASM_TRAP: return "wasm trap";
	case EXIT_NO_MEMORY: return "out of memory";
	default:
		snprintf(buf, n, "%d", (int)r);
		return buf;
	}
}

static struct child *find_child(struct boot_state *st, int32_t id)
{
	for (uint32_t i = 0; i < BOOT_MAX_CHILDREN; i++)
		if (st->children[i].id == id)
			return &st->children[i];
	return NULL;
}

#define VIRTIO_MAGIC 0x74726976u /* "virt" at offset 0 of a virtio-mmio slot */
#define VIRTIO_REG_DEVICE_ID 8     /* 0 = an empty slot */

/* "virtio:N" -> N; false when it is not that form. */
static bool virtio_id(const char *spec, uint32_t *id)
{
	if (strncmp(spec, "virtio:", 7) != 0 || !spec[7])
		return false;
	*id = 0;
	for (const char *p = spec + 7; *p; p++) {
		if (*p < '0' || *p > '9' || *id > 100000)
			return false;
		*id = *id * 10 + (uint32_t)(*p - '0');
	}
	return true;
}

/* A manifest device= value as a grant of the node's window and IRQ: the first
 * node compatible with the string, or for virtio:N the first virtio-mmio slot
 * (in address order) whose DeviceID register reads N. 0 or E_NOT_FOUND. */
static int resolve_device(const char *spec, struct dev_grant *g)
{
	struct fdt_device d;
	uint32_t want;
	if (!virtio_id(spec, &want)) {
		if (fdt_find_compatible(spec, 0, &d) != 0)
			return E_NOT_FOUND;
		*g = (struct dev_grant){ d.base, d.size, d.irq, 0 };
		return 0;
	}
	for (uint32_t i = 0; fdt_find_compatible("virtio,mmio", i, &d) == 0; i++) {
		uint32_t magic, id;
		/* The boot task holds every device: these reads map the slot as they go. */
		if (dev_mmio_read(d.base, 4, &magic) != 0 || magic != VIRTIO_MAGIC)
			continue;
		if (dev_mmio_read(d.base + VIRTIO_REG_DEVICE_ID, 4, &id) != 0 || id != want)
			continue;
		*g = (struct dev_grant){ d.base, d.size, d.irq, 0 };
		return 0;
	}
	return E_NOT_FOUND;
}

/* The task's device= and dma= keys as grants; their number, or -1 (logged). */
static int task_grants(const struct boot_task *t, struct dev_grant *g)
{
	uint32_t n = 0;
	for (; n < t->n_devices; n++)
		if (resolve_device(t->devices[n], &g[n]) != 0) {
			kprintf("boot: manifest line %u: no device \"%s\" on this board\n", t->line, t->devices[n]);
			return -1;
		}
	if (t->dma)
		g[n++] = (struct dev_grant){ 0, 0, 0, t->dma };
	return (int)n;
}

static void start_task(struct boot_state *st)
{
	struct boot_task *t = &st->task;
	struct boot_file f;
	struct dev_grant grants[MANIFEST_DEVICES_MAX + 1];
	if (boot_archive_find(&boot_archive_booted, t->module, &f) != 0) {
		kprintf("boot: manifest line %u: no file \"%s\" in the boot archive\n", t->line, t->module);
		return;
	}
	int ng = task_grants(t, grants);
	if (ng < 0)
		return;
	struct wasm_spawn s = {
		.module = f.data, .module_len = f.size, .name = t->name, .args = t->args, .args_len = t->args_len,
		.quota = t->quota, .uses = t->uses, .provides = t->provides, .priority = t->priority,
		.devices = grants, .n_devices = (uint32_t)ng, .flags = t->flags,
	};
	struct wasm_spawn_info info;
	/* The boot task's own instructions: the tasks it started may run meanwhile. */
	uint64_t t0 = sched_current_instret();
	int id = wasm_task_spawn(&s, &info, st->err, sizeof st->err);
	uint64_t spent = sched_current_instret() - t0;
	if (id < 0)
		return; /* wasm_task_spawn has said why */
	kprintf("boot: started \"%s\" (%s, %u bytes) as task %d: spawn %llu instructions, %u bytes\n", t->name,
		t->module, f.size, id, (unsigned long long)spent, info.mem_bytes);
	struct child *c = find_child(st, 0);
	if (!c)
		return; /* more than we can supervise: it runs on, unwatched */
	c->id = id;
	strlcpy(c->name, t->name, sizeof c->name);
	st->alive++;
}

static void reap(struct boot_state *st, const struct notify_payload *p)
{
	char buf[16];
	for (uint32_t i = 0; i < p->n_exited && i < NOTIFY_MAX_EXITED; i++) {
		struct child *c = find_child(st, p->exited[i].task);
		if (!c || c->id == 0)
			continue;
		kprintf("boot: task %d (%s) exited: %s\n", (int)c->id, c->name, reason_text(p->exited[i].reason, buf, sizeof buf));
		c->id = 0;
		st->alive--;
	}
}

/* Exits the kernel could not queue for us (more than its FIFO holds) are
 * found by looking: every notification has been taken when a wait times out. */
static void sweep(struct boot_state *st)
{
	for (uint32_t i = 0; i < BOOT_MAX_CHILDREN; i++) {
		struct child *c = &st->children[i];
		if (c->id && !task_lookup(c->id)) {
			kprintf("boot: task %d (%s) exited: (reason lost)\n", (int)c->id, c->name);
			c->id = 0;
			st->alive--;
		}
	}
}

static void boot_main(void *arg)
{
	(void)arg;
	log_memory("");
	struct boot_state *st = task_alloc(sizeof *st);
	struct msg *m = task_alloc(sizeof *m);
	if (!st || !m) {
		kprintf("boot: out of memory\n");
		return;
	}
	memset(st, 0, sizeof *st);
	struct boot_file mf;
	if (boot_archive_find(&boot_archive_booted, MANIFEST_FILE, &mf) != 0) {
		kprintf("boot: the boot archive has no \"%s\"\n", MANIFEST_FILE);
		return;
	}
	manifest_begin(&st->reader, (const char *)mf.data, mf.size);
	int r;
	while ((r = manifest_next(&st->reader, &st->task, st->err, sizeof st->err)) != 0) {
		if (r < 0)
			kprintf("boot: manifest line %u: %s\n", st->reader.line, st->err);
		else
			start_task(st);
	}
	while (st->alive > 0) {
		int n = ipc_recv(TASK_KERNEL, m, sizeof *m, SWEEP_MS);
		if (n >= (int)MSG_HEADER && m->type == MSG_NOTIFY)
			reap(st, (const struct notify_payload *)m->payload);
		else if (n == E_TIMEOUT)
			sweep(st);
	}
	task_free(m);
	task_free(st);
	/* The last child's stack is freed when the next task switch reaps it. */
	task_yield();
	log_memory("all tasks exited; ");
}

int boot_start_init(const struct fdt_info *info)
{
	char err[128];
	uint32_t start = info->initrd_start, end = info->initrd_end;
	if (!start || end <= start)
		return E_NOT_FOUND;
	if (start < info->mem_base || end - info->mem_base > info->mem_size) {
		kprintf("boot archive at %p..%p is outside RAM\n", (void *)start, (void *)end);
		return E_INVALID;
	}
	if (boot_archive_open(&boot_archive_booted, (const void *)start, end - start, err, sizeof err) != 0) {
		kprintf("boot archive refused: %s\n", err);
		return E_INVALID;
	}
	kprintf("boot archive: %u files, %u bytes\n", boot_archive_booted.count, boot_archive_booted.size);
	struct task_spec spec = {
		.name = "boot", .entry = boot_main, .priority = TASK_PRIO_DEFAULT, .stack_size = BOOT_STACK,
		.uses = "*", .provides = "*", .flags = TASKF_ALL,
	};
	int id = task_create_root(&spec);
	return id < 0 ? id : 0;
}
