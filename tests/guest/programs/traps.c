// Exceptions and the privileged trap machinery: illegal instructions and
// their mtval, ecall from every mode, ebreak, access faults at unmapped
// addresses, misaligned loads and stores, vectored mtvec, mret/sret into
// every mode, delegation, MPRV, TW, TSR, TVM and WFI.
#include "runtime.h"

#define MSIP_BIT (1u << IRQ_MSI)

// ---------------------------------------------------------------- illegal instructions

static void illegal(void) {
  section("illegal instructions");
  expect_traps();
  __asm__ volatile(".word 0x0000000b");
  show_trap("custom-0 0000000b");
  __asm__ volatile(".word 0x40001033");
  show_trap("sll with funct7=0x20");
  __asm__ volatile(".word 0x00003003");
  show_trap("ld (RV64)");
  __asm__ volatile(".word 0x0000001b");
  show_trap("addiw (RV64)");
  __asm__ volatile(".word 0x7b200073");
  show_trap("dret outside debug mode");
  __asm__ volatile(".word 0x00200073");
  show_trap("uret");
  __asm__ volatile(".word 0xfe000073");
  show_trap("SYSTEM funct7=0x7f");
  __asm__ volatile(".word 0x00004073");
  show_trap("SYSTEM funct3=4");
  __asm__ volatile(".word 0x0000200f");
  show_trap("MISC-MEM funct3=2");
  __asm__ volatile(".word 0x0200403b");
  show_trap("divw (RV64)");
  __asm__ volatile(".word 0x0600007f");
  show_trap("opcode 0x7f");
  forbid_traps();
}

// ---------------------------------------------------------------- ecall / ebreak

static u32 do_ecall(u32 u) {
  (void)u;
  __asm__ volatile("li a7, 0\n\tecall" : : : "a7", "memory");
  return 0;
}

static u32 do_ebreak(u32 u) {
  (void)u;
  __asm__ volatile(".option push\n\t.option norvc\n\tebreak\n\t.option pop" : : : "memory");
  return 0;
}

static u32 do_illegal(u32 u) {
  (void)u;
  __asm__ volatile(".word 0x0000000b" : : : "memory");
  return 0;
}

static const char *const MODE_NAME[4] = {"U", "S", "?", "M"};

static void environment(void) {
  section("ecall and ebreak");
  expect_traps();
  for (u32 mode = 0; mode < 4; mode++) {
    if (mode == 2) continue;
    run_in_mode(mode, do_ecall, 0);
    puts_(MODE_NAME[mode]);
    show_trap(" ecall");
    run_in_mode(mode, do_ebreak, 0);
    puts_(MODE_NAME[mode]);
    show_trap(" ebreak");
  }
  forbid_traps();
}

// ---------------------------------------------------------------- delegation

static void delegation(void) {
  section("delegation");
  expect_traps();
  csr_write(medeleg, (1u << 8) | (1u << 3) | (1u << 2));
  run_in_mode(PRV_U, do_ecall, 0);
  show_trap("U ecall, delegated");
  run_in_mode(PRV_U, do_ebreak, 0);
  show_trap("U ebreak, delegated");
  run_in_mode(PRV_S, do_ebreak, 0);
  show_trap("S ebreak, delegated");
  run_in_mode(PRV_S, do_illegal, 0);
  show_trap("S illegal, delegated");
  run_in_mode(PRV_S, do_ecall, 0);
  show_trap("S ecall, not delegated");
  run_in_mode(PRV_M, do_ebreak, 0);
  show_trap("M ebreak, delegation ignored");
  show("scause", csr_read(scause));
  show("sepc is in do_illegal", csr_read(sepc) >= (u32)do_illegal && csr_read(sepc) < (u32)do_illegal + 16);
  show("stval", csr_read(stval));
  show("sstatus after S trap + sret", csr_read(sstatus));
  csr_write(medeleg, 0);
  forbid_traps();
}

// ---------------------------------------------------------------- access faults

static u32 try_load(u32 addr) {
  u32 v = 0xdeadbeef;
  __asm__ volatile("lw %0, 0(%1)" : "+r"(v) : "r"(addr) : "memory");
  return v;
}

static void try_store(u32 addr) {
  __asm__ volatile("sw zero, 0(%0)" : : "r"(addr) : "memory");
}

typedef u32 (*fn_t)(void);

