/*
 * The native tier: compiles a hot function's internal form (after the peephole pass, already
 * threaded) to rv32 machine code, one template per internal instruction (docs/wasm-runtime.md).
 *
 * Interop without on-stack replacement: native code follows the handlers' calling convention
 * (a0 ip, a1 fp, a2 memory base, a3 memory size, a4 the wrun, a5 the i32 accumulator, fa0 the
 * f64 accumulator) at every instruction boundary, and every compiled instruction's opcode word is
 * patched to the address of its native code. So the interpreter enters native code wherever it
 * dispatches next (a loop header, a call's continuation, a function entry), and native code
 * leaves for the interpreter at any instruction it does not compile (host and indirect calls,
 * br_table, rare operations): it loads that instruction's handler from its opcode word and jumps
 * to it, as a handler would. Traps store the trap site in wrun.trap_ip and return the status,
 * exactly as the handlers' TRAP does (ra still holds winterp_run's return address: native code
 * calls nothing).
 *
 * Tier-up: compile.c replaces each function's entry opcode word by the entry probe and records its
 * loop headers; the first run arms loop probes on them (interp.c h_entry_probe, h_loop_probe).
 * They count down; when one runs out the function is compiled. Probes cost nothing at spawn but a
 * few stores, and nothing once their function is compiled.
 *
 * Memory (code, probe tables, scratch) comes from the embedder's wasm_code_alloc, charged to the
 * module's quota and released with the module; code runs at the executable alias it returns.
 */
#include "internal.h"
#include "ops.h"

/* rv32 with musttail dispatch only; not with WASM_STRICT_ALIGN (native accesses are plain words). */
#if defined(__riscv) && __riscv_xlen == 32 && defined(__has_attribute) && !defined(WASM_PROFILE) && !defined(WASM_STRICT_ALIGN)
#if __has_attribute(musttail)
#define WJIT 1
#endif
#endif

uint32_t wjit_threshold = WASM_JIT_DEFAULT_THRESHOLD;
void wasm_set_jit_threshold(uint32_t threshold) { wjit_threshold = threshold; }

/* ---- tier-up policy ----
 * A function is compiled once its entry has run wjit_threshold + code_len / ENTRY_DIV times, or
 * one of its loop headers wjit_threshold + code_len / LOOP_DIV times: compiling costs about a
 * hundred instructions per code word, so bigger functions must prove they are hot for longer
 * (measured on the OS boot, where most code runs a few times only: docs/wasm-runtime.md).
 */
#ifndef ENTRY_DIV
#define ENTRY_DIV 4u
#endif
#ifndef LOOP_DIV
#define LOOP_DIV 2u
#endif

static uint32_t budget(uint32_t base, const wfunc *fn, uint32_t div) {
  if (base <= 1) return 1; /* 0 or 1: every function at its first run, whatever its size (tests) */
  uint64_t n = (uint64_t)base + fn->code_len / div;
  return n < 1 ? 1 : n >= WJIT_DONE ? WJIT_DONE - 1 : (uint32_t)n;
}

/* ---- memory ---- */

/* A native code block, at the start of the memory wasm_code_alloc returned. */
typedef struct wcode_block {
  struct wcode_block *next;
  size_t size;
} wcode_block;

extern void *wasm_code_alloc(size_t n, void **exec) __attribute__((weak));
extern void wasm_code_free(void *p, size_t n) __attribute__((weak));

/*
 * The native tier's other memory (loop probe tables, a compilation's scratch) comes from the
 * embedder's code memory too, charged to the quota while held: in the kernel that pool is
 * reserved at boot, so tiering up never changes a running system's memory figures, and kernel
 * heap allocations of these sizes are whole pages found by a first-fit scan of all memory, several
 * times the cost of a compilation on a busy system (measured on the OS boot).
 */
static void *scratch_alloc(wasm_heap *h, size_t n) {
  void *xv;
  if (n > h->quota || h->used > h->quota - n) return NULL;
  void *p = wasm_code_alloc(n, &xv);
  if (p) h->used += n;
  return p;
}
static void scratch_free(wasm_heap *h, void *p, size_t n) {
  if (!p) return;
  h->used -= n;
  wasm_code_free(p, n);
}

/* ---- loop probes: open addressing on the site's address, armed at a function's first run ---- */

static void add_probe(wasm_module *m, wfunc *fn, wcode *site) {
  if ((m->nprobes + 1) * 2 > m->probe_cap) {
    uint32_t ncap = m->probe_cap ? m->probe_cap * 2 : 64;
    wprobe *np = scratch_alloc(m->heap, (size_t)ncap * sizeof *np);
    if (!np) return; /* no probe: this loop does not count */
    wu_memset(np, 0, (size_t)ncap * sizeof *np);
    wprobe *old = m->probes;
    uint32_t ocap = m->probe_cap;
    m->probes = np;
    m->probe_cap = ncap;
    for (uint32_t i = 0; i < ocap; i++) {
      if (!old[i].site) continue;
      uint32_t k = (((uint32_t)(uintptr_t)old[i].site >> 2) * 2654435761u) >> 16 & (ncap - 1);
      while (np[k].site) k = (k + 1) & (ncap - 1);
      np[k] = old[i];
    }
    scratch_free(m->heap, old, (size_t)ocap * sizeof *old);
  }
  if (wjit_find_probe(m, site)) return;
  uint32_t k = (((uint32_t)(uintptr_t)site >> 2) * 2654435761u) >> 16 & (m->probe_cap - 1);
  while (m->probes[k].site) k = (k + 1) & (m->probe_cap - 1);
  m->probes[k] = (wprobe){site, *site, (uint32_t)(fn - m->funcs), budget(wjit_threshold, fn, LOOP_DIV)};
  m->nprobes++;
  *site = winterp_loop_probe();
}

void wjit_release(wasm_module *m) {
  scratch_free(m->heap, m->probes, (size_t)m->probe_cap * sizeof *m->probes);
  m->probes = NULL;
  m->probe_cap = m->nprobes = 0;
  while (m->native) {
    wcode_block *b = m->native;
    m->native = b->next;
    m->heap->used -= b->size;
    wasm_code_free(b, b->size);
  }
}

static void tier_up(wasm_module *m, wfunc *fn);

void wjit_entry(wasm_module *m, wfunc *fn) {
  uint32_t n = fn->heat;
  if (n == 0) {
    /* The first run arms the loop probes: loops of code that never runs cost nothing. */
    n = budget(wjit_threshold, fn, ENTRY_DIV);
    fn->heat = n;
    wcode *code = (wcode *)(uintptr_t)fn->code, probe = winterp_entry_probe();
    for (uint32_t i = 0; n > 1 && i < fn->nheads; i++) {
      uint32_t pos = (uint32_t)code[fn->code_len + i];
      if (pos < fn->code_len && code[pos] != probe) add_probe(m, fn, code + pos);
    }
  }
  if (n <= 1) tier_up(m, fn);
}

void wjit_loop_hot(wasm_module *m, wprobe *p) { tier_up(m, &m->funcs[p->func]); }

