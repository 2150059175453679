# Entry of the rv32 test driver: stack, FPU on, bss cleared, main, power off.
  .section .text.init, "ax"
  .globl _start
_start:
  la sp, __stack_top
  li t0, 0x2000          # mstatus.FS = initial: enable the FPU
  csrs mstatus, t0
  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sw zero, 0(t0)
  addi t0, t0, 4
  j 1b
2:
  call main
  li t0, 0x100000        # sifive_test: 0x5555 = pass (power off)
  li t1, 0x5555
  sw t1, 0(t0)
3:
  j 3b

  .section .bss
  .balign 16
  .space 1024 * 1024
__stack_top:
