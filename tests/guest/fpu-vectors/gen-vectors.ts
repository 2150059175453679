// Generates the FPU differential-test table: a few thousand (instruction,
// operands, frm) vectors, from a fixed seed so the table is reproducible.
// build.sh writes it to vectors.bin and links it into fpu-vectors.elf; the
// vitest side regenerates it, checks the ELF carries exactly this table, and
// replays every vector on execFp.
//
// Layout of a vector, 10 little-endian u32 words (must match main.c/start.S):
//   insn, frm, xs1 (t4), xrd (initial t3), f1 lo, f1 hi, f2 lo, f2 hi, f3 lo, f3 hi
// The instruction's registers are fixed: rd f0 / t3 (x28), rs1 f1 / t4 (x29), rs2 f2, rs3 f3.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

export const VECTOR_WORDS = 10;
/** f0 before each vector (low word, high word), as in start.S. */
export const F0_SENTINEL = [0x0badf00d, 0xdeadbeef] as const;
export const XRD = 28;
export const XRS1 = 29;

/** mulberry32: small, fast, and identical on every JS engine. */
class Rng {
  constructor(private s: number) {}
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() < p * 4294967296; }
  pick<T>(a: readonly T[]): T { return a[this.below(a.length)]!; }
}

type Bits = [lo: number, hi: number];

const f64v = new Float64Array(1);
const f64u = new Uint32Array(f64v.buffer);
const f32v = new Float32Array(1);
const f32u = new Uint32Array(f32v.buffer);
function dBits(v: number): Bits { f64v[0] = v; return [f64u[0]!, f64u[1]!]; }
function sBits(v: number): number { f32v[0] = v; return f32u[0]!; }
function dVal(b: Bits): number { f64u[0] = b[0]; f64u[1] = b[1]; return f64v[0]!; }
function sVal(b: number): number { f32u[0] = b; return f32v[0]!; }

const SPECIAL_S = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x80800000,
  0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff812345,
  0x7fbfffff, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x4f000000, 0xcf000000, 0x4f800000, 0x4effffff,
  0xcf000001, 0x3eaaaaab, 0x00400000, 0x00800001, 0x40490fdb, 0x7f000000, 0x01000000,
];
const SPECIAL_D: Bits[] = [
  [0, 0], [0, 0x80000000], [0, 0x3ff00000], [0, 0xbff00000], [1, 0], [1, 0x80000000], [0xffffffff, 0xfffff],
  [0, 0x100000], [0, 0x80100000], [0xffffffff, 0x7fefffff], [0xffffffff, 0xffefffff], [0, 0x7ff00000],
  [0, 0xfff00000], [0, 0x7ff80000], [0, 0xfff80000], [0x1234, 0x7ff80000], [1, 0x7ff00000], [0, 0xfff40000],
  [0, 0x3fe00000], [0, 0x3ff80000], [0, 0x40040000], [0, 0xc0040000], [0, 0x41e00000], [0, 0xc1e00000],
  [0, 0x41f00000], [0xffe00000, 0x41dfffff], [0x00200000, 0xc1e00000], [0x55555555, 0x3fd55555],
  [0, 0x80000], [0xe0000000, 0x47efffff], [0, 0x36a00000], [0, 0x38100000], [0xe0000000, 0x380fffff],
  [0x54442d18, 0x400921fb], [0, 0x7fe00000], [0xfffffffe, 0x41efffff],
];

/** A random significand pattern of `bits` bits (below the implicit one): dense, sparse or nearly all ones. */
function fraction(r: Rng, bits: number): number {
  const kind = r.below(4);
  let f = 0;
  if (kind === 0 || kind === 1) {
    for (let left = bits; left > 0; left -= 16) {
      const chunk = Math.min(16, left);
      f = f * 2 ** chunk + (r.u32() & ((1 << chunk) - 1));
    }
  } else {
    const n = 1 + r.below(4);
    for (let i = 0; i < n; i++) {
      const bit = 2 ** r.below(bits);
      if (Math.floor(f / bit) % 2 === 0) f += bit;
    }
    if (kind === 3) f = 2 ** bits - 1 - f;
  }
  return f;
}