/* Puts back the original handlers where native code did not replace the probes. */
static void restore_probes(wasm_module *m, wfunc *fn) {
  wcode *code = (wcode *)(uintptr_t)fn->code;
  if (code[0] == winterp_entry_probe()) code[0] = fn->entry_orig;
  for (uint32_t i = 0; i < fn->nheads; i++) {
    uint32_t pos = (uint32_t)code[fn->code_len + i];
    wprobe *p = pos < fn->code_len && code[pos] == winterp_loop_probe() ? wjit_find_probe(m, code + pos) : NULL;
    if (p) code[pos] = p->orig;
  }
}

#ifndef WJIT

bool wjit_available(void) { return false; }
static void tier_up(wasm_module *m, wfunc *fn) {
  fn->heat = WJIT_DONE;
  restore_probes(m, fn);
}

#else

#include "jit_rv32.h"

bool wjit_available(void) { return wjit_threshold != WASM_JIT_OFF && wasm_code_alloc && wasm_code_free; }

typedef struct jfix {
  uint32_t at, label, jal; /* native offset of the branch, label id, 1: J-type else B-type */
} jfix;
typedef struct jstub {
  const wcode *site;
  uint32_t status, off;
} jstub;

typedef struct jc {
  jbuf b;
  wasm_module *m;
  const wfunc *fn;
  const wcode *code;
  uint32_t len;
  uint16_t *ops;   /* per code position: internal opcode + 1 of a reachable instruction, else 0 */
  uint8_t *native; /* per code position: 1 when compiled (its opcode word gets patched) */
  uint32_t *lab;   /* per code position: native offset */
  jfix *fix;
  uint32_t nfix, fixcap;
  jstub *stubs;
  uint32_t nstubs, stubcap;
  uint8_t *far;    /* per fixup (in emission order): a conditional branch out of reach of B-type, emitted as
                      an inverted branch over a jal */
  uint32_t cur;    /* the code position being compiled */
  bool failed;
} jc;

#define W(i) ((uint32_t)j->code[pos + (i)])
#define TARGET(i) (pos + (uint32_t)((int32_t)W(i) / (int32_t)sizeof(wcode)))

static void add_fix(jc *j, uint32_t label, uint32_t jal) {
  if (j->nfix >= j->fixcap) {
    j->failed = true;
    return;
  }
  j->fix[j->nfix++] = (jfix){j->b.n, label, jal};
}
static uint32_t new_stub(jc *j, const wcode *site, uint32_t status) {
  if (j->nstubs >= j->stubcap) {
    j->failed = true;
    return j->len;
  }
  j->stubs[j->nstubs] = (jstub){site, status, 0};
  return j->len + j->nstubs++;
}
/* Conditional branch (funct3) to a label. */
/*
 * Whether a conditional branch from here to label must be far: exactly for a backward branch
 * (its target is already placed in this pass); for a forward one (or a trap stub, placed after
 * the code) from an estimate of the native bytes per code word, or because the last pass found
 * it out of reach.
 */
#define BYTES_PER_WORD 10u
static bool far_branch(jc *j, uint32_t label) {
  if (j->nfix < j->fixcap && j->far[j->nfix]) return true;
  if (label < j->len && label <= j->cur) return j->b.n - j->lab[label] > 4000u;
  uint32_t to = label < j->len ? label : j->len + 16 * (label - j->len);
  return (to - j->cur) * BYTES_PER_WORD > 3500u;
}
static void br_to(jc *j, uint32_t f3, uint32_t rs1, uint32_t rs2, uint32_t label) {
  if (!far_branch(j, label)) {
    add_fix(j, label, 0);
    e32(&j->b, rv_benc(0, rs2, rs1, f3));
  } else {
    e32(&j->b, rv_benc(8, rs2, rs1, f3 ^ 1));
    add_fix(j, label, 1);
    e32(&j->b, rv_jenc(0, ZERO));
  }
}
static void jmp_to(jc *j, uint32_t label) {
  add_fix(j, label, 1);
  e32(&j->b, rv_jenc(0, ZERO));
}
enum { BEQ = 0, BNE = 1, BLT = 4, BGE = 5, BLTU = 6, BGEU = 7 };

/* Frame slots: fp + off, off up to 512 KiB (t6 holds the upper part when it does not fit). */
static uint32_t slot_base(jc *j, uint32_t off, int32_t *disp) {
  if (off < 2048) {
    *disp = (int32_t)off;
    return A1;
  }
  rv_lui(&j->b, T6, ((off + 0x800u) >> 12) & 0xFFFFFu);
  ALU(&j->b, RV_ADD, T6, T6, A1);
  *disp = (int32_t)(off << 20) >> 20;
  return T6;
}
static void ld32(jc *j, uint32_t rd, uint32_t off) {
  int32_t d;
  uint32_t base = slot_base(j, off, &d);
  rv_load(&j->b, 2, rd, base, d);
}
static void st32(jc *j, uint32_t rs, uint32_t off) {
  int32_t d;
  uint32_t base = slot_base(j, off, &d);
  rv_store(&j->b, 2, rs, base, d);
}
static void fld_slot(jc *j, uint32_t fd, uint32_t off) {
  int32_t d;
  uint32_t base = slot_base(j, off, &d);
  rv_fld(&j->b, fd, base, d);
}
static void fsd_slot(jc *j, uint32_t fs, uint32_t off) {
  int32_t d;
  uint32_t base = slot_base(j, off, &d);
  rv_fsd(&j->b, fs, base, d);
}
/* An immediate in a register (x0 for 0). */
static uint32_t imm_reg(jc *j, uint32_t v, uint32_t tmp) {
  if (!v) return ZERO;
  rv_li(&j->b, tmp, v);
  return tmp;
}
static uint32_t slot_reg(jc *j, uint32_t off, uint32_t tmp) {
  ld32(j, tmp, off);
  return tmp;
}

/* i32 operation base opcode (ops.h) rd = ra op b, b a register or an immediate. False: not supported. */
static bool alu(jc *j, uint32_t base, uint32_t rd, uint32_t ra, bool bimm, uint32_t b) {
  jbuf *o = &j->b;
  int32_t s = (int32_t)b;
  if (bimm) {
    switch (base) {
    case 0x6A: if (fits12(s)) { rv_addi(o, rd, ra, s); return true; } break;
    case 0x6B: if (fits12(-s) && s != INT32_MIN) { rv_addi(o, rd, ra, -s); return true; } break;
    case 0x71: if (fits12(s)) { rv_opi(o, 7, rd, ra, s); return true; } break;
    case 0x72: if (fits12(s)) { rv_opi(o, 6, rd, ra, s); return true; } break;
    case 0x73: if (fits12(s)) { rv_opi(o, 4, rd, ra, s); return true; } break;
    case 0x74: rv_opi(o, 1, rd, ra, (int32_t)(b & 31)); return true;
    case 0x75: rv_opi(o, 5, rd, ra, (int32_t)(0x400 | (b & 31))); return true;
    case 0x76: rv_opi(o, 5, rd, ra, (int32_t)(b & 31)); return true;
    default: break;
    }
    b = imm_reg(j, b, T1);
  }
  uint32_t rb = b;
  switch (base) {
  case 0x6A: ALU(o, RV_ADD, rd, ra, rb); return true;
  case 0x6B: ALU(o, RV_SUB, rd, ra, rb); return true;
  case OP_I32_RSUB: ALU(o, RV_SUB, rd, rb, ra); return true;
  case 0x6C: ALU(o, RV_MUL, rd, ra, rb); return true;
  case 0x71: ALU(o, RV_AND, rd, ra, rb); return true;
  case 0x72: ALU(o, RV_OR, rd, ra, rb); return true;
  case 0x73: ALU(o, RV_XOR, rd, ra, rb); return true;
  case 0x74: ALU(o, RV_SLL, rd, ra, rb); return true;
  case 0x75: ALU(o, RV_SRA, rd, ra, rb); return true;
  case 0x76: ALU(o, RV_SRL, rd, ra, rb); return true;
  case 0x77: /* rotl: (a << b) | (a >> (-b & 31)); the shifts use the low 5 bits */
  case 0x78:
    ALU(o, RV_SUB, T3, ZERO, rb);
    rv_op(o, 0, base == 0x77 ? 1 : 5, T2, ra, rb); /* sll / srl */
    rv_op(o, 0, base == 0x77 ? 5 : 1, T3, ra, T3);
    ALU(o, RV_OR, rd, T2, T3);
    return true;
  case 0x46: ALU(o, RV_XOR, T2, ra, rb); rv_opi(o, 3, rd, T2, 1); return true;      /* eq: seqz */
  case 0x47: ALU(o, RV_XOR, T2, ra, rb); ALU(o, RV_SLTU, rd, ZERO, T2); return true; /* ne: snez */
  case 0x48: ALU(o, RV_SLT, rd, ra, rb); return true;
  case 0x49: ALU(o, RV_SLTU, rd, ra, rb); return true;
  case 0x4A: ALU(o, RV_SLT, rd, rb, ra); return true;
  case 0x4B: ALU(o, RV_SLTU, rd, rb, ra); return true;
  case 0x4C: ALU(o, RV_SLT, rd, rb, ra); rv_opi(o, 4, rd, rd, 1); return true;
  case 0x4D: ALU(o, RV_SLTU, rd, rb, ra); rv_opi(o, 4, rd, rd, 1); return true;
  case 0x4E: ALU(o, RV_SLT, rd, ra, rb); rv_opi(o, 4, rd, rd, 1); return true;
  case 0x4F: ALU(o, RV_SLTU, rd, ra, rb); rv_opi(o, 4, rd, rd, 1); return true;
  default: return false;
  }
}

/* Branch to label when `a cmp b` (cmp index 0..9: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u). */
static void br_cmp(jc *j, uint32_t i, uint32_t ra, uint32_t rb, uint32_t label) {
  static const uint8_t f3[10] = {BEQ, BNE, BLT, BLTU, BLT, BLTU, BGE, BGEU, BGE, BGEU};
  static const uint8_t swap[10] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 0};
  if (swap[i]) br_to(j, f3[i], rb, ra, label);
  else br_to(j, f3[i], ra, rb, label);
}

/* Bounds check of [addr, addr + end) (end: offset + access size): t2 = mem + addr + end afterwards. */
static void ea(jc *j, uint32_t ra, uint32_t end, const wcode *site) {
  if (fits12((int32_t)end)) rv_addi(&j->b, T2, ra, (int32_t)end);
  else ALU(&j->b, RV_ADD, T2, ra, imm_reg(j, end, T3));
  uint32_t stub = new_stub(j, site, WASM_TRAP_MEMORY_OOB);
  br_to(j, BLTU, T2, ra, stub); /* the end wrapped past 4 GiB */
  br_to(j, BLTU, A3, T2, stub); /* past the memory's size */
  ALU(&j->b, RV_ADD, T2, T2, A2);
}

/* Loads of `n` bytes ending at t2: the value (low word to lo, high word to hi for 64-bit results). */
static void load_kind(jc *j, uint32_t base, uint32_t lo, uint32_t hi, bool *wide) {
  jbuf *o = &j->b;
  *wide = false;
  switch (base) {
  case 0x28: case 0x2A: rv_load(o, 2, lo, T2, -4); return;
  case 0x29: case 0x2B: rv_load(o, 2, lo, T2, -8); rv_load(o, 2, hi, T2, -4); *wide = true; return;
  case 0x2C: rv_load(o, 0, lo, T2, -1); return;
  case 0x2D: rv_load(o, 4, lo, T2, -1); return;
  case 0x2E: rv_load(o, 1, lo, T2, -2); return;
  case 0x2F: rv_load(o, 5, lo, T2, -2); return;
  case 0x30: rv_load(o, 0, lo, T2, -1); break;
  case 0x31: rv_load(o, 4, lo, T2, -1); break;
  case 0x32: rv_load(o, 1, lo, T2, -2); break;
  case 0x33: rv_load(o, 5, lo, T2, -2); break;
  case 0x34: rv_load(o, 2, lo, T2, -4); break;
  case 0x35: rv_load(o, 2, lo, T2, -4); break;
  default: return;
  }
  *wide = true;
  if (base == 0x30 || base == 0x32 || base == 0x34) rv_opi(o, 5, hi, lo, 0x400 | 31);
  else rv_addi(o, hi, ZERO, 0);
}
/* The load-with-update kinds (ops.h OP_LOAD_UPD_*) as plain load opcodes. */
static const uint8_t upd_base[7] = {0, 0x28, 0x29, 0x2B, 0x2C, 0x2D, 0x2F};

/* Result of an i32 load / 64-bit load to a slot or the accumulator. */
static void put_loaded(jc *j, uint32_t base, bool dacc, uint32_t dst) {
  bool wide;
  load_kind(j, base, dacc ? A5 : T0, T1, &wide);
  if (dacc) return;
  st32(j, T0, dst);
  if (wide) st32(j, T1, dst + 4);
}

static const uint8_t fuse_base[8] = {0x74, 0x75, 0x76, 0x71, 0x73, 0x6A, 0x72, OP_I32_RSUB};

static bool is_i32_bin(uint32_t base) {
  return (base >= 0x46 && base <= 0x4F) || base == 0x6A || base == 0x6B || base == 0x6C || (base >= 0x71 && base <= 0x78) ||
         base == OP_I32_RSUB;
}

/* f64 comparison (0..5: eq ne lt gt le ge) to an integer register; returns whether rd holds its negation (ne). */
static bool fcmp(jc *j, uint32_t i, uint32_t rd, uint32_t fa, uint32_t fb) {
  switch (i) {
  case 0: rv_fcmp(&j->b, 2, rd, fa, fb); return false;
  case 1: rv_fcmp(&j->b, 2, rd, fa, fb); return true;
  case 2: rv_fcmp(&j->b, 1, rd, fa, fb); return false;
  case 3: rv_fcmp(&j->b, 1, rd, fb, fa); return false;
  case 4: rv_fcmp(&j->b, 0, rd, fa, fb); return false;
  default: rv_fcmp(&j->b, 0, rd, fb, fa); return false;
  }
}
/* The right f64 operand: a slot, or the address of an aligned constant. */
static uint32_t fsrc_b(jc *j, bool imm, uint32_t w) {
  if (imm) {
    rv_li(&j->b, T0, w);
    rv_fld(&j->b, FT1, T0, 0);
  } else {
    fld_slot(j, FT1, w);
  }
  return FT1;
}

