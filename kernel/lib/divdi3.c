/* 64-bit division helpers the compiler calls on rv32 (no libgcc/compiler-rt here). */
#include <stdint.h>

static uint64_t udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	if (d == 0) {
		/* Never reached from correct code; keeps a bug from hanging the kernel. */
		if (rem)
			*rem = n;
		return ~0ull;
	}
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		uint32_t q = (uint32_t)n / (uint32_t)d;
		if (rem)
			*rem = (uint32_t)n - q * (uint32_t)d;
		return q;
	}
	uint64_t q = 0, r = 0;
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= 1ull << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivdi3(uint64_t n, uint64_t d) { return udivmod64(n, d, 0); }

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	udivmod64(n, d, &r);
	return r;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	int neg = (n < 0) != (d < 0);
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t q = udivmod64(un, ud, 0);
	return neg ? -(int64_t)q : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t r;
	udivmod64(un, ud, &r);
	return n < 0 ? -(int64_t)r : (int64_t)r;
}
