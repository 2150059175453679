// Sv32: page tables built here, S- and U-mode running translated. Permission
// faults and their stval, SUM, MXR, A/D updates (QEMU 7.2 sets A and D in the
// PTE instead of faulting), superpages incl. a misaligned one, sfence.vma
// after a PTE change, reserved encodings, MPRV, and misaligned accesses that
// cross into another page.
#include "runtime.h"

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_G 0x20u
#define PTE_A 0x40u
#define PTE_D 0x80u

#define PTE(pa, flags) ((((u32)(pa) >> 12) << 10) | (flags))

static volatile u32 root[1024] __attribute__((aligned(4096)));
static volatile u32 l0[1024] __attribute__((aligned(4096)));
static volatile u32 page_a[1024] __attribute__((aligned(4096)));
static volatile u32 page_b[1024] __attribute__((aligned(4096)));
static volatile u32 page_c[1024] __attribute__((aligned(4096)));
static volatile u32 page_d[1024] __attribute__((aligned(4096)));
extern char code_page[], code_u_load[], code_u_store[], code_u_call[], code_u_const[];

// The test window: VA 0x40000000 + n pages, through l0.
#define VA(n) (0x40000000u + (n) * 4096u)
enum {
  P_RO, P_RW, P_XO, P_UCODE, P_UDATA, P_INVALID, P_WONLY, P_NOAD, P_NOD, P_SWAP, P_NONLEAF,
  P_RX, P_SCODE, P_CROSS1, P_CROSS2,
};
#define SUPER_MISALIGNED 0x40400000u
#define SUPER_USER 0x40800000u
#define SUPER_WONLY 0x40c00000u
#define SUPER_ALIAS 0xc0000000u

// The code page's entry points, at the U-mode mapping.
#define IN_UCODE(sym) (VA(P_UCODE) + (u32)((sym) - code_page))
#define U_LOAD IN_UCODE(code_u_load)
#define U_STORE IN_UCODE(code_u_store)
#define U_CALL IN_UCODE(code_u_call)
#define U_CONST IN_UCODE(code_u_const)

