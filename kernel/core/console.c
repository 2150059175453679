#include "core/console.h"
#include "core/trace.h"
#include "arch/riscv/irq.h"
#include "lib/format.h"

#define LSR 5
#define LSR_THRE 0x20

static volatile uint8_t *uart = (volatile uint8_t *)0x10000000u;

void console_init(uint32_t uart_base)
{
	uart = (volatile uint8_t *)uart_base;
}

static void putc_raw(char c)
{
	while (!(uart[LSR] & LSR_THRE))
		;
	uart[0] = (uint8_t)c;
}

void console_write(const char *s, size_t n)
{
	uint32_t f = irq_save();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			putc_raw('\r');
		putc_raw(s[i]);
	}
	irq_restore(f);
}

void kprintf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 1)
		n = sizeof line - 1;
	console_write(line, (size_t)n);
	trace_log(line, (uint32_t)n);
}
