// The F and D extensions' computational instructions (RV32). The hart decodes
// the major opcode and hands the whole encoding here; loads/stores, mstatus.FS
// and the fcsr CSRs stay with the hart.
//
// Policy shared by every arithmetic instruction: a NaN operand (including an
// f32 that is not properly NaN-boxed, which reads as the canonical NaN) gives
// the canonical NaN and raises NV if any operand is a signalling NaN. The
// arithmetic modules only ever see non-NaN numbers.

import type { StateReader, StateWriter } from '../state-stream.ts';
import {
  f32FromBits, f32ToBits, CANONICAL_NAN_D_HI, CANONICAL_NAN_S, F32, F64, NV,
} from './fpu-format.ts';
import { fadd, fdiv, fmul, fsqrt } from './fpu-arith.ts';
import { ffma } from './fpu-fma.ts';
import { fcvtD2S, fcvtFromInt, fcvtToInt } from './fpu-convert.ts';
import { fcompare, fminmax } from './fpu-compare.ts';
import { fclassD, fclassS } from './fpu-classify.ts';

/** The 32 FP registers, 64 bits each, plus fcsr. f32 values are NaN-boxed (upper 32 bits all ones). */
export class FpRegs {
  readonly buf = new ArrayBuffer(32 * 8);
  readonly f64 = new Float64Array(this.buf);   // register i as double
  readonly u32 = new Uint32Array(this.buf);    // register i: u32[2*i] = low word, u32[2*i+1] = high word
  fflags = 0;   // 5 bits: NV(16) DZ(8) OF(4) UF(2) NX(1)
  frm = 0;      // 3 bits

  save(w: StateWriter): void {
    w.tag('fpu');
    w.u32array(this.u32);
    w.u8(this.fflags);
    w.u8(this.frm);
  }

  restore(r: StateReader): void {
    r.tag('fpu');
    r.u32arrayInto(this.u32);
    this.fflags = r.u8() & 31;
    this.frm = r.u8() & 7;
  }
}

const OK = 0;
const ILLEGAL = 1;
const BOX = 0xffffffff;

/** The f32 in register i as a number; an improperly boxed value reads as NaN. */
function readS(fr: FpRegs, i: number): number {
  return fr.u32[2 * i + 1] === BOX ? f32FromBits(fr.u32[2 * i]!) : NaN;
}

/** The low word of register i as an f32 operand: the canonical NaN unless properly boxed. */
function bitsS(fr: FpRegs, i: number): number {
  return fr.u32[2 * i + 1] === BOX ? fr.u32[2 * i]! : CANONICAL_NAN_S;
}

function read(fr: FpRegs, isD: boolean, i: number): number {
  return isD ? fr.f64[i]! : readS(fr, i);
}

function isSnan(fr: FpRegs, isD: boolean, i: number): boolean {
  if (isD) {
    const hi = fr.u32[2 * i + 1]!;
    return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) | fr.u32[2 * i]!) !== 0;
  }
  const s = bitsS(fr, i);
  return (s & 0x7fc00000) === 0x7f800000 && (s & 0x3fffff) !== 0;
}

/** Whether register i or j (already read as a and b) holds a signalling NaN; cheap when neither is a NaN. */
function anySnan(fr: FpRegs, isD: boolean, i: number, j: number, a: number, b: number): boolean {
  return (a !== a || b !== b) && (isSnan(fr, isD, i) || isSnan(fr, isD, j));
}

/** Writes a result; NaN becomes the canonical NaN, f32 results are boxed. */
function write(fr: FpRegs, isD: boolean, i: number, v: number): void {
  if (isD) {
    if (v === v) fr.f64[i] = v;
    else { fr.u32[2 * i] = 0; fr.u32[2 * i + 1] = CANONICAL_NAN_D_HI; }
  } else {
    fr.u32[2 * i] = v === v ? f32ToBits(v) : CANONICAL_NAN_S;
    fr.u32[2 * i + 1] = BOX;
  }
}

