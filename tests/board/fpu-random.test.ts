// Randomised checks of execFp against the rational reference model
// (fpu-ref.ts): arithmetic, fused multiply-add and conversions, in all five
// rounding modes (static and dynamic), with a fixed seed. Operands are biased
// towards the hard cases: subnormals, the ends of the exponent range,
// halfway cases, exact results and cancellation.

import { describe, expect, it } from 'vitest';
import { Cpu, enc, encR4, OP, FMADD, FMSUB, FNMSUB, FNMADD, dval, dbits, sval, sbits } from './fpu-harness.ts';
import * as ref from './fpu-ref.ts';

/** xoshiro128** on 32-bit integers: deterministic across engines. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = seed | 0; this.b = 0x9e3779b9; this.c = 0x243f6a88; this.d = 0xb7e15162;
    for (let i = 0; i < 16; i++) this.u32();
  }
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9);
    const t = this.b << 9;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c ^= t; this.d = rotl(this.d, 11);
    return r >>> 0;
  }
  below(n: number): number { return this.u32() % n; }
  chance(p: number): boolean { return this.u32() < p * 2 ** 32; }
  big(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 32) v = (v << 32n) | BigInt(this.u32());
    return v & ((1n << BigInt(bits)) - 1n);
  }
}
const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

interface F { ref: ref.RefFmt; fmt: number; w: number; name: string }
const FS: F = { ref: ref.RS, fmt: 0, w: 32, name: 's' };
const FD: F = { ref: ref.RD, fmt: 1, w: 64, name: 'd' };
const fracW = (F: F): number => F.ref.p - 1;
const expMax = (F: F): number => (1 << F.ref.ebits) - 1;
const bias = (F: F): number => (1 << (F.ref.ebits - 1)) - 1;
const pack = (F: F, neg: boolean, e: number, frac: bigint): bigint =>
  (neg ? 1n << BigInt(F.w - 1) : 0n) | (BigInt(e) << BigInt(fracW(F))) | frac;

/** A fraction field: dense random, sparse (few ones, so products/quotients are often exact or ties), or nearly all ones. */
function fraction(r: Rng, F: F): bigint {
  const w = fracW(F);
  switch (r.below(4)) {
    case 0: case 1: return r.big(w);
    default: {
      let f = 0n;
      for (let i = r.below(4); i >= 0; i--) f |= 1n << BigInt(r.below(w));
      return r.chance(0.3) ? ((1n << BigInt(w)) - 1n) ^ f : f;
    }
  }
}

function operand(r: Rng, F: F): bigint {
  const neg = r.chance(0.5);
  const w = fracW(F);
  switch (r.below(12)) {
    case 0: { // specials
      const e = r.below(6);
      if (e === 0) return pack(F, neg, 0, 0n);
      if (e === 1) return pack(F, neg, expMax(F), 0n);
      if (e === 2) return pack(F, neg, expMax(F), (1n << BigInt(w - 1)) | (r.chance(0.5) ? 0n : r.big(w - 1)));
      if (e === 3) return pack(F, neg, expMax(F), r.big(w - 1) | 1n); // signalling
      if (e === 4) return pack(F, neg, bias(F), 0n);
      return pack(F, neg, r.chance(0.5) ? 1 : expMax(F) - 1, r.chance(0.5) ? 0n : (1n << BigInt(w)) - 1n);
    }
    case 1: case 2: return pack(F, neg, 0, fraction(r, F) || 1n); // subnormal
    case 3: return pack(F, neg, r.chance(0.5) ? 1 + r.below(3) : expMax(F) - 1 - r.below(3), fraction(r, F));
    case 4: return r.big(F.w);
    case 5: return pack(F, neg, 1 + r.below(expMax(F) - 1), fraction(r, F));
    default: return pack(F, neg, bias(F) - 40 + r.below(81), fraction(r, F));
  }
}