static void flush(void) {
  __asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

static void build_tables(void) {
  for (int i = 0; i < 1024; i++) {
    root[i] = 0;
    l0[i] = 0;
    page_a[i] = 0xa0000000 + i;
    page_b[i] = 0xb0000000 + i;
    page_c[i] = 0xc0000000 + i;
    page_d[i] = 0xd0000000 + i;
  }
  const u32 all = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
  root[0x80000000u >> 22] = PTE(0x80000000u, all);           // this program, identity
  root[0x10000000u >> 22] = PTE(0x10000000u, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);  // UART
  root[0x40000000u >> 22] = PTE(l0, PTE_V);
  root[SUPER_MISALIGNED >> 22] = PTE(0x80001000u, PTE_V | PTE_R | PTE_A);
  root[SUPER_USER >> 22] = PTE(0x80000000u, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
  root[SUPER_WONLY >> 22] = PTE(0x80000000u, PTE_V | PTE_W | PTE_A | PTE_D);
  root[SUPER_ALIAS >> 22] = PTE(0x80000000u, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);

  l0[P_RO] = PTE(page_a, PTE_V | PTE_R | PTE_A);
  l0[P_RW] = PTE(page_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  l0[P_XO] = PTE(code_page, PTE_V | PTE_X | PTE_A);
  l0[P_UCODE] = PTE(code_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A);
  l0[P_UDATA] = PTE(page_b, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
  l0[P_INVALID] = PTE(page_a, PTE_R | PTE_W | PTE_A | PTE_D);
  l0[P_WONLY] = PTE(page_a, PTE_V | PTE_W | PTE_A | PTE_D);
  l0[P_NOAD] = PTE(page_c, PTE_V | PTE_R | PTE_W);
  l0[P_NOD] = PTE(page_d, PTE_V | PTE_R | PTE_W | PTE_A);
  l0[P_SWAP] = PTE(page_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  l0[P_NONLEAF] = PTE(page_a, PTE_V);
  l0[P_RX] = PTE(page_a, PTE_V | PTE_R | PTE_X | PTE_A);
  l0[P_SCODE] = PTE(code_page, PTE_V | PTE_R | PTE_X | PTE_A);
  l0[P_CROSS1] = PTE(page_c, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  l0[P_CROSS2] = PTE(page_d, PTE_V | PTE_R | PTE_A);
  csr_write(satp, 0x80000000u | ((u32)root >> 12));
  flush();
}

// ---------------------------------------------------------------- S-mode probes

static u32 s_load(u32 va) {
  u32 v = 0xdeadbeef;
  __asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
  return v;
}

static u32 s_store(u32 va) {
  __asm__ volatile("sw %0, 0(%1)" : : "r"(0x5555aaaa), "r"(va) : "memory");
  return 0;
}

static u32 s_fetch(u32 va) {
  return ((u32(*)(void))va)();
}

static u32 s_load_half_odd(u32 va) {
  u32 v = 0xdeadbeef;
  __asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
  return v;
}

static u32 s_store_odd(u32 va) {
  __asm__ volatile("sw %0, 0(%1)" : : "r"(0x44332211), "r"(va) : "memory");
  return 0;
}

static u32 s_sfence_load(u32 va) {
  __asm__ volatile("sfence.vma zero, zero" : : : "memory");
  return s_load(va);
}

static u32 s_sfence_va_load(u32 va) {
  __asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
  return s_load(va);
}

static void result(const char *label, u32 v) {
  puts_(label);
  if (last_trap.count) {
    show_trap("");
  } else {
    puts_(": ok ");
    put_hex(v);
    putch('\n');
  }
  clear_trap();
}

static void s_access(const char *what, u32 (*fn)(u32), u32 va) {
  clear_trap();
  u32 v = run_in_mode(PRV_S, fn, va);
  puts_(what);
  putch(' ');
  put_hex(va);
  result("", v);
}

static void u_access(const char *what, u32 entry, u32 va) {
  clear_trap();
  u32 v = run_in_mode(PRV_U, (u32(*)(u32))entry, va);
  puts_(what);
  putch(' ');
  put_hex(va);
  result("", v);
}

static void permissions(const char *where) {
  section(where);
  s_access("S load RO", s_load, VA(P_RO) + 8);
  s_access("S store RO", s_store, VA(P_RO) + 8);
  s_access("S fetch RO", s_fetch, VA(P_RO));
  s_access("S load RW", s_load, VA(P_RW) + 12);
  s_access("S store RW", s_store, VA(P_RW) + 12);
  s_access("S load RW after store", s_load, VA(P_RW) + 12);
  s_access("S fetch XO", s_fetch, VA(P_XO));
  s_access("S load XO", s_load, VA(P_XO));
  s_access("S fetch RX", s_fetch, VA(P_SCODE));
  s_access("S load invalid", s_load, VA(P_INVALID) + 4);
  s_access("S store invalid", s_store, VA(P_INVALID) + 4);
  s_access("S fetch invalid", s_fetch, VA(P_INVALID));
  s_access("S load W-only", s_load, VA(P_WONLY));
  s_access("S store W-only", s_store, VA(P_WONLY));
  s_access("S load non-leaf at level 0", s_load, VA(P_NONLEAF));
  s_access("S load unmapped", s_load, 0x50000000);
  s_access("S load misaligned superpage", s_load, SUPER_MISALIGNED + 0x10);
  s_access("S load W-only superpage", s_load, SUPER_WONLY);
  s_access("S load U page, SUM=0", s_load, VA(P_UDATA));
  s_access("S fetch U page", s_fetch, U_CONST);
  u_access("U load U page", U_LOAD, VA(P_UDATA) + 8);
  u_access("U store U page", U_STORE, VA(P_UDATA) + 8);
  u_access("U load after store", U_LOAD, VA(P_UDATA) + 8);
  u_access("U load S page", U_LOAD, VA(P_RW));
  u_access("U store S page", U_STORE, VA(P_RW));
  u_access("U fetch S page", U_CALL, VA(P_SCODE));
  u_access("U fetch U page", U_CALL, U_CONST);
}

static void controls(void) {
  section("SUM and MXR");
  csr_set(mstatus, MSTATUS_SUM);
  s_access("S load U page, SUM=1", s_load, VA(P_UDATA) + 8);
  s_access("S store U page, SUM=1", s_store, VA(P_UDATA) + 16);
  s_access("S fetch U page, SUM=1", s_fetch, U_CONST);
  csr_clear(mstatus, MSTATUS_SUM);
  csr_set(mstatus, MSTATUS_MXR);
  s_access("S load XO, MXR=1", s_load, VA(P_XO));
  s_access("S store XO, MXR=1", s_store, VA(P_XO));
  u_access("U load S-only XO page, MXR=1", U_LOAD, VA(P_XO));
  csr_clear(mstatus, MSTATUS_MXR);
}

static void accessed_dirty(void) {
  section("A and D bits");
  show("PTE before (no A, no D)", l0[P_NOAD] & 0x3ff);
  s_access("S load", s_load, VA(P_NOAD) + 4);
  show("PTE after load", l0[P_NOAD] & 0x3ff);
  s_access("S store", s_store, VA(P_NOAD) + 4);
  show("PTE after store", l0[P_NOAD] & 0x3ff);
  show("PTE before (A, no D)", l0[P_NOD] & 0x3ff);
  s_access("S store", s_store, VA(P_NOD) + 4);
  show("PTE after store", l0[P_NOD] & 0x3ff);
  show("page_d word 1", page_d[1]);
  show("root PTE of the l0 table (non-leaf: untouched)", root[0x40000000u >> 22] & 0x3ff);
  // A faulting access must not set A.
  l0[P_NOAD] = PTE(page_c, PTE_V | PTE_R);
  flush();
  s_access("S store to R-only without A", s_store, VA(P_NOAD) + 4);
  show("PTE after the faulting store", l0[P_NOAD] & 0x3ff);
  l0[P_NOAD] = PTE(page_c, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  flush();
}

static void superpages(void) {
  section("superpages");
  static volatile u32 marker = 0x13579bdf;
  u32 alias = SUPER_ALIAS + ((u32)&marker - 0x80000000u);
  s_access("S load through the RAM alias", s_load, alias);
  s_access("S store through the RAM alias", s_store, alias);
  show("marker after the store", marker);
  u32 user_alias = SUPER_USER + ((u32)&page_b[3] - 0x80000000u);
  u_access("U load through a user superpage", U_LOAD, user_alias);
  show("superpage PTE (A/D already set)", root[SUPER_ALIAS >> 22] & 0x3ff);
}

static void sfence(void) {
  section("sfence.vma");
  s_access("S load before remap", s_load, VA(P_SWAP) + 20);
  l0[P_SWAP] = PTE(page_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  s_access("S load after remap + sfence.vma all", s_sfence_load, VA(P_SWAP) + 20);
  l0[P_SWAP] = PTE(page_c, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
  s_access("S load after remap + sfence.vma va", s_sfence_va_load, VA(P_SWAP) + 20);
  l0[P_SWAP] = 0;
  s_access("S load after unmap + sfence.vma", s_sfence_load, VA(P_SWAP) + 20);
  flush();
}

static void crossing(void) {
  section("misaligned accesses across pages");
  s_access("S lw across two readable pages", s_load_half_odd, VA(P_CROSS1) + 4094);
  s_access("S sw across RW into R-only", s_store_odd, VA(P_CROSS2) - 2);
  show("page_c last word", page_c[1023]);
  show("page_d first word", page_d[0]);
  s_access("S lw across into an invalid page", s_load_half_odd, VA(P_CROSS2) + 4094);
}

static void mprv(void) {
  section("MPRV");
  u32 v;
  u32 mstatus = csr_read(mstatus);
  static const struct { const char *name; u32 mpp; u32 va; } cases[] = {
    {"MPP=S load S page", 1, VA(P_RO) + 8}, {"MPP=S load U page, SUM=0", 1, VA(P_UDATA) + 8},
    {"MPP=U load U page", 0, VA(P_UDATA) + 8}, {"MPP=U load S page", 0, VA(P_RO) + 8},
    {"MPP=M load beyond the identity map", 3, 0x80400000}, {"MPP=S load beyond the identity map", 1, 0x80400000},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    clear_trap();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, cases[k].mpp << 11);
    v = 0xdeadbeef;
    // Nothing but the probed access may touch memory while MPRV is set.
    __asm__ volatile("csrs mstatus, %2\n\tlw %0, 0(%1)\n\tcsrc mstatus, %2"
                     : "+r"(v) : "r"(cases[k].va), "r"(MSTATUS_MPRV) : "memory");
    result(cases[k].name, v);
  }
  clear_trap();
  csr_clear(mstatus, MSTATUS_MPP);
  csr_set(mstatus, 1u << 11);
  __asm__ volatile("csrs mstatus, %1\n\tsw %0, 0(%2)\n\tcsrc mstatus, %1"
                   : : "r"(0x600d), "r"(MSTATUS_MPRV), "r"(VA(P_RW) + 32) : "memory");
  result("MPP=S store S page", 0);
  show("page_a word 8", page_a[8]);
  // Instruction fetch is never affected by MPRV.
  csr_set(mstatus, MSTATUS_MPRV);
  __asm__ volatile("nop");
  csr_clear(mstatus, MSTATUS_MPRV);
  csr_write(mstatus, mstatus);
}

static void satp_in_s(void) {
  section("satp");
  show("satp", csr_read(satp) & 0x80000000u);
  show("satp ppn is the root", (csr_read(satp) & 0x3fffff) == ((u32)root >> 12));
}

int main(void) {
  build_tables();
  satp_in_s();
  expect_traps();
  permissions("permissions, faults to M");
  csr_write(medeleg, (1u << 12) | (1u << 13) | (1u << 15));
  permissions("permissions, faults delegated to S");
  csr_write(medeleg, 0);
  controls();
  accessed_dirty();
  superpages();
  sfence();
  crossing();
  mprv();
  forbid_traps();
  csr_write(satp, 0);
  flush();
  return finish();
}
