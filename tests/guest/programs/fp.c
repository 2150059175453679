// F and D as seen by the privileged architecture: mstatus.FS gating and its
// Initial/Clean/Dirty transitions (and SD), loads/stores/moves and NaN
// boxing, fcsr/frm/fflags, rounding modes incl. invalid ones, and a handful
// of operations with their flags. (FP arithmetic in depth: fpu-vectors.)
#include "runtime.h"

#define FS_SHIFT 13
#define FS_OFF 0u
#define FS_INITIAL 1u
#define FS_CLEAN 2u
#define FS_DIRTY 3u

static void set_fs(u32 fs) {
  csr_clear(mstatus, MSTATUS_FS);
  csr_set(mstatus, fs << FS_SHIFT);
}

static void show_status(const char *label) {
  u32 s = csr_read(mstatus);
  puts_(label);
  puts_(": FS=");
  put_dec((s >> FS_SHIFT) & 3);
  puts_(" SD=");
  put_dec(s >> 31);
  putch('\n');
}

static volatile u32 mem[8] __attribute__((aligned(8)));

static void gating(void) {
  section("mstatus.FS");
  show_status("at boot");
  expect_traps();
  __asm__ volatile("flw ft0, 0(%0)" : : "r"(mem) : "memory");
  show_trap("flw with FS=Off");
  __asm__ volatile("fadd.s ft0, ft1, ft2");
  show_trap("fadd.s with FS=Off");
  __asm__ volatile("fmv.w.x ft0, zero");
  show_trap("fmv.w.x with FS=Off");
  __asm__ volatile("fsd ft0, 0(%0)" : : "r"(mem) : "memory");
  show_trap("fsd with FS=Off");
  (void)csr_read(fcsr);
  show_trap("csrr fcsr with FS=Off");
  (void)csr_read(fflags);
  show_trap("csrr fflags with FS=Off");
  csr_write(frm, 0);
  show_trap("csrw frm with FS=Off");
  show_status("after the traps");

  set_fs(FS_INITIAL);
  show_status("Initial");
  u32 v;
  __asm__ volatile("fmv.x.w %0, ft0" : "=r"(v));
  show_status("Initial, after fmv.x.w (reads only)");
  __asm__ volatile("fmv.w.x ft0, zero");
  show_status("Initial, after fmv.w.x");
  set_fs(FS_CLEAN);
  show_status("Clean");
  __asm__ volatile("fsw ft0, 0(%0)" : : "r"(mem) : "memory");
  show_status("Clean, after fsw");
  (void)csr_read(fcsr);
  show_status("Clean, after csrr fcsr");
  csr_write(fflags, 0);
  show_status("Clean, after csrw fflags");
  set_fs(FS_CLEAN);
  __asm__ volatile("flw ft1, 0(%0)" : : "r"(mem) : "memory");
  show_status("Clean, after flw");
  set_fs(FS_CLEAN);
  __asm__ volatile("feq.s %0, ft0, ft1" : "=r"(v));
  show_status("Clean, after feq.s (no flags raised)");
  set_fs(FS_DIRTY);
  show_status("Dirty");
  set_fs(FS_OFF);
  show_status("Off");
  forbid_traps();
  set_fs(FS_INITIAL);
}

static u32 s_fp_op(u32 u) {
  (void)u;
  clear_trap();
  __asm__ volatile("fmv.w.x ft3, zero");
  return last_trap.count;
}

static void in_s_mode(void) {
  section("FS from S-mode");
  expect_traps();
  u32 t = run_in_mode(PRV_S, s_fp_op, 0);
  show("S fmv.w.x with FS=Initial traps", t);
  show_status("after S wrote an FP register");
  csr_clear(sstatus, MSTATUS_FS);
  t = run_in_mode(PRV_S, s_fp_op, 0);
  show("S fmv.w.x with sstatus.FS=Off traps", t);
  show_trap("S FP with FS=Off");
  csr_set(mstatus, FS_INITIAL << FS_SHIFT);
  forbid_traps();
}

static void moves(void) {
  section("loads, stores, moves, NaN boxing");
  u32 v, hi, lo;
  mem[0] = 0x3fc00000;  // 1.5f
  mem[1] = 0x12345678;
  mem[2] = 0x54442d18;  // pi
  mem[3] = 0x400921fb;
  __asm__ volatile("flw ft0, 0(%0)\n\tfsd ft0, 16(%0)" : : "r"(mem) : "memory");
  show("fsd of a single: low", mem[4]);
  show("fsd of a single: high (boxing)", mem[5]);
  __asm__ volatile("fmv.w.x ft1, %1\n\tfsd ft1, 24(%0)" : : "r"(mem), "r"(0xc0490fdb) : "memory");
  show("fmv.w.x then fsd: low", mem[6]);
  show("fmv.w.x then fsd: high", mem[7]);
  __asm__ volatile("fld ft2, 8(%1)\n\tfmv.x.w %0, ft2" : "=r"(v) : "r"(mem) : "memory");
  show("fmv.x.w of a double (low half)", v);
  __asm__ volatile("fld ft2, 8(%1)\n\tfsgnj.s ft3, ft2, ft2\n\tfmv.x.w %0, ft3" : "=r"(v) : "r"(mem) : "memory");
  show("fsgnj.s of an unboxed value", v);
  __asm__ volatile("fld ft2, 8(%1)\n\tfadd.s ft3, ft2, ft2\n\tfmv.x.w %0, ft3" : "=r"(v) : "r"(mem) : "memory");
  show("fadd.s of an unboxed value", v);
  __asm__ volatile("fld ft2, 8(%2)\n\tfsd ft2, 16(%2)\n\tlw %0, 16(%2)\n\tlw %1, 20(%2)"
                   : "=r"(lo), "=r"(hi) : "r"(mem) : "memory");
  show("fld/fsd round trip low", lo);
  show("fld/fsd round trip high", hi);
  __asm__ volatile("flw ft4, 4(%1)\n\tfsw ft4, -4(%2)\n\tlw %0, 0(%1)" : "=r"(v) : "r"(mem), "r"(mem + 1) : "memory");
  show("flw/fsw with offsets", v);
  __asm__ volatile("fcvt.d.s ft5, ft0\n\tfsd ft5, 16(%0)" : : "r"(mem) : "memory");
  show("fcvt.d.s 1.5 high", mem[5]);
  show("fcvt.d.s 1.5 low", mem[4]);
}

static void csrs(void) {
  section("fcsr, frm, fflags");
  u32 v;
  csr_write(fcsr, 0xffffffff);
  show("fcsr after ones", csr_read(fcsr));
  show("frm", csr_read(frm));
  show("fflags", csr_read(fflags));
  csr_write(frm, 0xfffffff9);
  show("fcsr after frm=...9", csr_read(fcsr));
  csr_write(fflags, 0x22);
  show("fcsr after fflags=0x22", csr_read(fcsr));
  __asm__ volatile("fsrm %0, %1" : "=r"(v) : "r"(2));
  show("fsrm old", v);
  __asm__ volatile("fsflags %0, %1" : "=r"(v) : "r"(0x5));
  show("fsflags old", v);
  show("fcsr", csr_read(fcsr));
  __asm__ volatile("fsrmi %0, 4" : "=r"(v));
  show("fsrmi old", v);
  __asm__ volatile("fsflagsi %0, 0" : "=r"(v));
  show("fsflagsi old", v);
  show("fcsr", csr_read(fcsr));
  csr_write(fcsr, 0);
}

// Single-precision binary op on bit patterns; returns the result, flags in *fl.
#define FOP2(insn, a, b, fl)                                                  \
  ({                                                                          \
    u32 r_;                                                                   \
    csr_write(fflags, 0);                                                     \
    __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\t" insn " ft2, ft0, ft1\n\tfmv.x.w %0, ft2" \
                     : "=r"(r_) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");      \
    fl = csr_read(fflags);                                                    \
    r_;                                                                       \
  })

