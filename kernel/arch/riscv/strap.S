/*
 * S-mode trap entry. There is no user mode: every trap arrives on the stack of
 * the task (or boot thread) that was running, and the frame stays there, so a
 * trap handler that switches tasks just switches stacks with the frame on it.
 *
 * Stack overflow: before pushing the frame, sp is checked against the current
 * task's stack_limit (tp points at the task; stack_limit is its first field).
 * A task that ran into its guard page faults with sp below the limit and is
 * handled on a separate emergency stack, since its own stack is unusable.
 */
#define FRAME 144

	.section .text
	.balign 4
	.globl strap_entry
strap_entry:
	csrw	sscratch, t0
	lw	t0, 0(tp)
	addi	sp, sp, -FRAME
	bltu	sp, t0, .Loverflow
	sw	x1, 4(sp)
	sw	x3, 12(sp)
	sw	x6, 24(sp)
	sw	x7, 28(sp)
	sw	x8, 32(sp)
	sw	x9, 36(sp)
	sw	x10, 40(sp)
	sw	x11, 44(sp)
	sw	x12, 48(sp)
	sw	x13, 52(sp)
	sw	x14, 56(sp)
	sw	x15, 60(sp)
	sw	x16, 64(sp)
	sw	x17, 68(sp)
	sw	x18, 72(sp)
	sw	x19, 76(sp)
	sw	x20, 80(sp)
	sw	x21, 84(sp)
	sw	x22, 88(sp)
	sw	x23, 92(sp)
	sw	x24, 96(sp)
	sw	x25, 100(sp)
	sw	x26, 104(sp)
	sw	x27, 108(sp)
	sw	x28, 112(sp)
	sw	x29, 116(sp)
	sw	x30, 120(sp)
	sw	x31, 124(sp)
	csrr	t0, sscratch
	sw	t0, 20(sp)
	addi	t0, sp, FRAME
	sw	t0, 8(sp)
	csrr	t0, sepc
	sw	t0, 128(sp)
	csrr	t0, sstatus
	sw	t0, 132(sp)
	csrr	t0, scause
	sw	t0, 136(sp)
	csrr	t0, stval
	sw	t0, 140(sp)
	mv	a0, sp
	call	trap_handler
	lw	t0, 128(sp)
	csrw	sepc, t0
	lw	t0, 132(sp)
	csrw	sstatus, t0
	lw	x1, 4(sp)
	lw	x3, 12(sp)
	lw	x5, 20(sp)
	lw	x6, 24(sp)
	lw	x7, 28(sp)
	lw	x8, 32(sp)
	lw	x9, 36(sp)
	lw	x10, 40(sp)
	lw	x11, 44(sp)
	lw	x12, 48(sp)
	lw	x13, 52(sp)
	lw	x14, 56(sp)
	lw	x15, 60(sp)
	lw	x16, 64(sp)
	lw	x17, 68(sp)
	lw	x18, 72(sp)
	lw	x19, 76(sp)
	lw	x20, 80(sp)
	lw	x21, 84(sp)
	lw	x22, 88(sp)
	lw	x23, 92(sp)
	lw	x24, 96(sp)
	lw	x25, 100(sp)
	lw	x26, 104(sp)
	lw	x27, 108(sp)
	lw	x28, 112(sp)
	lw	x29, 116(sp)
	lw	x30, 120(sp)
	lw	x31, 124(sp)
	lw	sp, 8(sp)
	sret

.Loverflow:
	addi	a3, sp, FRAME
	la	sp, emergency_stack_top
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	csrr	a4, sstatus
	call	trap_stack_overflow
1:	j	1b

	.section .noclear.emergency_stack, "aw", @nobits
	.balign 16
emergency_stack_bottom:
	.space 4096
	.globl emergency_stack_top
emergency_stack_top:
