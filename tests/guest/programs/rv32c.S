// Every RV32C instruction (integer and FP forms), written with explicit c.*
// mnemonics so the assembler cannot choose, plus 32-bit code at 2-byte
// aligned addresses and an instruction that straddles a page boundary.
//
// u32 rvc_run(u32 *out, u32 *scratch): scratch is 256 bytes, 8-aligned; each
// result is appended to out; returns the number of results. Needs mstatus.FS
// on and an M-mode hook that skips c.ebreak.

// Appends a prime register (x8..x15) to the output.
#define OUT(r) c.sw r, 0(s0); c.addi s0, 4

  .text
  .option push
  .option rvc
  .option norelax
  .globl rvc_run
  .balign 4
rvc_run:
  addi sp, sp, -16
  sw s0, 12(sp)
  sw s1, 8(sp)
  sw ra, 4(sp)
  mv t6, sp
  mv s0, a0
  mv t5, a0
  mv sp, a1              // the c.*sp forms address the scratch area

  // c.li, c.addi, c.lui, c.mv, c.add
  c.li a2, -32
  OUT(a2)
  c.li a3, 31
  OUT(a3)
  c.addi a3, -32
  OUT(a3)
  c.lui a4, 1
  OUT(a4)
  c.lui a4, 0xfffe0
  OUT(a4)
  c.lui a5, 31
  OUT(a5)
  c.mv a5, a4
  c.add a5, a3
  OUT(a5)
  c.li t0, 7             // c.li/c.addi/c.mv/c.add on non-prime registers
  c.addi t0, 9
  c.mv t1, t0
  c.add t1, t0
  c.mv a2, t1
  OUT(a2)

  // c.srli, c.srai, c.andi, c.slli
  c.mv a2, a4
  c.srli a2, 31
  OUT(a2)
  c.mv a2, a4
  c.srai a2, 17
  OUT(a2)
  c.mv a2, a4
  c.srai a2, 1
  OUT(a2)
  c.li a2, -1
  c.andi a2, -32
  OUT(a2)
  c.li a2, 19
  c.andi a2, 13
  OUT(a2)
  c.li a2, 1
  c.slli a2, 31
  OUT(a2)
  c.li t0, 3
  c.slli t0, 4
  c.mv a2, t0
  OUT(a2)

  // c.sub, c.xor, c.or, c.and
  c.li a2, 12
  c.li a3, 10
  c.mv a4, a2
  c.sub a4, a3
  OUT(a4)
  c.mv a4, a3
  c.sub a4, a2
  OUT(a4)
  c.mv a4, a2
  c.xor a4, a3
  OUT(a4)
  c.mv a4, a2
  c.or a4, a3
  OUT(a4)
  c.mv a4, a2
  c.and a4, a3
  OUT(a4)

  // c.addi16sp and c.addi4spn
  mv a2, sp
  c.addi16sp sp, -16
  c.addi4spn a3, sp, 16
  sub a3, a3, a2
  OUT(a3)
  c.addi16sp sp, 16
  c.addi4spn a4, sp, 1020
  sub a4, a4, a2
  OUT(a4)
  c.addi4spn a4, sp, 4
  sub a4, a4, a2
  OUT(a4)
  c.addi16sp sp, 496
  c.addi16sp sp, -512
  c.addi16sp sp, 16
  sub a5, sp, a2
  OUT(a5)

  // c.swsp, c.lwsp
  li t0, 0x12345678
  c.swsp t0, 0(sp)
  c.lwsp t1, 0(sp)
  c.mv a2, t1
  OUT(a2)
  li t0, 0x9abcdef0
  c.swsp t0, 252(sp)
  c.lwsp a3, 252(sp)
  OUT(a3)
  lw a3, 252(sp)
  OUT(a3)

  // c.lw, c.sw with offsets off a prime base register
  c.mv s1, sp
  c.li a4, -5
  c.sw a4, 124(s1)
  c.lw a5, 124(s1)
  OUT(a5)
  c.lw a5, 0(s1)
  OUT(a5)

  // c.j, c.jal, c.jr, c.jalr, c.beqz, c.bnez
  c.li a2, 0
  c.j 1f
  c.li a2, 1
