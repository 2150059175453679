# Entry of the 9P guest program: stack, zeroed .bss, a trap catcher, main.
  .option norelax
  .section .text.start, "ax"
  .globl _start
_start:
  la sp, _stack_top
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  la t0, on_trap
  csrw mtvec, t0
  call main
  # main returns the power-off command for the sifive_test device.
  li t0, 0x100000
  sw a0, 0(t0)
3:
  j 3b

# Any trap is a bug in this program: report it and fail.
  .balign 4
on_trap:
  csrr a0, mcause
  csrr a1, mepc
  call trap_report
  li t0, 0x100000
  li t1, 0x00013333
  sw t1, 0(t0)
4:
  j 4b
