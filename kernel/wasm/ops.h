/*
 * Internal instruction set. Code is an array of pointer-sized words (wcode):
 * an opcode word followed by its operands. Once a function is translated, each
 * opcode word is replaced by its handler's address (threaded code, interp.c).
 * Slot operands are byte offsets from the frame pointer; branch operands are
 * signed word offsets relative to the opcode word.
 *
 * Numeric and memory instructions keep their WebAssembly opcode value
 * (0x28..0xC4) so the translator maps them 1:1:
 *   unary   [op dst a]          binary  [op dst a b]
 *   load    [op dst addr end]   store   [op addr val end]
 * where end = memarg offset + access size (one bounds test covers the access).
 * An "_imm" binary variant (op | W_IMM) takes the right operand as an
 * immediate: one word for i32 and f32, two (lo, hi) for i64, and for f64 one word
 * holding the address of an 8-byte aligned copy in the module (one fld).
 *
 * The accumulator: handlers pass one i32 register value along. An i32 result
 * that the very next instruction consumes goes there instead of to its slot:
 * the producer gets W_DACC ("result to the accumulator") and the consumer
 * W_AACC ("left operand from the accumulator"); the operand words stay in
 * place, unused. For i32 binary ops, compares and loads these combine with
 * W_IMM; for stores W_AACC means the address and W_DACC the value comes from
 * the accumulator. For loads and stores W_IMM means "address = slot + constant"
 * (a folded i32.add), with the constant in an extra word after `end`. Nothing else touches the register, so values survive any
 * instruction in between that does not produce one (constants, copies).
 */
#ifndef WASMOS_WASM_OPS_H
#define WASMOS_WASM_OPS_H

enum {
  OP_UNREACHABLE = 0x00,  /* [op] */
  /*
   * Load with pointer update: [op dst x a b end] does x = a + b, then loads from x (the
   * `local.tee x (i32.add ...)` that computed the address, fused). + W_IMM: b immediate;
   * + W_DACC: result to the accumulator (i32 loads). One base per load kind.
   */
  OP_LOAD_UPD_I32 = 0x01,    /* i32.load */
  OP_LOAD_UPD_I64 = 0x02,    /* i64.load */
  OP_LOAD_UPD_F64 = 0x03,    /* f64.load */
  OP_LOAD_UPD_I32_8S = 0x04, /* i32.load8_s */
  OP_LOAD_UPD_I32_8U = 0x05, /* i32.load8_u */
  OP_LOAD_UPD_I32_16U = 0x06,/* i32.load16_u */
  OP_BR = 0x0C,           /* [op rel] */
  OP_BR_IF = 0x0D,        /* [op rel cond] jump when cond != 0 */
  OP_BR_TABLE = 0x0E,     /* [op idx n rel_0 .. rel_n] rel_n is the default */
  OP_RETURN = 0x0F,       /* [op] results already in slots 0.. */
  OP_CALL = 0x10,         /* [op callee frame_off] callee: the wfunc's address */
  OP_CALL_HOST = 0x15,    /* [op callee frame_off] the same for an imported (host) function */
  OP_CALL_INDIRECT = 0x11,/* [op canon_type table frame_off idx] */
  OP_BR_UNLESS = 0x12,    /* [op rel cond] jump when cond == 0 */
  OP_BR_IF_ACC = 0x13,    /* [op rel] jump when the accumulator != 0 */
  OP_BR_UNLESS_ACC = 0x14,/* [op rel] jump when the accumulator == 0 */
  /*
   * i32.mul of two i32.loads [op dst baseA endA kA baseB endB kB]: each address is base slot + k
   * (wrapping, as the folded i32.add), then the access as for a load. + W_DACC: to the accumulator.
   */
  OP_MUL_LOADS = 0x16,
  OP_SELECT32 = 0x1B,     /* [op dst a b cond] */
  OP_SELECT64 = 0x1C,
  OP_COPY32 = 0x20,       /* [op dst src] */
  OP_COPY64 = 0x21,
  OP_CONST32 = 0x22,      /* [op dst v] */
  OP_CONST64 = 0x23,      /* [op dst lo hi] */
  OP_GLOBAL_GET32 = 0x24, /* [op dst idx] */
  OP_GLOBAL_GET64 = 0x25,
  OP_GLOBAL_SET32 = 0x26, /* [op idx src] */
  OP_GLOBAL_SET64 = 0x27,
  /* 0x28..0x3E loads and stores */
  OP_MEMORY_SIZE = 0x3F,  /* [op dst] */
  OP_MEMORY_GROW = 0x40,  /* [op dst delta] */
  /* 0x45..0xC4 numeric */
  OP_I32_TRUNC_SAT_F32_S = 0xC5, /* ..0xCC: the eight trunc_sat conversions, unary form */
  OP_TRUNC_SAT_LAST = 0xCC,
  OP_REF_IS_NULL = 0xD1,  /* [op dst a] */
  OP_TABLE_GET = 0xD3,    /* [op dst idx table] */
  OP_TABLE_SET = 0xD4,    /* [op table idx val] */
  OP_MEMORY_INIT = 0xE0,  /* [op seg d s n] */
  OP_DATA_DROP = 0xE1,    /* [op seg] */
  OP_MEMORY_COPY = 0xE2,  /* [op d s n] */
  OP_MEMORY_FILL = 0xE3,  /* [op d val n] */
  OP_TABLE_INIT = 0xE4,   /* [op table seg d s n] */
  OP_ELEM_DROP = 0xE5,    /* [op seg] */
  OP_TABLE_COPY = 0xE6,   /* [op dst_table src_table d s n] */
  OP_TABLE_GROW = 0xE7,   /* [op dst table init n] */
  OP_TABLE_SIZE = 0xE8,   /* [op dst table] */
  OP_TABLE_FILL = 0xE9,   /* [op table i val n] */
  OP_STORE_IMMV = 0xF0,   /* + (store opcode - 0x36): [op addr value end], value immediate (stores of <= 4 bytes) */
  OP_I32_RSUB = 0xEB,     /* i32 binary (all variants): b - a, so `C - x` can use the immediate form */
  OP_MEM_TRAP = 0xEA,     /* [op] an access whose offset + size exceeds 4 GiB: always out of bounds */
  /* Fused i32 compare-and-branch: [op rel a b] / [op rel a imm]; + 0x20 when a is the accumulator. */
  OP_BR_CMP = 0x800,      /* + (cmp opcode - 0x46) */
  OP_BR_CMP_IMM = 0x810,  /* + (cmp opcode - 0x46) */
  OP_BR_CMP_ACC = 0x20,
  /*
   * Loop latch: `x = a + b; if (x cmp c) jump` as one instruction [op rel x a b c]
   * (+ 0x10: b immediate, + 0x20: c immediate), + (cmp opcode - 0x46).
   */
  OP_BR_ADD = 0x840,
  OP_BR_ADD_BIMM = 0x10,
  OP_BR_ADD_CIMM = 0x20,
  /*
   * Fused f64 compare-and-branch [op rel a b] (b: slot or the address of an f64 immediate): + (cmp opcode - 0x61),
   * + 0x08: jump when the comparison is false (not the mirrored compare: NaN), + 0x10: b
   * immediate, + 0x20: a is the f64 accumulator.
   */
  OP_BR_F64 = 0x880,
  OP_BR_F64_NOT = 0x08,
  OP_BR_F64_BIMM = 0x10,
  OP_BR_F64_AACC = 0x20,
  /*
   * Two i32 operations with immediates, the first result feeding only the second:
   * [op dst a k1 k2] computes (a op1 k1) op2 k2. + op1 index * 8 + op2 index, indices:
   * shl 0, shr_s 1, shr_u 2, and 3, xor 4, add 5, or 6, rsub 7 (compile.c fuse_index);
   * + 0x40: a is the accumulator, + 0x80: result to the accumulator.
   */
  OP_FUSE2 = 0x8C0,
  OP_FUSE2_AACC = 0x40,
  OP_FUSE2_DACC = 0x80,
  /*
   * Forms chosen after translation by peephole.c, same layout as the instruction they replace
   * (so no code moves): an operand that names the same slot as the result is read through the
   * result's address, one operand fetch fewer.
   *   OP_BRA_X + (latch opcode - OP_BR_ADD): loop latch with x == a (`x += b; if (x cmp c)`).
   *   OP_INPLACE_IMM / OP_INPLACE + (opcode - 0x6A): i32 `x = x op K` / `x = x op y` (slots; a
 *   commutative `x = y op x` has its operands swapped first).
   *   OP_UPD_X + (load-update base - 1) * 4 + (1: b immediate) + (2: to the accumulator): x == a.
   *   OP_F64_SQ / OP_F64_DBL (+1: to the f64 accumulator): f64.mul / f64.add of a slot and itself.
   */
  OP_BRA_X = 0x9C0,
  OP_INPLACE_IMM = 0xA00,
  OP_INPLACE = 0xA10,
  OP_UPD_X = 0xA20,
  OP_F64_SQ = 0xA40,
  /*
   * Pairs fused by peephole.c where the second instruction is no branch target; both keep their
   * words in place and the fused handler skips both:
   *   OP_ADD_COPY: `i32.add d1, a, K` then `copy32 d2, d1` ([op d1 a K | op d2 d1]).
   *   OP_COPY2: two copy32.
   */
  OP_ADD_COPY = 0xA42,
  OP_COPY2 = 0xA43,
  /*
   * OP_FUSE_AND + (OP_FUSE2 pair index): an OP_FUSE2 pair from a slot to the accumulator, then
   * `i32.and K` of the accumulator to a slot ([op dst a k1 k2 | op dst2 - K]): the bit-to-mask
   * idioms `((x << 31) >> 31) & K` and `(0 - (x & 1)) & K` of CRCs and LFSRs.
   */
  OP_FUSE_AND = 0xA44,
  /* OP_INPLACE_ACC + (opcode - 0x6A): i32 `x = acc op x` [op x - x] (the accumulator form, result to b's slot). */
  OP_INPLACE_ACC = 0xA84,
  OP_F64_DBL = 0xA93, /* (+1: to the f64 accumulator) f64.add of a slot to itself [op dst a a] */
  /*
   * OP_LOAD_BR + kind * 20 + (cmp opcode - 0x46) * 2 + (1: b immediate): an i32 load into a slot,
   * then a compare-and-branch whose left operand is that slot ([load ... | op rel dst b]): the
   * value is tested without being read back. Kinds: 0 i32.load [op dst addr end], 1 the folded
   * form [op dst base end k], 2/3 the load with pointer update [op dst x a b end], b a slot / an
   * immediate. Fused by peephole.c; the load keeps its trap site (the pair's first word).
   */
  OP_LOAD_BR = 0xA95,
  /*
   * OP_PRE_LATCH + kind * 80 + (cmp opcode - 0x46) * 4 + (1: b immediate) + (2: c immediate)
   * (+ 40: the latch counts x in place, x == a): a simple instruction right before a loop latch
   * (OP_BR_ADD or OP_BRA_X [op rel x a b c]), both in one dispatch. Kinds: 0 `x = a + K` [op x a K], 1 i32.store8 of an immediate at slot + k
   * [op base v end k], 2 `x = acc ^ y` [op x - y], 3 const32 [op dst v]. Fused by peephole.c.
   */
  OP_PRE_LATCH = 0xAE5,
  OP_COUNT = 0xC25
};
#define W_IMM 0x100
#define W_AACC 0x200
#define W_DACC 0x400

#endif