/*
 * A call of a Wasm function [op callee frame_off], as h_call: the frame record (continuation, the
 * caller's frame), the call depth and value stack limits (the same trap at the same site), the
 * callee's declared locals zeroed (its sizes are known: every function is translated at load),
 * then the callee's entry through its opcode word (native code, a probe or a handler).
 */
static bool emit_call(jc *j, uint32_t pos) {
  jbuf *o = &j->b;
  const wfunc *callee = (const wfunc *)j->code[pos + 1];
  uint32_t off = W(2);
  uint32_t stub = new_stub(j, j->code + pos, WASM_TRAP_STACK_EXHAUSTED);
  rv_load(o, 2, T0, A4, (int32_t)__builtin_offsetof(wrun, fsp));
  rv_load(o, 2, T1, A4, (int32_t)__builtin_offsetof(wrun, fend));
  br_to(j, BEQ, T0, T1, stub);
  if (fits12((int32_t)off)) rv_addi(o, T2, A1, (int32_t)off);
  else ALU(o, RV_ADD, T2, A1, imm_reg(j, off, T3));
  rv_load(o, 2, T3, A4, (int32_t)__builtin_offsetof(wrun, stack_end));
  ALU(o, RV_SUB, T3, T3, T2);
  br_to(j, BLTU, T3, imm_reg(j, callee->frame_bytes, T4), stub);
  rv_li(o, T5, (uint32_t)(uintptr_t)(j->code + pos + 3));
  rv_store(o, 2, T5, T0, (int32_t)__builtin_offsetof(wframe, ret_ip));
  rv_store(o, 2, A1, T0, (int32_t)__builtin_offsetof(wframe, fp));
  rv_addi(o, T0, T0, (int32_t)sizeof(wframe));
  rv_store(o, 2, T0, A4, (int32_t)__builtin_offsetof(wrun, fsp));
  rv_addi(o, A1, T2, 0);
  uint32_t from = callee->nparams * 8u, to = callee->nlocals * 8u;
  if (to > from && to - from <= 64 && to <= 2048) {
    for (uint32_t k = from; k < to; k += 4) rv_store(o, 2, ZERO, A1, (int32_t)k);
  } else if (to > from) {
    ALU(o, RV_ADD, T1, A1, imm_reg(j, from, T1));
    ALU(o, RV_ADD, T3, A1, imm_reg(j, to, T3));
    uint32_t loop = o->n;
    rv_store(o, 2, ZERO, T1, 0);
    rv_store(o, 2, ZERO, T1, 4);
    rv_addi(o, T1, T1, 8);
    e32(o, rv_benc((int32_t)(loop - o->n), T3, T1, BLTU));
  }
  rv_li(o, A0, (uint32_t)(uintptr_t)callee->code);
  rv_load(o, 2, T0, A0, 0);
  rv_jalr(o, ZERO, T0, 0);
  return true;
}