const fieldE = (F: F, b: bigint): number => Number((b >> BigInt(fracW(F))) & BigInt(expMax(F)));
const isFiniteNonZero = (F: F, b: bigint): boolean => fieldE(F, b) !== expMax(F) && (b & ((1n << BigInt(F.w - 1)) - 1n)) !== 0n;

/** A second operand that makes the sum of a and it hard to round: exponent gap near p, ties, cancellation. */
function addPartner(r: Rng, F: F, a: bigint): bigint {
  const ea = fieldE(F, a);
  if (!isFiniteNonZero(F, a) || ea === 0) return operand(r, F);
  const neg = r.chance(0.5);
  switch (r.below(4)) {
    case 0: { // |b| = ulp(a)/2 * (1 or odd small), landing on or near the halfway point
      const e = ea - F.ref.p;
      if (e < 1) return operand(r, F);
      return pack(F, neg, e, r.chance(0.5) ? 0n : BigInt(r.below(4)) << BigInt(fracW(F) - 2));
    }
    case 1: { // cancellation: a's neighbour, opposite sign
      const mag = a & ((1n << BigInt(F.w - 1)) - 1n);
      const nb = mag + BigInt(r.below(5)) - 2n;
      return (a >> BigInt(F.w - 1) === 1n ? 0n : 1n << BigInt(F.w - 1)) | (nb > 0n ? nb : 1n);
    }
    default: { // exponent gap p-3 .. p+3 with any fraction
      const e = ea - F.ref.p - 3 + r.below(7);
      return e < 1 ? operand(r, F) : pack(F, neg, e, fraction(r, F));
    }
  }
}

/** A short significand (multiplies exactly, or lands exactly halfway). */
function shortOperand(r: Rng, F: F): bigint {
  const w = fracW(F);
  const keep = 1 + r.below(Math.ceil(F.ref.p / 2));
  const frac = (r.big(keep) << BigInt(w - keep));
  const e = r.chance(0.2) ? 1 + r.below(expMax(F) - 1) : bias(F) - 20 + r.below(41);
  return pack(F, r.chance(0.5), e, frac & ((1n << BigInt(w)) - 1n));
}

// -- running instructions --------------------------------------------------------------------

const cpu = new Cpu();

function setF(F: F, i: number, b: bigint): void {
  if (F.fmt === 0) cpu.setS(i, Number(b)); else cpu.setD(i, b);
}
function getF(F: F, i: number): bigint {
  return F.fmt === 0 ? BigInt(cpu.getS(i)) : cpu.getD(i);
}

/** Picks how the rounding mode is given: statically in the instruction, or dynamically through frm. */
function rmField(r: Rng, rm: number): number {
  if (r.chance(0.3)) {
    cpu.fr.frm = rm;
    return 7;
  }
  cpu.fr.frm = r.below(5);
  return rm;
}

const hex = (F: F, b: bigint): string => b.toString(16).padStart(F.w / 4, '0');
const ROUNDING = ['rne', 'rtz', 'rdn', 'rup', 'rmm'];

interface Case { label: string; got: string; want: string }

function check(failures: Case[], label: string, got: [string, number], want: [string, number]): void {
  if (got[0] !== want[0] || got[1] !== want[1]) {
    failures.push({ label, got: `${got[0]} flags ${got[1]}`, want: `${want[0]} flags ${want[1]}` });
  }
}

type Binary = 'add' | 'sub' | 'mul' | 'div';
const refBinary = { add: ref.refAdd, sub: ref.refSub, mul: ref.refMul, div: ref.refDiv };

const maxSubnormal = (F: F): bigint => pack(F, false, 0, (1n << BigInt(fracW(F))) - 1n);

/**
 * Operands whose exact product or quotient lies within a couple of ulps of the
 * smallest normal, where tininess after rounding differs from before rounding.
 */
