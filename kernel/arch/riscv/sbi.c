/* S-mode side of the SBI: the kernel's own M-mode layer or a real firmware answers. */
#include "arch/riscv/sbi.h"
#include "arch/riscv/csr.h"

static inline uint32_t sbi_call(uint32_t eid, uint32_t fid, uint32_t a0, uint32_t a1)
{
	register uint32_t r_a0 __asm__("a0") = a0;
	register uint32_t r_a1 __asm__("a1") = a1;
	register uint32_t r_a6 __asm__("a6") = fid;
	register uint32_t r_a7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a6), "r"(r_a7) : "memory");
	return r_a0;
}

void sbi_set_timer(uint64_t deadline)
{
	sbi_call(SBI_EID_TIME, 0, (uint32_t)deadline, (uint32_t)(deadline >> 32));
}

void sbi_reboot(void)
{
	sbi_call(SBI_EID_SRST, 0, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE);
}

void sbi_shutdown(uint32_t reason)
{
	sbi_call(SBI_EID_SRST, 0, SBI_SRST_SHUTDOWN, reason);
	/* A firmware without SRST: the legacy call, then give up quietly. */
	sbi_call(SBI_EID_LEGACY_SHUTDOWN, 0, 0, 0);
	for (;;)
		wfi();
}
