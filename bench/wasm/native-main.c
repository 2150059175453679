/* The benchmarks natively on rv32, bare metal (M-mode, -bios none): each
 * timed with the instruction counter, printed on the UART. */
#include <stddef.h>
#include "benches.h"

#define UART ((volatile uint8_t *)0x10000000u)

/* The compiler may turn loops into calls to these. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

static void out(const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		while (!(UART[5] & 0x20))
			;
		UART[0] = (uint8_t)s[i];
	}
}

static uint64_t instret(void)
{
	uint32_t hi, lo, hi2;
	do {
		__asm__ volatile("rdinstreth %0" : "=r"(hi));
		__asm__ volatile("rdinstret %0" : "=r"(lo));
		__asm__ volatile("rdinstreth %0" : "=r"(hi2));
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
}

int main(void);
int main(void)
{
	char line[80];
	for (uint32_t i = 0; i < sizeof benches / sizeof benches[0]; i++) {
		uint64_t t0 = instret();
		uint32_t sum = benches[i].fn(benches[i].n);
		uint64_t t1 = instret();
		out(line, bench_line(line, benches[i].name, sum, t1 - t0));
	}
	out("bench: done\n", 12);
	return 0;
}

void report_trap(uint32_t cause, uint32_t epc);
void report_trap(uint32_t cause, uint32_t epc)
{
	char line[] = "trap: cause xxxxxxxx\n";
	for (int i = 0; i < 8; i++)
		line[12 + i] = "0123456789abcdef"[(cause >> (28 - 4 * i)) & 15];
	out(line, sizeof line - 1);
	(void)epc;
}
