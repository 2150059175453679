// fadd/fsub, fmul, fdiv and fsqrt on non-NaN operands (NaN operands are the
// caller's business). Each returns the rounded result as a number, or NaN for
// an invalid operation (NV is then already raised); the caller writes the
// canonical NaN.
//
// In RNE the common case is plain JS arithmetic (correctly rounded to double;
// for f32 the double result rounded again with fround is still correct for
// these operations since 53 >= 2*24 + 2), plus an error-free transformation to
// learn whether the result is exact (NX). Operands or results near the ends of
// the exponent range, other rounding modes, and anything that may overflow or
// underflow take the exact BigInt path.

import { decompose, bitLength, signBit, F32, F64, DZ, NV, NX, RDN, RNE, type FlagSink, type Fmt } from './fpu-format.ts';
import { roundExact } from './fpu-round.ts';

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for doubles

/** The rounding error a*b - p of p = fl(a*b); exact while the operands are well inside the exponent range. */
export function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** The rounding error a+b - s of s = fl(a+b) (Knuth's TwoSum); exact unless an intermediate overflows. */
export function sumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

// Ranges in which the error-free transformations above cannot overflow or lose bits to underflow.
const ADD_MAX = 2 ** 1020;
const MUL_MIN = 2 ** -480;
const MUL_MAX = 2 ** 480;
const DIV_MIN = 2 ** -250;
const DIV_MAX = 2 ** 250;
const SQRT_MIN = 2 ** -500;
const SQRT_MAX = 2 ** 500;

/**
 * Accepts an RNE f32 result f computed through double when it cannot have
 * overflowed or be tiny; returns NaN to ask for the exact path otherwise.
 */
function inexactF32(f: number, sink: FlagSink): number {
  const af = Math.abs(f);
  if (af > F32.minNormal && af <= F32.maxFinite) {
    sink.fflags |= NX;
    return f;
  }
  return NaN;
}

export function fadd(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  if (rm === RNE && Math.abs(a) < ADD_MAX && Math.abs(b) < ADD_MAX) {
    // A sum that lands below the normal range is always exact, so UF never arises here.
    const s = a + b;
    const exact = sumError(a, b, s) === 0;
    if (fmt === F64) {
      if (!exact) sink.fflags |= NX;
      return s;
    }
    const f = Math.fround(s);
    if (exact && f === s) return f;
    const r = inexactF32(f, sink);
    if (r === r) return r;
  }
  return exactAdd(fmt, a, b, rm, sink);
}

export function fmul(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  if (rm === RNE) {
    const p = a * b;
    if (fmt === F32) {
      // Exact in double: 48 significant bits, exponents far from the double limits.
      const f = Math.fround(p);
      if (f === p) return f;
      const r = inexactF32(f, sink);
      if (r === r) return r;
    } else {
      const aa = Math.abs(a);
      const ab = Math.abs(b);
      if (aa >= MUL_MIN && aa < MUL_MAX && ab >= MUL_MIN && ab < MUL_MAX) {
        if (productError(a, b, p) !== 0) sink.fflags |= NX;
        return p;
      }
      if ((aa === 0 && ab < Infinity) || (ab === 0 && aa < Infinity)) return p;
    }
  }
  return exactMul(fmt, a, b, rm, sink);
}

export function fdiv(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  if (rm === RNE) {
    const q = a / b;
    if (fmt === F32) {
      const f = Math.fround(q);
      if (f * b === a) return f; // f*b is exact in double
      const r = inexactF32(f, sink);
      if (r === r) return r;
    } else {
      const aa = Math.abs(a);
      const ab = Math.abs(b);
      if (aa >= DIV_MIN && aa < DIV_MAX && ab >= DIV_MIN && ab < DIV_MAX) {
        const p = q * b;
        if (p !== a || productError(q, b, p) !== 0) sink.fflags |= NX;
        return q;
      }
      if (aa === 0 && ab > 0 && ab < Infinity) return q;
    }
  }
  return exactDiv(fmt, a, b, rm, sink);
}

export function fsqrt(fmt: Fmt, a: number, rm: number, sink: FlagSink): number {
  if (rm === RNE) {
    const s = Math.sqrt(a);
    if (fmt === F32) {
      const f = Math.fround(s);
      if (f * f === a) return f;
      const r = inexactF32(f, sink);
      if (r === r) return r;
    } else {
      if (a >= SQRT_MIN && a < SQRT_MAX) {
        const p = s * s;
        if (p !== a || productError(s, s, p) !== 0) sink.fflags |= NX;
        return s;
      }
      if (a === 0) return a;
    }
  }
  return exactSqrt(fmt, a, rm, sink);
}

/** An exactly zero sum of non-zero terms: +0, or -0 when rounding down (IEEE 754 6.3). */
export function exactZeroSum(rm: number): number {
  return rm === RDN ? -0 : 0;
}

/** Rounds the exact sum of two terms ±sigA*2^expA and ±sigB*2^expB (both non-zero). */
export function roundSum(fmt: Fmt, negA: boolean, sigA: bigint, expA: number, negB: boolean, sigB: bigint, expB: number,
  rm: number, sink: FlagSink): number {
  const e = Math.min(expA, expB);
  const va = sigA << BigInt(expA - e);
  const vb = sigB << BigInt(expB - e);
  const s = (negA ? -va : va) + (negB ? -vb : vb);
  if (s === 0n) return exactZeroSum(rm);
  return s < 0n ? roundExact(fmt, true, -s, e, false, rm, sink) : roundExact(fmt, false, s, e, false, rm, sink);
}

function exactAdd(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  if (a === Infinity || a === -Infinity) {
    if (b === -a) { sink.fflags |= NV; return NaN; }
    return a;
  }
  if (b === Infinity || b === -Infinity) return b;
  if (a === 0) {
    if (b !== 0) return b;
    return signBit(a) === signBit(b) ? a : exactZeroSum(rm);
  }
  if (b === 0) return a;
  const da = decompose(a);
  const db = decompose(b);
  return roundSum(fmt, a < 0, da.sig, da.exp, b < 0, db.sig, db.exp, rm, sink);
}

function exactMul(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  const neg = signBit(a) !== signBit(b);
  const aInf = a === Infinity || a === -Infinity;
  const bInf = b === Infinity || b === -Infinity;
  if (aInf || bInf) {
    if (a === 0 || b === 0) { sink.fflags |= NV; return NaN; }
    return neg ? -Infinity : Infinity;
  }
  if (a === 0 || b === 0) return neg ? -0 : 0;
  const da = decompose(a);
  const db = decompose(b);
  return roundExact(fmt, neg, da.sig * db.sig, da.exp + db.exp, false, rm, sink);
}

function exactDiv(fmt: Fmt, a: number, b: number, rm: number, sink: FlagSink): number {
  const neg = signBit(a) !== signBit(b);
  const aInf = a === Infinity || a === -Infinity;
  const bInf = b === Infinity || b === -Infinity;
  if (aInf) {
    if (bInf) { sink.fflags |= NV; return NaN; }
    return neg ? -Infinity : Infinity;
  }
  if (bInf) return neg ? -0 : 0;
  if (b === 0) {
    if (a === 0) { sink.fflags |= NV; return NaN; }
    sink.fflags |= DZ;
    return neg ? -Infinity : Infinity;
  }
  if (a === 0) return neg ? -0 : 0;
  const da = decompose(a);
  const db = decompose(b);
  // Scale the dividend so the quotient has at least prec + 3 bits; the remainder becomes the sticky bit.
  const k = Math.max(0, fmt.prec + 3 + bitLength(db.sig) - bitLength(da.sig));
  const num = da.sig << BigInt(k);
  const q = num / db.sig;
  return roundExact(fmt, neg, q, da.exp - db.exp - k, q * db.sig !== num, rm, sink);
}

/** floor(sqrt(n)) for n > 0, by Newton's iteration from above. */
export function isqrt(n: bigint): bigint {
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

function exactSqrt(fmt: Fmt, a: number, rm: number, sink: FlagSink): number {
  if (a === 0 || a === Infinity) return a;
  if (a < 0) { sink.fflags |= NV; return NaN; }
  const da = decompose(a);
  // An even exponent and at least 2*prec + 6 bits give a root of at least prec + 3 bits.
  let s = Math.max(0, 2 * fmt.prec + 6 - bitLength(da.sig));
  if (((da.exp - s) & 1) !== 0) s++;
  const n = da.sig << BigInt(s);
  const r = isqrt(n);
  return roundExact(fmt, false, r, (da.exp - s) / 2, r * r !== n, rm, sink);
}
