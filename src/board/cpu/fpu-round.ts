// Correct rounding of an exact value to f32/f64, with RISC-V's exception
// semantics (tininess detected after rounding; UF only when also inexact).
// This is the slow, exact path every operation falls back to.

import { bitLength, scaleB, NX, OF, RDN, RMM, RNE, RTZ, RUP, UF, type FlagSink, type Fmt } from './fpu-format.ts';

let inexact = false;

/**
 * Rounds sig (with `sticky` meaning some further non-zero bits below its LSB)
 * right by `sh` bits in mode rm; sets `inexact`.
 */
function roundShift(sig: bigint, sh: number, sticky: boolean, neg: boolean, rm: number): bigint {
  let m: bigint;
  let half: boolean;
  let below: boolean;
  if (sh <= 0) {
    m = sig << BigInt(-sh);
    half = false;
    below = sticky;
  } else {
    const b = BigInt(sh);
    m = sig >> b;
    half = ((sig >> (b - 1n)) & 1n) === 1n;
    below = sticky || (sig & ((1n << (b - 1n)) - 1n)) !== 0n;
  }
  inexact = half || below;
  let up: boolean;
  switch (rm) {
    case RNE: up = half && (below || (m & 1n) === 1n); break;
    case RTZ: up = false; break;
    case RDN: up = inexact && neg; break;
    case RUP: up = inexact && !neg; break;
    default: up = half; break; // RMM
  }
  return up ? m + 1n : m;
}

/** The result of an overflow in mode rm: infinity or the largest finite value. */
function overflowValue(fmt: Fmt, neg: boolean, rm: number): number {
  const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
  const mag = toInf ? Infinity : fmt.maxFinite;
  return neg ? -mag : mag;
}

/**
 * Rounds (-1)^neg * (sig + ε) * 2^exp to `fmt` in mode rm, where ε is in (0, 1)
 * if `sticky` and 0 otherwise. Requires sig > 0, and when sticky, at least
 * prec + 2 significant bits in sig (so the round bit is known).
 */
export function roundExact(fmt: Fmt, neg: boolean, sig: bigint, exp: number, sticky: boolean, rm: number, sink: FlagSink): number {
  const P = fmt.prec;
  const n = bitLength(sig);
  const top = exp + n - 1;
  let tiny = top < fmt.emin;
  if (top === fmt.emin - 1) {
    // Just below the normal range: tiny unless rounding to P bits (unbounded exponent) carries into it.
    tiny = bitLength(roundShift(sig, n - P, sticky, neg, rm)) <= P;
  }
  const q = Math.max(top, fmt.emin) - (P - 1);
  const m = Number(roundShift(sig, q - exp, sticky, neg, rm));
  if (top >= fmt.emin && q + P - 1 + (m === 2 ** P ? 1 : 0) > fmt.emax) {
    sink.fflags |= OF | NX;
    return overflowValue(fmt, neg, rm);
  }
  if (inexact) sink.fflags |= tiny ? NX | UF : NX;
  const v = m === 0 ? 0 : scaleB(m, q);
  return neg ? -v : v;
}