function nearMinNormal(r: Rng, F: F, op: 'mul' | 'div'): [bigint, bigint] {
  const neg = r.chance(0.5) ? 1n << BigInt(F.w - 1) : 0n;
  const a = pack(F, r.chance(0.5), bias(F) - 20 + r.below(41), r.big(fracW(F)));
  // The largest subnormal is 2^-(p-1) below the smallest normal; a directed rounding of the
  // partner operand moves the exact result by up to that much, across the interesting band.
  if (op === 'mul') return [a, ref.refDiv(F.ref, maxSubnormal(F) | neg, a, r.below(5)).bits];
  return [ref.refMul(F.ref, maxSubnormal(F) | neg, a, r.below(5)).bits, a];
}

function binaryOperands(r: Rng, F: F, op: Binary | 'fma'): [bigint, bigint] {
  if ((op === 'mul' || op === 'div' || op === 'fma') && r.chance(0.15)) return nearMinNormal(r, F, op === 'div' ? 'div' : 'mul');
  const a = operand(r, F);
  if (op === 'add' || op === 'sub') return [a, r.chance(0.5) ? addPartner(r, F, a) : operand(r, F)];
  if (op === 'mul' || op === 'fma') return r.chance(0.5) ? [shortOperand(r, F), shortOperand(r, F)] : [a, operand(r, F)];
  // div: a = b * short, so that the quotient is often exact or near a tie
  const b = operand(r, F);
  if (r.chance(0.4)) {
    const p = ref.refMul(F.ref, b, shortOperand(r, F), ref.RNE);
    return [p.bits, b];
  }
  return [a, r.chance(0.05) ? pack(F, r.chance(0.5), 0, 0n) : b];
}

const PER_MODE = 240;

