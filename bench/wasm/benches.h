/*
 * The C benchmarks of tests/wasm/bench/bench.c (the Wasm runtime's), with the
 * sizes both builds run them at: natively on rv32 (native-main.c) and as a
 * Wasm task in the kernel (wasm-main.c). Each returns a checksum, so the two
 * builds can be checked against each other.
 */
#ifndef BENCH_WASM_BENCHES_H
#define BENCH_WASM_BENCHES_H

#include <stdint.h>

uint32_t bench_crc32(uint32_t n);
uint32_t bench_sieve(uint32_t n);
uint32_t bench_matmul(uint32_t n);
uint32_t bench_fib(uint32_t n);
uint32_t bench_sort(uint32_t n);
uint32_t bench_mandel(uint32_t n);

static const struct bench {
	const char *name;
	uint32_t (*fn)(uint32_t);
	uint32_t n;
} benches[] = {
	{ "crc32", bench_crc32, 2 }, { "sieve", bench_sieve, 2 }, { "matmul", bench_matmul, 4 },
	{ "fib", bench_fib, 20 },    { "sort", bench_sort, 1 },   { "mandel", bench_mandel, 2 },
};

/* "bench <name> <checksum, hex> <instructions>\n" into buf; returns its length. */
static inline uint32_t bench_line(char *buf, const char *name, uint32_t sum, uint64_t instructions)
{
	uint32_t n = 0;
	for (const char *s = "bench "; *s;)
		buf[n++] = *s++;
	while (*name)
		buf[n++] = *name++;
	buf[n++] = ' ';
	for (int i = 28; i >= 0; i -= 4)
		buf[n++] = "0123456789abcdef"[(sum >> i) & 15];
	buf[n++] = ' ';
	char tmp[24];
	int k = 0;
	do {
		tmp[k++] = (char)('0' + instructions % 10);
		instructions /= 10;
	} while (instructions);
	while (k)
		buf[n++] = tmp[--k];
	buf[n++] = '\n';
	return n;
}

#endif
