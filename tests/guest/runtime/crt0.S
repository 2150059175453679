// Entry, trap entries and privilege switching for the guest programs.
#include "runtime.h"
//
// QEMU virt with -bios none and the board both start here in M-mode with
// a0 = hart id and a1 = the device tree address.

#define FRAME 160          /* struct frame (37 words), rounded up to 16 bytes */
#define OFF_CAUSE 128
#define OFF_EPC 132
#define OFF_TVAL 136
#define OFF_STATUS 140
#define OFF_MODE 144

  .option norelax

  .section .text.init, "ax", @progbits
  .globl _start
_start:
  la sp, stack_top
  // Zero .bss before anything is stored there (it holds the stacks too).
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  la t0, boot_hartid
  sw a0, 0(t0)
  la t0, boot_fdt
  sw a1, 0(t0)
  // The reset values, before this runtime changes any of them.
  la t0, boot_csr
  csrr t1, mstatus
  sw t1, 0(t0)
  csrr t1, mtvec
  sw t1, 4(t0)
  csrr t1, mie
  sw t1, 8(t0)
  csrr t1, mip
  sw t1, 12(t0)
  csrr t1, medeleg
  sw t1, 16(t0)
  csrr t1, mideleg
  sw t1, 20(t0)
  csrr t1, mcounteren
  sw t1, 24(t0)
  csrr t1, satp
  sw t1, 28(t0)
  csrr t1, mscratch
  sw t1, 32(t0)
  csrr t1, stvec
  sw t1, 36(t0)
  csrr t1, scounteren
  sw t1, 40(t0)
  csrr t1, mepc
  sw t1, 44(t0)
  csrr t1, mcause
  sw t1, 48(t0)
  csrr t1, pmpcfg0
  sw t1, 52(t0)

  la t0, m_trap_entry
  csrw mtvec, t0
  la t0, m_trap_stack_top
  csrw mscratch, t0
  la t0, s_trap_entry
  csrw stvec, t0
  la t0, s_trap_stack_top
  csrw sscratch, t0
  call pmp_open_all
  call main
  tail exit_

// ---------------------------------------------------------------- M-mode traps

  .text
  .balign 64
  .globl m_trap_entry
m_trap_entry:
  csrrw sp, mscratch, sp
  addi sp, sp, -FRAME
  sw x1, 4(sp)
  sw x3, 12(sp)
  sw x4, 16(sp)
  sw x5, 20(sp)
  sw x6, 24(sp)
  sw x7, 28(sp)
  sw x8, 32(sp)
  sw x9, 36(sp)
  sw x10, 40(sp)
  sw x11, 44(sp)
  sw x12, 48(sp)
  sw x13, 52(sp)
  sw x14, 56(sp)
  sw x15, 60(sp)
  sw x16, 64(sp)
  sw x17, 68(sp)
  sw x18, 72(sp)
  sw x19, 76(sp)
  sw x20, 80(sp)
  sw x21, 84(sp)
  sw x22, 88(sp)
  sw x23, 92(sp)
  sw x24, 96(sp)
  sw x25, 100(sp)
  sw x26, 104(sp)
  sw x27, 108(sp)
  sw x28, 112(sp)
  sw x29, 116(sp)
  sw x30, 120(sp)
  sw x31, 124(sp)
  sw zero, 0(sp)
  csrr t0, mscratch
  sw t0, 8(sp)
  csrr t0, mcause
  sw t0, OFF_CAUSE(sp)
  csrr t0, mepc
  sw t0, OFF_EPC(sp)
  csrr t0, mtval
  sw t0, OFF_TVAL(sp)
  csrr t0, mstatus
  sw t0, OFF_STATUS(sp)
  li t0, 3
  sw t0, OFF_MODE(sp)
  mv a0, sp
  call m_trap_dispatch
  lw t0, OFF_EPC(sp)
  csrw mepc, t0
  lw x1, 4(sp)
  lw x3, 12(sp)
  lw x4, 16(sp)
  lw x5, 20(sp)
  lw x6, 24(sp)
  lw x7, 28(sp)
  lw x8, 32(sp)
  lw x9, 36(sp)
  lw x10, 40(sp)
  lw x11, 44(sp)
  lw x12, 48(sp)
  lw x13, 52(sp)
  lw x14, 56(sp)
  lw x15, 60(sp)
  lw x16, 64(sp)
  lw x17, 68(sp)
  lw x18, 72(sp)
  lw x19, 76(sp)
  lw x20, 80(sp)
  lw x21, 84(sp)
  lw x22, 88(sp)
  lw x23, 92(sp)
  lw x24, 96(sp)
  lw x25, 100(sp)
  lw x26, 104(sp)
  lw x27, 108(sp)
  lw x28, 112(sp)
  lw x29, 116(sp)
  lw x30, 120(sp)
  lw x31, 124(sp)
  addi sp, sp, FRAME
  csrrw sp, mscratch, sp
  mret

// ---------------------------------------------------------------- S-mode traps

  .balign 64
  .globl s_trap_entry
