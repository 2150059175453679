/* Kernel panic: a kernel bug (never something a task did). Prints the reason,
 * the current task and a backtrace, then powers off with exit code 3. */
#ifndef CORE_PANIC_H
#define CORE_PANIC_H

#include <stdint.h>

#define POWEROFF_PASS 0
#define POWEROFF_FAIL 1
#define POWEROFF_SELFTEST_FAILED 2
#define POWEROFF_PANIC 3

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
__attribute__((noreturn)) void poweroff(int code);
/* Prints a frame-pointer backtrace from frame pointer fp (and pc first, if nonzero). */
void backtrace(uintptr_t fp, uintptr_t pc);

#define KASSERT(c) do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)

#endif