/** The effective rounding mode, or -1 when reserved (5, 6, or dynamic with frm 5..7). */
function roundingMode(f3: number, fr: FpRegs): number {
  const rm = f3 === 7 ? fr.frm : f3;
  return rm <= 4 ? rm : -1;
}

/**
 * Executes one FP computational instruction (major opcodes OP-FP 0x53, FMADD 0x43, FMSUB 0x47, FNMSUB 0x4B,
 * FNMADD 0x4F) given its 32-bit encoding. Integer source/destination registers (fmv.x.w, fcvt.w.s, feq, fclass,
 * fcvt.s.w, fmv.w.x ...) use `x` (x[0] must stay 0: never write x[0]). Returns 0 on success, or 1 when the
 * instruction is illegal (unknown encoding, reserved rounding mode 5/6, or rm=7 (dynamic) while frm is 5..7);
 * in that case nothing is changed. Loads/stores (FLW/FSW/FLD/FSD) and mstatus.FS are the CPU's business.
 */
export function execFp(insn: number, fr: FpRegs, x: Int32Array): number {
  switch (insn & 0x7f) {
    case 0x53: return execOpFp(insn, fr, x);
    case 0x43: return execFma(insn, fr, false, false);
    case 0x47: return execFma(insn, fr, false, true);
    case 0x4b: return execFma(insn, fr, true, false);
    case 0x4f: return execFma(insn, fr, true, true);
    default: return ILLEGAL;
  }
}

