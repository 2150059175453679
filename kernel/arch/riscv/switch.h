#ifndef ARCH_RISCV_SWITCH_H
#define ARCH_RISCV_SWITCH_H

#include <stdint.h>

struct task;

/* Saves ra/s0-s11 on the current stack, stores sp in *save_sp, sets tp = next
 * and resumes the stack `sp` of next. Returns when someone switches back. */
void switch_context(uintptr_t *save_sp, uintptr_t sp, struct task *next);
/* Where a new task's first switch_context "returns" to (s1 = the task). */
void task_trampoline(void);
void fp_save(uint64_t *f, uint32_t *fcsr);
void fp_restore(const uint64_t *f, const uint32_t *fcsr);

/* The frame switch_context leaves on a stack: ra, s0..s11 (64 bytes). */
#define SWITCH_FRAME_WORDS 16

#endif
