// Hand-derived vectors for every F/D computational instruction: exact and
// inexact results in each rounding mode, every exception flag, signed zeros,
// subnormals, overflow, NaN canonicalisation and sNaN signalling, and the
// fused (single-rounding) behaviour of fmadd and friends.

import { describe, expect, it } from 'vitest';
import { Cpu, enc, encR4, OP, FMADD, FMSUB, FNMSUB, FNMADD } from './fpu-harness.ts';

const [RNE, RTZ, RDN, RUP, RMM, DYN] = [0, 1, 2, 3, 4, 7];
const [NX, UF, OF, DZ, NV] = [1, 2, 4, 8, 16];
const S = 0;
const D = 1;

// f32 bit patterns
const s1 = 0x3f800000, sm1 = 0xbf800000, s2 = 0x40000000, s3 = 0x40400000, shalf = 0x3f000000;
const sInf = 0x7f800000, sNInf = 0xff800000, sMax = 0x7f7fffff, sNMax = 0xff7fffff, sMinN = 0x00800000, sMinSub = 0x00000001;
const sQNaN = 0x7fc00000, sSNaN = 0x7f800001, sZero = 0, sNZero = 0x80000000;
// f64 bit patterns
const d1 = 0x3ff0000000000000n, dm1 = 0xbff0000000000000n, d2 = 0x4000000000000000n, d3 = 0x4008000000000000n;
const dInf = 0x7ff0000000000000n, dNInf = 0xfff0000000000000n, dMax = 0x7fefffffffffffffn;
const dMinN = 0x0010000000000000n, dMinSub = 1n, dHalf = 0x3fe0000000000000n;
const dQNaN = 0x7ff8000000000000n, dSNaN = 0x7ff0000000000001n, dZero = 0n, dNZero = 0x8000000000000000n;

const cpu = new Cpu();

/** Runs an f32 instruction with operands in f1, f2, f3 and the result in f4; returns [bits, fflags]. */
function runS(insn: number, a: number, b = 0, c = 0, frm = 0): [number, number] {
  cpu.setS(1, a); cpu.setS(2, b); cpu.setS(3, c);
  cpu.fr.fflags = 0;
  cpu.fr.frm = frm;
  expect(cpu.exec(insn)).toBe(0);
  return [cpu.getS(4), cpu.fr.fflags];
}
function runD(insn: number, a: bigint, b = 0n, c = 0n, frm = 0): [bigint, number] {
  cpu.setD(1, a); cpu.setD(2, b); cpu.setD(3, c);
  cpu.fr.fflags = 0;
  cpu.fr.frm = frm;
  expect(cpu.exec(insn)).toBe(0);
  return [cpu.getD(4), cpu.fr.fflags];
}
const bin = (op: number, fmt: number, rm: number): number => enc(op, fmt, 4, 1, 2, rm);
const un = (op: number, fmt: number, rm: number, rs2 = 0): number => enc(op, fmt, 4, 1, rs2, rm);
const fma = (opc: number, fmt: number, rm: number): number => encR4(opc, fmt, 4, 1, 2, 3, rm);
/** Runs an instruction with an integer result in x5 (f operands in f1/f2 as given by `set`). */
function runX(insn: number, set: () => void, frm = 0): [number, number] {
  set();
  cpu.x[5] = 0x5a5a5a5a;
  cpu.fr.fflags = 0;
  cpu.fr.frm = frm;
  expect(cpu.exec(insn)).toBe(0);
  return [cpu.x[5]!, cpu.fr.fflags];
}

describe('fadd / fsub', () => {
  it('exact sums raise nothing', () => {
    expect(runS(bin(OP.add, S, RNE), s1, s2)).toEqual([s3, 0]);
    expect(runD(bin(OP.add, D, RNE), d1, d2)).toEqual([d3, 0]);
    expect(runS(bin(OP.sub, S, RNE), s3, s1)).toEqual([s2, 0]);
    expect(runD(bin(OP.sub, D, RNE), d1, d3)).toEqual([0xc000000000000000n, 0]);
  });

  it('1 + half an ulp: a tie, in each rounding mode (f32)', () => {
    const half = 0x33800000; // 2^-24
    const want = [s1, s1, s1, s1 + 1, s1 + 1];
    for (let rm = 0; rm < 5; rm++) expect(runS(bin(OP.add, S, rm), s1, half)).toEqual([want[rm], NX]);
    const wantNeg = [sm1, sm1, sm1 + 1, sm1, sm1 + 1];
    for (let rm = 0; rm < 5; rm++) expect(runS(bin(OP.sub, S, rm), sm1, half)).toEqual([wantNeg[rm], NX]);
  });

  it('1 + half an ulp: a tie, in each rounding mode (f64), also through frm', () => {
    const half = 0x3ca0000000000000n; // 2^-53
    const want = [d1, d1, d1, d1 + 1n, d1 + 1n];
    for (let rm = 0; rm < 5; rm++) {
      expect(runD(bin(OP.add, D, rm), d1, half)).toEqual([want[rm], NX]);
      expect(runD(bin(OP.add, D, DYN), d1, half, 0n, rm)).toEqual([want[rm], NX]);
    }
    // 1 + 3/4 ulp is above the tie (1.5 ulp rounds to even: 1 + 2 ulp)
    expect(runD(bin(OP.add, D, RNE), d1 + 1n, half)).toEqual([d1 + 2n, NX]);
    expect(runD(bin(OP.add, D, RNE), d1, 0x3ca8000000000000n)).toEqual([d1 + 1n, NX]);
    expect(runD(bin(OP.add, D, RTZ), d1, 0x3ca8000000000000n)).toEqual([d1, NX]);
  });

  it('zero results: x - x is +0 except -0 when rounding down; signed zero sums', () => {
    for (let rm = 0; rm < 5; rm++) {
      const z = rm === RDN ? sNZero : sZero;
      expect(runS(bin(OP.sub, S, rm), s3, s3)).toEqual([z, 0]);
      expect(runS(bin(OP.add, S, rm), sZero, sNZero)).toEqual([z, 0]);
      expect(runS(bin(OP.add, S, rm), sNZero, sNZero)).toEqual([sNZero, 0]);
      expect(runD(bin(OP.add, D, rm), dm1, d1)).toEqual([rm === RDN ? dNZero : dZero, 0]);
      expect(runD(bin(OP.sub, D, rm), dNZero, dZero)).toEqual([dNZero, 0]);
    }
  });

  it('overflow: infinity or the largest finite value, by rounding mode', () => {
    const want = [sInf, sMax, sMax, sInf, sInf];
    const wantNeg = [sNInf, sNMax, sNInf, sNMax, sNInf];
    for (let rm = 0; rm < 5; rm++) {
      expect(runS(bin(OP.add, S, rm), sMax, sMax)).toEqual([want[rm], OF | NX]);
      expect(runS(bin(OP.sub, S, rm), sNMax, sMax)).toEqual([wantNeg[rm], OF | NX]);
      const dWant = [dInf, dMax, dMax, dInf, dInf][rm];
      expect(runD(bin(OP.add, D, rm), dMax, dMax)).toEqual([dWant, OF | NX]);
    }
    // max + half an ulp of max ties to even = infinity in RNE (rounding needs the next, unrepresentable exponent)
    expect(runD(bin(OP.add, D, RNE), dMax, 0x7c90000000000000n)).toEqual([dInf, OF | NX]);
    expect(runD(bin(OP.add, D, RNE), dMax, 0x7c8fffffffffffffn)).toEqual([dMax, NX]);
  });

  it('subnormal sums are exact', () => {
    expect(runS(bin(OP.add, S, RNE), sMinSub, sMinSub)).toEqual([2, 0]);
    expect(runD(bin(OP.sub, D, RNE), dMinN, dMinSub)).toEqual([0x000fffffffffffffn, 0]);
  });

  it('infinities and NaNs', () => {
    expect(runS(bin(OP.add, S, RNE), sInf, sNInf)).toEqual([sQNaN, NV]);
    expect(runS(bin(OP.sub, S, RNE), sInf, sInf)).toEqual([sQNaN, NV]);
    expect(runS(bin(OP.add, S, RNE), sInf, sMax)).toEqual([sInf, 0]);
    expect(runD(bin(OP.add, D, RNE), dNInf, dNInf)).toEqual([dNInf, 0]);
    expect(runS(bin(OP.add, S, RNE), 0x7fc12345, s1)).toEqual([sQNaN, 0]); // payload dropped
    expect(runS(bin(OP.add, S, RNE), s1, 0xff800001)).toEqual([sQNaN, NV]);
    expect(runD(bin(OP.sub, D, RNE), 0xfff8000000000abcn, d1)).toEqual([dQNaN, 0]);
    expect(runD(bin(OP.add, D, RNE), d1, dSNaN)).toEqual([dQNaN, NV]);
    expect(runD(bin(OP.add, D, RNE), dInf, dSNaN)).toEqual([dQNaN, NV]);
  });
});

