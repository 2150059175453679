// RV32I: every ALU operation over a table of edge values, lui/auipc, every
// branch, jal/jalr, loads and stores of every width and sign, fences.
#include "runtime.h"

static const u32 V[8] = {0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x12345678, 0xfedcba98, 0x21};

typedef u32 (*binop)(u32, u32);

#define RR(name)                                                             \
  static u32 op_##name(u32 a, u32 b) {                                       \
    u32 r;                                                                   \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));        \
    return r;                                                                \
  }
RR(add) RR(sub) RR(sll) RR(slt) RR(sltu) RR(xor) RR(srl) RR(sra) RR(or) RR(and)

static const struct { const char *name; binop fn; } RR_OPS[] = {
  {"add", op_add}, {"sub", op_sub}, {"sll", op_sll}, {"slt", op_slt}, {"sltu", op_sltu},
  {"xor", op_xor}, {"srl", op_srl}, {"sra", op_sra}, {"or", op_or}, {"and", op_and},
};

// One function per (operation, immediate): the immediate is part of the encoding.
#define RI(name, tag, imm)                                                   \
  static u32 op_##name##_##tag(u32 a) {                                      \
    u32 r;                                                                   \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "i"(imm));      \
    return r;                                                                \
  }
#define RI_ALL(name)                                                         \
  RI(name, z, 0) RI(name, one, 1) RI(name, m1, -1) RI(name, max, 2047)       \
  RI(name, min, -2048) RI(name, pat, 0x555)
RI_ALL(addi) RI_ALL(slti) RI_ALL(sltiu) RI_ALL(xori) RI_ALL(ori) RI_ALL(andi)
#define SH_ALL(name) RI(name, 0, 0) RI(name, 1, 1) RI(name, 7, 7) RI(name, 31, 31)
SH_ALL(slli) SH_ALL(srli) SH_ALL(srai)