function randS(r: Rng): number {
  const sign = r.chance(0.5) ? 0x80000000 : 0;
  switch (r.below(10)) {
    case 0: case 1: return r.pick(SPECIAL_S);
    case 2: return (sign | (fraction(r, 23) || 1)) >>> 0; // subnormal
    case 3: return (sign | (r.pick([1, 2, 3, 252, 253, 254]) << 23) | fraction(r, 23)) >>> 0;
    case 4: return r.u32();
    default: return (sign | ((127 - 30 + r.below(61)) << 23) | fraction(r, 23)) >>> 0;
  }
}

function randD(r: Rng): Bits {
  const sign = r.chance(0.5) ? 0x80000000 : 0;
  const frac = (): Bits => { const f = fraction(r, 52); return [f % 4294967296, Math.floor(f / 4294967296)]; };
  let e: number;
  switch (r.below(10)) {
    case 0: case 1: return r.pick(SPECIAL_D);
    case 2: { const f = frac(); return [f[0], (sign | f[1]) >>> 0]; }
    case 3: e = r.pick([1, 2, 3, 2044, 2045, 2046]); break;
    case 4: return [r.u32(), r.u32()];
    case 5: e = 1023 - 1100 + r.below(2200); e = Math.min(2046, Math.max(1, e)); break;
    default: e = 1023 - 60 + r.below(121); break;
  }
  const f = frac();
  return [f[0], (sign | (e << 20) | f[1]) >>> 0];
}

/** An f32 operand as a register value: NaN-boxed, occasionally not (then it must read as the canonical NaN). */
function boxS(r: Rng, bits: number): Bits {
  if (r.chance(0.03)) return [bits, r.pick([0, 0x7fffffff, 0xfffffffe, r.u32()])];
  return [bits, 0xffffffff];
}

interface Fp { rand(r: Rng): Bits; val(b: Bits): number; bits(v: number): Bits; prec: number; }
const S: Fp = {
  rand: (r) => boxS(r, randS(r)),
  val: (b) => (b[1] === 0xffffffff ? sVal(b[0]) : NaN),
  bits: (v) => [sBits(v), 0xffffffff],
  prec: 24,
};
const D: Fp = { rand: randD, val: dVal, bits: dBits, prec: 53 };

/** Operand pairs that stress rounding: near-cancellation, ties, exact results, exponent gaps around the precision. */
function related(r: Rng, fp: Fp, a: Bits, op: 'add' | 'mul' | 'div'): Bits {
  const av = fp.val(a);
  if (!(Math.abs(av) < Infinity) || av === 0) return fp.rand(r);
  const fround = fp === S ? Math.fround : (v: number) => v;
  const sign = r.chance(0.5) ? -1 : 1;
  switch (op) {
    case 'add': {
      const k = fp.prec - 3 + r.below(7);
      const short = 1 + r.below(8) / 8;
      const b = r.pick([
        () => -av * (1 + sign * 2 ** -r.below(fp.prec)),
        () => sign * Math.abs(av) * 2 ** -k,
        () => sign * Math.abs(av) * 2 ** -k * short,
        () => sign * Math.abs(av) * 2 ** -k * (1 + 2 ** -r.below(fp.prec)),
      ])();
      const v = fround(b);
      return Number.isFinite(v) ? fp.bits(v) : fp.rand(r);
    }
    case 'mul': {
      // Short significands multiply exactly, or land exactly on a halfway point.
      const m = (1 + r.below(1 << 12)) * 2 ** (r.below(40) - 20);
      return fp.bits(sign * fround(m));
    }
    default: {
      // a / b exact when b divides a: b = a / small integer-ish.
      const d = r.pick([1, 2, 3, 4, 5, 7, 8, 16, 0.5, 0.25]);
      const v = fround(av / d);
      return Number.isFinite(v) && v !== 0 ? fp.bits(v) : fp.rand(r);
    }
  }
}

