#include "arch/riscv/plic.h"

/* QEMU virt numbers PLIC contexts per hart as M, S: hart 0's S-mode is context 1. */
#define CTX 1
#define PRIORITY(irq) (base + 4 * (irq))
#define ENABLE(word) (base + 0x2000 + 0x80 * CTX + 4 * (word))
#define THRESHOLD (base + 0x200000 + 0x1000 * CTX)
#define CLAIM (base + 0x200000 + 0x1000 * CTX + 4)

static uint32_t base, ndev;

static inline void w32(uint32_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t r32(uint32_t a) { return *(volatile uint32_t *)a; }

void plic_init(uint32_t b, uint32_t n)
{
	base = b;
	ndev = n < PLIC_MAX_SOURCES ? n : PLIC_MAX_SOURCES - 1;
	for (uint32_t w = 0; w < PLIC_MAX_SOURCES / 32; w++)
		w32(ENABLE(w), 0);
	for (uint32_t i = 1; i <= ndev; i++)
		w32(PRIORITY(i), 1);
	w32(THRESHOLD, 0);
}

uint32_t plic_ndev(void) { return ndev; }

void plic_enable(uint32_t irq, int on)
{
	if (irq == 0 || irq > ndev)
		return;
	uint32_t v = r32(ENABLE(irq / 32));
	v = on ? v | (1u << (irq % 32)) : v & ~(1u << (irq % 32));
	w32(ENABLE(irq / 32), v);
}

uint32_t plic_claim(void) { return r32(CLAIM); }
void plic_complete(uint32_t irq) { w32(CLAIM, irq); }
