/*
 * A ~100 KB Wasm module for the spawn-cost figure: many distinct small
 * functions (loops, loads, branches), as a large program has. Each is exported
 * so none is dropped; _start does nothing, the point is loading it.
 */
#include <stdint.h>

static uint32_t mem[1024];

#define F(i)                                                                        \
	__attribute__((export_name("f" #i))) uint32_t f##i(uint32_t a, uint32_t b)   \
	{                                                                           \
		uint32_t x = a * (i##u + 3u);                                          \
		while (x < b)                                                          \
			x += mem[(x + i##u) & 1023u] + (i##u & 7u) + 1u;                     \
		return x ? x ^ (i##u * 7u) : (uint32_t)i;                                \
	}
#define F10(i) F(i##0) F(i##1) F(i##2) F(i##3) F(i##4) F(i##5) F(i##6) F(i##7) F(i##8) F(i##9)
#define F100(i) F10(i##0) F10(i##1) F10(i##2) F10(i##3) F10(i##4) F10(i##5) F10(i##6) F10(i##7) F10(i##8) F10(i##9)

F100(1) F100(2) F100(3) F100(4) F100(5) F100(6) F100(7) F100(8) F100(9)
F100(10) F100(11) F100(12) F100(13) F100(14) F100(15) F100(16) F100(17) F100(18)

__attribute__((export_name("_start"))) void start(void);
void start(void) {}
