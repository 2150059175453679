/*
 * The wasmos imports of userland servers (docs/userland.md, "Kernel imports
 * for userland"): the boot archive, device access for drivers, spawning with
 * grants, task and memory information, and system operations.
 *
 * Like every host function, each checks the pointers it is given against the
 * instance's linear memory first (E_BAD_POINTER); copies between linear
 * memory and kernel memory never go through a pointer the task chose.
 */
#include "core/wasm_sys_imports.h"
#include "core/boot_archive.h"
#include "core/device.h"
#include "core/fdt.h"
#include "core/console.h"
#include "core/heap.h"
#include "core/panic.h"
#include "core/pmm.h"
#include "core/task.h"
#include "core/trace.h"
#include "core/wasm_task.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/sbi.h"
#include "arch/riscv/vm.h"
#include "lib/string.h"
#include "wasmos/device.h"
#include "wasmos/errors.h"
#include "wasmos/task.h"

#define COMPAT_MAX 64      /* device_find's compatible string, NUL included */
#define LIST_ARG_MAX 256   /* spawn_ex's uses/provides, NUL included */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* ---- the boot archive ---- */

/* bootfs_entry(index, name, cap) -> size: the name cut to cap (NUL included). */
static wasm_status os_bootfs_entry(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct boot_file f;
	uint8_t *out = wasm_mem_range(inst, U32(1), U32(2));
	if (!out)
		return RET(E_BAD_POINTER);
	if (I32(0) < 0 || boot_archive_file(&boot_archive_booted, U32(0), &f) != 0)
		return RET(E_NOT_FOUND);
	if (U32(2)) {
		uint32_t n = (uint32_t)strnlen(f.name, BOOT_ARCHIVE_NAME_MAX);
		if (n > U32(2) - 1)
			n = U32(2) - 1;
		memcpy(out, f.name, n);
		out[n] = 0;
	}
	return RET(f.size);
}

/* bootfs_read(name, offset, buf, len) -> bytes read (0 at or past the end). */
static wasm_status os_bootfs_read(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[BOOT_ARCHIVE_NAME_MAX];
	struct boot_file f;
	uint32_t off = U32(1), len = U32(3);
	uint8_t *buf = wasm_mem_range(inst, U32(2), len);
	int n = wasm_mem_str(inst, U32(0), name, sizeof name);
	if (!buf || n == E_BAD_POINTER)
		return RET(E_BAD_POINTER);
	/* A name too long for the archive names no file in it. */
	if (n <= 0 || boot_archive_find(&boot_archive_booted, name, &f) != 0)
		return RET(E_NOT_FOUND);
	if (off >= f.size)
		return RET(0);
	if (len > f.size - off)
		len = f.size - off;
	memcpy(buf, f.data + off, len);
	return RET(len);
}

/* ---- devices ---- */

/* device_find(compatible, index, out) -> 0: out = {u32 base; u32 size; i32 irq}. */
static wasm_status os_device_find(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char compat[COMPAT_MAX];
	uint8_t *out = wasm_mem_range(inst, U32(2), 12);
	int n = wasm_mem_str(inst, U32(0), compat, sizeof compat);
	if (!out || n == E_BAD_POINTER)
		return RET(E_BAD_POINTER);
	struct fdt_device d;
	if (n <= 0 || I32(1) < 0 || fdt_find_compatible(compat, U32(1), &d) != 0)
		return RET(E_NOT_FOUND);
	put32(out, d.base);
	put32(out + 4, d.size);
	put32(out + 8, d.irq);
	return RET(0);
}

/* mmio_read(addr, width) -> the value zero-extended, or a negative error. */
static wasm_status os_mmio_read(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	uint32_t v;
	int r = device_mmio_check(U32(0), U32(1));
	if (!r)
		r = dev_mmio_read(U32(0), U32(1), &v);
	return RET64(r < 0 ? (uint64_t)(int64_t)r : (uint64_t)v);
}

static wasm_status os_mmio_write(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	int r = device_mmio_check(U32(0), U32(1));
	return RET(r ? r : dev_mmio_write(U32(0), U32(1), U32(2)));
}

static wasm_status os_irq_ack(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	return RET(dev_irq_ack(I32(0)));
}

