// Encoders and register access for the FPU tests.

import { FpRegs, execFp } from '../../src/board/cpu/fpu.ts';

export const OP = {
  add: 0x00, sub: 0x01, mul: 0x02, div: 0x03, sgnj: 0x04, minmax: 0x05, cvtff: 0x08, sqrt: 0x0b,
  cmp: 0x14, cvtToInt: 0x18, cvtFromInt: 0x1a, mvXF: 0x1c, mvFX: 0x1e,
} as const;
export const FMADD = 0x43, FMSUB = 0x47, FNMSUB = 0x4b, FNMADD = 0x4f;

/** OP-FP encoding; fmt 0 = S, 1 = D. */
export function enc(funct5: number, fmt: number, rd: number, rs1: number, rs2: number, rm: number): number {
  return ((funct5 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | 0x53) | 0;
}

export function encR4(op: number, fmt: number, rd: number, rs1: number, rs2: number, rs3: number, rm: number): number {
  return ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op) | 0;
}

export class Cpu {
  fr = new FpRegs();
  x = new Int32Array(32);

  /** An f32 bit pattern, NaN-boxed (or with an explicit upper word). */
  setS(i: number, bits: number, hi = 0xffffffff): void {
    this.fr.u32[2 * i] = bits >>> 0;
    this.fr.u32[2 * i + 1] = hi >>> 0;
  }
  setD(i: number, bits: bigint): void {
    this.fr.u32[2 * i] = Number(bits & 0xffffffffn);
    this.fr.u32[2 * i + 1] = Number(bits >> 32n);
  }
  /** The low word of register i; throws if the register is not NaN-boxed. */
  getS(i: number): number {
    if (this.fr.u32[2 * i + 1] !== 0xffffffff) throw new Error(`f${i} is not NaN-boxed`);
    return this.fr.u32[2 * i]!;
  }
  getD(i: number): bigint {
    return (BigInt(this.fr.u32[2 * i + 1]!) << 32n) | BigInt(this.fr.u32[2 * i]!);
  }
  exec(insn: number): number {
    return execFp(insn, this.fr, this.x);
  }
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export const dbits = (v: number): bigint => { f64[0] = v; return u64[0]!; };
export const dval = (b: bigint): number => { u64[0] = b; return f64[0]!; };
export const sbits = (v: number): number => { f32[0] = v; return u32[0]!; };
export const sval = (b: number): number => { u32[0] = b; return f32[0]!; };
