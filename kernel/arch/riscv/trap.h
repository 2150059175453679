#ifndef ARCH_RISCV_TRAP_H
#define ARCH_RISCV_TRAP_H

#include <stdint.h>

/* As laid out by strap.S: x[n] is register xn (x[0] unused, x[4] = tp not saved). */
struct trap_frame {
	uint32_t x[32];
	uint32_t sepc, sstatus, scause, stval;
};

void trap_init(void);

#endif
