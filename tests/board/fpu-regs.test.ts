// The FPU's contract with the hart: which encodings are illegal (and that an
// illegal one changes nothing), rounding-mode validation, x0, NaN-boxing of
// every f32 result, and snapshotting of the FP state.

import { describe, expect, it } from 'vitest';
import { FpRegs, execFp } from '../../src/board/cpu/fpu.ts';
import { StateReader, StateWriter, StateError } from '../../src/board/state-stream.ts';
import { Cpu, enc, encR4, OP, FMADD, FNMADD } from './fpu-harness.ts';

/** A register file full of distinct junk, so any write shows. */
function filled(): Cpu {
  const c = new Cpu();
  for (let i = 0; i < 64; i++) c.fr.u32[i] = (Math.imul(i + 1, 0x9e3779b1) ^ 0x3c3c) >>> 0;
  for (let i = 1; i < 32; i++) c.x[i] = Math.imul(i, 0x01000193);
  c.fr.fflags = 0b10101;
  return c;
}
const state = (c: Cpu): string => [...c.fr.u32, ...c.x, c.fr.fflags, c.fr.frm].join();

describe('illegal encodings', () => {
  const illegal: [string, number, number?][] = [
    ['reserved rm 5', enc(OP.add, 0, 1, 2, 3, 5)],
    ['reserved rm 6', enc(OP.mul, 1, 1, 2, 3, 6)],
    ['dynamic rm with frm 5', enc(OP.div, 0, 1, 2, 3, 7), 5],
    ['dynamic rm with frm 6', enc(OP.sqrt, 1, 1, 2, 0, 7), 6],
    ['dynamic rm with frm 7', encR4(FMADD, 0, 1, 2, 3, 4, 7), 7],
    ['fcvt.w.s, dynamic rm, frm 7', enc(OP.cvtToInt, 0, 5, 2, 0, 7), 7],
    ['fcvt.d.w with rm 5 (exact, but rm is still checked)', enc(OP.cvtFromInt, 1, 1, 5, 0, 5)],
    ['fcvt.d.s with rm 6', enc(OP.cvtff, 1, 1, 2, 0, 6)],
    ['fmadd.h', encR4(FMADD, 2, 1, 2, 3, 4, 0)],
    ['fnmadd.q', encR4(FNMADD, 3, 1, 2, 3, 4, 0)],
    ['fadd.h', enc(OP.add, 2, 1, 2, 3, 0)],
    ['fsub.q', enc(OP.sub, 3, 1, 2, 3, 0)],
    ['fsqrt.s with rs2 != 0', enc(OP.sqrt, 0, 1, 2, 1, 0)],
    ['fsgnj funct3 3', enc(OP.sgnj, 0, 1, 2, 3, 3)],
    ['fmin funct3 2', enc(OP.minmax, 1, 1, 2, 3, 2)],
    ['fcmp funct3 3', enc(OP.cmp, 0, 5, 2, 3, 3)],
    ['fcvt.s.s', enc(OP.cvtff, 0, 1, 2, 0, 0)],
    ['fcvt.d.d', enc(OP.cvtff, 1, 1, 2, 1, 0)],
    ['fcvt.l.s (RV64)', enc(OP.cvtToInt, 0, 5, 2, 2, 0)],
    ['fcvt.d.lu (RV64)', enc(OP.cvtFromInt, 1, 1, 5, 3, 0)],
    ['fmv.x.d (RV64)', enc(OP.mvXF, 1, 5, 2, 0, 0)],
    ['fmv.d.x (RV64)', enc(OP.mvFX, 1, 1, 5, 0, 0)],
    ['fmv.x.w with rs2 != 0', enc(OP.mvXF, 0, 5, 2, 1, 0)],
    ['fclass with funct3 2', enc(OP.mvXF, 0, 5, 2, 0, 2)],
    ['fmv.w.x with funct3 1', enc(OP.mvFX, 0, 1, 5, 0, 1)],
    ['unused funct5', enc(0x06, 0, 1, 2, 3, 0)],
    ['another unused funct5', enc(0x1f, 1, 1, 2, 3, 0)],
    ['not an FP opcode', 0x00000013],
  ];
  it.each(illegal)('%s returns 1 and changes nothing', (_name, insn, frm = 0) => {
    const c = filled();
    c.fr.frm = frm;
    const before = state(c);
    expect(c.exec(insn)).toBe(1);
    expect(state(c)).toBe(before);
  });

  it('instructions without a rounding mode stay legal whatever frm holds', () => {
    for (const insn of [
      enc(OP.sgnj, 0, 1, 2, 3, 0), enc(OP.minmax, 1, 1, 2, 3, 1), enc(OP.cmp, 0, 5, 2, 3, 2),
      enc(OP.mvXF, 0, 5, 2, 0, 0), enc(OP.mvXF, 1, 5, 2, 0, 1), enc(OP.mvFX, 0, 1, 5, 0, 0),
    ]) {
      for (let frm = 5; frm < 8; frm++) {
        const c = filled();
        c.fr.frm = frm;
        expect(c.exec(insn)).toBe(0);
      }
    }
  });

  it('frm 0..4 with rm = 7 is legal', () => {
    for (let frm = 0; frm < 5; frm++) {
      const c = filled();
      c.fr.frm = frm;
      expect(c.exec(enc(OP.add, 1, 1, 2, 3, 7))).toBe(0);
    }
  });
});