1:
  OUT(a2)
  c.jal 2f
4:
  c.j 3f
2:
  c.mv a3, ra
  c.jr ra
3:
  la a4, 4b
  sub a3, a3, a4
  OUT(a3)
  la t0, 5f
  c.jalr t0
6:
  c.j 7f
5:
  c.mv a3, ra
  c.jr ra
7:
  la a4, 6b
  sub a3, a3, a4
  OUT(a3)
  c.li a2, 0
  c.li a3, 0
  c.beqz a2, 8f
  c.li a3, 1
8:
  OUT(a3)
  c.li a2, 5
  c.li a3, 0
  c.beqz a2, 9f
  c.li a3, 1
9:
  OUT(a3)
  c.li a3, 0
  c.bnez a2, 10f
  c.li a3, 1
10:
  OUT(a3)
  c.li a2, 0
  c.li a3, 0
  c.bnez a2, 11f
  c.li a3, 1
11:
  OUT(a3)
  c.li a2, 5
  c.li a3, 0
12:
  c.addi a3, 2
  c.addi a2, -1
  c.bnez a2, 12b
  OUT(a3)

  // c.nop; c.ebreak traps (cause 3) and the hook resumes 2 bytes on
  c.nop
  c.li a2, 3
  c.ebreak
  c.addi a2, 4
  OUT(a2)

  // 32-bit instructions at addresses that are 2 mod 4, and a 32-bit branch
  // to a 2 mod 4 target
  .balign 4
  c.nop
  .option push
  .option norvc
  addi a2, zero, 0x123
  lui a3, 0x45
  add a2, a2, a3
  .option pop
  OUT(a2)
  .balign 4
  c.li a3, 0
  .option push
  .option norvc
  beq zero, zero, 13f
  .option pop
  c.li a3, 1
  c.nop
  .balign 4
  c.nop
13:
  c.addi a3, 8
  OUT(a3)

  // FP forms: c.flwsp, c.fswsp, c.flw, c.fsw, c.fldsp, c.fsdsp, c.fld, c.fsd
  li t0, 0x40490fdb
  c.swsp t0, 8(sp)
  c.flwsp fa0, 8(sp)
  c.fswsp fa0, 12(sp)
  c.lwsp a2, 12(sp)
  OUT(a2)
  c.flw fa1, 8(s1)
  c.fsw fa1, 16(s1)
  c.lw a2, 16(s1)
  OUT(a2)
  fmv.x.w a2, fa1
  OUT(a2)
  li t0, 0x54442d18
  c.swsp t0, 24(sp)
  li t0, 0x400921fb
  c.swsp t0, 28(sp)
  c.fldsp fa2, 24(sp)
  c.fsdsp fa2, 32(sp)
  c.lwsp a2, 32(sp)
  OUT(a2)
  c.lwsp a2, 36(sp)
  OUT(a2)
  c.fld fa3, 24(s1)
  c.fsd fa3, 40(s1)
  c.lw a2, 40(s1)
  OUT(a2)
  c.lw a2, 44(s1)
  OUT(a2)
  feq.d a2, fa2, fa3
  OUT(a2)

  // The page-straddling function
  call rvc_cross
  c.mv a2, a0
  OUT(a2)

  sub a0, s0, t5
  srli a0, a0, 2
  mv sp, t6
  lw s0, 12(sp)
  lw s1, 8(sp)
  lw ra, 4(sp)
  addi sp, sp, 16
  ret

// A function whose 32-bit addi starts 2 bytes before a page boundary.
  .section .pages.rvc, "ax", @progbits
  .balign 4096
  .skip 4096 - 6
rvc_cross:
  c.li a0, 0
  c.nop
  addi a0, a0, 0x7ff
  c.addi a0, 1
  c.jr ra
  .option pop