/* dma_alloc(size) -> physical address, or a negative error. */
static wasm_status os_dma_alloc(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	if (!U32(0) || U32(0) > DEVICE_DMA_MAX)
		return RET64((uint64_t)(int64_t)E_INVALID);
	uint32_t phys;
	if (!dev_dma_alloc(U32(0), &phys))
		return RET64((uint64_t)(int64_t)device_dma_denied(U32(0)));
	return RET64(phys);
}

/* dma_write(phys, src, len) / dma_read(phys, dst, len): only within the task's own DMA blocks. */
static wasm_status dma_copy(wasm_instance *inst, uint64_t *slots, bool to_dma)
{
	uint8_t *mem = wasm_mem_range(inst, U32(1), U32(2));
	if (!mem)
		return RET(E_BAD_POINTER);
	uint8_t *dma = device_dma_range(U32(0), U32(2));
	if (!dma)
		return RET(E_DENIED);
	if (to_dma)
		memcpy(dma, mem, U32(2));
	else
		memcpy(mem, dma, U32(2));
	return RET(0);
}

static wasm_status os_dma_write(wasm_instance *inst, void *ctx, uint64_t *slots) { return dma_copy(inst, slots, true); }
static wasm_status os_dma_read(wasm_instance *inst, void *ctx, uint64_t *slots) { return dma_copy(inst, slots, false); }

/* ---- spawning with grants ---- */

/* spawn_ex's spec (docs/userland.md): offsets of its fields. */
enum {
	SX_MODULE = 0, SX_MODULE_LEN = 4, SX_NAME = 8, SX_ARGS = 12, SX_ARGS_LEN = 16, SX_QUOTA = 20,
	SX_USES = 24, SX_PROVIDES = 28, SX_PRIORITY = 32, SX_FLAGS = 36, SX_N_DEVICES = 40, SX_DEVICES = 44,
	SX_DEVICE_SIZE = 16, SX_MAX_DEVICES = 4, SX_SIZE = SX_DEVICES + SX_MAX_DEVICES * SX_DEVICE_SIZE,
};

/* spawn_ex(spec) -> task id: wasmos.spawn plus priority, flags and device grants. */
static wasm_status os_spawn_ex(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	char name[TASK_NAME_MAX], uses[LIST_ARG_MAX], provides[LIST_ARG_MAX];
	struct dev_grant devs[SX_MAX_DEVICES];
	const uint8_t *p = wasm_mem_range(inst, U32(0), SX_SIZE);
	if (!p || (U32(0) & 3))
		return RET(E_BAD_POINTER);
	struct wasm_spawn s = { 0 };
	s.module_len = get32(p + SX_MODULE_LEN);
	s.module = wasm_mem_range(inst, get32(p + SX_MODULE), s.module_len);
	s.args_len = get32(p + SX_ARGS_LEN);
	s.args = s.args_len ? (const char *)wasm_mem_range(inst, get32(p + SX_ARGS), s.args_len) : NULL;
	if (!s.module || (s.args_len && !s.args))
		return RET(E_BAD_POINTER);
	s.quota = get32(p + SX_QUOTA);
	s.priority = (int32_t)get32(p + SX_PRIORITY);
	s.flags = get32(p + SX_FLAGS);
	s.n_devices = get32(p + SX_N_DEVICES);
	if (s.n_devices > SX_MAX_DEVICES || (s.flags & ~TASKF_ALL))
		return RET(E_INVALID);
	for (uint32_t i = 0; i < s.n_devices; i++) {
		const uint8_t *d = p + SX_DEVICES + i * SX_DEVICE_SIZE;
		devs[i] = (struct dev_grant){ get32(d), get32(d + 4), (int32_t)get32(d + 8), get32(d + 12) };
	}
	s.devices = devs;
	int n = wasm_mem_str(inst, get32(p + SX_NAME), name, sizeof name);
	if (n < 0)
		return RET(n);
	s.name = name;
	int r = wasm_mem_opt_str(inst, get32(p + SX_USES), uses, sizeof uses, &s.uses);
	if (!r)
		r = wasm_mem_opt_str(inst, get32(p + SX_PROVIDES), provides, sizeof provides, &s.provides);
	return RET(r ? r : wasm_task_spawn(&s, NULL, NULL, 0));
}

/* ---- tasks, memory, the system ---- */