describe('register conventions', () => {
  it('every f32 result is NaN-boxed, every NaN result canonical', () => {
    const c = filled();
    for (const insn of [
      enc(OP.add, 0, 4, 1, 2, 0), enc(OP.sqrt, 0, 4, 1, 0, 0), enc(OP.minmax, 0, 4, 1, 2, 0),
      enc(OP.sgnj, 0, 4, 1, 2, 2), enc(OP.cvtff, 0, 4, 1, 1, 0), enc(OP.cvtFromInt, 0, 4, 7, 0, 0),
      encR4(FMADD, 0, 4, 1, 2, 3, 0), enc(OP.mvFX, 0, 4, 7, 0, 0),
    ]) {
      c.fr.u32[9] = 0x1234;
      expect(c.exec(insn)).toBe(0);
      expect(c.fr.u32[9]).toBe(0xffffffff);
    }
    // the junk in f1/f2 is not boxed, so f32 arithmetic on it gives the canonical NaN
    c.exec(enc(OP.mul, 0, 4, 1, 2, 0));
    expect(c.fr.u32[8]).toBe(0x7fc00000);
    c.setD(1, 0xfff4000000000001n);
    c.exec(enc(OP.sqrt, 1, 4, 1, 0, 0));
    expect(c.getD(4)).toBe(0x7ff8000000000000n);
  });

  it('x0 is never written', () => {
    const c = filled();
    c.setS(1, 0x3f800000);
    c.setD(2, 0x3ff0000000000000n);
    for (const insn of [
      enc(OP.cmp, 0, 0, 1, 1, 2), enc(OP.cvtToInt, 1, 0, 2, 0, 0), enc(OP.cvtToInt, 0, 0, 1, 1, 0),
      enc(OP.mvXF, 0, 0, 1, 0, 0), enc(OP.mvXF, 1, 0, 2, 0, 1),
    ]) {
      expect(c.exec(insn)).toBe(0);
      expect(c.x[0]).toBe(0);
    }
  });

  it('integer sources: x0 reads as 0, and destinations may alias sources', () => {
    const c = filled();
    c.exec(enc(OP.cvtFromInt, 1, 3, 0, 0, 0)); // fcvt.d.w f3, x0
    expect(c.getD(3)).toBe(0n);
    c.setD(3, 0x4000000000000000n);
    c.exec(enc(OP.add, 1, 3, 3, 3, 0)); // fadd.d f3, f3, f3
    expect(c.getD(3)).toBe(0x4010000000000000n);
  });

  it('fflags accumulate (sticky) across instructions', () => {
    const c = new Cpu();
    c.setS(1, 0x3f800000); c.setS(2, 0x40400000); c.setS(3, 0);
    c.exec(enc(OP.div, 0, 4, 1, 2, 0)); // 1/3: NX
    c.exec(enc(OP.div, 0, 4, 1, 3, 0)); // 1/0: DZ
    expect(c.fr.fflags).toBe(1 | 8);
  });
});

describe('FpRegs snapshots', () => {
  it('round-trips registers (NaN payloads included), fflags and frm', () => {
    const a = filled();
    a.fr.u32[10] = 0x00000001; a.fr.u32[11] = 0x7ff00000; // a signalling NaN must survive bit for bit
    a.fr.frm = 3;
    const w = new StateWriter();
    a.fr.save(w);
    w.u32(0xabcdef);
    const r = new StateReader(w.finish());
    const b = new FpRegs();
    b.restore(r);
    expect(r.u32()).toBe(0xabcdef);
    expect(r.done).toBe(true);
    expect([...b.u32]).toEqual([...a.fr.u32]);
    expect([b.fflags, b.frm]).toEqual([a.fr.fflags, 3]);
    // and the restored state computes the same
    const x = new Int32Array(32);
    execFp(enc(OP.add, 1, 7, 4, 5, 0), b, x);
    a.exec(enc(OP.add, 1, 7, 4, 5, 0));
    expect([...b.u32]).toEqual([...a.fr.u32]);
  });

  it('rejects a stream that is not an FPU section', () => {
    const w = new StateWriter();
    w.tag('uart');
    expect(() => new FpRegs().restore(new StateReader(w.finish()))).toThrow(StateError);
  });
});
