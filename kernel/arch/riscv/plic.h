/* The platform-level interrupt controller, as seen from hart 0's S-mode context. */
#ifndef ARCH_RISCV_PLIC_H
#define ARCH_RISCV_PLIC_H

#include <stdint.h>

#define PLIC_MAX_SOURCES 96

void plic_init(uint32_t base, uint32_t ndev);
uint32_t plic_ndev(void);
void plic_enable(uint32_t irq, int on);
/* The highest-priority pending source (0 = none); it stays masked until completed. */
uint32_t plic_claim(void);
void plic_complete(uint32_t irq);

#endif