describe('fmul', () => {
  it('exact and inexact products', () => {
    expect(runS(bin(OP.mul, S, RNE), s2, s3)).toEqual([0x40c00000, 0]);
    // (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46: the 2^-46 is below the last place
    const want = [0x3f800002, 0x3f800002, 0x3f800002, 0x3f800003, 0x3f800002];
    for (let rm = 0; rm < 5; rm++) expect(runS(bin(OP.mul, S, rm), 0x3f800001, 0x3f800001)).toEqual([want[rm], NX]);
    const dwant = [d1 + 2n, d1 + 2n, d1 + 2n, d1 + 3n, d1 + 2n];
    for (let rm = 0; rm < 5; rm++) expect(runD(bin(OP.mul, D, rm), d1 + 1n, d1 + 1n)).toEqual([dwant[rm], NX]);
  });

  it('underflow: exact tiny results raise nothing, inexact ones raise UF and NX', () => {
    expect(runS(bin(OP.mul, S, RNE), sMinN, shalf)).toEqual([0x00400000, 0]);
    expect(runD(bin(OP.mul, D, RNE), dMinN, dHalf)).toEqual([0x0008000000000000n, 0]);
    // minSub / 2 is a tie between 0 and minSub
    const want = [0, 0, 0, 1, 1];
    for (let rm = 0; rm < 5; rm++) {
      expect(runS(bin(OP.mul, S, rm), sMinSub, shalf)).toEqual([want[rm], UF | NX]);
      expect(runD(bin(OP.mul, D, rm), dMinSub, dHalf)).toEqual([BigInt(want[rm]!), UF | NX]);
    }
    expect(runS(bin(OP.mul, S, RDN), sMinSub | 0x80000000, shalf)).toEqual([0x80000001, UF | NX]);
    // 3 * minSub / 4 rounds to minSub in RNE
    expect(runD(bin(OP.mul, D, RNE), 3n, 0x3fd0000000000000n)).toEqual([1n, UF | NX]);
  });

  it('tininess is detected after rounding', () => {
    // a = 1 - 2^-24, b = 2^-126 (1 + 2^-23): a*b = 2^-126 (1 + 2^-24 - 2^-47), just under half an ulp above 2^-126
    expect(runS(bin(OP.mul, S, RNE), 0x3f7fffff, 0x00800001)).toEqual([sMinN, NX]);
    expect(runS(bin(OP.mul, S, RUP), 0x3f7fffff, 0x00800001)).toEqual([0x00800001, NX]);
    // a = 1 - 2^-24, b = 2^-126: a*b = 2^-126 (1 - 2^-24) fits in 24 bits, so it is tiny even though
    // it rounds up to 2^-126 on the subnormal grid (a tie, to even).
    expect(runS(bin(OP.mul, S, RNE), 0x3f7fffff, sMinN)).toEqual([sMinN, UF | NX]);
    // a = 1 + 2^-18, b = 2^-126 (1 - 2^-18): a*b = 2^-126 (1 - 2^-36) rounds to 2^-126 at 24 bits: not tiny.
    expect(runS(bin(OP.mul, S, RNE), 0x3f800020, 0x007fffe0)).toEqual([sMinN, NX]);
    expect(runS(bin(OP.mul, S, RMM), 0x3f800020, 0x007fffe0)).toEqual([sMinN, NX]);
    expect(runS(bin(OP.mul, S, RUP), 0x3f800020, 0x007fffe0)).toEqual([sMinN, NX]);
    // In RTZ the result is the largest subnormal, and 24-bit rounding stays below 2^-126 too: tiny.
    expect(runS(bin(OP.mul, S, RTZ), 0x3f800020, 0x007fffe0)).toEqual([0x007fffff, UF | NX]);
    // The same in f64: (1 + 2^-26 + 2^-52) * 2^-1022 (1 - 2^-26) = 2^-1022 (1 - 2^-78)
    expect(runD(bin(OP.mul, D, RNE), 0x3ff0000004000001n, 0x000ffffffc000000n)).toEqual([dMinN, NX]);
    expect(runD(bin(OP.mul, D, RUP), 0x3ff0000004000001n, 0x000ffffffc000000n)).toEqual([dMinN, NX]);
    expect(runD(bin(OP.mul, D, RDN), 0x3ff0000004000001n, 0x000ffffffc000000n)).toEqual([0x000fffffffffffffn, UF | NX]);
    expect(runD(bin(OP.mul, D, RNE), 0x3fefffffffffffffn, dMinN)).toEqual([dMinN, UF | NX]);
  });

  it('overflow and special operands', () => {
    expect(runS(bin(OP.mul, S, RNE), sMax, s2)).toEqual([sInf, OF | NX]);
    expect(runS(bin(OP.mul, S, RTZ), sMax, s2 | 0x80000000)).toEqual([sNMax, OF | NX]);
    expect(runD(bin(OP.mul, D, RUP), dMax, dm1)).toEqual([0xffefffffffffffffn, 0]);
    expect(runS(bin(OP.mul, S, RNE), sInf, sZero)).toEqual([sQNaN, NV]);
    expect(runD(bin(OP.mul, D, RNE), dNZero, dInf)).toEqual([dQNaN, NV]);
    expect(runD(bin(OP.mul, D, RNE), dNInf, dm1)).toEqual([dInf, 0]);
    expect(runS(bin(OP.mul, S, RNE), sNZero, s3)).toEqual([sNZero, 0]);
    expect(runD(bin(OP.mul, D, RNE), dSNaN, dZero)).toEqual([dQNaN, NV]);
  });
});

describe('fdiv', () => {
  it('1/3 in every rounding mode', () => {
    const s = [0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab];
    const d = [0x3fd5555555555555n, 0x3fd5555555555555n, 0x3fd5555555555555n, 0x3fd5555555555556n, 0x3fd5555555555555n];
    for (let rm = 0; rm < 5; rm++) {
      expect(runS(bin(OP.div, S, rm), s1, s3)).toEqual([s[rm], NX]);
      expect(runD(bin(OP.div, D, rm), d1, d3)).toEqual([d[rm], NX]);
      expect(runD(bin(OP.div, D, rm), dm1, d3)).toEqual([d[[0, 1, 3, 2, 4][rm]!]! | dNZero, NX]);
    }
    expect(runD(bin(OP.div, D, RNE), d3, d2)).toEqual([0x3ff8000000000000n, 0]);
  });

  it('division by zero, invalid quotients and infinities', () => {
    expect(runS(bin(OP.div, S, RNE), s1, sZero)).toEqual([sInf, DZ]);
    expect(runS(bin(OP.div, S, RNE), s1, sNZero)).toEqual([sNInf, DZ]);
    expect(runD(bin(OP.div, D, RTZ), dm1, dZero)).toEqual([dNInf, DZ]);
    expect(runS(bin(OP.div, S, RNE), sZero, sZero)).toEqual([sQNaN, NV]);
    expect(runD(bin(OP.div, D, RNE), dInf, dNInf)).toEqual([dQNaN, NV]);
    expect(runD(bin(OP.div, D, RNE), dInf, dZero)).toEqual([dInf, 0]);
    expect(runD(bin(OP.div, D, RNE), d1, dNInf)).toEqual([dNZero, 0]);
    expect(runS(bin(OP.div, S, RNE), sNZero, s3)).toEqual([sNZero, 0]);
    expect(runS(bin(OP.div, S, RNE), sQNaN, sZero)).toEqual([sQNaN, 0]);
  });

  it('overflow and underflow', () => {
    expect(runS(bin(OP.div, S, RNE), sMax, shalf)).toEqual([sInf, OF | NX]);
    expect(runD(bin(OP.div, D, RDN), dMax, dHalf)).toEqual([dMax, OF | NX]);
    expect(runS(bin(OP.div, S, RNE), sMinSub, s3)).toEqual([0, UF | NX]);
    expect(runS(bin(OP.div, S, RUP), sMinSub, s3)).toEqual([1, UF | NX]);
    expect(runD(bin(OP.div, D, RNE), dMinN, d2)).toEqual([0x0008000000000000n, 0]);
  });
});

