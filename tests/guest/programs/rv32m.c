// RV32M: multiply, multiply-high in all three signednesses, divide and
// remainder, over edge values including division by zero and -2^31 / -1.
#include "runtime.h"

static const u32 V[10] = {
  0, 1, 0xffffffff, 2, 0xfffffff9, 0x7fffffff, 0x80000000, 0x80000001, 0x12345678, 0xfedcba98,
};

typedef u32 (*binop)(u32, u32);

#define RR(name)                                                             \
  static u32 op_##name(u32 a, u32 b) {                                       \
    u32 r;                                                                   \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));        \
    return r;                                                                \
  }
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)

static const struct { const char *name; binop fn; } OPS[] = {
  {"mul", op_mul}, {"mulh", op_mulh}, {"mulhsu", op_mulhsu}, {"mulhu", op_mulhu},
  {"div", op_div}, {"divu", op_divu}, {"rem", op_rem}, {"remu", op_remu},
};

int main(void) {
  section("table");
  for (unsigned k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
    for (int i = 0; i < 10; i++) {
      puts_(OPS[k].name);
      putch(' ');
      put_hex(V[i]);
      putch(':');
      for (int j = 0; j < 10; j++) {
        putch(' ');
        put_hex(OPS[k].fn(V[i], V[j]));
      }
      putch('\n');
    }
  }

  section("spec-defined corner cases");
  check("div 7 0", op_div(7, 0), 0xffffffff);
  check("divu 7 0", op_divu(7, 0), 0xffffffff);
  check("rem 7 0", op_rem(7, 0), 7);
  check("remu 7 0", op_remu(7, 0), 7);
  check("div -2^31 -1", op_div(0x80000000, 0xffffffff), 0x80000000);
  check("rem -2^31 -1", op_rem(0x80000000, 0xffffffff), 0);
  check("div -7 2", op_div(0xfffffff9, 2), 0xfffffffd);
  check("rem -7 2", op_rem(0xfffffff9, 2), 0xffffffff);
  check("rem 7 -2", op_rem(7, 0xfffffffe), 1);
  check("mulh -1 -1", op_mulh(0xffffffff, 0xffffffff), 0);
  check("mulhu -1 -1", op_mulhu(0xffffffff, 0xffffffff), 0xfffffffe);
  check("mulhsu -1 -1", op_mulhsu(0xffffffff, 0xffffffff), 0xffffffff);
  check("mulhsu 2 -1", op_mulhsu(2, 0xffffffff), 1);
  check("mulh -2^31 -2^31", op_mulh(0x80000000, 0x80000000), 0x40000000);
  check("mul -2^31 -1", op_mul(0x80000000, 0xffffffff), 0x80000000);

  // rd overlapping a source, and x0 as destination.
  u32 r = 6;
  __asm__ volatile("mul %0, %0, %0" : "+r"(r));
  check("mul rd=rs1=rs2", r, 36);
  __asm__ volatile("div x0, %1, %1\n\tmv %0, x0" : "=r"(r) : "r"(5));
  check("div to x0", r, 0);
  return finish();
}
