/* Interrupt masking. The kernel runs on one hart: a critical section is a
 * stretch with sstatus.SIE clear. */
#ifndef ARCH_RISCV_IRQ_H
#define ARCH_RISCV_IRQ_H

#include <stdint.h>
#include "arch/riscv/csr.h"

static inline uint32_t irq_save(void) { return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE; }
static inline void irq_restore(uint32_t flags) { if (flags) csr_set(sstatus, SSTATUS_SIE); }
static inline void irq_enable(void) { csr_set(sstatus, SSTATUS_SIE); }
static inline void irq_disable(void) { csr_clear(sstatus, SSTATUS_SIE); }
static inline int irq_enabled(void) { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }

#endif
