// Code the smc program rewrites, and the instruction templates it writes.
#include "runtime.h"

  .section .pages.smc, "awx", @progbits
  .option push
  .option norvc
  .balign 4096
  .globl smc_page
smc_page:

// u32 smc_ret(void): returns the immediate of its first instruction.
  .globl smc_ret
smc_ret:
  addi a0, zero, 1
  ret

// u32 smc_inline(u32 new_insn): overwrites an instruction a few words ahead
// in the same straight-line run, then executes it.
  .globl smc_inline
smc_inline:
  la t0, 1f
  mv t1, a0
  li a0, 0
  sw t1, 0(t0)
  fence.i
1:
  addi a0, a0, 1
  ret

// u32 smc_mixed(void): a 32-bit slot the program replaces with two 16-bit
// instructions and back.
  .globl smc_mixed
smc_mixed:
  addi a0, zero, 7
  ret

// u32 smc_loop(void): the program rewrites its constant between calls.
  .globl smc_loop
smc_loop:
  addi a0, zero, 0
  addi a0, a0, 5
  ret
  .option pop

  .balign 4096
  .globl smc_page_end
smc_page_end:

  .section .rodata.smc, "a", @progbits
  .option push
  .option norvc
  .balign 4
  .globl tmpl_li2
tmpl_li2:
  addi a0, zero, 2
  .globl tmpl_add100
tmpl_add100:
  addi a0, a0, 100
  .globl tmpl_li0
tmpl_li0:
  addi a0, zero, 0
  .globl tmpl_li7
tmpl_li7:
  addi a0, zero, 7
  // A copy-and-run function: returns 0x12345.
  .globl tmpl_fn
tmpl_fn:
  lui a0, 0x12
  addi a0, a0, 0x345
  ret
  .globl tmpl_fn_end
tmpl_fn_end:
  .option pop
  .option push
  .option rvc
  .balign 4
  .globl tmpl_c_pair
tmpl_c_pair:
  c.li a0, 9
  c.addi a0, 1
  .option pop