describe('fsqrt', () => {
  it('sqrt(2) in every rounding mode, exact roots', () => {
    const s = [0x3fb504f3, 0x3fb504f3, 0x3fb504f3, 0x3fb504f4, 0x3fb504f3];
    const d = [0x3ff6a09e667f3bcdn, 0x3ff6a09e667f3bccn, 0x3ff6a09e667f3bccn, 0x3ff6a09e667f3bcdn, 0x3ff6a09e667f3bcdn];
    for (let rm = 0; rm < 5; rm++) {
      expect(runS(un(OP.sqrt, S, rm), s2)).toEqual([s[rm], NX]);
      expect(runD(un(OP.sqrt, D, rm), d2)).toEqual([d[rm], NX]);
    }
    expect(runS(un(OP.sqrt, S, RNE), 0x41100000)).toEqual([s3, 0]); // sqrt(9)
    expect(runD(un(OP.sqrt, D, RNE), 0x3fd0000000000000n)).toEqual([dHalf, 0]); // sqrt(1/4)
    expect(runD(un(OP.sqrt, D, RNE), dMinSub)).toEqual([0x1e60000000000000n, 0]); // sqrt(2^-1074) = 2^-537
    expect(runS(un(OP.sqrt, S, RNE), 0x00000002)).toEqual([0x1a800000, 0]); // sqrt(2^-148) = 2^-74
  });

  it('special operands', () => {
    expect(runS(un(OP.sqrt, S, RNE), sNZero)).toEqual([sNZero, 0]);
    expect(runD(un(OP.sqrt, D, RNE), dInf)).toEqual([dInf, 0]);
    expect(runD(un(OP.sqrt, D, RNE), dNInf)).toEqual([dQNaN, NV]);
    expect(runS(un(OP.sqrt, S, RNE), sm1)).toEqual([sQNaN, NV]);
    expect(runS(un(OP.sqrt, S, RNE), 0x80000001)).toEqual([sQNaN, NV]);
    expect(runD(un(OP.sqrt, D, RNE), dSNaN)).toEqual([dQNaN, NV]);
    expect(runD(un(OP.sqrt, D, RNE), 0xfff8000000000001n)).toEqual([dQNaN, 0]);
  });
});

describe('fused multiply-add', () => {
  it('rounds once: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly', () => {
    expect(runS(fma(FMADD, S, RNE), 0x3f800001, 0x3f7ffffe, sm1)).toEqual([0xa8800000, 0]);
    expect(runS(fma(FMSUB, S, RNE), 0x3f800001, 0x3f7ffffe, s1)).toEqual([0xa8800000, 0]);
    expect(runS(fma(FNMSUB, S, RNE), 0x3f800001, 0x3f7ffffe, s1)).toEqual([0x28800000, 0]);
    expect(runS(fma(FNMADD, S, RNE), 0x3f800001, 0x3f7ffffe, sm1)).toEqual([0x28800000, 0]);
    expect(runD(fma(FMADD, D, RNE), d1 + 1n, 0x3fefffffffffffffn - 1n, dm1)).toEqual([0xb970000000000000n, 0]);
  });

  it('one rounding in every mode: (1 + 2^-52)^2 + 2^-60', () => {
    // exact: 1 + 2^-51 + 2^-60 + 2^-104: between 1 + 2^-51 and 1 + 2^-51 + 2^-52, below the tie
    const want = [d1 + 2n, d1 + 2n, d1 + 2n, d1 + 3n, d1 + 2n];
    for (let rm = 0; rm < 5; rm++) expect(runD(fma(FMADD, D, rm), d1 + 1n, d1 + 1n, 0x3c30000000000000n)).toEqual([want[rm], NX]);
    // exact 1 + 2^-24 tie in f32 made by the product alone: (1 + 2^-12)^2 - 2^-11 = 1 + 2^-24
    const ties = [s1, s1, s1, s1 + 1, s1 + 1];
    for (let rm = 0; rm < 5; rm++) expect(runS(fma(FMADD, S, rm), 0x3f800800, 0x3f800800, 0xba000000)).toEqual([ties[rm], NX]);
  });

  it('the sign of an exact zero follows the negated operands, not the negated result', () => {
    // fnmadd(1, 1, -1) = -(1*1) - (-1) = +0 in RNE (not -(1*1 + -1) = -0)
    expect(runS(fma(FNMADD, S, RNE), s1, s1, sm1)).toEqual([sZero, 0]);
    expect(runS(fma(FNMADD, S, RDN), s1, s1, sm1)).toEqual([sNZero, 0]);
    expect(runD(fma(FMSUB, D, RNE), d1, d1, d1)).toEqual([dZero, 0]);
    expect(runD(fma(FNMSUB, D, RUP), d1, d1, d1)).toEqual([dZero, 0]);
    // zero product plus zero addend: same signs keep the sign
    expect(runS(fma(FMADD, S, RNE), sNZero, s1, sNZero)).toEqual([sNZero, 0]);
    expect(runS(fma(FMADD, S, RNE), sNZero, s1, sZero)).toEqual([sZero, 0]);
    expect(runS(fma(FMADD, S, RDN), sNZero, s1, sZero)).toEqual([sNZero, 0]);
    expect(runD(fma(FNMADD, D, RNE), dZero, d1, dZero)).toEqual([dNZero, 0]);
  });

  it('invalid cases, including ∞ × 0 with a quiet NaN addend', () => {
    expect(runS(fma(FMADD, S, RNE), sInf, sZero, s1)).toEqual([sQNaN, NV]);
    expect(runS(fma(FMADD, S, RNE), sInf, sZero, sQNaN)).toEqual([sQNaN, NV]);
    expect(runD(fma(FMADD, D, RNE), dZero, dNInf, dQNaN)).toEqual([dQNaN, NV]);
    expect(runD(fma(FMADD, D, RNE), dInf, d1, dNInf)).toEqual([dQNaN, NV]);
    expect(runD(fma(FMSUB, D, RNE), dInf, d1, dInf)).toEqual([dQNaN, NV]);
    expect(runD(fma(FMADD, D, RNE), dInf, d1, dInf)).toEqual([dInf, 0]);
    expect(runD(fma(FMADD, D, RNE), dMax, d2, dNInf)).toEqual([dNInf, 0]);
    expect(runS(fma(FMADD, S, RNE), sQNaN, s1, s1)).toEqual([sQNaN, 0]);
    expect(runS(fma(FMADD, S, RNE), s1, s1, sSNaN)).toEqual([sQNaN, NV]);
    expect(runS(fma(FMADD, S, RNE), sQNaN, sZero, sSNaN)).toEqual([sQNaN, NV]);
  });

  it('overflow and underflow of the fused result', () => {
    expect(runS(fma(FMADD, S, RNE), sMax, s2, sm1)).toEqual([sInf, OF | NX]);
    expect(runS(fma(FMADD, S, RTZ), sMax, s2, sm1)).toEqual([sMax, OF | NX]);
    // product huge, addend cancels it down to a normal value: no overflow
    expect(runS(fma(FMSUB, S, RNE), sMax, s2, sMax)).toEqual([sMax, 0]);
    // minSub * 0.5 + 0 underflows to 0 (tie to even) / minSub in RUP
    expect(runD(fma(FMADD, D, RNE), dMinSub, dHalf, dZero)).toEqual([dZero, UF | NX]);
    expect(runD(fma(FMADD, D, RUP), dMinSub, dHalf, dZero)).toEqual([dMinSub, UF | NX]);
    // 2^-1022 - (2^-1022 * 2^-54): rounds up to 2^-1022 at 53 bits too, so not tiny
    expect(runD(fma(FNMSUB, D, RNE), dMinN, 0x3c90000000000000n, dMinN)).toEqual([dMinN, NX]);
  });
});

