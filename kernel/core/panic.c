#include <stdint.h>
#include <stdarg.h>
#include "core/panic.h"
#include "core/console.h"
#include "core/task.h"
#include "arch/riscv/irq.h"
#include "arch/riscv/sbi.h"
#include "lib/format.h"

void poweroff(int code)
{
	irq_disable();
	sbi_shutdown(code == 0 ? SBI_SRST_REASON_NONE : SBI_SRST_REASON_VENDOR | (uint32_t)code);
}

/* RISC-V frame layout with frame pointers: fp is the caller's sp at entry,
 * ra is saved at fp-4, the caller's fp at fp-8. The walk stays on the stack
 * it started on and stops at the first frame that is not plausible. */
void backtrace(uintptr_t fp, uintptr_t pc)
{
	struct task *t = current_task();
	uintptr_t lo = t ? t->stack_bottom : 0, hi = t ? t->stack_top : 0;
	kprintf("backtrace:\n");
	int i = 0;
	if (pc)
		kprintf("  #%d pc %p\n", i++, (void *)pc);
	for (int n = 0; n < 16; n++) {
		if (fp < lo + 8 || fp > hi || (fp & 3))
			break;
		uintptr_t ra = ((uintptr_t *)fp)[-1];
		uintptr_t next = ((uintptr_t *)fp)[-2];
		if (!ra)
			break;
		kprintf("  #%d ra %p\n", i++, (void *)ra);
		if (next <= fp)
			break;
		fp = next;
	}
}

void panic(const char *fmt, ...)
{
	irq_disable();
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct task *t = current_task();
	kprintf("\n*** KERNEL PANIC: %s\n", msg);
	if (t)
		kprintf("task: %d (%s)\n", t->id, t->name);
	backtrace((uintptr_t)__builtin_frame_address(0), 0);
	poweroff(POWEROFF_PANIC);
}
