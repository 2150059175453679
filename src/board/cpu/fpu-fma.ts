// Fused multiply-add: a*b + c with a single rounding. Non-NaN operands only
// (the caller handles NaNs, including the ∞*0 + qNaN case that still raises
// NV); fmsub/fnmsub/fnmadd are expressed by negating a and/or c beforehand,
// which is exactly how the spec defines them (so e.g. an exact zero result of
// fnmadd is +0 in RNE, not -0).

import { decompose, signBit, F32, F64, NV, NX, RNE, type FlagSink, type Fmt } from './fpu-format.ts';
import { roundExact } from './fpu-round.ts';
import { exactZeroSum, productError, roundSum, sumError } from './fpu-arith.ts';

const MUL_MIN = 2 ** -480;
const MUL_MAX = 2 ** 480;
const ADD_MAX = 2 ** 1020;

export function ffma(fmt: Fmt, a: number, b: number, c: number, rm: number, sink: FlagSink): number {
  if (rm === RNE) {
    if (fmt === F32) {
      // a*b is exact in double; if adding c is exact too, fround is the only rounding.
      const p = a * b;
      const s = p + c;
      if (sumError(p, c, s) === 0) {
        const f = Math.fround(s);
        if (f === s) return f;
        const af = Math.abs(f);
        if (af > F32.minNormal && af <= F32.maxFinite) {
          sink.fflags |= NX;
          return f;
        }
      }
    } else if (fmt === F64 && Math.abs(c) < ADD_MAX) {
      const aa = Math.abs(a);
      const ab = Math.abs(b);
      const p = a * b;
      if ((aa >= MUL_MIN && aa < MUL_MAX && ab >= MUL_MIN && ab < MUL_MAX && productError(a, b, p) === 0) ||
        ((aa === 0 && ab < Infinity) || (ab === 0 && aa < Infinity))) {
        // The product is exact, so the addition is the single rounding; a tiny sum is always exact.
        const s = p + c;
        if (sumError(p, c, s) !== 0) sink.fflags |= NX;
        return s;
      }
    }
  }
  return exactFma(fmt, a, b, c, rm, sink);
}

function exactFma(fmt: Fmt, a: number, b: number, c: number, rm: number, sink: FlagSink): number {
  const pneg = signBit(a) !== signBit(b);
  const aInf = a === Infinity || a === -Infinity;
  const bInf = b === Infinity || b === -Infinity;
  const cInf = c === Infinity || c === -Infinity;
  if (aInf || bInf) {
    if (a === 0 || b === 0 || (cInf && signBit(c) !== pneg)) { sink.fflags |= NV; return NaN; }
    return pneg ? -Infinity : Infinity;
  }
  if (cInf) return c;
  if (a === 0 || b === 0) {
    if (c !== 0) return c;
    return signBit(c) === pneg ? c : exactZeroSum(rm);
  }
  const da = decompose(a);
  const db = decompose(b);
  const sig = da.sig * db.sig;
  const exp = da.exp + db.exp;
  if (c === 0) return roundExact(fmt, pneg, sig, exp, false, rm, sink);
  const dc = decompose(c);
  return roundSum(fmt, pneg, sig, exp, c < 0, dc.sig, dc.exp, rm, sink);
}
