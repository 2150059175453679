/*
 * Peephole rewrites of a translated function, after translation and the branch self-check,
 * before opcodes become handler addresses. Every rewrite keeps the code's layout: an
 * instruction only changes its opcode word, and a fused pair keeps both instructions' words in
 * place (the fused handler skips both), so branch displacements, trap sites and call
 * continuations stay valid. A pair is fused only when its second instruction is no branch
 * target. Neither instruction of a fused pair can trap.
 */
#include "internal.h"
#include "ops.h"

/* Whether a branch lands on pos: brw holds (displacement word, its instruction) pairs. Asked only
   for fusion candidates, so a scan is cheaper than a bitmap per function. */
static bool targeted(const wcode *code, const uint32_t *brw, uint32_t nbrw, uint32_t pos) {
  for (uint32_t i = 0; i + 1 < nbrw; i += 2)
    if (brw[i + 1] + (uint32_t)((intptr_t)code[brw[i]] / (intptr_t)sizeof(wcode)) == pos) return true;
  return false;
}

/* i32 binary operations with an in-place form (ops.h OP_INPLACE*). */
static bool inplace_op(uint32_t base) { return base == 0x6A || base == 0x6B || base == 0x6C || (base >= 0x71 && base <= 0x76); }

static bool commutative(uint32_t base) { return base == 0x6A || base == 0x6C || (base >= 0x71 && base <= 0x73); }

/* The in-place form of the single instruction at w, or 0 when it has none (may swap operands). */
static uint32_t single(wcode *w) {
  uint32_t o = (uint32_t)w[0], base = o & 0xFFu, flags = o & ~0xFFu;
  if (inplace_op(base) && flags == W_AACC && w[1] == w[3]) return OP_INPLACE_ACC + (base - 0x6A); /* [op x - x] */
  if (commutative(base) && flags == 0 && w[1] == w[3] && w[1] != w[2]) { /* x = y op x -> x = x op y */
    wcode t = w[2];
    w[2] = w[3];
    w[3] = t;
  }
  if (o >= OP_BR_ADD && o < OP_BR_F64) return w[2] == w[3] ? OP_BRA_X + (o - OP_BR_ADD) : 0; /* [op rel x a b c] */
  if (o >= OP_BR_CMP) return 0;
  if (inplace_op(base) && (flags == 0 || flags == W_IMM) && w[1] == w[2]) /* [op dst a b] */
    return (flags ? OP_INPLACE_IMM : OP_INPLACE) + (base - 0x6A);
  if (base >= OP_LOAD_UPD_I32 && base <= OP_LOAD_UPD_I32_16U && !(flags & W_AACC) && w[2] == w[3]) /* [op dst x a b end] */
    return OP_UPD_X + (base - 1) * 4 + ((flags & W_IMM) ? 1 : 0) + ((flags & W_DACC) ? 2 : 0);
  if (base == 0xA2 && (flags == 0 || flags == W_DACC) && w[2] == w[3]) return OP_F64_SQ + (flags ? 1 : 0); /* f64.mul */
  if (base == 0xA0 && (flags == 0 || flags == W_DACC) && w[2] == w[3]) return OP_F64_DBL + (flags ? 1 : 0); /* f64.add */
  return 0;
}

/* Words of the i32 load at w that OP_LOAD_BR can absorb, and its kind; 0 if none. */
static uint32_t load_kind(const wcode *w, uint32_t *kind) {
  switch ((uint32_t)w[0]) {
  case 0x28: *kind = 0; return 4;
  case 0x28 | W_IMM: *kind = 1; return 5;
  case OP_LOAD_UPD_I32: *kind = 2; return 6;
  case OP_LOAD_UPD_I32 | W_IMM: *kind = 3; return 6;
  default: return 0;
  }
}

/* Words of the instruction at w that OP_PRE_LATCH can absorb, and its kind; 0 if none. */
static uint32_t pre_latch_kind(const wcode *w, uint32_t *kind) {
  switch ((uint32_t)w[0]) {
  case 0x6A | W_IMM: *kind = 0; return w[1] == w[2] ? 4 : 0; /* x += K */
  case (OP_STORE_IMMV + 0x3A - 0x36) | W_IMM: *kind = 1; return 5;
  case 0x73 | W_AACC: *kind = 2; return 4;
  case OP_CONST32: *kind = 3; return 3;
  default: return 0;
  }
}

/* The latch index (cmp * 4 + b imm + 2 * c imm, + 40 when it counts x in place: `x += b; if (x
   cmp c)`) of the loop latch at w, or -1. */
static int latch_index(const wcode *w) {
  uint32_t o = (uint32_t)w[0];
  uint32_t base = o >= OP_BRA_X && o < OP_BRA_X + 0x40 ? OP_BRA_X : o >= OP_BR_ADD && o < OP_BR_ADD + 0x40 ? OP_BR_ADD : 0;
  if (!base || ((o - base) & 0xF) >= 10) return -1;
  o -= base;
  return (int)((o & 0xF) * 4 + ((o & OP_BR_ADD_BIMM) ? 1 : 0) + ((o & OP_BR_ADD_CIMM) ? 2 : 0) + (w[2] == w[3] ? 40 : 0));
}