describe('fsgnj / fsgnjn / fsgnjx', () => {
  it('copies, negates and xors the sign bit only, keeping NaN payloads', () => {
    const sg = (f3: number): number => enc(OP.sgnj, S, 4, 1, 2, f3);
    expect(runS(sg(0), 0x7fc12345, sm1)).toEqual([0xffc12345, 0]);
    expect(runS(sg(1), 0x7f800001, sm1)).toEqual([0x7f800001, 0]);
    expect(runS(sg(2), 0xbf800000, sm1)).toEqual([s1, 0]);
    expect(runS(sg(2), 0xbf800000, s1)).toEqual([sm1, 0]);
    const dg = (f3: number): number => enc(OP.sgnj, D, 4, 1, 2, f3);
    expect(runD(dg(0), 0x7ff0000000000abcn, dNZero)).toEqual([0xfff0000000000abcn, 0]);
    expect(runD(dg(1), dm1, dm1)).toEqual([d1, 0]);
    expect(runD(dg(2), dm1, dNInf)).toEqual([d1, 0]);
  });

  it('fmv / fneg / fabs idioms (rs1 == rs2)', () => {
    cpu.setS(1, 0xc0490fdb);
    cpu.exec(enc(OP.sgnj, S, 4, 1, 1, 0));
    expect(cpu.getS(4)).toBe(0xc0490fdb);
    cpu.exec(enc(OP.sgnj, S, 4, 1, 1, 1));
    expect(cpu.getS(4)).toBe(0x40490fdb);
    cpu.exec(enc(OP.sgnj, S, 4, 1, 1, 2));
    expect(cpu.getS(4)).toBe(0x40490fdb);
    cpu.setD(1, 0x8000000000000001n);
    cpu.exec(enc(OP.sgnj, D, 1, 1, 1, 2)); // in place
    expect(cpu.getD(1)).toBe(1n);
  });

  it('an improperly boxed f32 operand acts as the canonical NaN', () => {
    const sg = (f3: number): number => enc(OP.sgnj, S, 4, 1, 2, f3);
    cpu.setS(1, 0x3f800000, 0); cpu.setS(2, sm1);
    cpu.exec(sg(0));
    expect(cpu.getS(4)).toBe(0xffc00000);
    cpu.setS(1, s1); cpu.setS(2, 0xbf800000, 0x12345678); // rs2 reads as +qNaN
    cpu.exec(sg(1));
    expect(cpu.getS(4)).toBe(sm1);
  });
});

describe('fmin / fmax', () => {
  const mm = (fmt: number, max: number): number => enc(OP.minmax, fmt, 4, 1, 2, max);
  it('orders -0 below +0 and returns operands bit for bit', () => {
    expect(runS(mm(S, 0), sZero, sNZero)).toEqual([sNZero, 0]);
    expect(runS(mm(S, 0), sNZero, sZero)).toEqual([sNZero, 0]);
    expect(runS(mm(S, 1), sNZero, sZero)).toEqual([sZero, 0]);
    expect(runD(mm(D, 1), dZero, dNZero)).toEqual([dZero, 0]);
    expect(runS(mm(S, 0), sMinSub, 0x80000002)).toEqual([0x80000002, 0]);
    expect(runD(mm(D, 1), dMinSub, 2n)).toEqual([2n, 0]);
    expect(runD(mm(D, 0), dNInf, dMax)).toEqual([dNInf, 0]);
  });

  it('one NaN gives the other operand; two give the canonical NaN; sNaN raises NV', () => {
    expect(runS(mm(S, 0), sQNaN, s3)).toEqual([s3, 0]);
    expect(runS(mm(S, 1), s3, 0xffc00001)).toEqual([s3, 0]);
    expect(runS(mm(S, 0), sSNaN, s3)).toEqual([s3, NV]);
    expect(runD(mm(D, 1), dm1, dSNaN)).toEqual([dm1, NV]);
    expect(runD(mm(D, 1), 0x7ff8000000000001n, 0xfff8000000000002n)).toEqual([dQNaN, 0]);
    expect(runD(mm(D, 0), dSNaN, dQNaN)).toEqual([dQNaN, NV]);
    // improperly boxed counts as a quiet NaN
    cpu.setS(1, s3, 0); cpu.setS(2, s2); cpu.fr.fflags = 0;
    cpu.exec(mm(S, 1));
    expect([cpu.getS(4), cpu.fr.fflags]).toEqual([s2, 0]);
  });
});