function execFma(insn: number, fr: FpRegs, negProduct: boolean, negAddend: boolean): number {
  const fmtBits = (insn >>> 25) & 3;
  if (fmtBits > 1) return ILLEGAL;
  const rm = roundingMode((insn >>> 12) & 7, fr);
  if (rm < 0) return ILLEGAL;
  const isD = fmtBits === 1;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const rs3 = insn >>> 27;
  const a = read(fr, isD, rs1);
  const b = read(fr, isD, rs2);
  const c = read(fr, isD, rs3);
  let r: number;
  if (a !== a || b !== b || c !== c) {
    // ∞ × 0 is invalid even when the addend is a quiet NaN.
    const infZero = (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
    if (infZero || isSnan(fr, isD, rs1) || isSnan(fr, isD, rs2) || isSnan(fr, isD, rs3)) fr.fflags |= NV;
    r = NaN;
  } else {
    r = ffma(isD ? F64 : F32, negProduct ? -a : a, b, negAddend ? -c : c, rm, fr);
  }
  write(fr, isD, (insn >>> 7) & 31, r);
  return OK;
}

function execOpFp(insn: number, fr: FpRegs, x: Int32Array): number {
  const rd = (insn >>> 7) & 31;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const fmtBits = (insn >>> 25) & 3;
  if (fmtBits > 1) return ILLEGAL;
  const isD = fmtBits === 1;
  const fmt = isD ? F64 : F32;
  const funct5 = insn >>> 27;
  switch (funct5) {
    case 0x00: case 0x01: case 0x02: case 0x03: { // fadd fsub fmul fdiv
      const rm = roundingMode(f3, fr);
      if (rm < 0) return ILLEGAL;
      const a = read(fr, isD, rs1);
      const b = read(fr, isD, rs2);
      let r: number;
      if (a !== a || b !== b) {
        if (anySnan(fr, isD, rs1, rs2, a, b)) fr.fflags |= NV;
        r = NaN;
      } else if (funct5 === 0) r = fadd(fmt, a, b, rm, fr);
      else if (funct5 === 1) r = fadd(fmt, a, -b, rm, fr);
      else if (funct5 === 2) r = fmul(fmt, a, b, rm, fr);
      else r = fdiv(fmt, a, b, rm, fr);
      write(fr, isD, rd, r);
      return OK;
    }
    case 0x0b: { // fsqrt
      const rm = roundingMode(f3, fr);
      if (rs2 !== 0 || rm < 0) return ILLEGAL;
      const a = read(fr, isD, rs1);
      let r = NaN;
      if (a !== a) { if (isSnan(fr, isD, rs1)) fr.fflags |= NV; } else r = fsqrt(fmt, a, rm, fr);
      write(fr, isD, rd, r);
      return OK;
    }
    case 0x04: { // fsgnj fsgnjn fsgnjx: pure bit operations, NaN payloads kept
      if (f3 > 2) return ILLEGAL;
      const aw = isD ? fr.u32[2 * rs1 + 1]! : bitsS(fr, rs1);
      const bw = isD ? fr.u32[2 * rs2 + 1]! : bitsS(fr, rs2);
      const sign = (f3 === 0 ? bw : f3 === 1 ? ~bw : aw ^ bw) & 0x80000000;
      const hi = ((aw & 0x7fffffff) | sign) >>> 0;
      if (isD) {
        fr.u32[2 * rd] = fr.u32[2 * rs1]!;
        fr.u32[2 * rd + 1] = hi;
      } else {
        fr.u32[2 * rd] = hi;
        fr.u32[2 * rd + 1] = BOX;
      }
      return OK;
    }
    case 0x05: { // fmin fmax
      if (f3 > 1) return ILLEGAL;
      const a = read(fr, isD, rs1);
      const b = read(fr, isD, rs2);
      write(fr, isD, rd, fminmax(f3 === 1, a, b, anySnan(fr, isD, rs1, rs2, a, b), fr));
      return OK;
    }
    case 0x08: { // fcvt.s.d (fmt S, rs2 1) / fcvt.d.s (fmt D, rs2 0)
      const rm = roundingMode(f3, fr);
      if (rs2 !== (isD ? 0 : 1) || rm < 0) return ILLEGAL;
      const a = read(fr, !isD, rs1);
      let r = NaN;
      if (a !== a) { if (isSnan(fr, !isD, rs1)) fr.fflags |= NV; } else r = isD ? a : fcvtD2S(a, rm, fr);
      write(fr, isD, rd, r);
      return OK;
    }
    case 0x14: { // fle flt feq
      if (f3 > 2) return ILLEGAL;
      const a = read(fr, isD, rs1);
      const b = read(fr, isD, rs2);
      const r = fcompare(f3, a, b, anySnan(fr, isD, rs1, rs2, a, b), fr);
      if (rd !== 0) x[rd] = r;
      return OK;
    }
    case 0x18: { // fcvt.w[u].s/d
      const rm = roundingMode(f3, fr);
      if (rs2 > 1 || rm < 0) return ILLEGAL;
      const r = fcvtToInt(read(fr, isD, rs1), rs2 === 1, rm, fr);
      if (rd !== 0) x[rd] = r;
      return OK;
    }
    case 0x1a: { // fcvt.s/d.w[u]
      const rm = roundingMode(f3, fr);
      if (rs2 > 1 || rm < 0) return ILLEGAL;
      const v = rs2 === 1 ? x[rs1]! >>> 0 : x[rs1]!;
      write(fr, isD, rd, fcvtFromInt(fmt, v, rm, fr));
      return OK;
    }
    case 0x1c: { // fmv.x.w, fclass
      if (rs2 !== 0) return ILLEGAL;
      let r: number;
      if (f3 === 0 && !isD) r = fr.u32[2 * rs1]! | 0; // raw bits, boxed or not
      else if (f3 === 1) r = isD ? fclassD(fr.u32[2 * rs1 + 1]!, fr.u32[2 * rs1]!) : fclassS(bitsS(fr, rs1));
      else return ILLEGAL;
      if (rd !== 0) x[rd] = r;
      return OK;
    }
    case 0x1e: { // fmv.w.x
      if (rs2 !== 0 || f3 !== 0 || isD) return ILLEGAL;
      fr.u32[2 * rd] = x[rs1]!;
      fr.u32[2 * rd + 1] = BOX;
      return OK;
    }
    default:
      return ILLEGAL;
  }
}
