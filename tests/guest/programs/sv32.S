// The code page the Sv32 program maps at several virtual addresses with
// different permissions. Everything here is position independent, and the
// U-mode entry points leave through the run_in_mode exit call themselves,
// because U-mode cannot return into the (supervisor-only) identity mapping.
#include "runtime.h"

  .section .pages.sv32, "ax", @progbits
  .option push
  .option norvc
  .balign 4096
  .globl code_page
code_page:
// S-mode: u32 s_const(void)
  li a0, 0x5a5a
  ret
// U-mode: loads the word at a0
  .globl code_u_load
code_u_load:
  lw a0, 0(a0)
  li a7, MODE_EXIT_MAGIC
  ecall
// U-mode: stores 0x7777 at a0
  .globl code_u_store
code_u_store:
  li t0, 0x7777
  sw t0, 0(a0)
  li a7, MODE_EXIT_MAGIC
  ecall
// U-mode: calls a0 (a fetch fault resumes at ra, i.e. right after the call)
  .globl code_u_call
code_u_call:
  jalr ra, 0(a0)
  li a7, MODE_EXIT_MAGIC
  ecall
// U-mode: returns 0x1234
  .globl code_u_const
code_u_const:
  li a0, 0x1234
  li a7, MODE_EXIT_MAGIC
  ecall
  .balign 4096
  .option pop