describe('feq / flt / fle', () => {
  const cmp = (fmt: number, f3: number, rd = 5): number => enc(OP.cmp, fmt, rd, 1, 2, f3);
  const setS = (a: number, b: number) => (): void => { cpu.setS(1, a); cpu.setS(2, b); };
  const setD = (a: bigint, b: bigint) => (): void => { cpu.setD(1, a); cpu.setD(2, b); };
  const [FLE, FLT, FEQ] = [0, 1, 2];
  it('ordered comparisons', () => {
    expect(runX(cmp(S, FEQ), setS(sZero, sNZero))).toEqual([1, 0]);
    expect(runX(cmp(S, FLT), setS(sNZero, sZero))).toEqual([0, 0]);
    expect(runX(cmp(S, FLE), setS(sNZero, sZero))).toEqual([1, 0]);
    expect(runX(cmp(S, FLT), setS(sNInf, sMinSub))).toEqual([1, 0]);
    expect(runX(cmp(D, FLT), setD(d2, d1))).toEqual([0, 0]);
    expect(runX(cmp(D, FLE), setD(d1, d1))).toEqual([1, 0]);
    expect(runX(cmp(D, FEQ), setD(dMinSub, 2n))).toEqual([0, 0]);
  });

  it('feq is quiet; flt and fle signal on any NaN', () => {
    expect(runX(cmp(S, FEQ), setS(sQNaN, sQNaN))).toEqual([0, 0]);
    expect(runX(cmp(S, FEQ), setS(s1, sSNaN))).toEqual([0, NV]);
    expect(runX(cmp(S, FLT), setS(sQNaN, s1))).toEqual([0, NV]);
    expect(runX(cmp(D, FLE), setD(d1, dQNaN))).toEqual([0, NV]);
    expect(runX(cmp(D, FEQ), setD(dQNaN, d1))).toEqual([0, 0]);
    expect(runX(cmp(S, FEQ), () => { cpu.setS(1, s1, 0); cpu.setS(2, s1); })).toEqual([0, 0]); // unboxed: qNaN
  });

  it('never writes x0, but still raises flags', () => {
    cpu.setS(1, sQNaN); cpu.setS(2, s1); cpu.fr.fflags = 0;
    cpu.exec(cmp(S, FLT, 0));
    expect(cpu.x[0]).toBe(0);
    expect(cpu.fr.fflags).toBe(NV);
    cpu.setS(1, s1);
    cpu.exec(cmp(S, FEQ, 0));
    expect(cpu.x[0]).toBe(0);
  });
});

describe('fcvt.w[u].s / fcvt.w[u].d', () => {
  const toW = (fmt: number, rm: number, unsigned = 0): number => enc(OP.cvtToInt, fmt, 5, 1, unsigned, rm);
  const fS = (a: number) => (): void => cpu.setS(1, a);
  const fD = (a: bigint) => (): void => cpu.setD(1, a);
  it('rounds ±2.5 and ±0.5 in each mode', () => {
    const pos = [2, 2, 2, 3, 3];
    const neg = [-2, -2, -3, -2, -3];
    const halfPos = [0, 0, 0, 1, 1];
    const halfNeg = [0, 0, -1, 0, -1];
    for (let rm = 0; rm < 5; rm++) {
      expect(runX(toW(S, rm), fS(0x40200000))).toEqual([pos[rm], NX]);
      expect(runX(toW(D, rm), fD(0xc004000000000000n))).toEqual([neg[rm], NX]);
      expect(runX(toW(S, DYN), fS(0x3f000000), rm)).toEqual([halfPos[rm], NX]);
      expect(runX(toW(D, rm), fD(0xbfe0000000000000n))).toEqual([halfNeg[rm], NX]);
    }
    expect(runX(toW(S, RNE), fS(0x40600000))).toEqual([4, NX]); // 3.5 -> 4
    expect(runX(toW(D, RNE), fD(0xc00c000000000000n))).toEqual([-4, NX]); // -3.5 -> -4
    expect(runX(toW(D, RNE), fD(0xc059000000000000n))).toEqual([-100, 0]);
  });

  it('saturates with NV only (NaN to the maximum)', () => {
    const MIN = -0x80000000, MAX = 0x7fffffff;
    expect(runX(toW(S, RNE), fS(sQNaN))).toEqual([MAX, NV]);
    expect(runX(toW(S, RNE), fS(0xffc00000))).toEqual([MAX, NV]);
    expect(runX(toW(S, RNE), fS(sInf))).toEqual([MAX, NV]);
    expect(runX(toW(S, RNE), fS(sNInf))).toEqual([MIN, NV]);
    expect(runX(toW(S, RNE), fS(0x4f000000))).toEqual([MAX, NV]); // 2^31
    expect(runX(toW(S, RNE), fS(0xcf000000))).toEqual([MIN, 0]); // -2^31 is in range
    expect(runX(toW(D, RTZ), fD(0x41dfffffffffffffn))).toEqual([MAX, NX]); // 2^31 - 2^-22
    // 2^31 - 0.5: a tie between 2^31 - 1 and 2^31 (even, out of range)
    expect(runX(toW(D, RNE), fD(0x41dfffffffe00000n))).toEqual([MAX, NV]);
    expect(runX(toW(D, RUP), fD(0x41dfffffffe00000n))).toEqual([MAX, NV]);
    expect(runX(toW(D, RMM), fD(0x41dfffffffe00000n))).toEqual([MAX, NV]);
    expect(runX(toW(D, RDN), fD(0x41dfffffffe00000n))).toEqual([MAX, NX]);
    // -2^31 - 0.5: a tie between -2^31 (even, in range) and -2^31 - 1
    expect(runX(toW(D, RNE), fD(0xc1e0000000100000n))).toEqual([MIN, NX]);
    expect(runX(toW(D, RTZ), fD(0xc1e0000000100000n))).toEqual([MIN, NX]);
    expect(runX(toW(D, RMM), fD(0xc1e0000000100000n))).toEqual([MIN, NV]);
    expect(runX(toW(D, RDN), fD(0xc1e0000000100000n))).toEqual([MIN, NV]);
  });

  it('unsigned: negative values that round to 0 are in range; NaN saturates to 2^32 - 1', () => {
    const U = -1; // 0xffffffff as written to an RV32 register
    expect(runX(toW(S, RNE, 1), fS(sQNaN))).toEqual([U, NV]);
    expect(runX(toW(D, RNE, 1), fD(dSNaN))).toEqual([U, NV]);
    expect(runX(toW(D, RNE, 1), fD(dNInf))).toEqual([0, NV]);
    expect(runX(toW(D, RNE, 1), fD(dm1))).toEqual([0, NV]);
    expect(runX(toW(D, RTZ, 1), fD(0xbfe8000000000000n))).toEqual([0, NX]); // -0.75 truncates to 0
    expect(runX(toW(D, RNE, 1), fD(0xbfe8000000000000n))).toEqual([0, NV]); // -0.75 rounds to -1
    expect(runX(toW(S, RNE, 1), fS(sNZero))).toEqual([0, 0]);
    expect(runX(toW(D, RNE, 1), fD(0x41efffffffe00000n))).toEqual([U, 0]); // 2^32 - 1 exactly
    expect(runX(toW(D, RNE, 1), fD(0x41effffffff00000n))).toEqual([U, NV]); // 2^32 - 0.5 ties to 2^32
    expect(runX(toW(D, RDN, 1), fD(0x41effffffff00000n))).toEqual([U, NX]);
    expect(runX(toW(S, RNE, 1), fS(0x4f800000))).toEqual([U, NV]); // 2^32
    expect(runX(toW(S, RNE, 1), fS(0x4f000000))).toEqual([0x80000000 | 0, 0]); // 2^31
  });

  it('does not write x0', () => {
    cpu.setS(1, s3);
    cpu.exec(enc(OP.cvtToInt, S, 0, 1, 0, RNE));
    expect(cpu.x[0]).toBe(0);
  });
});

