/* The SBI calls the S-mode kernel makes (SBI spec v2.0 numbering). */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

#include <stdint.h>

#define SBI_EID_LEGACY_SET_TIMER 0x00
#define SBI_EID_LEGACY_PUTCHAR   0x01
#define SBI_EID_LEGACY_SHUTDOWN  0x08
#define SBI_EID_BASE 0x10
#define SBI_EID_TIME 0x54494d45
#define SBI_EID_SRST 0x53525354

#define SBI_SUCCESS 0
#define SBI_ERR_NOT_SUPPORTED (-2)

#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1
#define SBI_SRST_WARM_REBOOT 2
#define SBI_SRST_REASON_NONE    0u
#define SBI_SRST_REASON_FAILURE 1u
/* Vendor reasons: the low 16 bits become the sifive_test exit code. */
#define SBI_SRST_REASON_VENDOR  0xf0000000u

void sbi_set_timer(uint64_t deadline);
__attribute__((noreturn)) void sbi_shutdown(uint32_t reason);
/* Resets the machine (SRST cold reboot). Returns only when the firmware cannot. */
void sbi_reboot(void);

#endif