typedef u32 (*unop)(u32);
#define IMM_ROW(name)                                                        \
  {#name " 0", op_##name##_z}, {#name " 1", op_##name##_one},                \
  {#name " -1", op_##name##_m1}, {#name " 2047", op_##name##_max},           \
  {#name " -2048", op_##name##_min}, {#name " 0x555", op_##name##_pat}
#define SH_ROW(name)                                                         \
  {#name " 0", op_##name##_0}, {#name " 1", op_##name##_1},                  \
  {#name " 7", op_##name##_7}, {#name " 31", op_##name##_31}
static const struct { const char *name; unop fn; } RI_OPS[] = {
  IMM_ROW(addi), IMM_ROW(slti), IMM_ROW(sltiu), IMM_ROW(xori), IMM_ROW(ori), IMM_ROW(andi),
  SH_ROW(slli), SH_ROW(srli), SH_ROW(srai),
};

#define BR(name)                                                             \
  static u32 br_##name(u32 a, u32 b) {                                       \
    u32 r;                                                                   \
    __asm__ volatile("li %0, 1\n\t" #name " %1, %2, 1f\n\tli %0, 0\n1:"      \
                     : "=&r"(r) : "r"(a), "r"(b));                           \
    return r;                                                                \
  }
BR(beq) BR(bne) BR(blt) BR(bge) BR(bltu) BR(bgeu)
static const struct { const char *name; binop fn; } BR_OPS[] = {
  {"beq", br_beq}, {"bne", br_bne}, {"blt", br_blt}, {"bge", br_bge}, {"bltu", br_bltu}, {"bgeu", br_bgeu},
};

static void alu(void) {
  section("register-register");
  for (unsigned k = 0; k < sizeof RR_OPS / sizeof RR_OPS[0]; k++) {
    for (int i = 0; i < 8; i++) {
      puts_(RR_OPS[k].name);
      putch(' ');
      put_hex(V[i]);
      putch(':');
      for (int j = 0; j < 8; j++) {
        putch(' ');
        put_hex(RR_OPS[k].fn(V[i], V[j]));
      }
      putch('\n');
    }
  }
  section("register-immediate");
  for (unsigned k = 0; k < sizeof RI_OPS / sizeof RI_OPS[0]; k++) {
    puts_(RI_OPS[k].name);
    putch(':');
    for (int i = 0; i < 8; i++) {
      putch(' ');
      put_hex(RI_OPS[k].fn(V[i]));
    }
    putch('\n');
  }
  // A few results the spec pins down, so QEMU-free runs catch gross errors.
  check("sra 80000000 31", op_sra(0x80000000, 31), 0xffffffff);
  check("srl 80000000 31", op_srl(0x80000000, 31), 1);
  check("sll 1 shamt 33", op_sll(1, 33), 2);
  check("slt -1 1", op_slt(0xffffffff, 1), 1);
  check("sltu -1 1", op_sltu(0xffffffff, 1), 0);
  check("sub 0 80000000", op_sub(0, 0x80000000), 0x80000000);
  check("sltiu 0 -1", op_sltiu_m1(0), 1);
  check("srai 80000000 31", op_srai_31(0x80000000), 0xffffffff);
}

static void upper(void) {
  section("lui/auipc");
  u32 r;
  __asm__ volatile("lui %0, 0" : "=r"(r));
  show("lui 0", r);
  __asm__ volatile("lui %0, 1" : "=r"(r));
  show("lui 1", r);
  __asm__ volatile("lui %0, 0x80000" : "=r"(r));
  show("lui 0x80000", r);
  __asm__ volatile("lui %0, 0xfffff" : "=r"(r));
  show("lui 0xfffff", r);
  __asm__ volatile("lui %0, 0x12345" : "=r"(r));
  show("lui 0x12345", r);
  u32 a, b;
  // auipc relative to an auipc 0 right after it: independent of where the code sits.
  __asm__ volatile("auipc %0, 0x12345\n\tauipc %1, 0" : "=r"(a), "=r"(b));
  check("auipc 0x12345 - pc", a - (b - 4), 0x12345000);
  __asm__ volatile("auipc %0, 0xfffff\n\tauipc %1, 0" : "=r"(a), "=r"(b));
  check("auipc 0xfffff - pc", a - (b - 4), 0xfffff000);
  __asm__ volatile("auipc %0, 0x80000\n\tauipc %1, 0" : "=r"(a), "=r"(b));
  check("auipc 0x80000 - pc", a - (b - 4), 0x80000000);
  __asm__ volatile("auipc %0, 0" : "=r"(a));
  show("auipc 0 (absolute)", a >= 0x80000000 && a < 0x80100000);
  __asm__ volatile("addi x0, x0, 5\n\tmv %0, x0" : "=r"(r));
  check("x0 after addi x0", r, 0);
  __asm__ volatile("lui x0, 0x12345\n\tmv %0, x0" : "=r"(r));
  check("x0 after lui x0", r, 0);
}

static void branches(void) {
  section("branches");
  for (unsigned k = 0; k < sizeof BR_OPS / sizeof BR_OPS[0]; k++) {
    for (int i = 0; i < 8; i++) {
      puts_(BR_OPS[k].name);
      putch(' ');
      put_hex(V[i]);
      puts_(": ");
      for (int j = 0; j < 8; j++) putch((char)('0' + BR_OPS[k].fn(V[i], V[j])));
      putch('\n');
    }
  }
  // A backward branch that loops, and a long forward one over 3 KiB of code.
  u32 n;
  __asm__ volatile(
      "li %0, 0\n\tli t0, 10\n"
      "1: addi %0, %0, 3\n\taddi t0, t0, -1\n\tbnez t0, 1b"
      : "=&r"(n) : : "t0");
  check("backward loop", n, 30);
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "li %0, 1\n\tbeq x0, x0, 2f\n\t.fill 768, 4, 0x00000013\n\tli %0, 2\n"
      "2:\n\t.option pop"
      : "=&r"(n));
  check("long forward branch", n, 1);
}

static void jumps(void) {
  section("jal/jalr");
  u32 link, here, r;
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "jal t0, 1f\n\t.word 0\n1:\tauipc t1, 0\n\tmv %0, t0\n\tmv %1, t1\n\t.option pop"
      : "=r"(link), "=r"(here) : : "t0", "t1");
  check("jal link = pc+4", here - link, 4);
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "la t0, 1f\n\taddi t0, t0, -3\n\tli %0, 7\n\tjalr t1, 4(t0)\n\tli %0, 8\n"
      "1:\tsub %1, t0, t1\n\t.option pop"
      : "=&r"(r), "=r"(link) : : "t0", "t1");
  check("jalr to odd target lands on even", r, 7);
  check("jalr link distance", link, 1);
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "la t0, 1f\n\tjalr t0, 0(t0)\n\tli %0, 1\n\tj 2f\n1:\tauipc t1, 0\n\tsub %0, t1, t0\n2:\n\t.option pop"
      : "=&r"(r) : : "t0", "t1");
  check("jalr rd=rs1 uses old rs1", r, 8);
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "la t0, 2f\n\tjalr x0, -8(t0)\n\tli %0, 4\n\tj 3f\n"
      "1:\tli %0, 3\n\tj 3f\n2:\tli %0, 5\n3:\n\t.option pop"
      : "=&r"(r) : : "t0");
  check("jalr negative offset", r, 3);
  __asm__ volatile(
      ".option push\n\t.option norvc\n\t"
      "li %0, 0\n\tjal x0, 1f\n\tli %0, 9\n1:\n\t.option pop" : "=&r"(r));
  check("jal x0 skips", r, 0);
}

