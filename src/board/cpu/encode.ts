// Encoders of the RV32 instruction formats, for code the board writes itself
// (the interpreter's warm-up) and for tests that assemble small programs.
// Immediates are taken as the instruction's value (byte offsets for branches
// and jumps) and range-masked; callers pass values that fit.

export const rType = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op = 0x33): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) | 0;

export const iType = (imm: number, rs1: number, f3: number, rd: number, op = 0x13): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) | 0;

export const sType = (imm: number, rs2: number, rs1: number, f3: number, op = 0x23): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op) | 0;

export const bType = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7) | 0x63) | 0;

export const uType = (imm20: number, rd: number, op: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) | 0;

export const jType = (imm: number, rd: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 1023) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 255) << 12) | (rd << 7) | 0x6f) | 0;

/** LR/SC/AMO: funct5, with funct3 2 (word) unless given. */
export const amoType = (f5: number, rs2: number, rs1: number, rd: number, f3 = 2): number =>
  ((f5 << 27) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x2f) | 0;

// A few instructions by name.
export const addi = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 0, rd);
export const lui = (rd: number, imm20: number): number => uType(imm20, rd, 0x37);
export const sw = (rs2: number, rs1: number, imm: number): number => sType(imm, rs2, rs1, 2);
export const lw = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 2, rd, 0x03);
export const bne = (rs1: number, rs2: number, offset: number): number => bType(offset, rs2, rs1, 1);
export const jal = (rd: number, offset: number): number => jType(offset, rd);
export const jalr = (rd: number, rs1: number, imm: number): number => iType(imm, rs1, 0, rd, 0x67);

/** `li rd, value` as one or two instructions (lui + addi). */
export function li(rd: number, value: number): number[] {
  const lo = (value << 20) >> 20;
  const hi = ((value - lo) >>> 12) & 0xfffff;
  return hi === 0 ? [addi(rd, 0, lo)] : lo === 0 ? [lui(rd, hi)] : [lui(rd, hi), addi(rd, rd, lo)];
}