s_trap_entry:
  csrrw sp, sscratch, sp
  addi sp, sp, -FRAME
  sw x1, 4(sp)
  sw x3, 12(sp)
  sw x4, 16(sp)
  sw x5, 20(sp)
  sw x6, 24(sp)
  sw x7, 28(sp)
  sw x8, 32(sp)
  sw x9, 36(sp)
  sw x10, 40(sp)
  sw x11, 44(sp)
  sw x12, 48(sp)
  sw x13, 52(sp)
  sw x14, 56(sp)
  sw x15, 60(sp)
  sw x16, 64(sp)
  sw x17, 68(sp)
  sw x18, 72(sp)
  sw x19, 76(sp)
  sw x20, 80(sp)
  sw x21, 84(sp)
  sw x22, 88(sp)
  sw x23, 92(sp)
  sw x24, 96(sp)
  sw x25, 100(sp)
  sw x26, 104(sp)
  sw x27, 108(sp)
  sw x28, 112(sp)
  sw x29, 116(sp)
  sw x30, 120(sp)
  sw x31, 124(sp)
  sw zero, 0(sp)
  csrr t0, sscratch
  sw t0, 8(sp)
  csrr t0, scause
  sw t0, OFF_CAUSE(sp)
  csrr t0, sepc
  sw t0, OFF_EPC(sp)
  csrr t0, stval
  sw t0, OFF_TVAL(sp)
  csrr t0, sstatus
  sw t0, OFF_STATUS(sp)
  li t0, 1
  sw t0, OFF_MODE(sp)
  mv a0, sp
  call s_trap_dispatch
  lw t0, OFF_EPC(sp)
  csrw sepc, t0
  lw x1, 4(sp)
  lw x3, 12(sp)
  lw x4, 16(sp)
  lw x5, 20(sp)
  lw x6, 24(sp)
  lw x7, 28(sp)
  lw x8, 32(sp)
  lw x9, 36(sp)
  lw x10, 40(sp)
  lw x11, 44(sp)
  lw x12, 48(sp)
  lw x13, 52(sp)
  lw x14, 56(sp)
  lw x15, 60(sp)
  lw x16, 64(sp)
  lw x17, 68(sp)
  lw x18, 72(sp)
  lw x19, 76(sp)
  lw x20, 80(sp)
  lw x21, 84(sp)
  lw x22, 88(sp)
  lw x23, 92(sp)
  lw x24, 96(sp)
  lw x25, 100(sp)
  lw x26, 104(sp)
  lw x27, 108(sp)
  lw x28, 112(sp)
  lw x29, 116(sp)
  lw x30, 120(sp)
  lw x31, 124(sp)
  addi sp, sp, FRAME
  csrrw sp, sscratch, sp
  sret

// ---------------------------------------------------------------- privilege switching

// u32 run_in_mode(u32 mode, u32 (*fn)(u32), u32 arg)
  .globl run_in_mode
run_in_mode:
  la t0, mode_ctx
  sw ra, 0(t0)
  sw sp, 4(t0)
  sw s0, 8(t0)
  sw s1, 12(t0)
  sw s2, 16(t0)
  sw s3, 20(t0)
  sw s4, 24(t0)
  sw s5, 28(t0)
  sw s6, 32(t0)
  sw s7, 36(t0)
  sw s8, 40(t0)
  sw s9, 44(t0)
  sw s10, 48(t0)
  sw s11, 52(t0)
  li t1, 0x1880          // MPP | MPIE
  csrc mstatus, t1
  slli t2, a0, 11
  csrs mstatus, t2
  csrw mepc, a1
  mv a0, a2
  la ra, mode_exit
  mret

// Where the callee returns, still in its own privilege: ask M-mode to take over.
  .globl mode_exit
mode_exit:
  li a7, MODE_EXIT_MAGIC
  ecall
  j mode_exit

// void mode_return(u32 value): back in M-mode, returns `value` from run_in_mode.
  .globl mode_return
mode_return:
  la t0, mode_ctx
  lw ra, 0(t0)
  lw sp, 4(t0)
  lw s0, 8(t0)
  lw s1, 12(t0)
  lw s2, 16(t0)
  lw s3, 20(t0)
  lw s4, 24(t0)
  lw s5, 28(t0)
  lw s6, 32(t0)
  lw s7, 36(t0)
  lw s8, 40(t0)
  lw s9, 44(t0)
  lw s10, 48(t0)
  lw s11, 52(t0)
  ret

// Hands a U-mode exit request on from S-mode (called by the S-mode dispatcher).
  .globl s_forward_exit
s_forward_exit:
  li a7, MODE_EXIT_MAGIC
  ecall
  j s_forward_exit

  .bss
  .balign 16
mode_ctx:
  .space 64
  .globl boot_csr
boot_csr:
  .space 64
  .balign 16
  .space 16384
  .globl stack_top
stack_top:
  .space 4096
  .globl m_trap_stack_top
m_trap_stack_top:
  .space 4096
  .globl s_trap_stack_top
s_trap_stack_top:
