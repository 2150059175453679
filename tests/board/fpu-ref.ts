// Reference model of IEEE 754 binary32/binary64 arithmetic for the FPU tests,
// written independently of src/board/cpu/fpu*.ts: every finite value is an
// exact rational, and rounding is driven by an "oracle" that can locate the
// exact result (a rational, or the square root of one) against any power-of-two
// grid. Slow and simple on purpose. Bits are bigints (f32 in the low 32 bits).

export interface RefFmt { readonly p: number; readonly ebits: number }
export const RS: RefFmt = { p: 24, ebits: 8 };
export const RD: RefFmt = { p: 53, ebits: 11 };

export const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
export const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4;

export interface Res { bits: bigint; flags: number }
export interface IntRes { value: number; flags: number }

const width = (f: RefFmt): number => f.p + f.ebits;
const bias = (f: RefFmt): number => (1 << (f.ebits - 1)) - 1;
const emin = (f: RefFmt): number => 1 - bias(f);
const emax = (f: RefFmt): number => bias(f);
const expMask = (f: RefFmt): bigint => (1n << BigInt(f.ebits)) - 1n;
const fracBits = (f: RefFmt): bigint => BigInt(f.p - 1);

export function canonicalNaN(f: RefFmt): bigint {
  return (expMask(f) << fracBits(f)) | (1n << (fracBits(f) - 1n));
}
const infBits = (f: RefFmt, neg: boolean): bigint => (neg ? 1n << BigInt(width(f) - 1) : 0n) | (expMask(f) << fracBits(f));
const zeroBits = (f: RefFmt, neg: boolean): bigint => (neg ? 1n << BigInt(width(f) - 1) : 0n);

/** A decoded operand: a NaN, ±∞, or a signed exact rational n/d (n = 0 for zeros, with the sign kept apart). */
export type Val =
  | { k: 'nan'; snan: boolean }
  | { k: 'inf'; neg: boolean }
  | { k: 'fin'; neg: boolean; n: bigint; d: bigint };

export function decode(f: RefFmt, bits: bigint): Val {
  const neg = (bits >> BigInt(width(f) - 1)) === 1n;
  const e = Number((bits >> fracBits(f)) & expMask(f));
  const frac = bits & ((1n << fracBits(f)) - 1n);
  if (e === Number(expMask(f))) {
    if (frac === 0n) return { k: 'inf', neg };
    return { k: 'nan', snan: ((frac >> (fracBits(f) - 1n)) & 1n) === 0n };
  }
  const sig = e === 0 ? frac : frac | (1n << fracBits(f));
  const x = (e === 0 ? emin(f) : e - bias(f)) - (f.p - 1);
  return x >= 0 ? { k: 'fin', neg, n: sig << BigInt(x), d: 1n } : { k: 'fin', neg, n: sig, d: 1n << BigInt(-x) };
}

const isZero = (v: Val): boolean => v.k === 'fin' && v.n === 0n;
const isSnan = (v: Val): boolean => v.k === 'nan' && v.snan;

function bitlen(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** floor(sqrt(v)) digit by digit (deliberately not Newton, to differ from the implementation). */
function isqrtRef(v: bigint): bigint {
  let res = 0n;
  let bit = 1n << BigInt((bitlen(v) >> 1) * 2 + 2);
  let rem = v;
  while (bit > v) bit >>= 2n;
  while (bit !== 0n) {
    if (rem >= res + bit) {
      rem -= res + bit;
      res = (res >> 1n) + bit;
    } else res >>= 1n;
    bit >>= 2n;
  }
  return res;
}

/** Locates a positive exact value x: its binade, and x / 2^q split into integer part and fraction class. */
interface Oracle {
  log2Floor(): number;
  /** [floor(x / 2^q), 0 exact | 1 below half | 2 half | 3 above half] */
  at(q: number): [bigint, number];
}

/** n/d scaled by 2^-s, as an integer fraction N/D. */
function scaled(n: bigint, d: bigint, s: number): [bigint, bigint] {
  return s >= 0 ? [n, d << BigInt(s)] : [n << BigInt(-s), d];
}

function ratLog2(n: bigint, d: bigint): number {
  let e = bitlen(n) - bitlen(d);
  const [N, D] = scaled(n, d, e);
  if (N < D) e--;
  return e;
}

function ratOracle(n: bigint, d: bigint): Oracle {
  return {
    log2Floor: () => ratLog2(n, d),
    at(q) {
      const [N, D] = scaled(n, d, q);
      const k = N / D;
      const r2 = 2n * (N - k * D);
      return [k, r2 === 0n ? 0 : r2 < D ? 1 : r2 === D ? 2 : 3];
    },
  };
}

function sqrtOracle(n: bigint, d: bigint): Oracle {
  return {
    log2Floor: () => Math.floor(ratLog2(n, d) / 2),
    at(q) {
      const [N, D] = scaled(n, d, 2 * q);
      const k = isqrtRef(N / D);
      if (N === k * k * D) return [k, 0];
      const h = (2n * k + 1n) * (2n * k + 1n) * D;
      return [k, 4n * N < h ? 1 : 4n * N === h ? 2 : 3];
    },
  };
}

function roundsUp(k: bigint, cls: number, neg: boolean, rm: number): boolean {
  switch (rm) {
    case RNE: return cls === 3 || (cls === 2 && (k & 1n) === 1n);
    case RTZ: return false;
    case RDN: return cls !== 0 && neg;
    case RUP: return cls !== 0 && !neg;
    case RMM: return cls >= 2;
    default: throw new Error(`bad rm ${rm}`);
  }
}

/** Rounds the positive exact value of `o` (with sign neg) to format f. */
function roundTo(f: RefFmt, neg: boolean, o: Oracle, rm: number): Res {
  const E = o.log2Floor();
  const q = Math.max(E, emin(f)) - (f.p - 1);
  const [k, cls] = o.at(q);
  const m = k + (roundsUp(k, cls, neg, rm) ? 1n : 0n);
  let flags = cls !== 0 ? NX : 0;
  // Overflow: the rounded value reaches 2^(emax+1).
  if (m > 0n && bitlen(m) - 1 + q > emax(f)) {
    const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
    const maxBits = ((expMask(f) - 1n) << fracBits(f)) | ((1n << fracBits(f)) - 1n);
    return { bits: toInf ? infBits(f, neg) : (neg ? 1n << BigInt(width(f) - 1) : 0n) | maxBits, flags: OF | NX };
  }
  // Tininess after rounding: round to p bits with an unbounded exponent.
  if (cls !== 0) {
    const q2 = E - (f.p - 1);
    const [k2, c2] = o.at(q2);
    const m2 = k2 + (roundsUp(k2, c2, neg, rm) ? 1n : 0n);
    if (bitlen(m2) - 1 + q2 < emin(f)) flags |= UF;
  }
  const sign = neg ? 1n << BigInt(width(f) - 1) : 0n;
  if (m === 0n) return { bits: sign, flags };
  const top = bitlen(m) - 1 + q;
  if (top < emin(f)) return { bits: sign | m, flags }; // subnormal: exponent field 0, q = emin - p + 1
  const mm = bitlen(m) > f.p ? m >> 1n : m;
  const biased = BigInt(top + bias(f));
  return { bits: sign | (biased << fracBits(f)) | (mm & ((1n << fracBits(f)) - 1n)), flags };
}

function roundRational(f: RefFmt, n: bigint, d: bigint, rm: number): Res {
  return n < 0n ? roundTo(f, true, ratOracle(-n, d), rm) : roundTo(f, false, ratOracle(n, d), rm);
}

const signedNum = (v: { neg: boolean; n: bigint }): bigint => (v.neg ? -v.n : v.n);
const nan = (f: RefFmt, flags: number): Res => ({ bits: canonicalNaN(f), flags });

/** The exact sum of two finite terms (each ±0 or non-zero) rounded; handles the sign of an exact zero. */
function sumTerms(f: RefFmt, a: { neg: boolean; n: bigint; d: bigint }, b: { neg: boolean; n: bigint; d: bigint }, rm: number): Res {
  const n = signedNum(a) * b.d + signedNum(b) * a.d;
  if (n === 0n) {
    const neg = a.n === 0n && b.n === 0n && a.neg === b.neg ? a.neg : rm === RDN;
    return { bits: zeroBits(f, neg), flags: 0 };
  }
  return roundRational(f, n, a.d * b.d, rm);
}

export function refAdd(f: RefFmt, ab: bigint, bb: bigint, rm: number): Res {
  const a = decode(f, ab), b = decode(f, bb);
  if (a.k === 'nan' || b.k === 'nan') return nan(f, isSnan(a) || isSnan(b) ? NV : 0);
  if (a.k === 'inf' && b.k === 'inf') return a.neg === b.neg ? { bits: infBits(f, a.neg), flags: 0 } : nan(f, NV);
  if (a.k === 'inf') return { bits: infBits(f, a.neg), flags: 0 };
  if (b.k === 'inf') return { bits: infBits(f, b.neg), flags: 0 };
  return sumTerms(f, a, b, rm);
}

export function refSub(f: RefFmt, ab: bigint, bb: bigint, rm: number): Res {
  const b = decode(f, bb);
  // Negation is applied after NaN checks (which only look at NaN-ness), so flipping the sign bit is fine.
  return b.k === 'nan' ? refAdd(f, ab, bb, rm) : refAdd(f, ab, bb ^ (1n << BigInt(width(f) - 1)), rm);
}

export function refMul(f: RefFmt, ab: bigint, bb: bigint, rm: number): Res {
  const a = decode(f, ab), b = decode(f, bb);
  if (a.k === 'nan' || b.k === 'nan') return nan(f, isSnan(a) || isSnan(b) ? NV : 0);
  const neg = a.neg !== b.neg;
  if (a.k === 'inf' || b.k === 'inf') return isZero(a) || isZero(b) ? nan(f, NV) : { bits: infBits(f, neg), flags: 0 };
  if (a.n === 0n || b.n === 0n) return { bits: zeroBits(f, neg), flags: 0 };
  return roundTo(f, neg, ratOracle(a.n * b.n, a.d * b.d), rm);
}

export function refDiv(f: RefFmt, ab: bigint, bb: bigint, rm: number): Res {
  const a = decode(f, ab), b = decode(f, bb);
  if (a.k === 'nan' || b.k === 'nan') return nan(f, isSnan(a) || isSnan(b) ? NV : 0);
  const neg = a.neg !== b.neg;
  if (a.k === 'inf') return b.k === 'inf' ? nan(f, NV) : { bits: infBits(f, neg), flags: 0 };
  if (b.k === 'inf') return { bits: zeroBits(f, neg), flags: 0 };
  if (b.n === 0n) return a.n === 0n ? nan(f, NV) : { bits: infBits(f, neg), flags: DZ };
  if (a.n === 0n) return { bits: zeroBits(f, neg), flags: 0 };
  return roundTo(f, neg, ratOracle(a.n * b.d, a.d * b.n), rm);
}

export function refSqrt(f: RefFmt, ab: bigint, rm: number): Res {
  const a = decode(f, ab);
  if (a.k === 'nan') return nan(f, a.snan ? NV : 0);
  if (a.k === 'inf') return a.neg ? nan(f, NV) : { bits: infBits(f, false), flags: 0 };
  if (a.n === 0n) return { bits: zeroBits(f, a.neg), flags: 0 };
  if (a.neg) return nan(f, NV);
  return roundTo(f, false, sqrtOracle(a.n, a.d), rm);
}

/** (±a*b) ± c with one rounding: negProduct/negAddend select fmadd, fmsub, fnmsub, fnmadd. */
export function refFma(f: RefFmt, ab: bigint, bb: bigint, cb: bigint, negProduct: boolean, negAddend: boolean, rm: number): Res {
  const a = decode(f, ab), b = decode(f, bb), c = decode(f, cb);
  const infZero = (a.k === 'inf' && isZero(b)) || (isZero(a) && b.k === 'inf');
  if (a.k === 'nan' || b.k === 'nan' || c.k === 'nan') return nan(f, isSnan(a) || isSnan(b) || isSnan(c) || infZero ? NV : 0);
  if (infZero) return nan(f, NV);
  const pneg = (a.neg !== b.neg) !== negProduct;
  const cneg = c.neg !== negAddend;
  if (a.k === 'inf' || b.k === 'inf') {
    if (c.k === 'inf' && cneg !== pneg) return nan(f, NV);
    return { bits: infBits(f, pneg), flags: 0 };
  }
  if (c.k === 'inf') return { bits: infBits(f, cneg), flags: 0 };
  return sumTerms(f, { neg: pneg, n: a.n * b.n, d: a.d * b.d }, { neg: cneg, n: c.n, d: c.d }, rm);
}

/** fcvt.w[u]: the int32/uint32 result as a JS number (uint32 for unsigned), and flags. */
export function refToInt(f: RefFmt, ab: bigint, unsigned: boolean, rm: number): IntRes {
  const lo = unsigned ? 0n : -(2n ** 31n);
  const hi = unsigned ? 2n ** 32n - 1n : 2n ** 31n - 1n;
  const a = decode(f, ab);
  if (a.k === 'nan') return { value: Number(hi), flags: NV };
  if (a.k === 'inf') return { value: Number(a.neg ? lo : hi), flags: NV };
  // Round |a| to an integer on the grid 2^0, then apply the sign.
  const [k, cls] = ratOracle(a.n, a.d).at(0);
  const mag = k + (roundsUp(k, cls, a.neg, rm) ? 1n : 0n);
  const v = a.neg ? -mag : mag;
  if (v < lo) return { value: Number(lo), flags: NV };
  if (v > hi) return { value: Number(hi), flags: NV };
  return { value: Number(v), flags: cls !== 0 ? NX : 0 };
}

export function refFromInt(f: RefFmt, v: bigint, rm: number): Res {
  if (v === 0n) return { bits: 0n, flags: 0 };
  return roundRational(f, v, 1n, rm);
}

/** fcvt between formats (s.d or d.s). */
export function refConvert(from: RefFmt, to: RefFmt, ab: bigint, rm: number): Res {
  const a = decode(from, ab);
  if (a.k === 'nan') return nan(to, a.snan ? NV : 0);
  if (a.k === 'inf') return { bits: infBits(to, a.neg), flags: 0 };
  if (a.n === 0n) return { bits: zeroBits(to, a.neg), flags: 0 };
  return roundTo(to, a.neg, ratOracle(a.n, a.d), rm);
}
