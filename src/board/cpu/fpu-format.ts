// Shared vocabulary of the FPU: the two binary formats, rounding modes, fflags
// bits, and exact conversions between a double and its (significand, exponent).
//
// Every non-NaN f32 or f64 value is exactly a JS number, so the arithmetic
// modules pass values as numbers. NaNs never travel as numbers where their
// payload matters: the register file is read through its u32 view for that.

/** Rounding modes (the rm / frm encodings). */
export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;

/** fflags bits. */
export const NX = 1;
export const UF = 2;
export const OF = 4;
export const DZ = 8;
export const NV = 16;

/** Where an operation accumulates its exception flags (FpRegs is one). */
export interface FlagSink { fflags: number }

export interface Fmt {
  /** Significand bits including the implicit one. */
  readonly prec: number;
  /** Exponent of the smallest normal. */
  readonly emin: number;
  /** Exponent of the largest finite. */
  readonly emax: number;
  readonly minNormal: number;
  readonly maxFinite: number;
}

export const F32: Fmt = { prec: 24, emin: -126, emax: 127, minNormal: 2 ** -126, maxFinite: (2 - 2 ** -23) * 2 ** 127 };
export const F64: Fmt = { prec: 53, emin: -1022, emax: 1023, minNormal: 2 ** -1022, maxFinite: Number.MAX_VALUE };

export const CANONICAL_NAN_S = 0x7fc00000;
export const CANONICAL_NAN_D_HI = 0x7ff80000;

// Scratch views for bit-level conversions; single-threaded, never kept across calls.
const f64s = new Float64Array(1);
const u64s = new Uint32Array(f64s.buffer);
const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);

/** The f32 value of `bits` (any NaN pattern yields some NaN). */
export function f32FromBits(bits: number): number {
  u32s[0] = bits;
  return f32s[0]!;
}

/** The bits of an f32-representable, non-NaN value. */
export function f32ToBits(v: number): number {
  f32s[0] = v;
  return u32s[0]!;
}

/** True for -0 and negative numbers. */
export function signBit(v: number): boolean {
  return v < 0 || (v === 0 && 1 / v < 0);
}

/** 2^e for -1022 <= e <= 1023, built from bits so no pow() rounding can creep in. */
function pow2(e: number): number {
  u64s[0] = 0;
  u64s[1] = (e + 1023) << 20;
  return f64s[0]!;
}

/** m * 2^q for an integer m < 2^54 when the product is a finite double (it is then exact). */
export function scaleB(m: number, q: number): number {
  if (q >= -1022) return m * pow2(q);
  // The intermediate stays normal, so the only rounding step is the last one, which is exact.
  return m * pow2(q + 64) * pow2(-64);
}

/** |v| = sig * 2^exp for a finite non-zero double v. */
export function decompose(v: number): { sig: bigint; exp: number } {
  f64s[0] = v;
  const hi = u64s[1]!;
  const e = (hi >>> 20) & 0x7ff;
  const frac = (hi & 0xfffff) * 4294967296 + u64s[0]!;
  return e === 0 ? { sig: BigInt(frac), exp: -1074 } : { sig: BigInt(frac + 2 ** 52), exp: e - 1075 };
}

/** Number of significant bits of a non-negative bigint. */
export function bitLength(v: bigint): number {
  if (v < 4294967296n) return 32 - Math.clz32(Number(v));
  if (v < 9007199254740992n) return 64 - Math.clz32(Math.floor(Number(v) / 4294967296));
  return v.toString(2).length;
}