static uint8_t buf[32] __attribute__((aligned(16)));

#define LOAD(insn, off)                                                      \
  ({ u32 r_; __asm__ volatile(insn " %0, " #off "(%1)" : "=r"(r_) : "r"(buf + 8) : "memory"); r_; })

static void fill_buf(void) {
  for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(0x80 + i * 0x1d);
  buf[8] = 0x7f;
  buf[9] = 0xff;
  buf[10] = 0x00;
  buf[11] = 0x80;
}

static void memory(void) {
  section("loads");
  fill_buf();
  for (int i = 0; i < 32; i += 4) {
    puts_("buf ");
    put_dec((u32)i);
    putch(':');
    putch(' ');
    put_hex(*(volatile u32 *)(buf + i));
    putch('\n');
  }
  show("lb -8", LOAD("lb", -8));
  show("lb 0", LOAD("lb", 0));
  show("lb 1", LOAD("lb", 1));
  show("lb 2", LOAD("lb", 2));
  show("lb 3", LOAD("lb", 3));
  show("lbu 1", LOAD("lbu", 1));
  show("lbu 3", LOAD("lbu", 3));
  show("lbu -1", LOAD("lbu", -1));
  show("lh 0", LOAD("lh", 0));
  show("lh 2", LOAD("lh", 2));
  show("lh -2", LOAD("lh", -2));
  show("lhu 0", LOAD("lhu", 0));
  show("lhu 2", LOAD("lhu", 2));
  show("lhu 6", LOAD("lhu", 6));
  show("lw 0", LOAD("lw", 0));
  show("lw -8", LOAD("lw", -8));
  show("lw 20", LOAD("lw", 20));
  check("lb sign", LOAD("lb", 3), 0xffffff80);
  check("lhu zero-extends", LOAD("lhu", 2), 0x8000);

  section("stores");
  memset(buf, 0, sizeof buf);
  u32 v = 0xdeadbeef;
  __asm__ volatile("sb %0, 0(%1)\n\tsb %0, 5(%1)\n\tsb %0, -1(%1)" : : "r"(v), "r"(buf + 8) : "memory");
  __asm__ volatile("sh %0, 10(%1)\n\tsh %0, -6(%1)" : : "r"(v), "r"(buf + 8) : "memory");
  __asm__ volatile("sw %0, 12(%1)\n\tsw %0, -8(%1)" : : "r"(v), "r"(buf + 8) : "memory");
  __asm__ volatile("sw x0, 16(%0)\n\tsh x0, 20(%0)" : : "r"(buf + 4) : "memory");
  for (int i = 0; i < 32; i += 4) {
    puts_("buf ");
    put_dec((u32)i);
    putch(':');
    putch(' ');
    put_hex(*(volatile u32 *)(buf + i));
    putch('\n');
  }
  check("sb writes one byte", *(volatile u32 *)(buf + 8), 0x000000ef);
  check("sh writes two bytes", *(volatile u32 *)(buf + 16), 0xbeef0000);
}

static void fences(void) {
  section("fences");
  u32 r = 1;
  __asm__ volatile("fence\n\tfence rw, rw\n\tfence r, w\n\tfence iorw, iorw\n\tfence.tso\n\t"
                   ".word 0x0100000f\n\t"  // pause (a fence hint)
                   "nop\n\tfence.i\n\taddi %0, %0, 1"
                   : "+r"(r) : : "memory");
  check("fences execute as no-ops", r, 2);
}

int main(void) {
  alu();
  upper();
  branches();
  jumps();
  memory();
  fences();
  return finish();
}