/* Native code for the instruction at pos; false when it is not compiled (the caller exits there). */
static bool emit_op(jc *j, uint32_t pos, uint32_t op) {
  jbuf *o = &j->b;
  const wcode *ip = j->code + pos;
  uint32_t base = op & 0xFFu, flags = op & (W_IMM | W_AACC | W_DACC);
  switch (op) {
  case OP_BR: jmp_to(j, TARGET(1)); return true;
  case OP_BR_IF: br_to(j, BNE, slot_reg(j, W(2), T0), ZERO, TARGET(1)); return true;
  case OP_BR_UNLESS: br_to(j, BEQ, slot_reg(j, W(2), T0), ZERO, TARGET(1)); return true;
  case OP_BR_IF_ACC: br_to(j, BNE, A5, ZERO, TARGET(1)); return true;
  case OP_BR_UNLESS_ACC: br_to(j, BEQ, A5, ZERO, TARGET(1)); return true;
  case OP_COPY32: st32(j, slot_reg(j, W(2), T0), W(1)); return true;
  case OP_COPY64:
    ld32(j, T0, W(2));
    ld32(j, T1, W(2) + 4);
    st32(j, T0, W(1));
    st32(j, T1, W(1) + 4);
    return true;
  case OP_CONST32: st32(j, imm_reg(j, W(2), T0), W(1)); return true;
  case OP_CONST64:
    st32(j, imm_reg(j, W(2), T0), W(1));
    st32(j, imm_reg(j, W(3), T0), W(1) + 4);
    return true;
  case OP_GLOBAL_GET32: case OP_GLOBAL_GET64: case OP_GLOBAL_SET32: case OP_GLOBAL_SET64: {
    bool get = op == OP_GLOBAL_GET32 || op == OP_GLOBAL_GET64, wide = op == OP_GLOBAL_GET64 || op == OP_GLOBAL_SET64;
    uint32_t idx = get ? W(2) : W(1), slot = get ? W(1) : W(2);
    if (idx >= 255) return false;
    rv_load(o, 2, T0, A4, (int32_t)__builtin_offsetof(wrun, globals));
    for (uint32_t k = 0; k < (wide ? 2u : 1u); k++) {
      if (get) {
        rv_load(o, 2, T1, T0, (int32_t)(idx * 8 + k * 4));
        st32(j, T1, slot + k * 4);
      } else {
        ld32(j, T1, slot + k * 4);
        rv_store(o, 2, T1, T0, (int32_t)(idx * 8 + k * 4));
      }
    }
    return true;
  }
  case OP_SELECT32: case OP_SELECT64: /* [op dst a b cond]: b ^ ((a ^ b) & (cond ? ~0 : 0)), branch-free */
    ld32(j, T1, W(4));
    ALU(o, RV_SLTU, T1, ZERO, T1);
    ALU(o, RV_SUB, T1, ZERO, T1);
    for (uint32_t k = 0; k < (op == OP_SELECT64 ? 8u : 4u); k += 4) {
      ld32(j, T0, W(2) + k);
      ld32(j, T3, W(3) + k);
      ALU(o, RV_XOR, T2, T0, T3);
      ALU(o, RV_AND, T2, T2, T1);
      ALU(o, RV_XOR, T0, T3, T2);
      st32(j, T0, W(1) + k);
    }
    return true;
  case OP_MEMORY_SIZE: /* [op dst]: pages */
    rv_opi(o, 5, T0, A3, 16);
    st32(j, T0, W(1));
    return true;
  case 0xAC: case 0xAD: /* i64.extend_i32_s / _u [op dst a] */
    ld32(j, T0, W(2));
    if (op == 0xAC) rv_opi(o, 5, T1, T0, 0x400 | 31);
    st32(j, T0, W(1));
    st32(j, op == 0xAC ? T1 : ZERO, W(1) + 4);
    return true;
  case 0x45: /* i32.eqz */
    ld32(j, T0, W(2));
    rv_opi(o, 3, T0, T0, 1);
    st32(j, T0, W(1));
    return true;
  case 0xB7: case 0xB8: /* f64.convert_i32_s/u: exact */
    ld32(j, T0, W(2));
    rv_fcvt_d_w(o, FT0, T0, op == 0xB8);
    fsd_slot(j, FT0, W(1));
    return true;
  case OP_ADD_COPY:
    ld32(j, T0, W(2));
    alu(j, 0x6A, T0, T0, true, W(3));
    st32(j, T0, W(1));
    st32(j, T0, W(5));
    return true;
  case OP_COPY2:
    st32(j, slot_reg(j, W(2), T0), W(1));
    st32(j, slot_reg(j, W(5), T0), W(4));
    return true;
  case OP_F64_SQ: case OP_F64_SQ + 1: case OP_F64_DBL: case OP_F64_DBL + 1: {
    bool dacc = op == OP_F64_SQ + 1 || op == OP_F64_DBL + 1;
    fld_slot(j, FT0, W(2));
    rv_fop(o, op <= OP_F64_SQ + 1 ? RV_FMUL_D : RV_FADD_D, dacc ? FA0 : FT0, FT0, FT0);
    if (!dacc) fsd_slot(j, FT0, W(1));
    return true;
  }
  case OP_CALL: return emit_call(j, pos);
  case OP_RETURN: {
    /* h_return: pop a frame record and continue at its return address, or finish the call. */
    rv_load(o, 2, T0, A4, (int32_t)__builtin_offsetof(wrun, fsp));
    rv_load(o, 2, T1, A4, (int32_t)__builtin_offsetof(wrun, frames));
    br_to(j, BEQ, T0, T1, new_stub(j, ip, WASM_OK));
    rv_addi(o, T0, T0, -(int32_t)sizeof(wframe));
    rv_store(o, 2, T0, A4, (int32_t)__builtin_offsetof(wrun, fsp));
    rv_load(o, 2, A1, T0, (int32_t)__builtin_offsetof(wframe, fp));
    rv_load(o, 2, A0, T0, (int32_t)__builtin_offsetof(wframe, ret_ip));
    rv_load(o, 2, T1, A0, 0);
    rv_jalr(o, ZERO, T1, 0);
    return true;
  }
  case OP_MUL_LOADS: case OP_MUL_LOADS | W_DACC:
    ld32(j, T0, W(2));
    alu(j, 0x6A, T0, T0, true, W(4));
    ea(j, T0, W(3), ip);
    rv_load(o, 2, T4, T2, -4);
    ld32(j, T0, W(5));
    alu(j, 0x6A, T0, T0, true, W(7));
    ea(j, T0, W(6), ip + 1);
    rv_load(o, 2, T1, T2, -4);
    ALU(o, RV_MUL, (flags & W_DACC) ? A5 : T0, T4, T1);
    if (!(flags & W_DACC)) st32(j, T0, W(1));
    return true;
  default: break;
  }

  /* i32 binary operations and comparisons [op dst a b]. */
  if (op < 0x800 && is_i32_bin(base)) {
    uint32_t ra = (flags & W_AACC) ? A5 : slot_reg(j, W(2), T0);
    uint32_t rb = (flags & W_IMM) ? W(3) : slot_reg(j, W(3), T1);
    uint32_t rd = (flags & W_DACC) ? A5 : T0;
    if (!alu(j, base, rd, ra, (flags & W_IMM) != 0, rb)) return false;
    if (!(flags & W_DACC)) st32(j, T0, W(1));
    return true;
  }
  /* f64 arithmetic and comparisons [op dst a b]. */
  if (op < 0x800 && ((base >= 0xA0 && base <= 0xA3) || (base >= 0x61 && base <= 0x66))) {
    uint32_t fa = FA0;
    if (!(flags & W_AACC)) {
      fld_slot(j, FT0, W(2));
      fa = FT0;
    }
    uint32_t fb = fsrc_b(j, (flags & W_IMM) != 0, W(3));
    if (base >= 0xA0) {
      static const uint8_t f7[4] = {RV_FADD_D, RV_FSUB_D, RV_FMUL_D, RV_FDIV_D};
      rv_fop(o, f7[base - 0xA0], (flags & W_DACC) ? FA0 : FT0, fa, fb);
      if (!(flags & W_DACC)) fsd_slot(j, FT0, W(1));
    } else {
      uint32_t rd = (flags & W_DACC) ? A5 : T0;
      if (fcmp(j, base - 0x61, rd, fa, fb)) rv_opi(o, 4, rd, rd, 1);
      if (!(flags & W_DACC)) st32(j, T0, W(1));
    }
    return true;
  }
  /* Loads [op dst addr end] / [op dst base end k]. */
  if (op < 0x800 && base >= 0x28 && base <= 0x35 && flags != (W_AACC | W_IMM) && (flags & (W_AACC | W_IMM)) != (W_AACC | W_IMM)) {
    uint32_t ra = A5;
    if (!(flags & W_AACC)) {
      ra = slot_reg(j, W(2), T0);
      if (flags & W_IMM) alu(j, 0x6A, T0, T0, true, W(4));
    }
    ea(j, ra, W(3), ip);
    put_loaded(j, base, (flags & W_DACC) != 0, W(1));
    return true;
  }
  /* Stores [op addr val end] / [op base val end k]; value from a slot, the accumulator or an immediate. */
  {
    bool immv = base >= OP_STORE_IMMV && base <= OP_STORE_IMMV + 8;
    uint32_t sb = immv ? base - OP_STORE_IMMV + 0x36 : base;
    if (op < 0x800 && ((base >= 0x36 && base <= 0x3E) || immv) && (flags & (W_AACC | W_IMM)) != (W_AACC | W_IMM) &&
        !(immv && (flags & W_DACC)) && (flags & (W_AACC | W_DACC)) != (W_AACC | W_DACC)) {
      static const uint8_t size[9] = {4, 8, 4, 8, 1, 2, 1, 2, 4};
      uint32_t n = size[sb - 0x36];
      bool read64 = sb == 0x37 || sb == 0x39;
      uint32_t lo, hi = ZERO;
      if (immv) {
        lo = imm_reg(j, W(2), T4);
      } else if (flags & W_DACC) {
        lo = A5;
      } else {
        lo = slot_reg(j, W(2), T4);
        if (read64) hi = slot_reg(j, W(2) + 4, T5);
      }
      uint32_t ra = A5;
      if (!(flags & W_AACC)) {
        ra = slot_reg(j, W(1), T0);
        if (flags & W_IMM) alu(j, 0x6A, T0, T0, true, W(4));
      }
      ea(j, ra, W(3), ip);
      if (n == 8) {
        rv_store(o, 2, lo, T2, -8);
        rv_store(o, 2, hi, T2, -4);
      } else {
        rv_store(o, n == 4 ? 2 : n == 2 ? 1 : 0, lo, T2, -(int32_t)n);
      }
      return true;
    }
  }
  /* Loads with pointer update [op dst x a b end] (OP_UPD_X: x == a, the same words). */
  if ((op < 0x800 && base >= OP_LOAD_UPD_I32 && base <= OP_LOAD_UPD_I32_16U && !(flags & W_AACC)) ||
      (op >= OP_UPD_X && op < OP_UPD_X + 24)) {
    uint32_t kind = base, bimm = flags & W_IMM, dacc = flags & W_DACC;
    if (op >= OP_UPD_X) {
      kind = (op - OP_UPD_X) / 4 + 1;
      bimm = (op - OP_UPD_X) & 1;
      dacc = (op - OP_UPD_X) & 2;
    }
    ld32(j, T0, W(3));
    alu(j, 0x6A, T0, T0, bimm != 0, bimm ? W(4) : slot_reg(j, W(4), T1));
    st32(j, T0, W(2));
    ea(j, T0, W(5), ip);
    put_loaded(j, upd_base[kind], dacc != 0, W(1));
    return true;
  }
  /* Fused i32 compare-and-branch [op rel a b]. */
  if (op >= OP_BR_CMP && op < OP_BR_ADD && ((op - OP_BR_CMP) & 0xF) < 10) {
    uint32_t v = op - OP_BR_CMP, i = v & 0xF;
    uint32_t ra = (v & OP_BR_CMP_ACC) ? A5 : slot_reg(j, W(2), T0);
    uint32_t rb = (v & 0x10) ? imm_reg(j, W(3), T1) : slot_reg(j, W(3), T1);
    br_cmp(j, i, ra, rb, TARGET(1));
    return true;
  }
  /* Loop latches [op rel x a b c]: x = a + b; branch when x cmp c (OP_BRA_X: x == a). */
  if ((op >= OP_BR_ADD && op < OP_BR_F64) || (op >= OP_BRA_X && op < OP_BRA_X + 0x40)) {
    uint32_t v = op - (op >= OP_BRA_X ? OP_BRA_X : OP_BR_ADD), i = v & 0xF;
    if (i >= 10) return false;
    ld32(j, T0, W(3));
    alu(j, 0x6A, T0, T0, (v & OP_BR_ADD_BIMM) != 0, (v & OP_BR_ADD_BIMM) ? W(4) : slot_reg(j, W(4), T1));
    st32(j, T0, W(2));
    uint32_t rb = (v & OP_BR_ADD_CIMM) ? imm_reg(j, W(5), T1) : slot_reg(j, W(5), T1);
    br_cmp(j, i, T0, rb, TARGET(1));
    return true;
  }
  /* f64 compare-and-branch [op rel a b]. */
  if (op >= OP_BR_F64 && op < OP_FUSE2) {
    uint32_t v = op - OP_BR_F64, i = v & 7;
    if (i >= 6) return false;
    uint32_t fa = FA0;
    if (!(v & OP_BR_F64_AACC)) {
      fld_slot(j, FT0, W(2));
      fa = FT0;
    }
    uint32_t fb = fsrc_b(j, (v & OP_BR_F64_BIMM) != 0, W(3));
    bool neg = fcmp(j, i, T0, fa, fb);
    if (v & OP_BR_F64_NOT) neg = !neg;
    br_to(j, neg ? BEQ : BNE, T0, ZERO, TARGET(1));
    return true;
  }
  /* Two i32 operations with immediates [op dst a k1 k2]. */
  if (op >= OP_FUSE2 && op < OP_BRA_X) {
    uint32_t v = op - OP_FUSE2;
    uint32_t ra = (v & OP_FUSE2_AACC) ? A5 : slot_reg(j, W(2), T0);
    uint32_t rd = (v & OP_FUSE2_DACC) ? A5 : T0;
    alu(j, fuse_base[(v >> 3) & 7], T0, ra, true, W(3));
    alu(j, fuse_base[v & 7], rd, T0, true, W(4));
    if (!(v & OP_FUSE2_DACC)) st32(j, T0, W(1));
    return true;
  }
  /* In place: [op x x K], [op x x y], [op x - x] (x = acc op x). */
  if ((op >= OP_INPLACE_IMM && op < OP_INPLACE_IMM + 13) || (op >= OP_INPLACE && op < OP_INPLACE + 13) ||
      (op >= OP_INPLACE_ACC && op < OP_INPLACE_ACC + 13)) {
    uint32_t b0 = op >= OP_INPLACE_ACC ? OP_INPLACE_ACC : op >= OP_INPLACE ? OP_INPLACE : OP_INPLACE_IMM;
    uint32_t opc = 0x6A + (op - b0);
    if (b0 == OP_INPLACE_ACC) {
      ld32(j, T1, W(1));
      if (!alu(j, opc, T0, A5, false, T1)) return false;
    } else {
      ld32(j, T0, W(1));
      if (!alu(j, opc, T0, T0, b0 == OP_INPLACE_IMM, b0 == OP_INPLACE_IMM ? W(3) : slot_reg(j, W(3), T1))) return false;
    }
    st32(j, T0, W(1));
    return true;
  }
  /* A FUSE2 pair then `and K` to a slot [op - a k1 k2 | op dst2 - K]. */
  if (op >= OP_FUSE_AND && op < OP_FUSE_AND + 64) {
    uint32_t v = op - OP_FUSE_AND;
    ld32(j, T0, W(2));
    alu(j, fuse_base[(v >> 3) & 7], T0, T0, true, W(3));
    alu(j, fuse_base[v & 7], T0, T0, true, W(4));
    alu(j, 0x71, T0, T0, true, W(8));
    st32(j, T0, W(6));
    return true;
  }
  /* An i32 load then a compare-and-branch of the loaded slot [load .. | op rel dst b]. */
  if (op >= OP_LOAD_BR && op < OP_PRE_LATCH) {
    static const uint8_t lens[4] = {4, 5, 6, 6};
    uint32_t v = op - OP_LOAD_BR, kind = v / 20, i = (v % 20) / 2, bimm = v & 1, L = lens[kind], e;
    if (kind < 2) {
      ld32(j, T0, W(2));
      if (kind == 1) alu(j, 0x6A, T0, T0, true, W(4));
      e = W(3);
    } else {
      ld32(j, T0, W(3));
      alu(j, 0x6A, T0, T0, kind == 3, kind == 3 ? W(4) : slot_reg(j, W(4), T1));
      st32(j, T0, W(2));
      e = W(5);
    }
    ea(j, T0, e, ip);
    rv_load(o, 2, T4, T2, -4);
    st32(j, T4, W(1));
    uint32_t rb = bimm ? imm_reg(j, W(L + 3), T1) : slot_reg(j, W(L + 3), T1);
    br_cmp(j, i, T4, rb, TARGET(L + 1));
    return true;
  }
  /* A simple instruction then a loop latch [first .. | op rel x a b c]. */
  if (op >= OP_PRE_LATCH && op < OP_COUNT) {
    static const uint8_t lens[4] = {4, 5, 4, 3};
    uint32_t v = op - OP_PRE_LATCH, k = v / 80, rem = (v % 80) % 40, i = rem / 4, bimm = rem & 1, cimm = rem & 2;
    uint32_t L = lens[k];
    switch (k) {
    case 0:
      ld32(j, T0, W(1));
      alu(j, 0x6A, T0, T0, true, W(3));
      st32(j, T0, W(1));
      break;
    case 1:
      ld32(j, T0, W(1));
      alu(j, 0x6A, T0, T0, true, W(4));
      ea(j, T0, W(3), ip);
      rv_store(o, 0, imm_reg(j, W(2), T1), T2, -1);
      break;
    case 2:
      ld32(j, T1, W(3));
      ALU(o, RV_XOR, T0, A5, T1);
      st32(j, T0, W(1));
      break;
    default:
      st32(j, imm_reg(j, W(2), T0), W(1));
      break;
    }
    ld32(j, T0, W(L + 3));
    alu(j, 0x6A, T0, T0, bimm != 0, bimm ? W(L + 4) : slot_reg(j, W(L + 4), T1));
    st32(j, T0, W(L + 2));
    uint32_t rb = cimm ? imm_reg(j, W(L + 5), T1) : slot_reg(j, W(L + 5), T1);
    br_cmp(j, i, T0, rb, TARGET(L + 1));
    return true;
  }
  return false;
}

