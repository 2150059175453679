// Zicsr and Zicntr: every CSR instruction form, identification and reset
// values, the WARL behaviour of the machine and supervisor CSRs, counters and
// their gating by mcounteren/scounteren from S- and U-mode.
#include "runtime.h"

extern u32 boot_csr[];

// Reads a CSR that may not exist: prints its value, or the trap it caused.
#define PROBE(csr)                                                           \
  do {                                                                       \
    clear_trap();                                                            \
    u32 v_ = csr_read(csr);                                                  \
    if (last_trap.count) show_trap(#csr);                                    \
    else show(#csr, v_);                                                     \
  } while (0)

// Writes all ones, reads back, restores: the register's writable bits.
#define WARL(csr)                                                            \
  do {                                                                       \
    u32 old_ = csr_swap(csr, 0xffffffff);                                    \
    u32 ones_ = csr_swap(csr, 0);                                            \
    u32 zeros_ = csr_swap(csr, old_);                                        \
    puts_(#csr " ones/zeros: ");                                             \
    put_hex(ones_);                                                          \
    putch(' ');                                                              \
    put_hex(zeros_);                                                         \
    putch('\n');                                                             \
  } while (0)

static void identity(void) {
  section("identity");
  PROBE(mvendorid);
  /* QEMU derives these from its own version (7.2.x): compare major.minor only. */
  show("marchid without micro version", csr_read(marchid) & ~0xffu);
  show("mimpid without micro version", csr_read(mimpid) & ~0xffu);
  PROBE(mhartid);
  PROBE(misa);
  PROBE(mconfigptr);
  show("boot a0 (hart id)", boot_hartid);
  show("boot a1 (device tree)", boot_fdt);
  show("device tree magic", *(volatile u32 *)boot_fdt);

  section("reset values");
  static const char *const names[] = {
    "mstatus", "mtvec", "mie", "mip", "medeleg", "mideleg", "mcounteren", "satp",
    "mscratch", "stvec", "scounteren", "mepc", "mcause", "pmpcfg0",
  };
  for (int i = 0; i < 14; i++) show(names[i], boot_csr[i]);
  PROBE(mstatush);
  PROBE(menvcfg);
  PROBE(menvcfgh);
  PROBE(senvcfg);
  PROBE(mcountinhibit);
  PROBE(mtval);
  PROBE(stval);
  PROBE(sepc);
  PROBE(scause);
  PROBE(sscratch);
  PROBE(sip);
  PROBE(sie);
}

static void instructions(void) {
  section("csr instructions");
  u32 a, b;
  // mscratch holds the trap stack pointer: no trap may happen until it is back.
  u32 saved = csr_read(mscratch);
  csr_write(mscratch, 0x12345678);
  __asm__ volatile("csrrw %0, mscratch, %1" : "=r"(a) : "r"(0xdeadbeef));
  check("csrrw old", a, 0x12345678);
  check("csrrw new", csr_read(mscratch), 0xdeadbeef);
  __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(a) : "r"(0x00000110));
  check("csrrs old", a, 0xdeadbeef);
  check("csrrs new", csr_read(mscratch), 0xdeadbfff);
  __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(a) : "r"(0xf000000f));
  check("csrrc old", a, 0xdeadbfff);
  check("csrrc new", csr_read(mscratch), 0x0eadbff0);
  __asm__ volatile("csrrs %0, mscratch, x0" : "=r"(a));
  check("csrrs x0 reads", a, 0x0eadbff0);
  __asm__ volatile("csrrc %0, mscratch, x0" : "=r"(a));
  check("csrrc x0 reads", a, 0x0eadbff0);
  __asm__ volatile("csrrwi %0, mscratch, 31" : "=r"(a));
  check("csrrwi old", a, 0x0eadbff0);
  check("csrrwi new", csr_read(mscratch), 31);
  __asm__ volatile("csrrci %0, mscratch, 5" : "=r"(a));
  check("csrrci new", csr_read(mscratch), 26);
  __asm__ volatile("csrrsi %0, mscratch, 1" : "=r"(a));
  check("csrrsi old", a, 26);
  check("csrrsi new", csr_read(mscratch), 27);
  __asm__ volatile("csrrsi %0, mscratch, 0" : "=r"(a));
  check("csrrsi 0 reads", a, 27);
  __asm__ volatile("csrrw x0, mscratch, %0" : : "r"(0x55));
  check("csrrw rd=x0 writes", csr_read(mscratch), 0x55);
  a = 0x66;
  __asm__ volatile("csrrw %0, mscratch, %0" : "+r"(a));
  check("csrrw rd=rs1 swaps", a, 0x55);
  check("csrrw rd=rs1 wrote", csr_read(mscratch), 0x66);
  b = 0x0f;
  __asm__ volatile("csrrs %0, mscratch, %0" : "+r"(b));
  check("csrrs rd=rs1", b, 0x66);
  check("csrrs rd=rs1 wrote", csr_read(mscratch), 0x6f);
  csr_write(mscratch, saved);
  // The user-level names of the FP CSRs go through the same instructions.
  csr_set(mstatus, 1u << 13);
  __asm__ volatile("csrrwi %0, fcsr, 0x1f" : "=r"(a));
  check("fcsr old", a, 0);
  check("fflags", csr_read(fflags), 0x1f);
  __asm__ volatile("csrrwi %0, frm, 3" : "=r"(a));
  check("fcsr after frm", csr_read(fcsr), 0x7f);
  csr_write(fcsr, 0);
}

static void read_only(void) {
  section("read-only and missing CSRs");
  expect_traps();
  __asm__ volatile("csrw mvendorid, %0" : : "r"(1));
  show_trap("csrw mvendorid");
  __asm__ volatile("csrrs x0, mhartid, %0" : : "r"(1));
  show_trap("csrrs mhartid nonzero rs1");
  __asm__ volatile("csrrsi x0, marchid, 1");
  show_trap("csrrsi marchid 1");
  __asm__ volatile("csrrci x0, mimpid, 0");
  show_trap("csrrci mimpid 0 (no write)");
  __asm__ volatile("csrrs x0, mhartid, x0");
  show_trap("csrrs mhartid x0 (no write)");
  __asm__ volatile("csrw cycle, %0" : : "r"(1));
  show_trap("csrw cycle");
  __asm__ volatile("csrrc x0, instret, %0" : : "r"(1));
  show_trap("csrrc instret");
  __asm__ volatile("csrwi time, 0");
  show_trap("csrwi time");
  __asm__ volatile("csrr x0, 0x7ff");
  show_trap("csrr 0x7ff");
  __asm__ volatile("csrr x0, 0x5ff");
  show_trap("csrr 0x5ff");
  __asm__ volatile("csrr x0, 0xfff");
  show_trap("csrr 0xfff");
  __asm__ volatile("csrw 0x800, %0" : : "r"(1));
  show_trap("csrw 0x800 (custom user)");
  PROBE(hpmcounter3);
  PROBE(mhpmcounter3);
  PROBE(mhpmevent3);
  PROBE(0x14d);  // stimecmp (Sstc)
  PROBE(0x321);  // mcyclecfg (Smcntrpmf)
  PROBE(0x30c);  // mstateen0
  PROBE(0x015);  // seed (Zkr)
  forbid_traps();
}

static void warl(void) {
  section("mstatus");
  u32 old, ones, zeros, mpp2;
  // No memory access while mstatus holds ones: MPRV would apply to them.
  __asm__ volatile(
      "csrr %0, mstatus\n\tcsrw mstatus, %4\n\tcsrr %1, mstatus\n\tcsrw mstatus, zero\n\t"
      "csrr %2, mstatus\n\tcsrw mstatus, %5\n\tcsrr %3, mstatus\n\tcsrw mstatus, %0"
      : "=&r"(old), "=&r"(ones), "=&r"(zeros), "=&r"(mpp2) : "r"(0xffffffff), "r"(2u << 11));
  show("mstatus ones", ones);
  show("mstatus zeros", zeros);
  show("mstatus MPP=2", mpp2);
  check("mstatus restored", csr_read(mstatus), old);
  u32 s_ones, m_view, s_zeros, m_view0;
  __asm__ volatile(
      "csrw sstatus, %4\n\tcsrr %0, sstatus\n\tcsrr %1, mstatus\n\tcsrw sstatus, zero\n\t"
      "csrr %2, sstatus\n\tcsrr %3, mstatus\n\tcsrw mstatus, %5"
      : "=&r"(s_ones), "=&r"(m_view), "=&r"(s_zeros), "=&r"(m_view0) : "r"(0xffffffff), "r"(old));
  show("sstatus ones", s_ones);
  show("mstatus after sstatus ones", m_view);
  show("sstatus zeros", s_zeros);
  show("mstatus after sstatus zeros", m_view0);
  WARL(mstatush);

  section("interrupt registers");
  WARL(medeleg);
  WARL(mideleg);
  WARL(mie);
  csr_write(mie, 0xffffffff);
  csr_write(mideleg, 0);
  show("mideleg=0: sie", csr_read(sie));
  csr_write(sie, 0);
  show("mideleg=0: mie after sie=0", csr_read(mie));
  csr_write(mideleg, 0xffffffff);
  show("mideleg=all: sie", csr_read(sie));
  csr_write(sie, 0);
  show("mideleg=all: mie after sie=0", csr_read(mie));
  csr_write(sie, 0xffffffff);
  show("mideleg=all: mie after sie=ones", csr_read(mie));
  csr_write(mideleg, 1u << IRQ_SSI);
  csr_write(sie, 0);
  show("mideleg=SSI: mie after sie=0", csr_read(mie));
  csr_write(mie, 0);
  // mip: only the software-owned bits take; no enable is set, nothing is taken.
  csr_write(mideleg, 0);
  csr_write(mip, 0xffffffff);
  show("mip after ones", csr_read(mip));
  show("mideleg=0: sip", csr_read(sip));
  csr_write(mideleg, 0xffffffff);
  show("mideleg=all: sip", csr_read(sip));
  csr_write(sip, 0);
  show("mip after sip=0", csr_read(mip));
  csr_write(sip, 0xffffffff);
  show("mip after sip=ones", csr_read(mip));
  csr_write(mip, 0);
  show("mip after zero", csr_read(mip));
  csr_write(mideleg, 0);

  section("trap registers");
  u32 vec = csr_read(mtvec);
  u32 r[4];
  for (u32 mode = 0; mode < 4; mode++) {
    csr_write(mtvec, 0x80001000 | mode);
    r[mode] = csr_read(mtvec);
  }
  csr_write(mtvec, vec);
  static const char *const mtvec_names[] = {"mtvec mode 0", "mtvec mode 1", "mtvec mode 2", "mtvec mode 3"};
  for (u32 mode = 0; mode < 4; mode++) show(mtvec_names[mode], r[mode]);
  vec = csr_read(stvec);
  for (u32 mode = 0; mode < 4; mode++) {
    csr_write(stvec, 0x80002000 | mode);
    r[mode] = csr_read(stvec);
  }
  csr_write(stvec, vec);
  static const char *const stvec_names[] = {"stvec mode 0", "stvec mode 1", "stvec mode 2", "stvec mode 3"};
  for (u32 mode = 0; mode < 4; mode++) show(stvec_names[mode], r[mode]);
  csr_write(mepc, 0x80000003);
  show("mepc 80000003", csr_read(mepc));
  csr_write(mepc, 0xffffffff);
  show("mepc ones", csr_read(mepc));
  csr_write(sepc, 0x80000001);
  show("sepc 80000001", csr_read(sepc));
  WARL(mcause);
  WARL(scause);
  WARL(mtval);
  WARL(stval);
  WARL(sscratch);
  WARL(mcounteren);
  WARL(scounteren);
  WARL(mcountinhibit);
  WARL(menvcfg);
  WARL(senvcfg);
  csr_write(satp, 0x80012345);
  show("satp sv32 in M", csr_read(satp));
  csr_write(satp, 0x00012345);
  show("satp bare with ppn", csr_read(satp));
  csr_write(satp, 0xffffffff);
  show("satp ones", csr_read(satp));
  csr_write(satp, 0);
  show("satp zero", csr_read(satp));
}

static void counters(void) {
  section("counters");
  u32 c0 = csr_read(cycle), i0 = csr_read(instret), t0 = csr_read(time);
  for (volatile int i = 0; i < 2000; i++) {
  }
  u32 c1 = csr_read(cycle), i1 = csr_read(instret), t1 = csr_read(time);
  show("cycle increased", c1 - c0 > 0 && c1 - c0 < 0x80000000);
  show("instret increased by at least 2000", i1 - i0 >= 2000 && i1 - i0 < 0x80000000);
  show("time increased", t1 - t0 > 0 && t1 - t0 < 0x80000000);
  u32 mc = csr_read(mcycle), mi = csr_read(minstret);
  show("mcycle not behind cycle", mc - c1 < 0x80000000);
  show("minstret not behind instret", mi - i1 < 0x80000000);
  u32 mtime = CLINT_MTIME[0];
  u32 t2 = csr_read(time);
  u32 mtime2 = CLINT_MTIME[0];
  show("time is CLINT mtime", t2 - mtime < 0x80000000 && mtime2 - t2 < 0x80000000);
  expect_traps();
  (void)csr_read(cycleh);
  (void)csr_read(instreth);
  (void)csr_read(timeh);
  (void)csr_read(mcycleh);
  (void)csr_read(minstreth);
  show_trap("reading the high halves");
  forbid_traps();
  csr_write(minstret, 0x100);
  u32 after = csr_read(minstret);
  show("minstret counts on from a written value", after >= 0x100 && after < 0x80000000);
  csr_write(mcycle, 0x100);
  after = csr_read(mcycle);
  show("mcycle counts on from a written value", after >= 0x100 && after < 0x80000000);
}

// Runs in S or U: which of cycle, time, instret trap (bits 0..2).
static u32 probe_counters(u32 unused) {
  (void)unused;
  u32 trapped = 0;
  clear_trap();
  (void)csr_read(cycle);
  if (last_trap.count) trapped |= 1;
  clear_trap();
  (void)csr_read(time);
  if (last_trap.count) trapped |= 2;
  clear_trap();
  (void)csr_read(instret);
  if (last_trap.count) trapped |= 4;
  clear_trap();
  (void)csr_read(cycleh);
  if (last_trap.count) trapped |= 8;
  return trapped;
}

static void gating(void) {
  section("counter gating");
  static const u32 settings[][2] = {{0, 0}, {7, 0}, {0, 7}, {7, 7}, {1, 7}, {5, 1}, {2, 2}};
  expect_traps();
  for (u32 mode = PRV_U; mode <= PRV_S; mode++) {
    for (unsigned k = 0; k < sizeof settings / sizeof settings[0]; k++) {
      csr_write(mcounteren, settings[k][0]);
      csr_write(scounteren, settings[k][1]);
      u32 t = run_in_mode(mode, probe_counters, 0);
      puts_(mode == PRV_S ? "S" : "U");
      puts_(" mcounteren=");
      put_dec(settings[k][0]);
      puts_(" scounteren=");
      put_dec(settings[k][1]);
      puts_(":");
      puts_(t & 1 ? " cycle=trap" : " cycle=ok");
      puts_(t & 2 ? " time=trap" : " time=ok");
      puts_(t & 4 ? " instret=trap" : " instret=ok");
      puts_(t & 8 ? " cycleh=trap\n" : " cycleh=ok\n");
    }
  }
  csr_write(mcounteren, 0);
  csr_write(scounteren, 0);
  clear_trap();
  run_in_mode(PRV_U, probe_counters, 0);
  // The last probe (cycleh) is what last_trap still holds.
  show_trap("U cycleh, counters off");
  csr_write(mcounteren, 0);
}

static u32 s_read_mstatus(u32 u) { (void)u; clear_trap(); (void)csr_read(mstatus); return last_trap.count; }
static u32 s_read_mscratch(u32 u) { (void)u; clear_trap(); (void)csr_read(mscratch); return last_trap.count; }
static u32 x_read_sstatus(u32 u) { (void)u; clear_trap(); (void)csr_read(sstatus); return last_trap.count; }
static u32 x_write_sscratch(u32 v) { clear_trap(); csr_write(sscratch, v); return last_trap.count; }
static u32 x_read_satp(u32 u) { (void)u; clear_trap(); (void)csr_read(satp); return last_trap.count; }
static u32 x_write_cycle(u32 u) { (void)u; clear_trap(); csr_write(cycle, 0); return last_trap.count; }

static void privilege(void) {
  section("CSR privilege");
  expect_traps();
  u32 s = csr_read(sscratch);
  static const struct { const char *name; u32 mode; u32 (*fn)(u32); } cases[] = {
    {"S reads mstatus", PRV_S, s_read_mstatus}, {"S reads mscratch", PRV_S, s_read_mscratch},
    {"S reads sstatus", PRV_S, x_read_sstatus}, {"S writes sscratch", PRV_S, x_write_sscratch},
    {"S reads satp", PRV_S, x_read_satp}, {"S writes cycle", PRV_S, x_write_cycle},
    {"U reads sstatus", PRV_U, x_read_sstatus}, {"U writes sscratch", PRV_U, x_write_sscratch},
    {"U reads satp", PRV_U, x_read_satp}, {"U reads mstatus", PRV_U, s_read_mstatus},
  };
  for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    clear_trap();
    u32 t = run_in_mode(cases[k].mode, cases[k].fn, 0x1234);
    puts_(cases[k].name);
    puts_(t ? ": trap" : ": ok");
    if (t) {
      puts_(" cause=");
      put_hex(last_trap.cause);
      puts_(" tval=");
      put_hex(last_trap.tval);
    }
    putch('\n');
  }
  show("sscratch written from S", csr_read(sscratch));
  csr_write(sscratch, s);
  forbid_traps();
}

int main(void) {
  identity();
  instructions();
  read_only();
  warl();
  counters();
  gating();
  privilege();
  return finish();
}