describe.each([FS, FD])('random f$name operations against the reference', (F) => {
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    it(`f${op}.${F.name} in every rounding mode`, () => {
      const r = new Rng(0x1234 + F.fmt * 101 + op.length * 7 + op.charCodeAt(0));
      const failures: Case[] = [];
      let n = 0;
      for (let rm = 0; rm < 5; rm++) {
        for (let i = 0; i < PER_MODE; i++) {
          const [a, b] = binaryOperands(r, F, op);
          setF(F, 1, a); setF(F, 2, b);
          cpu.fr.fflags = 0;
          expect(cpu.exec(enc(OP[op], F.fmt, 3, 1, 2, rmField(r, rm)))).toBe(0);
          const want = refBinary[op](F.ref, a, b, rm);
          check(failures, `f${op}.${F.name} ${hex(F, a)} ${hex(F, b)} ${ROUNDING[rm]}`,
            [hex(F, getF(F, 3)), cpu.fr.fflags], [hex(F, want.bits), want.flags]);
          n++;
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
      expect(n).toBe(5 * PER_MODE);
    });
  }

  it(`fsqrt.${F.name} in every rounding mode`, () => {
    const r = new Rng(0x5151 + F.fmt);
    const failures: Case[] = [];
    for (let rm = 0; rm < 5; rm++) {
      for (let i = 0; i < PER_MODE; i++) {
        let a = operand(r, F);
        if (r.chance(0.3)) { // squares (exact or near) of short and long significands
          const m = r.chance(0.5) ? shortOperand(r, F) : operand(r, F);
          a = ref.refMul(F.ref, m, m, r.below(5)).bits;
        }
        setF(F, 1, a);
        cpu.fr.fflags = 0;
        expect(cpu.exec(enc(OP.sqrt, F.fmt, 3, 1, 0, rmField(r, rm)))).toBe(0);
        const want = ref.refSqrt(F.ref, a, rm);
        check(failures, `fsqrt.${F.name} ${hex(F, a)} ${ROUNDING[rm]}`,
          [hex(F, getF(F, 3)), cpu.fr.fflags], [hex(F, want.bits), want.flags]);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  for (const [name, opc, negP, negC] of [
    ['fmadd', FMADD, false, false], ['fmsub', FMSUB, false, true],
    ['fnmsub', FNMSUB, true, false], ['fnmadd', FNMADD, true, true],
  ] as const) {
    it(`${name}.${F.name} in every rounding mode (single rounding)`, () => {
      const r = new Rng(0xf3a + opc * 3 + F.fmt);
      const failures: Case[] = [];
      for (let rm = 0; rm < 5; rm++) {
        for (let i = 0; i < PER_MODE; i++) {
          const [a, b] = binaryOperands(r, F, 'fma');
          let c = operand(r, F);
          if (r.chance(0.1)) c = r.chance(0.5) ? 0n : pack(F, r.chance(0.5), 0, r.big(4));
          else if (r.chance(0.5)) { // near or total cancellation against the product
            const p = ref.refMul(F.ref, a, b, r.below(5)).bits;
            c = r.chance(0.5) ? p : addPartner(r, F, p);
            if (r.chance(0.5)) c ^= 1n << BigInt(F.w - 1);
          }
          setF(F, 1, a); setF(F, 2, b); setF(F, 3, c);
          cpu.fr.fflags = 0;
          expect(cpu.exec(encR4(opc, F.fmt, 4, 1, 2, 3, rmField(r, rm)))).toBe(0);
          const want = ref.refFma(F.ref, a, b, c, negP, negC, rm);
          check(failures, `${name}.${F.name} ${hex(F, a)} ${hex(F, b)} ${hex(F, c)} ${ROUNDING[rm]}`,
            [hex(F, getF(F, 4)), cpu.fr.fflags], [hex(F, want.bits), want.flags]);
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }

  it(`fcvt.w.${F.name} and fcvt.wu.${F.name} in every rounding mode`, () => {
    const r = new Rng(0xc0 + F.fmt);
    const failures: Case[] = [];
    for (let rm = 0; rm < 5; rm++) {
      for (let i = 0; i < 2 * PER_MODE; i++) {
        const unsigned = i & 1;
        let a = operand(r, F);
        if (r.chance(0.6)) { // integers and half-integers near 0 and near the int32/uint32 limits
          const base = [0, 1, 2, 7, 2 ** 31, 2 ** 32, 2 ** 30, r.below(1 << 20)][r.below(8)]!;
          const v = (r.chance(0.5) ? -1 : 1) * (base + [0, 0.5, 0.25, 0.75, -0.5, -1, 1, 1.5, -0.25][r.below(9)]!);
          a = F.fmt === 0 ? BigInt(sbits(v)) : dbits(v);
        }
        setF(F, 1, a);
        cpu.fr.fflags = 0;
        cpu.x[5] = 0x12345;
        expect(cpu.exec(enc(OP.cvtToInt, F.fmt, 5, 1, unsigned, rmField(r, rm)))).toBe(0);
        const want = ref.refToInt(F.ref, a, unsigned === 1, rm);
        check(failures, `fcvt.w${unsigned ? 'u' : ''}.${F.name} ${hex(F, a)} ${ROUNDING[rm]}`,
          [String(cpu.x[5]), cpu.fr.fflags], [String(want.value | 0), want.flags]);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it(`fcvt.${F.name}.w and fcvt.${F.name}.wu in every rounding mode`, () => {
    const r = new Rng(0xc1 + F.fmt);
    const failures: Case[] = [];
    for (let rm = 0; rm < 5; rm++) {
      for (let i = 0; i < PER_MODE; i++) {
        const unsigned = i & 1;
        const v = r.chance(0.5) ? r.u32() | 0 : ((r.u32() >>> r.below(32)) | (r.chance(0.3) ? 1 << (24 + r.below(8)) : 0)) | 0;
        cpu.x[6] = v;
        cpu.fr.fflags = 0;
        expect(cpu.exec(enc(OP.cvtFromInt, F.fmt, 3, 6, unsigned, rmField(r, rm)))).toBe(0);
        const want = ref.refFromInt(F.ref, BigInt(unsigned ? v >>> 0 : v), rm);
        check(failures, `fcvt.${F.name}.w${unsigned ? 'u' : ''} ${v} ${ROUNDING[rm]}`,
          [hex(F, getF(F, 3)), cpu.fr.fflags], [hex(F, want.bits), want.flags]);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe('random conversions between formats against the reference', () => {
  it('fcvt.s.d in every rounding mode, including the f32 subnormal and overflow ranges', () => {
    const r = new Rng(0x5d);
    const failures: Case[] = [];
    for (let rm = 0; rm < 5; rm++) {
      for (let i = 0; i < 2 * PER_MODE; i++) {
        let a = operand(r, FD);
        if (r.chance(0.15)) { // just below the smallest f32 normal
          a = pack(FD, r.chance(0.5), 1023 - 127, ((1n << 52n) - 1n) ^ r.big(30));
        } else if (r.chance(0.6)) { // doubles whose exponent is inside or near the f32 range, with ties below f32 precision
          const e = 1023 - 155 + r.below(290);
          let frac = fraction(r, FD);
          if (r.chance(0.4)) frac = (frac & ~((1n << 29n) - 1n)) | (1n << 28n) | (r.chance(0.5) ? 0n : BigInt(r.below(4)));
          a = pack(FD, r.chance(0.5), e, frac);
        }
        cpu.setD(1, a);
        cpu.fr.fflags = 0;
        expect(cpu.exec(enc(OP.cvtff, 0, 3, 1, 1, rmField(r, rm)))).toBe(0);
        const want = ref.refConvert(ref.RD, ref.RS, a, rm);
        check(failures, `fcvt.s.d ${hex(FD, a)} ${ROUNDING[rm]}`,
          [hex(FS, BigInt(cpu.getS(3))), cpu.fr.fflags], [hex(FS, want.bits), want.flags]);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('fcvt.d.s is exact for every kind of f32', () => {
    const r = new Rng(0xd5);
    const failures: Case[] = [];
    for (let i = 0; i < 2000; i++) {
      const a = operand(r, FS);
      cpu.setS(1, Number(a));
      cpu.fr.fflags = 0;
      expect(cpu.exec(enc(OP.cvtff, 1, 3, 1, 0, rmField(r, r.below(5))))).toBe(0);
      const want = ref.refConvert(ref.RS, ref.RD, a, ref.RNE);
      check(failures, `fcvt.d.s ${hex(FS, a)}`, [hex(FD, cpu.getD(3)), cpu.fr.fflags], [hex(FD, want.bits), want.flags]);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

describe('the reference model itself', () => {
  // The reference is only as good as its agreement with something independent: JS arithmetic is IEEE RNE.
  it('agrees with native double and float arithmetic in RNE', () => {
    const r = new Rng(0xabc);
    for (let i = 0; i < 3000; i++) {
      const a = operand(r, FD), b = r.chance(0.5) ? addPartner(r, FD, operand(r, FD)) : operand(r, FD);
      const x = dval(a), y = dval(b);
      for (const [res, nat] of [
        [ref.refAdd(ref.RD, a, b, 0), x + y], [ref.refMul(ref.RD, a, b, 0), x * y],
        [ref.refDiv(ref.RD, a, b, 0), x / y], [ref.refSqrt(ref.RD, a, 0), Math.sqrt(x)],
      ] as const) {
        if (Number.isNaN(nat)) expect(res.bits).toBe(ref.canonicalNaN(ref.RD));
        else expect(res.bits).toBe(dbits(nat));
      }
      const s = Number(operand(r, FS)), t = Number(operand(r, FS));
      const sx = sval(s), sy = sval(t);
      const nat = Math.fround(sx * sy);
      const res = ref.refMul(ref.RS, BigInt(s), BigInt(t), 0);
      if (Number.isNaN(nat)) expect(res.bits).toBe(ref.canonicalNaN(ref.RS));
      else expect(res.bits).toBe(BigInt(sbits(nat)));
    }
  });
});
