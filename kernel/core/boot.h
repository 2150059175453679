/* What the kernel runs after it has initialized itself. */
#ifndef CORE_BOOT_H
#define CORE_BOOT_H

#include <stdint.h>
#include "core/fdt.h"

/* Instruction count (instret) when the first task started running. */
extern uint64_t boot_first_task_instret;

/* Starts the first task ("init") from the boot archive. The default (weak)
 * version knows no archive format yet and returns E_NOT_FOUND; step 4's boot
 * archive code provides the real one. */
int boot_start_init(const struct fdt_info *info);

/* Kernel self-test and benchmarks (kernel/test/): entry functions of root tasks. */
void selftest_main(void *arg);
void bench_main(void *arg);

#endif