/**
 * (a, b) with a*b within a couple of ulps of the smallest normal, where
 * tininess after rounding (RISC-V) and before rounding disagree.
 */
function nearMinNormal(r: Rng, fp: Fp): [Bits, Bits] {
  const a = (r.chance(0.5) ? -1 : 1) * (1 + r.u32() / 2 ** 32) * 2 ** (r.below(41) - 20);
  const av = fp === S ? Math.fround(a) : a;
  const maxSub = fp === S ? 2 ** -126 - 2 ** -149 : 2 ** -1022 - 2 ** -1074;
  const q = fp === S ? Math.fround(maxSub / av) : maxSub / av;
  const b = fp.bits(q);
  b[0] = (b[0] + r.below(3) - 1) >>> 0; // nudge b by one ulp either way (b's fraction is dense: no carry out)
  return [fp.bits(av), b];
}

/** Values around integer boundaries, for conversions to integers. */
function intEdge(r: Rng, fp: Fp): Bits {
  const base = r.pick([0, 1, 2, 3, 100, 2 ** 23, 2 ** 24, 2 ** 30, 2 ** 31, 2 ** 32, 2 ** 52, 2 ** 53, 2 ** 63,
    r.u32(), r.below(1000)]);
  const off = r.pick([0, 0.5, -0.5, 0.25, 0.75, -0.25, 1, -1, 1.5, -1.5, 2 ** -20, -(2 ** -20), 0.4999999, 0.5000001]);
  const v = (r.chance(0.5) ? -1 : 1) * (base + off);
  return fp === S ? S.bits(Math.fround(v)) : D.bits(v);
}

function randInt(r: Rng): number {
  switch (r.below(6)) {
    case 0: return r.pick([0, 1, -1, 0x7fffffff, -0x80000000, 0x1000001, 0x1000003, 0x2000002, 0x7fffffc0, 0x7fffffbf,
      -0x7fffffc0, 0xffffff80, 0x3ffffff, 0x800001, 0xffffff7f]) | 0;
    case 1: return (r.u32() >>> r.below(32)) | 0;
    case 2: return (2 ** (10 + r.below(22)) + r.below(4)) | 0;
    default: return r.u32() | 0;
  }
}

