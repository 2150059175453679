/*
 * S-mode trap dispatch. Interrupts: timer, external (PLIC), software. An
 * exception taken while interrupts were enabled happened in task code (the
 * kernel's own critical sections run with them off): the task is destroyed
 * with EXIT_FAULT and the system goes on. Anything else is a kernel bug.
 */
#include "arch/riscv/trap.h"
#include "arch/riscv/csr.h"
#include "arch/riscv/vm.h"
#include "core/console.h"
#include "core/device.h"
#include "core/panic.h"
#include "core/sched.h"
#include "core/task.h"
#include "core/timeout.h"
#include "core/trace.h"

extern char strap_entry[];

void trap_init(void)
{
	csr_write(stvec, (uint32_t)strap_entry);
	csr_write(sscratch, 0);
	csr_write(sie, SIE_STIE | SIE_SEIE);
	/* A firmware may hand over with the FPU off; tasks (Wasm floats) need it. */
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_INITIAL);
}

static const char *cause_name(uint32_t c)
{
	static const char *const names[] = {
		"instruction address misaligned", "instruction access fault", "illegal instruction", "breakpoint",
		"load address misaligned", "load access fault", "store address misaligned", "store access fault",
		"ecall from U-mode", "ecall from S-mode", "reserved", "ecall from M-mode",
		"instruction page fault", "load page fault", "reserved", "store page fault",
	};
	return c < 16 ? names[c] : "unknown";
}

static void task_fault(struct task *t, uint32_t cause, uint32_t epc, uint32_t tval, int32_t reason)
{
	kprintf("task %d (%s) killed: %s at pc %p (stval %p)\n", (int)t->id, t->name,
		reason == EXIT_STACK_OVERFLOW ? "stack overflow" : cause_name(cause), (void *)epc, (void *)tval);
	if (TRACE_ON())
		trace_fault(t->id, cause, epc, tval);
	task_destroy(t, reason);
}

void trap_handler(struct trap_frame *f);
void trap_handler(struct trap_frame *f)
{
	uint32_t cause = f->scause;
	if (cause & CAUSE_INTERRUPT) {
		switch (cause & ~CAUSE_INTERRUPT) {
		case IRQ_S_TIMER:
			timer_interrupt();
			break;
		case IRQ_S_EXT:
			device_external_interrupt();
			break;
		case IRQ_S_SOFT:
			csr_clear(sip, MIP_SSIP);
			break;
		default:
			break;
		}
		sched_interrupt_exit();
		return;
	}
	struct task *t = current_task();
	bool in_task = (f->sstatus & SSTATUS_SPIE) && t != idle_task();
	if (!in_task) {
		kprintf("\nexception in kernel: %s (scause %u) at pc %p, stval %p, sp %p\n", cause_name(cause),
			cause, (void *)f->sepc, (void *)f->stval, (void *)f->x[2]);
		backtrace(f->x[8], f->sepc);
		panic("unexpected %s in the kernel", cause_name(cause));
	}
	bool overflow = (cause == CAUSE_LOAD_PAGE_FAULT || cause == CAUSE_STORE_PAGE_FAULT) &&
			f->stval >= t->stack_bottom - 4096 && f->stval < t->stack_bottom;
	task_fault(t, cause, f->sepc, f->stval, overflow ? EXIT_STACK_OVERFLOW : EXIT_FAULT);
}

/* From strap.S, on the emergency stack: sp was already below the task's limit. */
__attribute__((noreturn)) void trap_stack_overflow(uint32_t cause, uint32_t epc, uint32_t tval, uint32_t sp, uint32_t sstatus);
void trap_stack_overflow(uint32_t cause, uint32_t epc, uint32_t tval, uint32_t sp, uint32_t sstatus)
{
	struct task *t = current_task();
	/* A second overflow while we are here must panic, not loop. */
	t->stack_limit = 0;
	if (t == idle_task() || !(sstatus & SSTATUS_SPIE))
		panic("kernel stack overflow: sp %p, pc %p, %s", (void *)sp, (void *)epc, cause_name(cause & 0xff));
	task_fault(t, cause, epc, tval, EXIT_STACK_OVERFLOW);
	panic("unreachable");
}