static void access_faults(void) {
  section("access faults");
  static const u32 unmapped[] = {0x00000000, 0x00000ffc, 0x00200000, 0x02010000, 0x0e000000, 0x90000000, 0xf0000000, 0xfffffffc};
  expect_traps();
  for (unsigned i = 0; i < sizeof unmapped / sizeof unmapped[0]; i++) {
    u32 a = unmapped[i];
    puts_("load ");
    put_hex(a);
    u32 v = try_load(a);
    if (last_trap.count == 0) {
      puts_(": value ");
      put_hex(v);
      putch('\n');
    } else {
      show_trap("");
    }
    puts_("store ");
    put_hex(a);
    try_store(a);
    show_trap("");
    puts_("fetch ");
    put_hex(a);
    ((fn_t)a)();
    show_trap("");
  }
  forbid_traps();
}

// ---------------------------------------------------------------- misaligned

static uint8_t bytes[16] __attribute__((aligned(16)));

static void misaligned(void) {
  section("misaligned loads and stores");
  for (int i = 0; i < 16; i++) bytes[i] = (uint8_t)(0xf1 + i * 0x11);
  expect_traps();
  u32 v;
  for (int off = 1; off < 4; off++) {
    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(bytes + off) : "memory");
    puts_("lw +");
    put_dec((u32)off);
    show_trap(last_trap.count ? " trapped" : "");
    show(" value", v);
  }
  __asm__ volatile("lh %0, 0(%1)" : "=r"(v) : "r"(bytes + 3) : "memory");
  show("lh +3", v);
  __asm__ volatile("lhu %0, 0(%1)" : "=r"(v) : "r"(bytes + 5) : "memory");
  show("lhu +5", v);
  __asm__ volatile("sw %0, 0(%1)" : : "r"(0x11223344), "r"(bytes + 1) : "memory");
  __asm__ volatile("sh %0, 0(%1)" : : "r"(0xaabb), "r"(bytes + 7) : "memory");
  __asm__ volatile("sw %0, 0(%1)" : : "r"(0x55667788), "r"(bytes + 10) : "memory");
  show_trap("misaligned stores");
  for (int i = 0; i < 16; i += 4) show("bytes", *(volatile u32 *)(bytes + i));
  forbid_traps();
}

// ---------------------------------------------------------------- vectored mtvec

volatile u32 vector_hits[16];

// Each entry notes its index in sscratch and joins the common trap entry.
__asm__(
    "  .text\n"
    "  .balign 256\n"
    "  .option push\n"
    "  .option norvc\n"
    "vector_table:\n"
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "  j vector_stub_\\n\n"
    "  .endr\n"
    "  .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "vector_stub_\\n:\n"
    "  csrwi sscratch, \\n\n"
    "  j m_trap_entry\n"
    "  .endr\n"
    "  .option pop\n");
extern char vector_table[];

static u32 vector_seen;

static void vector_hook(struct frame *f) {
  vector_seen = csr_read(sscratch);
  if (f->cause == (INTERRUPT | IRQ_MSI)) *CLINT_MSIP = 0;
  if (f->cause == (INTERRUPT | IRQ_SSI)) csr_clear(mip, 1u << IRQ_SSI);
  trap_skip(f);
}

static void vectored(void) {
  section("vectored mtvec");
  u32 sscratch = csr_read(sscratch);
  u32 mtvec = csr_read(mtvec);
  clear_trap();
  m_trap_hook = vector_hook;
  csr_write(mtvec, (u32)vector_table | 1);
  show("mtvec reads back", csr_read(mtvec) - (u32)vector_table);
  vector_seen = 99;
  __asm__ volatile("ecall");
  puts_("exception uses vector ");
  put_dec(vector_seen);
  putch('\n');
  show_trap("ecall");
  vector_seen = 99;
  csr_write(mie, MSIP_BIT);
  *CLINT_MSIP = 1;
  csr_set(mstatus, MSTATUS_MIE);
  __asm__ volatile("nop");
  csr_clear(mstatus, MSTATUS_MIE);
  puts_("software interrupt uses vector ");
  put_dec(vector_seen);
  putch('\n');
  show_trap("msip");
  vector_seen = 99;
  csr_write(mie, 1u << IRQ_SSI);
  csr_set(mip, 1u << IRQ_SSI);
  csr_set(mstatus, MSTATUS_MIE);
  __asm__ volatile("nop");
  csr_clear(mstatus, MSTATUS_MIE);
  puts_("supervisor software interrupt (not delegated) uses vector ");
  put_dec(vector_seen);
  putch('\n');
  show_trap("ssip");
  csr_write(mie, 0);
  csr_write(mtvec, mtvec);
  csr_write(sscratch, sscratch);
  forbid_traps();
}