/* The id of the index-th live task in id order (the idle thread is not a task), or 0. */
static int32_t nth_task_id(uint32_t index)
{
	uint32_t f = irq_save();
	int32_t found = 0;
	for (int i = 1; i < MAX_TASKS && !found; i++) {
		struct task *t = task_table[i];
		if (!t)
			continue;
		uint32_t below = 0; /* live tasks with a smaller id */
		for (int j = 1; j < MAX_TASKS; j++)
			below += task_table[j] && task_table[j]->id < t->id;
		if (below == index)
			found = t->id;
	}
	irq_restore(f);
	return found;
}

/* task_info(index, out) -> 0: the 56-byte record of struct task_info. */
static wasm_status os_task_info(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	_Static_assert(sizeof(struct task_info) == 56, "wasmos.task_info's record is 56 bytes");
	uint8_t *out = wasm_mem_range(inst, U32(1), sizeof(struct task_info));
	if (!out)
		return RET(E_BAD_POINTER);
	struct task_info info;
	/* A task may exit between the two steps: then the next one takes its place. */
	for (int tries = 0; tries < 4; tries++) {
		int32_t id = I32(0) < 0 ? 0 : nth_task_id(U32(0));
		if (!id)
			return RET(E_NOT_FOUND);
		if (task_info(id, &info) == 0) {
			memcpy(out, &info, sizeof info);
			return RET(0);
		}
	}
	return RET(E_NOT_FOUND);
}

/* mem_info(out) -> 0: {u32 total; u32 free; u32 heap_used; u32 tasks}. */
static wasm_status os_mem_info(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	uint8_t *out = wasm_mem_range(inst, U32(0), 16);
	if (!out)
		return RET(E_BAD_POINTER);
	uint32_t f = irq_save();
	/* Pages the kernel keeps cached (slabs, page tables) are free for all practical purposes. */
	uint32_t free_pages = pmm_free_pages() + heap_slab_pages() + vm_pt_pages();
	uint32_t total = pmm_total_pages() * PAGE_SIZE, used = heap_bytes_in_use(), tasks = task_count();
	irq_restore(f);
	put32(out, total);
	put32(out + 4, free_pages * PAGE_SIZE);
	put32(out + 8, used);
	put32(out + 12, tasks);
	return RET(0);
}

enum { SYS_POWER_OFF = 1, SYS_REBOOT = 2, SYS_TRACE_ON = 3, SYS_TRACE_OFF = 4 };

/* system(op) -> 0; needs TASKF_SYSTEM. Power off and reboot do not return. */
static wasm_status os_system(wasm_instance *inst, void *ctx, uint64_t *slots)
{
	struct task *me = current_task();
	if (!(me->flags & TASKF_SYSTEM))
		return RET(E_DENIED);
	switch (I32(0)) {
	case SYS_POWER_OFF:
		kprintf("system: power off (task %d, %s)\n", me->id, me->name);
		poweroff(POWEROFF_PASS);
	case SYS_REBOOT:
		kprintf("system: reboot (task %d, %s)\n", me->id, me->name);
		sbi_reboot();
		return RET(E_NOT_FOUND); /* the firmware cannot reset the machine */
	case SYS_TRACE_ON:
		return RET(trace_set_active(true));
	case SYS_TRACE_OFF:
		return RET(trace_set_active(false));
	default:
		return RET(E_INVALID);
	}
}

/* ---- the table ---- */

const struct host_import wasm_sys_imports[] = {
	{ "wasmos", "bootfs_entry", "iii", "i", os_bootfs_entry },
	{ "wasmos", "bootfs_read", "iiii", "i", os_bootfs_read },
	{ "wasmos", "device_find", "iii", "i", os_device_find },
	{ "wasmos", "mmio_read", "ii", "I", os_mmio_read },
	{ "wasmos", "mmio_write", "iii", "i", os_mmio_write },
	{ "wasmos", "irq_ack", "i", "i", os_irq_ack },
	{ "wasmos", "dma_alloc", "i", "I", os_dma_alloc },
	{ "wasmos", "dma_write", "iii", "i", os_dma_write },
	{ "wasmos", "dma_read", "iii", "i", os_dma_read },
	{ "wasmos", "spawn_ex", "i", "i", os_spawn_ex },
	{ "wasmos", "task_info", "ii", "i", os_task_info },
	{ "wasmos", "mem_info", "i", "i", os_mem_info },
	{ "wasmos", "system", "i", "i", os_system },
};
const size_t wasm_sys_imports_count = sizeof wasm_sys_imports / sizeof wasm_sys_imports[0];
