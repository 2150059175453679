/* Image entry. QEMU -bios none (and the board by default) start here in
 * M-mode with a0 = hart id, a1 = device tree. A firmware (the board's SBI
 * mode) starts here in S-mode with the same registers. Reading mhartid tells
 * the two apart: in S-mode it traps, and the trap lands on stvec. */
#include "arch/riscv/csr.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	la	t0, .Lstarted_in_s
	csrw	stvec, t0
	csrr	t1, mhartid
	/* M-mode: only hart 0 boots; QEMU virt has one hart unless -smp says more. */
	bnez	a0, .Lpark
	la	sp, boot_stack_top
	call	.Lclear_bss
	mv	a0, s0
	mv	a1, s1
	call	mmode_init
	/* mmode_init configured delegation, PMP and the timer: drop to S-mode. */
	la	t0, s_entry
	csrw	mepc, t0
	mv	a0, s0
	mv	a1, s1
	li	a2, 1
	mret

	.balign 4
.Lstarted_in_s:
	bnez	a0, .Lpark
	la	sp, boot_stack_top
	call	.Lclear_bss
	mv	a0, s0
	mv	a1, s1
	li	a2, 0
	j	s_entry

.Lpark:
	wfi
	j	.Lpark

/* Zeroes .bss; keeps a0/a1 in s0/s1 for the caller (nothing is live yet). */
.Lclear_bss:
	mv	s0, a0
	mv	s1, a1
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sw	zero, 0(t0)
	sw	zero, 4(t0)
	sw	zero, 8(t0)
	sw	zero, 12(t0)
	addi	t0, t0, 16
	j	1b
2:	ret

/* S-mode from here on: a0 = hart id, a1 = device tree, a2 = 1 when our own M-mode layer runs. */
	.globl s_entry
s_entry:
	la	sp, boot_stack_top
	mv	fp, zero
	call	kmain
	j	.Lpark

	.section .noclear.boot_stack, "aw", @nobits
	.balign 16
	.globl boot_stack_bottom
boot_stack_bottom:
	.space 16384
	.globl boot_stack_top
boot_stack_top:
