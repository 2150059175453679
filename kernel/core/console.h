/* The kernel log: the ns16550a UART, polled, one line at a time. */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include <stdint.h>
#include <stddef.h>

void console_init(uint32_t uart_base);
void console_write(const char *s, size_t n);
/* Formats into a line buffer and writes it in one critical section, so lines
 * from different tasks never interleave; also copied to the trace as TR_LOG. */
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

#endif