describe('fcvt.s/d.w[u]', () => {
  const fromW = (fmt: number, rm: number, unsigned = 0): number => enc(OP.cvtFromInt, fmt, 4, 6, unsigned, rm);
  function run(insn: number, v: number, frm = 0): [number | bigint, number] {
    cpu.x[6] = v; cpu.fr.fflags = 0; cpu.fr.frm = frm;
    expect(cpu.exec(insn)).toBe(0);
    return [(insn >>> 25) & 1 ? cpu.getD(4) : cpu.getS(4), cpu.fr.fflags];
  }
  it('exact conversions', () => {
    expect(run(fromW(S, RNE), 0)).toEqual([0, 0]);
    expect(run(fromW(S, RNE), -3)).toEqual([0xc0400000, 0]);
    expect(run(fromW(D, RNE), 0x7fffffff)).toEqual([0x41dfffffffc00000n, 0]);
    expect(run(fromW(D, RNE), -0x80000000)).toEqual([0xc1e0000000000000n, 0]);
    expect(run(fromW(D, RNE, 1), -1)).toEqual([0x41efffffffe00000n, 0]);
    expect(run(fromW(S, RNE), 1 << 24)).toEqual([0x4b800000, 0]);
  });
  it('rounds wide integers to f32 in each mode', () => {
    // 2^24 + 1: a tie between 2^24 and 2^24 + 2
    const want = [0x4b800000, 0x4b800000, 0x4b800000, 0x4b800001, 0x4b800001];
    for (let rm = 0; rm < 5; rm++) {
      expect(run(fromW(S, rm), (1 << 24) + 1)).toEqual([want[rm], NX]);
      expect(run(fromW(S, DYN), -((1 << 24) + 1), rm)).toEqual([[0xcb800000, 0xcb800000, 0xcb800001, 0xcb800000, 0xcb800001][rm], NX]);
    }
    // 0xffffffff unsigned: 2^32 - 1
    expect(run(fromW(S, RNE, 1), -1)).toEqual([0x4f800000, NX]);
    expect(run(fromW(S, RTZ, 1), -1)).toEqual([0x4f7fffff, NX]);
    expect(run(fromW(S, RNE), 0x7fffffff)).toEqual([0x4f000000, NX]);
  });
});

