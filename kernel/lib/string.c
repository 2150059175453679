#include "lib/string.h"
#include <stdint.h>

/* Words that may alias any object (the copies below move bytes of any type). */
typedef uint32_t __attribute__((may_alias)) word_t;

/*
 * IPC, DMA copies and Wasm's memory.copy come through here, often with the two
 * pointers at different offsets within a word (a TCP payload sits 2 bytes into
 * a word of its frame). The destination is written a word at a time; when the
 * source is offset, its words are read aligned and merged with shifts
 * (little-endian), so no access is misaligned and no byte loop runs.
 */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (n >= 8) {
		while ((uintptr_t)d & 3) {
			*d++ = *s++;
			n--;
		}
		word_t *dw = (word_t *)d;
		uint32_t off = (uintptr_t)s & 3;
		if (off == 0) {
			const word_t *sw = (const word_t *)s;
			for (; n >= 16; n -= 16, dw += 4, sw += 4) {
				uint32_t a = sw[0], b = sw[1], c = sw[2], e = sw[3];
				dw[0] = a;
				dw[1] = b;
				dw[2] = c;
				dw[3] = e;
			}
			for (; n >= 4; n -= 4)
				*dw++ = *sw++;
			s = (const uint8_t *)sw;
		} else {
			/* Every word read holds at least one byte that is copied. */
			const word_t *sw = (const word_t *)(s - off);
			uint32_t lo = off * 8, hi = 32 - lo;
			uint32_t w = *sw++;
			for (; n >= 4; n -= 4) {
				uint32_t next = *sw++;
				*dw++ = (w >> lo) | (next << hi);
				w = next;
			}
			s = (const uint8_t *)sw - 4 + off;
		}
		d = (uint8_t *)dw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	/* Overlapping with the destination above: downwards, by words when both ends allow. */
	d += n;
	s += n;
	if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
		for (; n >= 4; n -= 4) {
			d -= 4;
			s -= 4;
			*(word_t *)d = *(const word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint8_t b = (uint8_t)c;
	while (n && ((uintptr_t)d & 3)) {
		*d++ = b;
		n--;
	}
	uint32_t w = b * 0x01010101u;
	uint32_t *dw = (uint32_t *)d;
	while (n >= 16) {
		dw[0] = w;
		dw[1] = w;
		dw[2] = w;
		dw[3] = w;
		dw += 4;
		n -= 16;
	}
	while (n >= 4) {
		*dw++ = w;
		n -= 4;
	}
	d = (uint8_t *)dw;
	while (n--)
		*d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i])
			return (unsigned char)a[i] - (unsigned char)b[i];
	}
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return 0;
	}
}