/*
 * The opcodes that can start any rewrite below: pre_latch_kind's and load_kind's (first halves),
 * i32.add with an immediate and copy32 (pairs), FUSE2 pairs to the accumulator, and single()'s
 * candidates (in-place i32 operations in every operand form, loop latches, loads with update,
 * f64.mul/f64.add to a slot or the accumulator). Most instructions are none of these: one bit test
 * skips them (this pass runs at every spawn). A superset is safe; a rule added below must add its
 * first opcode here.
 */
static const uint32_t candidates[(OP_COUNT + 31) / 32] = {
    [0] = 0x0000007eu,  [1] = 0x00000105u,  [3] = 0x007e1c00u,  [5] = 0x00000005u,  [8] = 0x0000007eu,
    [9] = 0x00000100u,  [11] = 0x007e1c00u, [15] = 0x00100000u, [19] = 0x007e1c00u, [32] = 0x0000007eu,
    [37] = 0x00000005u, [40] = 0x0000007eu, [66] = 0xffffffffu, [67] = 0xffffffffu, [74] = 0xffffffffu,
    [75] = 0xffffffffu,
};
static inline bool candidate(uint32_t op) { return op < OP_COUNT && (candidates[op >> 5] >> (op & 31)) & 1u; }

void wpeep_function(wcode *code, uint32_t len, const uint32_t *opat, uint32_t nops, const uint32_t *brw, uint32_t nbrw) {
  for (uint32_t i = 0; i < nops; i++) {
    uint32_t p = opat[i];
    wcode *w = code + p;
    bool has_next = i + 1 < nops;
    /* Every form here spans at least 4 words (the rest of the function is shorter still). Fast
       rejection, as this runs at every spawn: every single form repeats an operand word, and
       pairs start with one of three opcodes. */
    if (p + 4 > len) break;
    if (!candidate((uint32_t)w[0])) continue;
    uint32_t kind, n;
    /* A simple instruction then a loop latch: one dispatch. */
    n = has_next ? pre_latch_kind(w, &kind) : 0;
    int li = n && opat[i + 1] == p + n ? latch_index(w + n) : -1;
    if (li >= 0 && !targeted(code, brw, nbrw, p + n)) {
      w[0] = OP_PRE_LATCH + kind * 80 + (uint32_t)li;
      i++;
      continue;
    }
    /* [i32 load dst ..] then [br_cmp rel dst b]: the loaded value goes straight to the test. */
    n = has_next ? load_kind(w, &kind) : 0;
    if (n && opat[i + 1] == p + n && w[n + 2] == w[1] && !targeted(code, brw, nbrw, p + n)) {
      uint32_t b = (uint32_t)w[n], imm = b >= OP_BR_CMP_IMM && b < OP_BR_CMP_IMM + 10;
      if (imm || (b >= OP_BR_CMP && b < OP_BR_CMP + 10)) {
        w[0] = OP_LOAD_BR + kind * 20 + (b - (imm ? OP_BR_CMP_IMM : OP_BR_CMP)) * 2 + imm;
        i++;
        continue;
      }
    }
    if (w[1] != w[2] && w[2] != w[3] && w[1] != w[3] && w[0] != (0x6A | W_IMM) && w[0] != OP_COPY32 &&
        (w[0] < OP_FUSE2 + OP_FUSE2_DACC || w[0] >= OP_FUSE2 + OP_FUSE2_DACC + OP_FUSE2_AACC))
      continue;
    if (w[0] == (0x6A | W_IMM) && has_next && opat[i + 1] == p + 4 && w[4] == OP_COPY32 && w[6] == w[1] &&
        !targeted(code, brw, nbrw, p + 4)) {
      w[0] = OP_ADD_COPY;
      i++;
      continue;
    }
    if (w[0] == OP_COPY32 && has_next && opat[i + 1] == p + 3 && w[3] == OP_COPY32 && !targeted(code, brw, nbrw, p + 3)) {
      w[0] = OP_COPY2;
      i++;
      continue;
    }
    /* [fuse2 (slot -> acc) - a k1 k2 | and imm (acc -> slot) dst - K] */
    if (w[0] >= OP_FUSE2 + OP_FUSE2_DACC && w[0] < OP_FUSE2 + OP_FUSE2_DACC + OP_FUSE2_AACC && has_next &&
        opat[i + 1] == p + 5 && w[5] == (0x71 | W_IMM | W_AACC) && !targeted(code, brw, nbrw, p + 5)) {
      w[0] = OP_FUSE_AND + (w[0] - OP_FUSE2 - OP_FUSE2_DACC);
      i++;
      continue;
    }
    uint32_t o = single(w);
    if (o) w[0] = o;
  }
  /* The fused pairs with a branch in their second half take its displacement relative to the
     pair's first word (their handlers jump from there), once no fusion needs branch targets. */
  for (uint32_t i = 0; i < nops; i++) {
    wcode *w = code + opat[i];
    uint32_t o = (uint32_t)w[0], n = 0;
    if (o >= OP_LOAD_BR && o < OP_PRE_LATCH) {
      static const uint8_t lens[4] = {4, 5, 6, 6};
      n = lens[(o - OP_LOAD_BR) / 20];
    } else if (o >= OP_PRE_LATCH && o < OP_COUNT) {
      static const uint8_t lens[4] = {4, 5, 4, 3};
      n = lens[(o - OP_PRE_LATCH) / 80];
    }
    if (n) w[n + 1] = (wcode)((intptr_t)w[n + 1] + (intptr_t)(n * sizeof(wcode)));
  }
}
