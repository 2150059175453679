// Instruction decoding helpers. Compressed instructions are expanded to their
// 32-bit equivalents so the translator handles one encoding per operation.
import * as encode from './encode.ts';

/** Sign-extends the low `bits` bits of v. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

export const immI = (i: number): number => i >> 20;
export const immS = (i: number): number => ((i >> 25) << 5) | ((i >>> 7) & 31);
export const immB = (i: number): number =>
  ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 63) << 5) | (((i >>> 8) & 15) << 1);
export const immU = (i: number): number => i & 0xfffff000;
export const immJ = (i: number): number =>
  ((i >> 31) << 20) | (((i >>> 12) & 255) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 1023) << 1);

// Builders for the 32-bit forms produced by the expansion (module-local
// copies: see hart.ts on imports under tsx).
const { rType, iType, sType, bType, jType } = encode;

/** An encoding guaranteed illegal, used for reserved compressed forms. */
export const ILLEGAL = 0;

/**
 * Expands a 16-bit RVC instruction (RV32FC/DC included) to its 32-bit form.
 * Returns ILLEGAL (0) for reserved encodings, which the translator turns into an
 * illegal-instruction trap whose tval is the original 16 bits.
 */
export function expandCompressed(c: number): number {
  const op = c & 3;
  const f3 = (c >>> 13) & 7;
  const rdp = ((c >>> 2) & 7) + 8; // rd'/rs2'
  const rs1p = ((c >>> 7) & 7) + 8;
  const rd = (c >>> 7) & 31;
  const rs2 = (c >>> 2) & 31;
  if (op === 0) {
    switch (f3) {
      case 0: { // c.addi4spn
        const imm = (((c >>> 7) & 15) << 6) | (((c >>> 11) & 3) << 4) | (((c >>> 5) & 1) << 3) | (((c >>> 6) & 1) << 2);
        return imm === 0 ? ILLEGAL : iType(imm, 2, 0, rdp, 0x13);
      }
      case 1: return iType(clsdOff(c), rs1p, 3, rdp, 0x07); // c.fld
      case 2: return iType(clswOff(c), rs1p, 2, rdp, 0x03); // c.lw
      case 3: return iType(clswOff(c), rs1p, 2, rdp, 0x07); // c.flw
      case 5: return sType(clsdOff(c), rdp, rs1p, 3, 0x27); // c.fsd
      case 6: return sType(clswOff(c), rdp, rs1p, 2, 0x23); // c.sw
      case 7: return sType(clswOff(c), rdp, rs1p, 2, 0x27); // c.fsw
      default: return ILLEGAL;
    }
  }
  if (op === 1) {
    const imm6 = sext((((c >>> 12) & 1) << 5) | ((c >>> 2) & 31), 6);
    switch (f3) {
      case 0: return iType(imm6, rd, 0, rd, 0x13); // c.addi / c.nop
      case 1: return jType(cjOff(c), 1); // c.jal
      case 2: return iType(imm6, 0, 0, rd, 0x13); // c.li
      case 3:
        if (rd === 2) { // c.addi16sp
          const imm = sext((((c >>> 12) & 1) << 9) | (((c >>> 3) & 3) << 7) | (((c >>> 5) & 1) << 6) |
            (((c >>> 2) & 1) << 5) | (((c >>> 6) & 1) << 4), 10);
          return imm === 0 ? ILLEGAL : iType(imm, 2, 0, 2, 0x13);
        }
        if (imm6 === 0) return ILLEGAL;
        return ((imm6 << 12) | (rd << 7) | 0x37) | 0; // c.lui
      case 4: {
        const f2 = (c >>> 10) & 3;
        const shamt = ((c >>> 12) & 1) << 5 | ((c >>> 2) & 31);
        if (f2 === 0) return shamt & 32 ? ILLEGAL : iType(shamt, rs1p, 5, rs1p, 0x13); // c.srli
        if (f2 === 1) return shamt & 32 ? ILLEGAL : iType(shamt | 0x400, rs1p, 5, rs1p, 0x13); // c.srai
        if (f2 === 2) return iType(imm6, rs1p, 7, rs1p, 0x13); // c.andi
        if ((c >>> 12) & 1) return ILLEGAL; // RV64 c.subw/c.addw
        switch ((c >>> 5) & 3) {
          case 0: return rType(0x20, rdp, rs1p, 0, rs1p, 0x33); // c.sub
          case 1: return rType(0, rdp, rs1p, 4, rs1p, 0x33); // c.xor
          case 2: return rType(0, rdp, rs1p, 6, rs1p, 0x33); // c.or
          default: return rType(0, rdp, rs1p, 7, rs1p, 0x33); // c.and
        }
      }
      case 5: return jType(cjOff(c), 0); // c.j
      case 6: return bType(cbOff(c), 0, rs1p, 0); // c.beqz
      default: return bType(cbOff(c), 0, rs1p, 1); // c.bnez
    }
  }
  if (op === 2) {
    switch (f3) {
      case 0: {
        const shamt = ((c >>> 12) & 1) << 5 | ((c >>> 2) & 31);
        return shamt & 32 ? ILLEGAL : iType(shamt, rd, 1, rd, 0x13); // c.slli
      }
      case 1: { // c.fldsp
        const off = (((c >>> 12) & 1) << 5) | (((c >>> 5) & 3) << 3) | (((c >>> 2) & 7) << 6);
        return iType(off, 2, 3, rd, 0x07);
      }
      case 2: { // c.lwsp
        if (rd === 0) return ILLEGAL;
        const off = (((c >>> 12) & 1) << 5) | (((c >>> 4) & 7) << 2) | (((c >>> 2) & 3) << 6);
        return iType(off, 2, 2, rd, 0x03);
      }
      case 3: { // c.flwsp
        const off = (((c >>> 12) & 1) << 5) | (((c >>> 4) & 7) << 2) | (((c >>> 2) & 3) << 6);
        return iType(off, 2, 2, rd, 0x07);
      }
      case 4:
        if (((c >>> 12) & 1) === 0) {
          if (rs2 === 0) return rd === 0 ? ILLEGAL : iType(0, rd, 0, 0, 0x67); // c.jr
          return rType(0, rs2, 0, 0, rd, 0x33); // c.mv
        }
        if (rs2 === 0) {
          if (rd === 0) return 0x00100073; // c.ebreak
          return iType(0, rd, 0, 1, 0x67); // c.jalr
        }
        return rType(0, rs2, rd, 0, rd, 0x33); // c.add
      case 5: { // c.fsdsp
        const off = (((c >>> 10) & 7) << 3) | (((c >>> 7) & 7) << 6);
        return sType(off, rs2, 2, 3, 0x27);
      }
      case 6: { // c.swsp
        const off = (((c >>> 9) & 15) << 2) | (((c >>> 7) & 3) << 6);
        return sType(off, rs2, 2, 2, 0x23);
      }
      default: { // c.fswsp
        const off = (((c >>> 9) & 15) << 2) | (((c >>> 7) & 3) << 6);
        return sType(off, rs2, 2, 2, 0x27);
      }
    }
  }
  return ILLEGAL;
}

const clswOff = (c: number): number =>
  (((c >>> 10) & 7) << 3) | (((c >>> 6) & 1) << 2) | (((c >>> 5) & 1) << 6);
const clsdOff = (c: number): number => (((c >>> 10) & 7) << 3) | (((c >>> 5) & 3) << 6);
const cjOff = (c: number): number =>
  sext((((c >>> 12) & 1) << 11) | (((c >>> 11) & 1) << 4) | (((c >>> 9) & 3) << 8) | (((c >>> 8) & 1) << 10) |
    (((c >>> 7) & 1) << 6) | (((c >>> 6) & 1) << 7) | (((c >>> 3) & 7) << 1) | (((c >>> 2) & 1) << 5), 12);
const cbOff = (c: number): number =>
  sext((((c >>> 12) & 1) << 8) | (((c >>> 10) & 3) << 3) | (((c >>> 5) & 3) << 6) | (((c >>> 3) & 3) << 1) |
    (((c >>> 2) & 1) << 5), 9);
