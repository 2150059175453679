/* What the kernel runs after it has initialized itself. */
#ifndef CORE_BOOT_H
#define CORE_BOOT_H

#include <stdint.h>
#include "core/fdt.h"

/* Instruction count (instret) when the first task started running. */
extern uint64_t boot_first_task_instret;

/* Starts the tasks the boot archive's manifest lists (core/boot_init.c).
 * Returns 0, E_NOT_FOUND when there is no archive, or E_INVALID for a broken one. */
int boot_start_init(const struct fdt_info *info);

/* Kernel self-test, benchmarks and the Wasm conformance driver (kernel/test/):
 * entry functions of root tasks. */
void selftest_main(void *arg);
void bench_main(void *arg);
void wasm_driver_main(void *arg); /* arg: the struct fdt_info (for the boot archive) */

#endif
