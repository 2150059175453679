// Conversions: float -> int32/uint32 (fcvt.w[u].s/d), int -> float
// (fcvt.s/d.w[u]) and f64 -> f32 (fcvt.s.d). fcvt.d.s is exact and needs no code.

import { decompose, F32, NV, NX, RDN, RMM, RNE, RTZ, RUP, type FlagSink, type Fmt } from './fpu-format.ts';
import { roundExact } from './fpu-round.ts';

/** x rounded to an integer in mode rm (x finite). */
export function roundToInteger(x: number, rm: number): number {
  if (!(Math.abs(x) < 2 ** 52)) return x; // already an integer
  const fl = Math.floor(x);
  const frac = x - fl; // exact below 2^52
  switch (rm) {
    case RNE: return frac > 0.5 || (frac === 0.5 && fl % 2 !== 0) ? fl + 1 : fl;
    case RTZ: return Math.trunc(x);
    case RDN: return fl;
    case RUP: return Math.ceil(x);
    case RMM: return frac > 0.5 || (frac === 0.5 && x > 0) ? fl + 1 : fl;
    default: return fl;
  }
}

/**
 * fcvt.w / fcvt.wu: v converted to a 32-bit integer (returned as int32, i.e.
 * sign-extended as RV32 writes it). Out of range and NaN saturate with NV
 * only (NaN saturates to the positive maximum); in range but inexact sets NX.
 */
export function fcvtToInt(v: number, unsigned: boolean, rm: number, sink: FlagSink): number {
  if (v !== v) {
    sink.fflags |= NV;
    return unsigned ? -1 : 0x7fffffff;
  }
  const r = roundToInteger(v, rm);
  if (unsigned) {
    // A negative value that rounds to zero is in range (-0 counts as 0).
    if (r < 0) { sink.fflags |= NV; return 0; }
    if (r > 0xffffffff) { sink.fflags |= NV; return -1; }
  } else {
    if (r < -0x80000000) { sink.fflags |= NV; return -0x80000000; }
    if (r > 0x7fffffff) { sink.fflags |= NV; return 0x7fffffff; }
  }
  if (r !== v) sink.fflags |= NX;
  return r | 0;
}

/** fcvt.s/d.w[u]: the integer v (exact in a double) rounded to fmt. */
export function fcvtFromInt(fmt: Fmt, v: number, rm: number, sink: FlagSink): number {
  if (v === 0) return 0;
  if (fmt !== F32) return v;
  if (rm === RNE) {
    const f = Math.fround(v);
    if (f !== v) sink.fflags |= NX;
    return f;
  }
  return v < 0 ? roundExact(F32, true, BigInt(-v), 0, false, rm, sink) : roundExact(F32, false, BigInt(v), 0, false, rm, sink);
}

/** fcvt.s.d: a non-NaN double rounded to f32. */
export function fcvtD2S(v: number, rm: number, sink: FlagSink): number {
  if (v === 0 || v === Infinity || v === -Infinity) return v;
  if (rm === RNE) {
    const f = Math.fround(v);
    if (f === v) return f;
    const af = Math.abs(f);
    if (af > F32.minNormal && af <= F32.maxFinite) {
      sink.fflags |= NX;
      return f;
    }
  }
  const d = decompose(v);
  return roundExact(F32, v < 0, d.sig, d.exp, false, rm, sink);
}
