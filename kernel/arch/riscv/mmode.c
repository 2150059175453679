/*
 * The kernel's minimal M-mode layer, in place of an SBI firmware (Debian ships
 * no rv32 OpenSBI). It delegates every exception and supervisor interrupt to
 * S-mode, opens all of memory to S-mode with one PMP entry, forwards the
 * machine timer as the supervisor timer, and answers the few SBI calls the
 * kernel makes (TIME, SRST, legacy console/timer/shutdown), so the S-mode
 * kernel is the same whether this layer or a real SBI sits below it.
 *
 * This code runs with paging off and must never be instrumented: the sanitizer
 * runtime lives in S-mode.
 */
#include <stdint.h>
#include "arch/riscv/csr.h"
#include "arch/riscv/sbi.h"

/* QEMU virt / the board: fixed addresses (the M-mode layer reads no device tree). */
#define CLINT_MTIMECMP 0x02004000u
#define UART0          0x10000000u
#define SIFIVE_TEST    0x00100000u

#define NO_SAN __attribute__((no_sanitize("undefined")))

struct mframe {
	uint32_t ra, t0, t1, t2, a0, a1, a2, a3, a4, a5, a6, a7, t3, t4, t5, t6;
};

extern char mtrap_entry[], mstack_top[];

static inline void mmio_w32(uint32_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }
static inline uint8_t mmio_r8(uint32_t addr) { return *(volatile uint8_t *)addr; }
static inline void mmio_w8(uint32_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }

NO_SAN static void m_putc(char c)
{
	while (!(mmio_r8(UART0 + 5) & 0x20))
		;
	mmio_w8(UART0, (uint8_t)c);
}

NO_SAN static void m_puts(const char *s)
{
	while (*s)
		m_putc(*s++);
}

NO_SAN static void m_puthex(uint32_t v)
{
	m_puts("0x");
	for (int i = 28; i >= 0; i -= 4)
		m_putc("0123456789abcdef"[(v >> i) & 15]);
}

NO_SAN static void m_set_timer(uint32_t lo, uint32_t hi)
{
	/* No spurious match while the halves are updated (privileged spec 3.2.1). */
	mmio_w32(CLINT_MTIMECMP + 4, 0xffffffffu);
	mmio_w32(CLINT_MTIMECMP, lo);
	mmio_w32(CLINT_MTIMECMP + 4, hi);
	csr_clear(mip, MIP_STIP);
	csr_set(mie, MIE_MTIE);
}

/* sifive_test: 0x5555 = pass, (code << 16) | 0x3333 = fail with an exit code. */
NO_SAN __attribute__((noreturn)) static void m_poweroff(uint32_t reason)
{
	uint32_t code = 0;
	if (reason == SBI_SRST_REASON_FAILURE)
		code = 1;
	else if (reason >= SBI_SRST_REASON_VENDOR)
		code = reason & 0xffff;
	mmio_w32(SIFIVE_TEST, code ? (code << 16) | 0x3333 : 0x5555);
	for (;;)
		wfi();
}

/* sifive_test: 0x7777 resets the board. */
NO_SAN __attribute__((noreturn)) static void m_reset(void)
{
	mmio_w32(SIFIVE_TEST, 0x7777);
	for (;;)
		wfi();
}

NO_SAN void mmode_init(uint32_t hartid, uint32_t fdt)
{
	(void)hartid;
	(void)fdt;
	csr_write(mtvec, (uint32_t)mtrap_entry);
	csr_write(mscratch, (uint32_t)mstack_top);
	/* Every exception except ECALL from S/M goes straight to the kernel. */
	csr_write(medeleg, 0xb1ffu);
	csr_write(mideleg, MIP_SSIP | MIP_STIP | MIP_SEIP);
	csr_write(mie, 0);
	/* One NAPOT entry covering the whole physical space: S-mode may touch anything. */
	csr_write(pmpaddr0, 0xffffffffu);
	csr_write(pmpcfg0, 0x1fu);
	csr_write(mcounteren, 7u);
	csr_write(satp, 0);
	mmio_w32(CLINT_MTIMECMP + 4, 0xffffffffu);
	mmio_w32(CLINT_MTIMECMP, 0xffffffffu);
	uint32_t ms = csr_read(mstatus);
	ms &= ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE | SSTATUS_FS);
	ms |= MSTATUS_MPP_S | SSTATUS_FS_INITIAL;
	csr_write(mstatus, ms);
}

NO_SAN static void m_sbi(struct mframe *f)
{
	uint32_t eid = f->a7, fid = f->a6;
	int32_t err = SBI_ERR_NOT_SUPPORTED;
	uint32_t val = 0;

	switch (eid) {
	case SBI_EID_LEGACY_SET_TIMER:
		m_set_timer(f->a0, f->a1);
		f->a0 = 0;
		return;
	case SBI_EID_LEGACY_PUTCHAR:
		m_putc((char)f->a0);
		f->a0 = 0;
		return;
	case SBI_EID_LEGACY_SHUTDOWN:
		m_poweroff(0);
	case SBI_EID_TIME:
		if (fid == 0) {
			m_set_timer(f->a0, f->a1);
			err = SBI_SUCCESS;
		}
		break;
	case SBI_EID_SRST:
		if (fid == 0) {
			if (f->a0 == SBI_SRST_SHUTDOWN)
				m_poweroff(f->a1);
			if (f->a0 == SBI_SRST_COLD_REBOOT || f->a0 == SBI_SRST_WARM_REBOOT)
				m_reset();
			err = -3; /* SBI_ERR_INVALID_PARAM: a reserved reset type */
		}
		break;
	case SBI_EID_BASE:
		err = SBI_SUCCESS;
		if (fid == 0)
			val = 0x01000000; /* spec v1.0 */
		else if (fid == 3)
			val = (f->a0 == SBI_EID_TIME || f->a0 == SBI_EID_SRST || f->a0 == SBI_EID_BASE);
		else if (fid == 1)
			val = 0x5761534f; /* implementation id "WaSO": the WasmOS M-mode layer */
		break;
	default:
		break;
	}
	f->a0 = (uint32_t)err;
	f->a1 = val;
}

NO_SAN void mtrap_handler(struct mframe *f)
{
	uint32_t cause = csr_read(mcause);
	if (cause == (CAUSE_INTERRUPT | IRQ_M_TIMER)) {
		/* Forward as the supervisor timer; the kernel re-arms through SBI TIME. */
		csr_clear(mie, MIE_MTIE);
		csr_set(mip, MIP_STIP);
		return;
	}
	if (cause == CAUSE_ECALL_S) {
		csr_write(mepc, csr_read(mepc) + 4);
		m_sbi(f);
		return;
	}
	/* Anything else is a kernel bug that happened in M-mode or was not delegated. */
	m_puts("\nM-mode trap: mcause=");
	m_puthex(cause);
	m_puts(" mepc=");
	m_puthex(csr_read(mepc));
	m_puts(" mtval=");
	m_puthex(csr_read(mtval));
	m_puts("\n");
	m_poweroff(SBI_SRST_REASON_FAILURE);
}