// ---------------------------------------------------------------- mret / sret

// Which privilege is this? Probes with CSR reads that trap below M and S.
static u32 probe_mode(u32 u) {
  (void)u;
  clear_trap();
  (void)csr_read(mscratch);
  if (last_trap.count == 0) return PRV_M;
  clear_trap();
  (void)csr_read(sscratch);
  if (last_trap.count == 0) return PRV_S;
  clear_trap();
  return PRV_U;
}

extern void mode_exit(void);

// In S-mode: sret into `target` mode at probe_mode, which returns to mode_exit.
static u32 sret_to(u32 target) {
  if (target == PRV_S) csr_set(sstatus, MSTATUS_SPP);
  else csr_clear(sstatus, MSTATUS_SPP);
  csr_set(sstatus, MSTATUS_SPIE);
  csr_write(sepc, (u32)probe_mode);
  __asm__ volatile("mv ra, %0\n\tsret" : : "r"(mode_exit) : "ra", "memory");
  return 0xdead;
}

static u32 read_sstatus_in_s(u32 u) {
  (void)u;
  return csr_read(sstatus);
}

static void returns(void) {
  section("mret and sret");
  expect_traps();
  for (u32 mode = 0; mode < 4; mode++) {
    if (mode == 2) continue;
    puts_("mret to ");
    puts_(MODE_NAME[mode]);
    puts_(": runs in ");
    puts_(MODE_NAME[run_in_mode(mode, probe_mode, 0)]);
    putch('\n');
  }
  u32 st = csr_read(mstatus);
  show("mstatus.MPP after mret (and ecall from U)", (st >> 11) & 3);
  show("mstatus.MPIE", (st >> 7) & 1);
  csr_set(mstatus, MSTATUS_MPIE);
  run_in_mode(PRV_M, probe_mode, 0);
  show("run_in_mode clears MPIE: MIE in callee was", (csr_read(mstatus) >> 3) & 1);
  for (u32 mode = 0; mode < 2; mode++) {
    puts_("sret to ");
    puts_(MODE_NAME[mode]);
    puts_(": runs in ");
    puts_(MODE_NAME[run_in_mode(PRV_S, sret_to, mode)]);
    putch('\n');
  }
  show("sstatus after sret to U (SPP, SPIE)", run_in_mode(PRV_S, read_sstatus_in_s, 0) & (MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE));
  // mret with MPP=M keeps MPRV; mret into a lower mode clears it.
  csr_set(mstatus, MSTATUS_MPRV);
  run_in_mode(PRV_M, probe_mode, 0);
  show("MPRV after mret to M", (csr_read(mstatus) >> 17) & 1);
  csr_set(mstatus, MSTATUS_MPRV | MSTATUS_MPP);
  run_in_mode(PRV_U, probe_mode, 0);
  show("MPRV after mret to U", (csr_read(mstatus) >> 17) & 1);
  csr_clear(mstatus, MSTATUS_MPRV);
  csr_write(sepc, 0);
  forbid_traps();
}

// ---------------------------------------------------------------- MPRV (bare)

static volatile u32 mprv_word = 0x600df00d;

static void mprv(void) {
  section("MPRV without translation");
  expect_traps();
  u32 v;
  // MPP=U: loads and stores act as U-mode, which bare mode and the open PMP allow.
  csr_clear(mstatus, MSTATUS_MPP);
  __asm__ volatile("csrs mstatus, %2\n\tlw %0, 0(%1)\n\tsw %0, 0(%1)\n\tcsrc mstatus, %2"
                   : "=&r"(v) : "r"(&mprv_word), "r"(MSTATUS_MPRV) : "memory");
  show("MPRV MPP=U load", v);
  show_trap("MPRV MPP=U");
  csr_set(mstatus, 1u << 11);
  __asm__ volatile("csrs mstatus, %2\n\tlw %0, 0(%1)\n\tcsrc mstatus, %2"
                   : "=&r"(v) : "r"(&mprv_word), "r"(MSTATUS_MPRV) : "memory");
  show("MPRV MPP=S load", v);
  show_trap("MPRV MPP=S");
  csr_clear(mstatus, MSTATUS_MPP);
  forbid_traps();
}

// ---------------------------------------------------------------- TW, TSR, TVM, WFI

static u32 do_wfi(u32 u) {
  (void)u;
  clear_trap();
  __asm__ volatile("wfi" : : : "memory");
  return last_trap.count;
}