/*
 * Length in words of the instruction op at w (0: unknown), whether execution can continue with
 * the next one, and the word indexes of its branch displacements (first_disp .. first_disp +
 * ndisp).
 */
static uint32_t op_len(uint32_t op, const wcode *w, bool *falls, uint32_t *first_disp, uint32_t *ndisp) {
  uint32_t base = op & 0xFFu, flags = op & (W_IMM | W_AACC | W_DACC);
  *falls = true;
  *first_disp = *ndisp = 0;
  switch (op) {
  case OP_UNREACHABLE: case OP_MEM_TRAP: case OP_RETURN: *falls = false; return 1;
  case OP_BR: *falls = false; *first_disp = 1; *ndisp = 1; return 2;
  case OP_BR_IF: case OP_BR_UNLESS: *first_disp = 1; *ndisp = 1; return 3;
  case OP_BR_IF_ACC: case OP_BR_UNLESS_ACC: *first_disp = 1; *ndisp = 1; return 2;
  case OP_BR_TABLE: *falls = false; *first_disp = 3; *ndisp = (uint32_t)w[2] + 1; return (uint32_t)w[2] + 4;
  case OP_CALL: case OP_CALL_HOST: return 3;
  case OP_CALL_INDIRECT: return 5;
  case OP_MUL_LOADS: case OP_MUL_LOADS | W_DACC: return 8;
  case OP_SELECT32: case OP_SELECT64: return 5;
  case OP_COPY32: case OP_COPY64: case OP_CONST32: case OP_GLOBAL_GET32: case OP_GLOBAL_GET64: case OP_GLOBAL_SET32:
  case OP_GLOBAL_SET64: case OP_MEMORY_GROW: case OP_REF_IS_NULL: case OP_TABLE_SIZE: return 3;
  case OP_CONST64: case OP_TABLE_GET: case OP_TABLE_SET: case OP_MEMORY_COPY: case OP_MEMORY_FILL: return 4;
  case OP_MEMORY_SIZE: case OP_DATA_DROP: case OP_ELEM_DROP: return 2;
  case OP_MEMORY_INIT: case OP_TABLE_GROW: case OP_TABLE_FILL: return 5;
  case OP_TABLE_INIT: case OP_TABLE_COPY: return 6;
  case OP_F64_SQ: case OP_F64_SQ + 1: case OP_F64_DBL: case OP_F64_DBL + 1: return 4;
  case OP_ADD_COPY: return 7;
  case OP_COPY2: return 6;
  default: break;
  }
  if (op < 0x800) {
    if (base >= OP_LOAD_UPD_I32 && base <= OP_LOAD_UPD_I32_16U) return 6;
    if (base >= 0x28 && base <= 0x3E) return (flags & W_IMM) ? 5 : 4;
    if (base >= OP_STORE_IMMV && base <= OP_STORE_IMMV + 8) return (flags & W_IMM) ? 5 : 4;
    if (is_i32_bin(base) || (base >= 0xA0 && base <= 0xA3) || (base >= 0x61 && base <= 0x66)) return 4;
    if (flags) return 0;
    if ((base >= 0x7C && base <= 0x8A && !(base >= 0x7F && base <= 0x82)) || (base >= 0x51 && base <= 0x5A))
      return 4; /* i64 binary ops and compares: the W_IMM forms have other opcode values */
    if ((base >= 0x7F && base <= 0x82) || (base >= 0x6D && base <= 0x70)) return 4;
    if ((base >= 0x5B && base <= 0x60) || (base >= 0x92 && base <= 0x98) || (base >= 0xA4 && base <= 0xA6)) return 4;
    if (base == 0x45 || base == 0x50 || (base >= 0x67 && base <= 0x69) || (base >= 0x79 && base <= 0x7B) ||
        (base >= 0x8B && base <= 0x91) || (base >= 0x99 && base <= 0x9F) || (base >= 0xA8 && base <= 0xC4) ||
        (base >= OP_I32_TRUNC_SAT_F32_S && base <= OP_TRUNC_SAT_LAST))
      return 3;
    return 0;
  }
  if (op >= OP_BR_CMP && op < OP_BR_ADD) { *first_disp = 1; *ndisp = 1; return 4; }
  if ((op >= OP_BR_ADD && op < OP_BR_F64) || (op >= OP_BRA_X && op < OP_BRA_X + 0x40)) { *first_disp = 1; *ndisp = 1; return 6; }
  if (op >= OP_BR_F64 && op < OP_FUSE2) { *first_disp = 1; *ndisp = 1; return 4; }
  if (op >= OP_FUSE2 && op < OP_BRA_X) return 5;
  if ((op >= OP_INPLACE_IMM && op < OP_INPLACE_IMM + 13) || (op >= OP_INPLACE && op < OP_INPLACE + 13) ||
      (op >= OP_INPLACE_ACC && op < OP_INPLACE_ACC + 13))
    return 4;
  if (op >= OP_UPD_X && op < OP_UPD_X + 24) return 6;
  if (op >= OP_FUSE_AND && op < OP_FUSE_AND + 64) return 9;
  if (op >= OP_LOAD_BR && op < OP_PRE_LATCH) {
    static const uint8_t lens[4] = {4, 5, 6, 6};
    uint32_t L = lens[(op - OP_LOAD_BR) / 20];
    *first_disp = L + 1;
    *ndisp = 1;
    return L + 4;
  }
  if (op >= OP_PRE_LATCH && op < OP_COUNT) {
    static const uint8_t lens[4] = {4, 5, 4, 3};
    uint32_t L = lens[(op - OP_PRE_LATCH) / 80];
    *first_disp = L + 1;
    *ndisp = 1;
    return L + 6;
  }
  return 0;
}

