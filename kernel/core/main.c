/* kmain: the S-mode kernel's start, from the device tree to the first task. */
#include "core/boot.h"
#include "core/bootargs.h"
#include "core/console.h"
#include "core/fdt.h"
#include "core/heap.h"
#include "core/panic.h"
#include "core/pmm.h"
#include "core/sched.h"
#include "core/task.h"
#include "core/timeout.h"
#include "core/trace.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/plic.h"
#include "arch/riscv/trap.h"
#include "arch/riscv/vm.h"
#include "wasmos/errors.h"

extern char __kernel_start[], __kernel_end[];

static struct fdt_info info;

static void start_root(const char *name, task_entry_t entry, void *arg)
{
	struct task_spec spec = {
		.name = name, .entry = entry, .arg = arg, .priority = TASK_PRIO_DEFAULT,
		.uses = "*", .provides = "*", .flags = TASKF_ALL_DEVICES | TASKF_KILL_ANY,
	};
	int id = task_create_root(&spec);
	if (id < 0)
		panic("cannot start %s: %s", name, err_name(id));
}

void kmain(uint32_t hartid, uint32_t fdt, uint32_t own_mmode);
void kmain(uint32_t hartid, uint32_t fdt, uint32_t own_mmode)
{
	task_init_boot();
	trap_init();
	fdt_parse(fdt, &info);
	console_init(info.uart_base);
	kprintf("WasmOS kernel: hart %u, %s, device tree %s\n", hartid,
		own_mmode ? "own M-mode layer" : "SBI firmware", info.valid ? "ok" : "missing (using QEMU virt defaults)");

	pmm_init(info.mem_base, info.mem_size);
	pmm_reserve((uint32_t)__kernel_start, (uint32_t)(__kernel_end - __kernel_start));
	pmm_reserve(info.fdt_base, info.fdt_size);
	pmm_reserve(info.initrd_start, info.initrd_end - info.initrd_start);
	for (int i = 0; i < info.n_reserved; i++)
		pmm_reserve(info.reserved[i].base, info.reserved[i].size);
	vm_init(&info);
	heap_init();
	timeout_init(info.timebase_hz);
	sched_init(info.timebase_hz);
	plic_init(info.plic_base, info.plic_ndev);
	bootargs_set(info.bootargs);
	trace_init(&info);
	kprintf("memory: %u MiB at %p, %u KiB free; bootargs \"%s\"\n", info.mem_size >> 20, (void *)info.mem_base,
		pmm_free_pages() * 4, info.bootargs);

	if (bootarg_has("panictest"))
		panic("requested by the \"panictest\" bootarg");
	if (bootarg_has("selftest")) {
		start_root("selftest", selftest_main, 0);
	} else if (bootarg_has("bench")) {
		start_root("bench", bench_main, 0);
	} else if (bootarg_has("wasmdriver")) {
		start_root("wasmdriver", wasm_driver_main, &info);
	} else {
		int r = boot_start_init(&info);
		if (r < 0) {
			kprintf("no init task (%s): boot with \"selftest\" or \"bench=ipc\", or give a boot archive\n", err_name(r));
			poweroff(r == E_NOT_FOUND ? POWEROFF_PASS : POWEROFF_FAIL);
		}
	}

	/* The boot thread is now the idle task: it runs only when nothing else can. */
	irq_disable();
	schedule();
	for (;;) {
		if (task_count() == 0) {
			kprintf("all tasks exited\n");
			poweroff(POWEROFF_PASS);
		}
		irq_enable();
		wfi();
		irq_disable();
		schedule();
	}
}