static u32 do_sret_to_self(u32 u) {
  (void)u;
  clear_trap();
  u32 here;
  __asm__ volatile(
      "csrs sstatus, %1\n\t"
      "la %0, 1f\n\tcsrw sepc, %0\n\tsret\n1:"
      : "=&r"(here) : "r"(MSTATUS_SPP) : "memory");
  return last_trap.count;
}

static u32 do_mret(u32 u) {
  (void)u;
  clear_trap();
  __asm__ volatile("mret" : : : "memory");
  return last_trap.count;
}

static u32 do_satp(u32 u) {
  (void)u;
  clear_trap();
  u32 v = csr_read(satp);
  csr_write(satp, v);
  return last_trap.count;
}

static u32 do_sfence(u32 u) {
  (void)u;
  clear_trap();
  __asm__ volatile("sfence.vma" : : : "memory");
  __asm__ volatile("sfence.vma %0, zero" : : "r"(0x80000000) : "memory");
  return last_trap.count;
}

static void report(const char *label, u32 traps) {
  puts_(label);
  if (traps == 0) {
    puts_(": ok\n");
    clear_trap();
    return;
  }
  puts_(": ");
  put_dec(traps);
  show_trap(" trap(s), last");
}

static void trap_controls(void) {
  section("TW, TSR, TVM");
  expect_traps();
  // An S-level interrupt, pending and enabled in sie but masked by SIE=0,
  // wakes a WFI in S-mode without trapping.
  csr_write(mideleg, 1u << IRQ_SSI);
  csr_write(mie, 1u << IRQ_SSI);
  csr_set(mip, 1u << IRQ_SSI);
  csr_clear(mstatus, MSTATUS_SIE);
  report("S wfi, TW=0", run_in_mode(PRV_S, do_wfi, 0));
  csr_set(mstatus, MSTATUS_TW);
  report("S wfi, TW=1", run_in_mode(PRV_S, do_wfi, 0));
  report("M wfi, TW=1", run_in_mode(PRV_M, do_wfi, 0));
  csr_clear(mstatus, MSTATUS_TW);
  csr_clear(mip, 1u << IRQ_SSI);
  csr_write(mie, 0);
  csr_write(mideleg, 0);
  // Nothing can wake this one: it must trap (S-mode exists, so U may not wait).
  report("U wfi, TW=0", run_in_mode(PRV_U, do_wfi, 0));

  report("S sret, TSR=0", run_in_mode(PRV_S, do_sret_to_self, 0));
  csr_set(mstatus, MSTATUS_TSR);
  report("S sret, TSR=1", run_in_mode(PRV_S, do_sret_to_self, 0));
  csr_clear(mstatus, MSTATUS_TSR);
  report("U sret", run_in_mode(PRV_U, do_sret_to_self, 0));

  report("S satp, TVM=0", run_in_mode(PRV_S, do_satp, 0));
  report("S sfence.vma, TVM=0", run_in_mode(PRV_S, do_sfence, 0));
  csr_set(mstatus, MSTATUS_TVM);
  report("S satp, TVM=1", run_in_mode(PRV_S, do_satp, 0));
  report("S sfence.vma, TVM=1", run_in_mode(PRV_S, do_sfence, 0));
  report("M satp, TVM=1", run_in_mode(PRV_M, do_satp, 0));
  report("M sfence.vma, TVM=1", run_in_mode(PRV_M, do_sfence, 0));
  csr_clear(mstatus, MSTATUS_TVM);
  report("U sfence.vma", run_in_mode(PRV_U, do_sfence, 0));
  report("U mret", run_in_mode(PRV_U, do_mret, 0));
  report("S mret", run_in_mode(PRV_S, do_mret, 0));

  section("WFI with interrupts globally off");
  csr_clear(mstatus, MSTATUS_MIE);
  csr_write(mie, MSIP_BIT);
  *CLINT_MSIP = 1;
  report("M wfi, MSIP pending and enabled, MIE=0", run_in_mode(PRV_M, do_wfi, 0));
  show("mip.MSIP", (csr_read(mip) >> IRQ_MSI) & 1);
  *CLINT_MSIP = 0;
  show("mip.MSIP after clearing msip", (csr_read(mip) >> IRQ_MSI) & 1);
  csr_write(mie, 0);
  forbid_traps();
}

int main(void) {
  illegal();
  environment();
  delegation();
  access_faults();
  misaligned();
  vectored();
  returns();
  mprv();
  trap_controls();
  return finish();
}