describe('fcvt.s.d / fcvt.d.s', () => {
  const s2d = (rm: number): number => enc(OP.cvtff, D, 4, 1, 0, rm);
  const d2s = (rm: number): number => enc(OP.cvtff, S, 4, 1, 1, rm);
  function runD2S(a: bigint, rm: number): [number, number] {
    cpu.setD(1, a); cpu.fr.fflags = 0;
    expect(cpu.exec(d2s(rm))).toBe(0);
    return [cpu.getS(4), cpu.fr.fflags];
  }
  function runS2D(a: number, hi = 0xffffffff): [bigint, number] {
    cpu.setS(1, a, hi); cpu.fr.fflags = 0;
    expect(cpu.exec(s2d(RNE))).toBe(0);
    return [cpu.getD(4), cpu.fr.fflags];
  }
  it('fcvt.d.s is exact, widening subnormals and canonicalising NaNs', () => {
    expect(runS2D(0x3eaaaaab)).toEqual([0x3fd5555560000000n, 0]);
    expect(runS2D(sMinSub)).toEqual([0x36a0000000000000n, 0]);
    expect(runS2D(0x807fffff)).toEqual([0xb80fffffc0000000n, 0]);
    expect(runS2D(sNInf)).toEqual([dNInf, 0]);
    expect(runS2D(sNZero)).toEqual([dNZero, 0]);
    expect(runS2D(0x7fc12345)).toEqual([dQNaN, 0]);
    expect(runS2D(sSNaN)).toEqual([dQNaN, NV]);
    expect(runS2D(s1, 0xfffffffe)).toEqual([dQNaN, 0]);
  });
  it('fcvt.s.d rounds in each mode, with overflow, underflow and NaNs', () => {
    const third = [0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab];
    for (let rm = 0; rm < 5; rm++) expect(runD2S(0x3fd5555555555555n, rm)).toEqual([third[rm], NX]);
    expect(runD2S(0x3ff0000010000000n, RNE)).toEqual([s1, NX]); // 1 + 2^-24: tie to even
    expect(runD2S(0x3ff0000010000000n, RMM)).toEqual([s1 + 1, NX]);
    expect(runD2S(0x3ff0000030000000n, RNE)).toEqual([s1 + 2, NX]); // 1 + 3*2^-24: tie to even (up)
    expect(runD2S(0x47efffffe0000000n, RNE)).toEqual([sMax, 0]);
    expect(runD2S(0x47effffff0000000n, RNE)).toEqual([sInf, OF | NX]); // max + half ulp
    expect(runD2S(0x47effffff0000000n, RTZ)).toEqual([sMax, NX]); // rounds to max: no overflow
    expect(runD2S(dMax, RNE)).toEqual([sInf, OF | NX]);
    expect(runD2S(dMax | dNZero, RUP)).toEqual([sNMax, OF | NX]);
    expect(runD2S(0x36a0000000000000n, RNE)).toEqual([sMinSub, 0]); // 2^-149 exactly
    expect(runD2S(0x3690000000000000n, RNE)).toEqual([0, UF | NX]); // 2^-150: tie to 0
    expect(runD2S(0x3690000000000001n, RNE)).toEqual([sMinSub, UF | NX]);
    expect(runD2S(0x3690000000000000n, RUP)).toEqual([sMinSub, UF | NX]);
    expect(runD2S(dMinSub | dNZero, RDN)).toEqual([0x80000001, UF | NX]);
    expect(runD2S(dMinSub, RNE)).toEqual([0, UF | NX]);
    // 2^-126 (1 - 2^-24) fits in 24 bits below 2^-126: tiny, though it rounds up to 2^-126 (tie, to even).
    expect(runD2S(0x380fffffe0000000n, RNE)).toEqual([sMinN, UF | NX]);
    // 2^-126 (1 - 2^-25) rounds to 2^-126 at 24 bits too (tie, to even): not tiny.
    expect(runD2S(0x380ffffff0000000n, RNE)).toEqual([sMinN, NX]);
    // 2^-126 (1 - 2^-25 - 2^-40) rounds to 2^-126 on the subnormal grid but below it at 24 bits: tiny.
    expect(runD2S(0x380fffffefffe000n, RNE)).toEqual([sMinN, UF | NX]);
    expect(runD2S(dInf, RNE)).toEqual([sInf, 0]);
    expect(runD2S(dNZero, RNE)).toEqual([sNZero, 0]);
    expect(runD2S(0x7ff8000012345678n, RNE)).toEqual([sQNaN, 0]);
    expect(runD2S(0xfff0000000000001n, RNE)).toEqual([sQNaN, NV]);
  });
});

describe('fmv.x.w / fmv.w.x / fclass', () => {
  it('fmv.x.w moves the raw low word; fmv.w.x boxes', () => {
    cpu.setS(1, 0xffc00001, 0x1234); // not boxed: still moved raw
    cpu.exec(enc(OP.mvXF, S, 5, 1, 0, 0));
    expect(cpu.x[5]).toBe(0xffc00001 | 0);
    cpu.x[6] = 0x7f800001;
    cpu.fr.fflags = 0;
    cpu.exec(enc(OP.mvFX, S, 4, 6, 0, 0));
    expect(cpu.fr.u32[9]).toBe(0xffffffff);
    expect(cpu.getS(4)).toBe(0x7f800001);
    expect(cpu.fr.fflags).toBe(0);
    cpu.exec(enc(OP.mvXF, S, 0, 1, 0, 0));
    expect(cpu.x[0]).toBe(0);
  });

  it('fclass.s and fclass.d report each of the ten classes', () => {
    const clsS = (bits: number, hi = 0xffffffff): number => { cpu.setS(1, bits, hi); cpu.exec(enc(OP.mvXF, S, 5, 1, 0, 1)); return cpu.x[5]!; };
    const clsD = (bits: bigint): number => { cpu.setD(1, bits); cpu.exec(enc(OP.mvXF, D, 5, 1, 0, 1)); return cpu.x[5]!; };
    const s = [sNInf, sm1, 0x807fffff, sNZero, sZero, sMinSub, s1, sInf, sSNaN, sQNaN];
    const d = [dNInf, dm1, 0x800fffffffffffffn, dNZero, dZero, dMinSub, d1, dInf, dSNaN, dQNaN];
    for (let i = 0; i < 10; i++) {
      expect(clsS(s[i]!)).toBe(1 << i);
      expect(clsD(d[i]!)).toBe(1 << i);
    }
    expect(clsS(0xff800001)).toBe(1 << 8);
    expect(clsD(0xfff8000000000000n)).toBe(1 << 9);
    expect(clsS(sNInf, 0)).toBe(1 << 9); // improperly boxed: canonical NaN
  });
});