/* The internal opcode at pos (looking through a probe), or -1. */
static int32_t opcode_at(jc *j, uint32_t pos) {
  wcode w = j->code[pos];
  if (w == winterp_entry_probe() && pos == 0) {
    w = j->fn->entry_orig;
  } else if (w == winterp_loop_probe()) {
    wprobe *p = wjit_find_probe(j->m, j->code + pos);
    if (!p) return -1;
    w = p->orig;
  }
  return winterp_opcode(w);
}

#define EXIT_ONLY 0xFFFFu

/* Marks the instructions reachable from the entry (ops[pos] = opcode + 1). Returns how many. */
static uint32_t discover(jc *j, uint32_t *work) {
  uint32_t nwork = 0, count = 0;
  work[nwork++] = 0;
  while (nwork) {
    uint32_t pos = work[--nwork];
    while (pos < j->len && !j->ops[pos]) {
      int32_t op = opcode_at(j, pos);
      bool falls;
      uint32_t fd, nd, n = op < 0 ? 0 : op_len((uint32_t)op, j->code + pos, &falls, &fd, &nd);
      if (!n || pos + n > j->len) {
        j->ops[pos] = EXIT_ONLY; /* unknown length: the interpreter takes over there */
        count++;
        break;
      }
      j->ops[pos] = (uint16_t)(op + 1);
      count++;
      for (uint32_t k = 0; k < nd; k++) {
        uint32_t t = TARGET(fd + k);
        if (t < j->len && !j->ops[t] && nwork <= j->len) work[nwork++] = t;
      }
      if (!falls) break;
      pos += n;
    }
  }
  return count;
}

