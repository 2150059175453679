// RV32C: see rv32c.S for the instruction sequence; this prints its results
// and checks the reserved compressed encodings.
#include "runtime.h"

u32 rvc_run(u32 *out, u32 *scratch);

static const char *const NAMES[] = {
  "c.li -32", "c.li 31", "c.addi -32", "c.lui 1", "c.lui 0xfffe0", "c.lui 31", "c.mv+c.add",
  "c.li/addi/mv/add on t0,t1", "c.srli 31", "c.srai 17", "c.srai 1", "c.andi -32", "c.andi 13",
  "c.slli 31", "c.slli t0", "c.sub", "c.sub negative", "c.xor", "c.or", "c.and",
  "c.addi16sp -16 + c.addi4spn 16", "c.addi4spn 1020", "c.addi4spn 4", "c.addi16sp round trip",
  "c.swsp/c.lwsp 0", "c.lwsp 252", "lw 252", "c.sw/c.lw 124", "c.lw 0",
  "c.j skips", "c.jal link", "c.jalr link", "c.beqz taken", "c.beqz not taken", "c.bnez taken",
  "c.bnez not taken", "c.bnez loop", "after c.ebreak", "32-bit at 2 mod 4", "beq to 2 mod 4",
  "c.flwsp/c.fswsp", "c.flw/c.fsw", "fmv.x.w after c.flw", "c.fldsp/c.fsdsp lo", "c.fldsp/c.fsdsp hi",
  "c.fld/c.fsd lo", "c.fld/c.fsd hi", "feq.d", "page-straddling addi",
};

static const u32 WANT[] = {
  0xffffffe0, 31, 0xffffffff, 0x1000, 0xfffe0000, 0x1f000, 0xfffdffff, 32, 1, 0xffffffff, 0xffff0000,
  0xffffffe0, 1, 0x80000000, 48, 2, 0xfffffffe, 6, 14, 8, 0, 1020, 4, 0, 0x12345678, 0x9abcdef0,
  0x9abcdef0, 0xfffffffb, 0x12345678, 0, 0, 0, 0, 1, 0, 1, 10, 7, 0x45123, 8, 0x40490fdb,
  0x40490fdb, 0x40490fdb, 0x54442d18, 0x400921fb, 0x54442d18, 0x400921fb, 1, 0x800,
};

static u32 out[64];
static u32 scratch[64] __attribute__((aligned(8)));

int main(void) {
  csr_set(mstatus, 1u << 13);  // FS = Initial
  expect_traps();
  section("compressed");
  u32 n = rvc_run(out, scratch);
  check("results", n, sizeof WANT / sizeof WANT[0]);
  for (u32 i = 0; i < n && i < sizeof WANT / sizeof WANT[0]; i++) check(NAMES[i], out[i], WANT[i]);
  show_trap("c.ebreak");

  section("reserved encodings");
  __asm__ volatile(".2byte 0x0000");
  show_trap("c.unimp 0000");
  __asm__ volatile(".2byte 0x4002");
  show_trap("c.lwsp rd=0 4002");
  __asm__ volatile(".2byte 0x8002");
  show_trap("c.jr rs1=0 8002");
  __asm__ volatile(".2byte 0x6501");
  show_trap("c.lui imm=0 6501");
  __asm__ volatile(".2byte 0x6101");
  show_trap("c.addi16sp imm=0 6101");
  __asm__ volatile(".2byte 0x9c41");  // c.subw: RV64 only
  show_trap("c.subw 9c41");
  forbid_traps();
  return finish();
}