const rType = (f7: number, rs2: number, rs1: number, rm: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | 0x53) >>> 0; // rd = 0 (f0) or t3 via the caller
const withRd = (insn: number, rd: number): number => (insn | (rd << 7)) >>> 0;
const r4 = (op: number, fmt: number, rm: number): number =>
  ((3 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | op) >>> 0;

export function generateVectors(seed = 0x5eed_f00d): Uint32Array {
  const r = new Rng(seed);
  const out: number[] = [];
  const push = (insn: number, xs1: number, f1: Bits, f2: Bits, f3: Bits, frm = r.below(5)): void => {
    out.push(insn >>> 0, frm, xs1 >>> 0, 0x5a5a5a5a, f1[0], f1[1], f2[0], f2[1], f3[0], f3[1]);
  };
  const rmOf = (): number => r.pick([0, 1, 2, 3, 4, 7, 7]);
  const rs2Of = (): number => (r.chance(0.05) ? 1 : 2);

  for (const [fmt, fp] of [[0, S], [1, D]] as const) {
    const binary = (f5: number, n: number, rel: 'add' | 'mul' | 'div' | null): void => {
      for (let i = 0; i < n; i++) {
        const a = fp.rand(r);
        let b = rel && r.chance(0.5) ? related(r, fp, a, rel) : fp.rand(r);
        if (rel === 'div' && r.chance(0.06)) b = fp.bits(r.chance(0.5) ? 0 : -0);
        if (rel === 'mul' && r.chance(0.25)) {
          const [x, y] = nearMinNormal(r, fp);
          push(rType((f5 << 2) | fmt, 2, 1, rmOf()), r.u32(), x, y, fp.rand(r));
          continue;
        }
        push(rType((f5 << 2) | fmt, rs2Of(), 1, rmOf()), r.u32(), a, b, fp.rand(r));
      }
    };
    binary(0x00, 260, 'add');
    binary(0x01, 160, 'add');
    binary(0x02, 240, 'mul');
    binary(0x03, 200, 'div');
    for (let i = 0; i < 130; i++) {
      let a = fp.rand(r);
      if (r.chance(0.3)) { // perfect squares, and squares of short significands near limits
        const m = (1 + r.below(1 << 12)) * 2 ** (r.below(200) - 100);
        const sq = fp === S ? Math.fround(m * m) : m * m;
        if (Number.isFinite(sq) && sq !== 0) a = fp.bits(sq);
      }
      push(rType((0x0b << 2) | fmt, 0, 1, rmOf()), r.u32(), a, fp.rand(r), fp.rand(r));
    }
    for (const op of [0x43, 0x47, 0x4b, 0x4f]) {
      for (let i = 0; i < (op === 0x43 ? 200 : 70); i++) {
        let a = fp.rand(r);
        let b = r.chance(0.4) ? related(r, fp, a, 'mul') : fp.rand(r);
        let c = fp.rand(r);
        if (r.chance(0.1)) {
          [a, b] = nearMinNormal(r, fp);
          push(r4(op, fmt, rmOf()), r.u32(), a, b, fp.bits(r.pick([0, -0, 2 ** -149, -(2 ** -149)])));
          continue;
        }
        const p = fp.val(a) * fp.val(b);
        if (r.chance(0.4) && Number.isFinite(p)) { // near-cancellation of the product
          const near = fp === S ? Math.fround(p) : p;
          c = fp.bits(r.chance(0.5) ? -near : -near * (1 + 2 ** -r.below(fp.prec + 4)));
          if (fp === S && !Number.isFinite(fp.val(c))) c = fp.rand(r);
        }
        push(r4(op, fmt, rmOf()), r.u32(), a, b, c);
      }
    }
    for (let f3 = 0; f3 < 3; f3++) { // fsgnj, fsgnjn, fsgnjx (rs1 == rs2 is fmv/fneg/fabs)
      for (let i = 0; i < 25; i++) push(rType((0x04 << 2) | fmt, r.chance(0.3) ? 1 : 2, 1, f3), r.u32(), fp.rand(r), fp.rand(r), fp.rand(r));
    }
    for (let f3 = 0; f3 < 2; f3++) { // fmin, fmax
      for (let i = 0; i < 60; i++) {
        const a = fp.rand(r);
        const av = fp.val(a);
        const b = r.chance(0.2) && av === av ? fp.bits(-av) : fp.rand(r);
        push(rType((0x05 << 2) | fmt, rs2Of(), 1, f3), r.u32(), a, b, fp.rand(r));
      }
    }
    for (let f3 = 0; f3 < 3; f3++) { // fle, flt, feq
      for (let i = 0; i < 50; i++) {
        const a = fp.rand(r);
        const av = fp.val(a);
        const b = r.chance(0.3) ? a : r.chance(0.2) && av === av ? fp.bits(-av) : fp.rand(r);
        push(withRd(rType((0x14 << 2) | fmt, rs2Of(), 1, f3), 28), r.u32(), a, b, fp.rand(r));
      }
    }
    for (const unsigned of [0, 1]) { // fcvt.w[u].fmt
      for (let i = 0; i < 150; i++) {
        const a = r.chance(0.6) ? intEdge(r, fp) : fp.rand(r);
        push(withRd(rType((0x18 << 2) | fmt, unsigned, 1, rmOf()), 28), r.u32(), a, fp.rand(r), fp.rand(r));
      }
    }
    for (const unsigned of [0, 1]) { // fcvt.fmt.w[u]
      for (let i = 0; i < 70; i++) push(rType((0x1a << 2) | fmt, unsigned, 29, rmOf()), randInt(r), fp.rand(r), fp.rand(r), fp.rand(r));
    }
    for (let i = 0; i < 60; i++) { // fclass
      push(withRd(rType((0x1c << 2) | fmt, 0, 1, 1), 28), r.u32(), fp.rand(r), fp.rand(r), fp.rand(r));
    }
  }
  for (let i = 0; i < 200; i++) { // fcvt.s.d
    let a = D.rand(r);
    if (r.chance(0.1)) { // just below the smallest f32 normal
      a = [r.u32() | 0, ((r.chance(0.5) ? 0x80000000 : 0) | ((1023 - 127) << 20) | 0xfffff) >>> 0];
      a[1] = (a[1] ^ (r.chance(0.5) ? r.below(4) : 0)) >>> 0;
      a[0] = (a[0] | (r.chance(0.5) ? 0xf0000000 : 0)) >>> 0;
    } else if (r.chance(0.3)) { // doubles on or near f32 rounding boundaries, including the subnormal and overflow ranges
      const e = r.pick([-150, -149, -140, -127, -126, -125, 0, 10, 126, 127, 128]);
      const m = 2 ** 23 + r.below(2 ** 23) + r.pick([0.5, 0.25, 0.75, 0.5 + 2 ** -20, 0, 0.5 - 2 ** -25]);
      a = D.bits((r.chance(0.5) ? -1 : 1) * m * 2 ** (e - 23));
    }
    push(rType(0x20, 1, 1, rmOf()), r.u32(), a, D.rand(r), D.rand(r));
  }
  for (let i = 0; i < 60; i++) push(rType(0x21, 0, 1, rmOf()), r.u32(), S.rand(r), S.rand(r), S.rand(r)); // fcvt.d.s
  for (let i = 0; i < 30; i++) push(withRd(rType(0x70, 0, 1, 0), 28), r.u32(), S.rand(r), S.rand(r), S.rand(r)); // fmv.x.w
  for (let i = 0; i < 30; i++) push(rType(0x78, 0, 29, 0), randInt(r), S.rand(r), S.rand(r), S.rand(r)); // fmv.w.x
  // Hand-picked products and conversions right at the underflow boundary (see tests/board/fpu-known.test.ts).
  const sb = (b: number): Bits => [b, 0xffffffff];
  const db = (hi: number, lo: number): Bits => [lo, hi];
  for (let rm = 0; rm < 5; rm++) {
    for (const [x, y] of [[0x3f7fffff, 0x00800000], [0x3f800020, 0x007fffe0], [0xbf800020, 0x007fffe0], [0x3f800000, 0x00000001]]) {
      push(rType(0x08, 2, 1, rm), 0, sb(x!), sb(y!), sb(0));
    }
    for (const [x, y] of [[db(0x3fefffff, 0xffffffff), db(0x00100000, 0)], [db(0x3ff00000, 0x04000001), db(0x000fffff, 0xfc000000)]]) {
      push(rType(0x09, 2, 1, rm), 0, x!, y!, db(0, 0));
    }
    for (const lo of [0xe0000000, 0xf0000000, 0xefffe000]) push(rType(0x20, 1, 1, rm), 0, db(0x380fffff, lo), db(0, 0), db(0, 0));
  }
  // Fused multiply-add on special operands: ∞ × 0 with any addend (NV even for a quiet NaN addend), NaN mixes.
  for (const [fmt, fp] of [[0, S], [1, D]] as const) {
    const specials = fp === S
      ? [0x7f800000, 0x80000000, 0x7fc00000, 0x7f800001, 0x3fc00000].map((b): Bits => [b, 0xffffffff])
      : ([[0, 0x7ff00000], [0, 0x80000000], [0, 0x7ff80000], [1, 0x7ff00000], [0, 0x3ff80000]] as Bits[]);
    const addends = [specials[2]!, specials[3]!, fp.bits(-Infinity), fp.bits(0)];
    for (const a of specials) for (const b of specials) for (const c of addends) {
      push(r4(r.pick([0x43, 0x47, 0x4b, 0x4f]), fmt, rmOf()), r.u32(), a, b, c);
    }
  }
  // Reserved rounding modes and encodings (illegal), and rm-less instructions that stay legal whatever frm holds.
  const badFrm = (): number => 5 + r.below(3);
  const some = (): Bits => (r.chance(0.5) ? S.rand(r) : D.rand(r));
  for (const f7 of [0x00, 0x01, 0x05, 0x09, 0x0d, 0x2c, 0x2d, 0x20, 0x21, 0x60, 0x61, 0x68, 0x69]) {
    const rs2 = f7 === 0x20 ? 1 : f7 === 0x60 || f7 === 0x61 || f7 === 0x68 || f7 === 0x69 ? r.below(2) : f7 >= 0x2c && f7 <= 0x2d || f7 === 0x21 ? 0 : 2;
    const rs1 = f7 === 0x68 || f7 === 0x69 ? 29 : 1;
    const rd = f7 === 0x60 || f7 === 0x61 ? 28 : 0;
    push(withRd(rType(f7, rs2, rs1, 5), rd), r.u32(), some(), some(), some());
    push(withRd(rType(f7, rs2, rs1, 6), rd), r.u32(), some(), some(), some());
    push(withRd(rType(f7, rs2, rs1, 7), rd), r.u32(), some(), some(), some(), badFrm());
  }
  for (const op of [0x43, 0x47, 0x4b, 0x4f]) {
    push(r4(op, r.below(2), 5 + r.below(2)), r.u32(), some(), some(), some());
    push(r4(op, r.below(2), 7), r.u32(), some(), some(), some(), badFrm());
    push(r4(op, 2 + r.below(2), 0), r.u32(), some(), some(), some()); // half / quad formats
  }
  for (const insn of [
    rType(0x02, 2, 1, 0), rType(0x03, 2, 1, 0), rType(0x06, 2, 1, 0), rType(0x07, 2, 1, 0), // fadd.h, fadd.q
    rType(0x2c, 1, 1, 0), rType(0x2d, 3, 1, 0), // fsqrt with rs2 != 0
    rType(0x20, 0, 1, 0), rType(0x20, 2, 1, 0), rType(0x21, 1, 1, 0), rType(0x21, 3, 1, 0), // fcvt.s.s, fcvt.s.q ...
    withRd(rType(0x60, 2, 1, 1), 28), withRd(rType(0x61, 3, 1, 1), 28), // fcvt.l[u] (RV64)
    rType(0x68, 2, 29, 0), rType(0x69, 3, 29, 0),
    rType(0x10, 2, 1, 3), rType(0x11, 2, 1, 7), rType(0x14, 2, 1, 2), rType(0x15, 2, 1, 5), // fsgnj/fmin bad funct3
    withRd(rType(0x50, 2, 1, 3), 28), withRd(rType(0x51, 2, 1, 7), 28),
    withRd(rType(0x71, 0, 1, 0), 28), withRd(rType(0x70, 0, 1, 2), 28), withRd(rType(0x70, 1, 1, 0), 28), // fmv.x.d, bad fclass
    withRd(rType(0x71, 1, 1, 1), 28), rType(0x79, 0, 29, 0), rType(0x78, 0, 29, 1), rType(0x78, 1, 29, 0), // fmv.d.x ...
    rType(0x18, 2, 1, 0), rType(0x1c, 2, 1, 0), rType(0x30, 2, 1, 0), rType(0x40, 2, 1, 0), rType(0x7c, 2, 1, 0),
  ]) push(insn, r.u32(), some(), some(), some());
  for (const f7 of [0x10, 0x11, 0x14, 0x15, 0x50, 0x51]) { // legal whatever frm is
    push(withRd(rType(f7, 2, 1, r.below(2)), f7 >= 0x50 ? 28 : 0), r.u32(), some(), some(), some(), badFrm());
  }
  push(withRd(rType(0x70, 0, 1, 0), 28), r.u32(), some(), some(), some(), badFrm());
  push(withRd(rType(0x71, 0, 1, 1), 28), r.u32(), some(), some(), some(), badFrm());
  push(rType(0x78, 0, 29, 0), r.u32(), some(), some(), some(), badFrm());
  return Uint32Array.from(out);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const v = generateVectors();
  const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'vectors.bin');
  writeFileSync(file, new Uint8Array(v.buffer));
  console.log(`${v.length / VECTOR_WORDS} vectors -> ${file}`);
}