/* One pass of code generation into j->b (which only measures when it has no room). */
static void generate(jc *j) {
  j->b.n = 0;
  j->nfix = j->nstubs = 0;
  for (uint32_t pos = 0; pos < j->len && !j->failed; pos++) {
    if (!j->ops[pos]) continue;
    j->lab[pos] = j->b.n;
    j->cur = pos;
    uint32_t op = j->ops[pos] - 1u, n0 = j->b.n, f0 = j->nfix, s0 = j->nstubs;
    j->native[pos] = j->ops[pos] != EXIT_ONLY && emit_op(j, pos, op);
    if (j->native[pos]) {
      /* Falling through to an instruction not compiled (cannot happen in validated code): leave. */
      bool falls;
      uint32_t fd, nd, next = pos + op_len(op, j->code + pos, &falls, &fd, &nd);
      if (falls && (next >= j->len || !j->ops[next])) {
        rv_li(&j->b, A0, (uint32_t)(uintptr_t)(j->code + next));
        rv_load(&j->b, 2, T0, A0, 0);
        rv_jalr(&j->b, ZERO, T0, 0);
      }
    } else {
      /* Not compiled: run its handler (read from its opcode word at run time), as dispatch would. */
      j->b.n = n0;
      j->nfix = f0;
      j->nstubs = s0;
      rv_li(&j->b, A0, (uint32_t)(uintptr_t)(j->code + pos));
      rv_load(&j->b, 2, T0, A0, 0);
      rv_jalr(&j->b, ZERO, T0, 0);
    }
  }
  /* Trap stubs: the trap site, then return the status to winterp_run like a handler's TRAP. */
  for (uint32_t k = 0; k < j->nstubs; k++) {
    j->stubs[k].off = j->b.n;
    rv_li(&j->b, A0, (uint32_t)(uintptr_t)j->stubs[k].site);
    rv_store(&j->b, 2, A0, A4, (int32_t)__builtin_offsetof(wrun, trap_ip));
    rv_li(&j->b, A0, j->stubs[k].status);
    rv_jalr(&j->b, ZERO, RA, 0);
  }
}

/* Resolves the branches; false when some conditional branch is out of range (marked far for the next pass). */
static bool resolve(jc *j) {
  bool ok = true;
  for (uint32_t k = 0; k < j->nfix; k++) {
    jfix *f = &j->fix[k];
    uint32_t t = f->label < j->len ? j->lab[f->label] : j->stubs[f->label - j->len].off;
    int32_t d = (int32_t)(t - f->at);
    uint32_t bits;
    if (f->jal) {
      if (d < -(1 << 20) || d >= (1 << 20)) {
        j->failed = true;
        return false;
      }
      bits = rv_jenc(d, 0) ^ 0x6Fu;
    } else {
      if (d < -4096 || d >= 4096) {
        j->far[k] = 1;
        ok = false;
        continue;
      }
      bits = rv_benc(d, 0, 0, 0) ^ 0x63u;
    }
    if (f->at + 4 <= j->b.cap) *(uint32_t *)(void *)(j->b.buf + f->at) |= bits;
  }
  return ok;
}

/*
 * Compiles and patches; false when nothing was patched (out of code memory or quota, a function
 * beyond the fixup or size estimates). Code is generated into a scratch buffer (again if a forward
 * branch turned out to be out of reach), then copied to a block of its exact size: it only holds
 * pc-relative branches and absolute addresses, so it runs anywhere.
 */
static bool compile(wasm_module *m, wfunc *fn) {
  wasm_heap *h = m->heap;
  jc j;
  wu_memset(&j, 0, sizeof j);
  j.m = m;
  j.fn = fn;
  j.code = fn->code;
  j.len = fn->code_len;
  size_t scratch = ((size_t)j.len * (sizeof *j.ops + sizeof *j.native + sizeof *j.lab + sizeof(uint32_t)) + 15) & ~(size_t)7;
  uint8_t *mem = scratch_alloc(h, scratch);
  if (!mem) return false;
  wu_memset(mem, 0, scratch);
  j.lab = (uint32_t *)(void *)mem;
  uint32_t *work = j.lab + j.len;
  j.ops = (uint16_t *)(void *)(work + j.len + 1);
  j.native = (uint8_t *)(j.ops + j.len);
  bool ok = false;
  uint32_t count = discover(&j, work);
  /* Typical functions need about one fixup and half a trap stub per instruction: a function
     beyond these bounds (say, nothing but two-load multiplications) is left to the interpreter. */
  j.fixcap = count * 3 + 16;
  j.stubcap = count + 16;
  /* One block: fixups, stubs, far flags, then the code buffer (sized by an estimate). */
  size_t fbytes = (size_t)j.fixcap * sizeof *j.fix, sbytes = (size_t)j.stubcap * sizeof *j.stubs;
  size_t cbytes = (size_t)count * 80 + 64, more = fbytes + sbytes + ((j.fixcap + 7u) & ~7u) + cbytes;
  uint8_t *block = count ? scratch_alloc(h, more) : NULL;
  if (block) {
    j.fix = (jfix *)(void *)block;
    j.stubs = (jstub *)(void *)(block + fbytes);
    j.far = block + fbytes + sbytes;
    wu_memset(j.far, 0, j.fixcap);
    j.b.buf = j.far + ((j.fixcap + 7u) & ~7u);
    j.b.cap = (uint32_t)cbytes;
    bool done = false;
    for (int pass = 0; pass < 8 && !done && !j.failed; pass++) {
      generate(&j);
      done = !j.failed && j.b.n <= j.b.cap && resolve(&j);
      if (j.b.n > j.b.cap) break; /* the estimate is too low: not compiled */
    }
    /* The block: its list link, then the code (8-aligned: the link is two words). */
    size_t size = sizeof(wcode_block) + j.b.n;
    void *xv = NULL;
    wcode_block *blk = done && size <= h->quota && h->used <= h->quota - size ? wasm_code_alloc(size, &xv) : NULL;
    if (blk) {
      h->used += size;
      blk->next = m->native;
      blk->size = size;
      m->native = blk;
      uint8_t *exec = (uint8_t *)xv + sizeof(wcode_block);
      wu_memcpy(blk + 1, j.b.buf, j.b.n);
      __asm__ volatile("fence.i" ::: "memory");
      wcode *code = (wcode *)(uintptr_t)fn->code;
      for (uint32_t pos = 0; pos < j.len; pos++)
        if (j.ops[pos] && j.native[pos]) __atomic_store_n(&code[pos], (wcode)(exec + j.lab[pos]), __ATOMIC_RELEASE);
      ok = true;
    }
  }
  scratch_free(h, block, more);
  scratch_free(h, mem, scratch);
  return ok;
}

static void tier_up(wasm_module *m, wfunc *fn) {
  /* Once per function, even if another thread running the same module gets here meanwhile. */
  if (__atomic_exchange_n(&fn->heat, WJIT_DONE, __ATOMIC_ACQ_REL) & WJIT_DONE) return;
  compile(m, fn);
  restore_probes(m, fn);
}

#endif