#define FCMP(insn, a, b, fl)                                                  \
  ({                                                                          \
    u32 r_;                                                                   \
    csr_write(fflags, 0);                                                     \
    __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\t" insn " %0, ft0, ft1" \
                     : "=r"(r_) : "r"(a), "r"(b) : "ft0", "ft1");             \
    fl = csr_read(fflags);                                                    \
    r_;                                                                       \
  })

#define FCVT(insn, a, fl)                                                     \
  ({                                                                          \
    u32 r_;                                                                   \
    csr_write(fflags, 0);                                                     \
    __asm__ volatile("fmv.w.x ft0, %1\n\t" insn : "=r"(r_) : "r"(a) : "ft0"); \
    fl = csr_read(fflags);                                                    \
    r_;                                                                       \
  })

static void show_op(const char *label, u32 v, u32 fl) {
  puts_(label);
  puts_(": ");
  put_hex(v);
  puts_(" flags ");
  put_hex(fl);
  putch('\n');
}

#define ONE 0x3f800000u
#define TWO_HALF 0x40200000u  // 2.5
#define M_TWO_HALF 0xc0200000u
#define QNAN 0x7fc00000u
#define SNAN 0x7f800001u
#define INF 0x7f800000u
#define NZERO 0x80000000u
#define M_ONE 0xbf800000u

static void ops(void) {
  section("operations");
  u32 fl;
  show_op("fadd.s 1.5+2.25", FOP2("fadd.s", 0x3fc00000, 0x40100000, fl), fl);
  show_op("fsub.s 1-2.5", FOP2("fsub.s", ONE, TWO_HALF, fl), fl);
  show_op("fmul.s 2.5*-2.5", FOP2("fmul.s", TWO_HALF, M_TWO_HALF, fl), fl);
  show_op("fdiv.s 1/3 (inexact)", FOP2("fdiv.s", ONE, 0x40400000, fl), fl);
  show_op("fdiv.s 1/0", FOP2("fdiv.s", ONE, 0, fl), fl);
  show_op("fdiv.s 0/0", FOP2("fdiv.s", 0, 0, fl), fl);
  show_op("fsqrt.s -1", FCVT("fsqrt.s ft1, ft0\n\tfmv.x.w %0, ft1", M_ONE, fl), fl);
  show_op("fsqrt.s 2", FCVT("fsqrt.s ft1, ft0\n\tfmv.x.w %0, ft1", 0x40000000, fl), fl);
  show_op("fadd.s inf-inf", FOP2("fsub.s", INF, INF, fl), fl);
  show_op("fadd.s sNaN+1", FOP2("fadd.s", SNAN, ONE, fl), fl);
  show_op("fmin.s qNaN,1", FOP2("fmin.s", QNAN, ONE, fl), fl);
  show_op("fmin.s sNaN,1", FOP2("fmin.s", SNAN, ONE, fl), fl);
  show_op("fmin.s qNaN,qNaN", FOP2("fmin.s", QNAN, QNAN, fl), fl);
  show_op("fmin.s -0,+0", FOP2("fmin.s", NZERO, 0, fl), fl);
  show_op("fmax.s -0,+0", FOP2("fmax.s", NZERO, 0, fl), fl);
  show_op("fsgnjn.s", FOP2("fsgnjn.s", ONE, ONE, fl), fl);
  show_op("fsgnjx.s", FOP2("fsgnjx.s", M_ONE, M_ONE, fl), fl);
  show_op("feq.s qNaN", FCMP("feq.s", QNAN, ONE, fl), fl);
  show_op("feq.s sNaN", FCMP("feq.s", SNAN, ONE, fl), fl);
  show_op("flt.s qNaN", FCMP("flt.s", QNAN, ONE, fl), fl);
  show_op("fle.s 1,1", FCMP("fle.s", ONE, ONE, fl), fl);
  show_op("flt.s -0,+0", FCMP("flt.s", NZERO, 0, fl), fl);
  show_op("fclass.s -inf", FCVT("fclass.s %0, ft0", 0xff800000, fl), fl);
  show_op("fclass.s -0", FCVT("fclass.s %0, ft0", NZERO, fl), fl);
  show_op("fclass.s subnormal", FCVT("fclass.s %0, ft0", 0x00000001, fl), fl);
  show_op("fclass.s sNaN", FCVT("fclass.s %0, ft0", SNAN, fl), fl);
  show_op("fclass.s qNaN", FCVT("fclass.s %0, ft0", QNAN, fl), fl);
  show_op("fcvt.w.s NaN", FCVT("fcvt.w.s %0, ft0, rtz", QNAN, fl), fl);
  show_op("fcvt.w.s -inf", FCVT("fcvt.w.s %0, ft0, rtz", 0xff800000, fl), fl);
  show_op("fcvt.wu.s -1", FCVT("fcvt.wu.s %0, ft0, rtz", M_ONE, fl), fl);
  show_op("fcvt.wu.s -0.5 (rtz)", FCVT("fcvt.wu.s %0, ft0, rtz", 0xbf000000, fl), fl);
  show_op("fcvt.w.s 2^31", FCVT("fcvt.w.s %0, ft0, rtz", 0x4f000000, fl), fl);
  u32 r;
  __asm__ volatile("fcvt.s.w ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(r) : "r"(-7));
  show("fcvt.s.w -7", r);
  __asm__ volatile("fcvt.s.wu ft0, %1\n\tfmv.x.w %0, ft0" : "=r"(r) : "r"(0xffffffff));
  show("fcvt.s.wu 0xffffffff", r);
  csr_write(fflags, 0);
  __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfmv.w.x ft2, %3\n\tfmadd.s ft3, ft0, ft1, ft2\n\tfmv.x.w %0, ft3"
                   : "=r"(r) : "r"(TWO_HALF), "r"(TWO_HALF), "r"(ONE) : "ft0", "ft1", "ft2", "ft3");
  show_op("fmadd.s 2.5*2.5+1", r, csr_read(fflags));
  csr_write(fflags, 0);
  __asm__ volatile("fmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\tfmv.w.x ft2, %3\n\tfnmsub.s ft3, ft0, ft1, ft2\n\tfmv.x.w %0, ft3"
                   : "=r"(r) : "r"(TWO_HALF), "r"(TWO_HALF), "r"(ONE) : "ft0", "ft1", "ft2", "ft3");
  show_op("fnmsub.s -(2.5*2.5)+1", r, csr_read(fflags));
  // Doubles through memory.
  mem[0] = 0x00000000;
  mem[1] = 0x3ff80000;  // 1.5
  mem[2] = 0x00000000;
  mem[3] = 0x40080000;  // 3.0
  u32 lo, hi;
  csr_write(fflags, 0);
  __asm__ volatile("fld ft0, 0(%2)\n\tfld ft1, 8(%2)\n\tfdiv.d ft2, ft0, ft1\n\tfsd ft2, 16(%2)\n\tlw %0, 16(%2)\n\tlw %1, 20(%2)"
                   : "=&r"(lo), "=&r"(hi) : "r"(mem) : "ft0", "ft1", "ft2", "memory");
  show("fdiv.d 1.5/3 high", hi);
  show("fdiv.d 1.5/3 low", lo);
  show("fflags", csr_read(fflags));
  csr_write(fflags, 0);
  __asm__ volatile("fld ft0, 8(%1)\n\tfcvt.s.d ft1, ft0\n\tfmv.x.w %0, ft1" : "=r"(r) : "r"(mem) : "ft0", "ft1", "memory");
  show_op("fcvt.s.d 3.0", r, csr_read(fflags));
  __asm__ volatile("fld ft0, 0(%1)\n\tfcvt.w.d %0, ft0, rne" : "=r"(r) : "r"(mem) : "ft0", "memory");
  show("fcvt.w.d 1.5 rne", r);
  __asm__ volatile("fld ft0, 0(%1)\n\tfld ft1, 8(%1)\n\tflt.d %0, ft0, ft1" : "=r"(r) : "r"(mem) : "ft0", "ft1", "memory");
  show("flt.d 1.5 < 3", r);
  __asm__ volatile("fld ft0, 8(%1)\n\tfclass.d %0, ft0" : "=r"(r) : "r"(mem) : "ft0", "memory");
  show("fclass.d 3.0", r);
}

#define ROUND(label, rm, x)                                                   \
  do {                                                                        \
    u32 fl_;                                                                  \
    u32 v_ = FCVT("fcvt.w.s %0, ft0, " rm, x, fl_);                           \
    show_op(label, v_, fl_);                                                  \
  } while (0)

static void rounding(void) {
  section("rounding modes");
  ROUND("fcvt.w.s 2.5 rne", "rne", TWO_HALF);
  ROUND("fcvt.w.s 2.5 rtz", "rtz", TWO_HALF);
  ROUND("fcvt.w.s 2.5 rdn", "rdn", TWO_HALF);
  ROUND("fcvt.w.s 2.5 rup", "rup", TWO_HALF);
  ROUND("fcvt.w.s 2.5 rmm", "rmm", TWO_HALF);
  ROUND("fcvt.w.s -2.5 rne", "rne", M_TWO_HALF);
  ROUND("fcvt.w.s -2.5 rtz", "rtz", M_TWO_HALF);
  ROUND("fcvt.w.s -2.5 rdn", "rdn", M_TWO_HALF);
  ROUND("fcvt.w.s -2.5 rup", "rup", M_TWO_HALF);
  ROUND("fcvt.w.s -2.5 rmm", "rmm", M_TWO_HALF);
  for (u32 mode = 0; mode < 5; mode++) {
    csr_write(frm, mode);
    puts_("dyn frm=");
    put_dec(mode);
    ROUND("", "dyn", M_TWO_HALF);
  }
  u32 fl;
  csr_write(frm, 2);  // rdn
  show_op("fadd.s 1 + 2^-30 (dyn rdn)", FOP2("fadd.s", ONE, 0x30800000, fl), fl);
  csr_write(frm, 3);  // rup
  show_op("fadd.s 1 + 2^-30 (dyn rup)", FOP2("fadd.s", ONE, 0x30800000, fl), fl);
  csr_write(frm, 0);

  section("invalid rounding modes");
  expect_traps();
  for (u32 mode = 5; mode < 8; mode++) {
    csr_write(frm, mode);
    __asm__ volatile("fadd.s ft0, ft1, ft2");
    puts_("frm=");
    put_dec(mode);
    show_trap(", dynamic fadd.s");
    __asm__ volatile("fsgnj.s ft0, ft1, ft2");
    puts_("frm=");
    put_dec(mode);
    show_trap(", fsgnj.s (no rounding)");
  }
  csr_write(frm, 0);
  __asm__ volatile(".word 0x0020d053");  // fadd.s ft0, ft1, ft2 with rm=5
  show_trap("static rm=5");
  __asm__ volatile(".word 0x0020e053");  // rm=6
  show_trap("static rm=6");
  forbid_traps();
}

int main(void) {
  gating();
  in_s_mode();
  moves();
  csrs();
  ops();
  rounding();
  return finish();
}
