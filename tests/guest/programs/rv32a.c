// RV32A: lr/sc in their well-defined cases, every amo*.w with every aq/rl
// combination, and the traps of misaligned atomics.
#include "runtime.h"

static volatile u32 mem[8] __attribute__((aligned(16)));

static const u32 A[4] = {0x00000005, 0xfffffffe, 0x80000000, 0x7fffffff};
static const u32 B[4] = {0xfffffffb, 0x00000003, 0x7fffffff, 0x80000000};

typedef u32 (*amo_fn)(volatile u32 *addr, u32 v);

// Token pasting cannot take ".aq", so the variants get their own names.
#define AMO_V(name, tag, sfx)                                                \
  static u32 amo_##name##_##tag(volatile u32 *addr, u32 v) {                 \
    u32 old;                                                                 \
    __asm__ volatile(#name ".w" sfx " %0, %2, (%1)"                           \
                     : "=r"(old) : "r"(addr), "r"(v) : "memory");            \
    return old;                                                              \
  }
#define AMO_ALL(name)                                                        \
  AMO_V(name, plain, "") AMO_V(name, aq, ".aq") AMO_V(name, rl, ".rl") AMO_V(name, aqrl, ".aqrl")
AMO_ALL(amoswap) AMO_ALL(amoadd) AMO_ALL(amoxor) AMO_ALL(amoand) AMO_ALL(amoor)
AMO_ALL(amomin) AMO_ALL(amomax) AMO_ALL(amominu) AMO_ALL(amomaxu)

#define ROW(name)                                                            \
  {#name, amo_##name##_plain}, {#name ".aq", amo_##name##_aq},               \
  {#name ".rl", amo_##name##_rl}, {#name ".aqrl", amo_##name##_aqrl}
static const struct { const char *name; amo_fn fn; } AMOS[] = {
  ROW(amoswap), ROW(amoadd), ROW(amoxor), ROW(amoand), ROW(amoor),
  ROW(amomin), ROW(amomax), ROW(amominu), ROW(amomaxu),
};

static void amos(void) {
  section("amo");
  for (unsigned k = 0; k < sizeof AMOS / sizeof AMOS[0]; k++) {
    puts_(AMOS[k].name);
    putch(':');
    for (int i = 0; i < 4; i++) {
      mem[1] = A[i];
      u32 old = AMOS[k].fn(&mem[1], B[i]);
      putch(' ');
      put_hex(old);
      putch('/');
      put_hex(mem[1]);
    }
    putch('\n');
  }
  mem[0] = 10;
  mem[1] = 20;
  mem[2] = 30;
  u32 r;
  __asm__ volatile("amoadd.w x0, %1, (%0)" : : "r"(&mem[1]), "r"(5) : "memory");
  check("amoadd to x0 still writes", mem[1], 25);
  r = 7;
  __asm__ volatile("amoswap.w %0, %0, (%1)" : "+r"(r) : "r"(&mem[2]) : "memory");
  check("amoswap rd=rs2: old value", r, 30);
  check("amoswap rd=rs2: memory", mem[2], 7);
  check("neighbours untouched", mem[0] + mem[3], 10);
  mem[4] = 1;
  check("amominu 1 -1: old", amo_amominu_plain(&mem[4], 0xffffffff), 1);
  check("amominu 1 -1: memory", mem[4], 1);
  check("amomin 1 -1: old", amo_amomin_plain(&mem[4], 0xffffffff), 1);
  check("amomin 1 -1: memory", mem[4], 0xffffffff);
}

static u32 lr(volatile u32 *a) {
  u32 v;
  __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(a) : "memory");
  return v;
}

static u32 sc(volatile u32 *a, u32 v) {
  u32 fail;
  __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(fail) : "r"(a), "r"(v) : "memory");
  return fail;
}

static void lrsc(void) {
  section("lr/sc");
  mem[0] = 0x1111;
  show("lr value", lr(&mem[0]));
  check("sc after lr: success", sc(&mem[0], 0x2222), 0);
  check("memory after sc", mem[0], 0x2222);
  check("second sc without lr fails", sc(&mem[0], 0x3333) != 0, 1);
  check("memory after failed sc", mem[0], 0x2222);
  mem[1] = 0x77;
  lr(&mem[0]);
  check("sc to another address fails", sc(&mem[1], 0x4444) != 0, 1);
  check("other word unchanged", mem[1], 0x77);
  check("then sc to the reserved address fails too", sc(&mem[0], 0x5555) != 0, 1);
  check("memory", mem[0], 0x2222);
  u32 v, f;
  __asm__ volatile("lr.w.aq %0, (%2)\n\taddi %0, %0, 1\n\tsc.w.rl %1, %0, (%2)"
                   : "=&r"(v), "=&r"(f) : "r"(&mem[0]) : "memory");
  check("lr.aq/sc.rl increment", f, 0);
  check("incremented", mem[0], 0x2223);
  __asm__ volatile("lr.w.aqrl %0, (%2)\n\tsc.w.aqrl %1, x0, (%2)"
                   : "=&r"(v), "=&r"(f) : "r"(&mem[0]) : "memory");
  check("sc.aqrl of x0", f, 0);
  check("stored zero", mem[0], 0);
  // A loop that retries until it succeeds, as real code does.
  mem[3] = 40;
  for (int i = 0; i < 3; i++) {
    __asm__ volatile("1: lr.w %0, (%2)\n\taddi %0, %0, 2\n\tsc.w %1, %0, (%2)\n\tbnez %1, 1b"
                     : "=&r"(v), "=&r"(f) : "r"(&mem[3]) : "memory");
  }
  check("lr/sc loop", mem[3], 46);
}

static void misaligned(void) {
  section("misaligned atomics");
  expect_traps();
  volatile uint8_t *base = (volatile uint8_t *)mem;
  mem[1] = 0xaaaaaaaa;
  mem[2] = 0xbbbbbbbb;
  amo_amoadd_plain((volatile u32 *)(base + 5), 1);
  show_trap("amoadd.w at +1");
  amo_amoswap_aqrl((volatile u32 *)(base + 6), 1);
  show_trap("amoswap.w.aqrl at +2");
  amo_amomaxu_plain((volatile u32 *)(base + 7), 1);
  show_trap("amomaxu.w at +3");
  lr((volatile u32 *)(base + 6));
  show_trap("lr.w at +2");
  show("sc.w at +1 without reservation: result", sc((volatile u32 *)(base + 5), 1));
  show_trap("sc.w at +1 without reservation");
  check("memory untouched", mem[1] ^ mem[2], 0xaaaaaaaa ^ 0xbbbbbbbb);
  forbid_traps();
}

int main(void) {
  amos();
  lrsc();
  misaligned();
  return finish();
}
