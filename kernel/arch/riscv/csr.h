/* RISC-V control and status registers used by the kernel (privileged spec 1.12). */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

#define SSTATUS_SIE   (1u << 1)
#define SSTATUS_SPIE  (1u << 5)
#define SSTATUS_SPP   (1u << 8)
#define SSTATUS_FS    (3u << 13)
#define SSTATUS_FS_INITIAL (1u << 13)
#define SSTATUS_FS_CLEAN   (2u << 13)
#define SSTATUS_FS_DIRTY   (3u << 13)
#define SSTATUS_SUM   (1u << 18)

#define MSTATUS_MIE   (1u << 3)
#define MSTATUS_MPIE  (1u << 7)
#define MSTATUS_MPP   (3u << 11)
#define MSTATUS_MPP_S (1u << 11)

#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9

#define MIP_SSIP (1u << IRQ_S_SOFT)
#define MIP_STIP (1u << IRQ_S_TIMER)
#define MIP_MTIP (1u << IRQ_M_TIMER)
#define MIP_SEIP (1u << IRQ_S_EXT)
#define SIE_STIE MIP_STIP
#define SIE_SEIE MIP_SEIP
#define SIE_SSIE MIP_SSIP
#define MIE_MTIE MIP_MTIP

#define CAUSE_INTERRUPT     0x80000000u
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS  1
#define CAUSE_ILLEGAL_INSN  2
#define CAUSE_BREAKPOINT    3
#define CAUSE_LOAD_MISALIGNED 4
#define CAUSE_LOAD_ACCESS   5
#define CAUSE_STORE_MISALIGNED 6
#define CAUSE_STORE_ACCESS  7
#define CAUSE_ECALL_U       8
#define CAUSE_ECALL_S       9
#define CAUSE_ECALL_M       11
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

#define SATP_MODE_SV32 (1u << 31)

#ifndef __ASSEMBLY__
#include <stdint.h>

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) ({ __asm__ volatile("csrw " #csr ", %0" :: "rK"(val) : "memory"); })
#define csr_set(csr, val) ({ __asm__ volatile("csrs " #csr ", %0" :: "rK"(val) : "memory"); })
#define csr_clear(csr, val) ({ __asm__ volatile("csrc " #csr ", %0" :: "rK"(val) : "memory"); })
#define csr_read_clear(csr, val) ({ uint32_t v_; __asm__ volatile("csrrc %0, " #csr ", %1" : "=r"(v_) : "rK"(val) : "memory"); v_; })

/* 64-bit counters on rv32: re-read the high half to catch a carry between the reads. */
static inline uint64_t rd_instret(void)
{
	uint32_t hi, lo, hi2;
	do {
		__asm__ volatile("rdinstreth %0" : "=r"(hi));
		__asm__ volatile("rdinstret %0" : "=r"(lo));
		__asm__ volatile("rdinstreth %0" : "=r"(hi2));
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rd_time(void)
{
	uint32_t hi, lo, hi2;
	do {
		__asm__ volatile("rdtimeh %0" : "=r"(hi));
		__asm__ volatile("rdtime %0" : "=r"(lo));
		__asm__ volatile("rdtimeh %0" : "=r"(hi2));
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

static inline void sfence_vma_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void sfence_vma_addr(uintptr_t va) { __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory"); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
#endif

#endif
