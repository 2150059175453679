# Entry, trap catcher and the vector runner of the FPU differential test.

  .section .text.start, "ax"
  .globl _start
_start:
  la sp, _stack_top
  li t0, 0x2000            # mstatus.FS = Initial, so FP instructions are legal
  csrs mstatus, t0
  la t0, on_trap
  csrw mtvec, t0
  call main
  j poweroff

  .globl poweroff
poweroff:
  li t0, 0x100000          # virt test device: 0x5555 = pass / power off
  li t1, 0x5555
  sw t1, 0(t0)
1: j 1b

# An illegal-instruction trap from the trampoline returns to run_vec as if the
# instruction had been skipped, and sets `trapped`; anything else is fatal.
  .balign 4
on_trap:
  addi sp, sp, -16
  sw t0, 0(sp)
  sw t1, 4(sp)
  csrr t0, mcause
  li t1, 2
  bne t0, t1, fatal
  la t0, tramp
  csrr t1, mepc
  bne t0, t1, fatal
  csrw mepc, ra
  la t0, trapped
  li t1, 1
  sw t1, 0(t0)
  lw t0, 0(sp)
  lw t1, 4(sp)
  addi sp, sp, 16
  mret
fatal:
  csrr a0, mcause
  csrr a1, mepc
  call trap_report
  j poweroff

# void run_vec(const struct vec *v, struct result *out, void (*tramp)(void))
# The instruction under test sits in the trampoline and uses fixed registers:
# rd f0 / t3 (x28), rs1 f1 / t4 (x29), rs2 f2, rs3 f3.
  .text
  .globl run_vec
run_vec:
  addi sp, sp, -16
  sw ra, 12(sp)
  lw t0, 4(a0)
  fsrm t0
  lw t4, 8(a0)
  lw t3, 12(a0)
  la t0, f0_sentinel
  fld f0, 0(t0)
  fld f1, 16(a0)
  fld f2, 24(a0)
  fld f3, 32(a0)
  fsflags zero
  jalr ra, 0(a2)
  frflags t0
  fsd f0, 0(a1)
  sw t3, 8(a1)
  sw t0, 12(a1)
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

  .section .rodata
  .balign 8
f0_sentinel:              # f0 before each vector: shows whether it was written
  .word 0x0badf00d, 0xdeadbeef
