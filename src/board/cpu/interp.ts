// The interpreter tier: runs a block from its decoded instructions, without
// compiling anything for it. Most blocks of a boot run only a few times, and
// V8 spends far longer compiling a translated block (0.1-0.5 ms) than the
// interpreter spends running it that often; the executor translates a block
// once it has run often enough to pay for it.
//
// Exactness comes for free: the interpreter is one JavaScript function whose
// switch has a case per kind in ops.ts, generated from the same templates as
// the translator's output, with the operands read from the decoded block
// instead of written in as constants. It runs one block per call, with the
// translated function's contract: entered at c.pc, instret counted when it
// leaves, loops back to the block's start bounded by c.limit, the same exits.
import type { Hart } from './hart.ts';
import { mulh, mulhsu, mulhu } from './muldiv.ts';
import { KINDS, type ParcelReader, scanBlock, type Site } from './ops.ts';

/** Fields per instruction in a DecodedBlock's `code`. */
const STRIDE = 8;
const F_KIND = 0, F_RD = 1, F_RS1 = 2, F_RS2 = 3, F_IMM = 4, F_WORD = 5, F_OFF = 6, F_NEXT = 7;

/** A block as the interpreter runs it. */
export interface DecodedBlock {
  /** STRIDE int32 fields per instruction: kind, rd, rs1, rs2, imm, word, off, next. */
  readonly code: Int32Array;
  /** Instructions (most one pass retires). */
  readonly length: number;
  /** Bytes of guest code covered (a block that does not end on a jump falls through to pc + bytes). */
  readonly bytes: number;
  /**
   * What is left to interpret before the block is worth translating: the
   * executor charges each entry, and each pass round the block's loop takes
   * `length`; a loop leaves (at its start, as at the slice limit) once the
   * budget is spent, so the executor can translate a hot loop instead of
   * interpreting it to the end.
   */
  budget: number;
}

/** Decodes the block at offset 0 of `read` (same boundaries as translateBlock). */
export function decodeBlock(read: ParcelReader, pageRoom: number, maxLen: number, budget: number): DecodedBlock {
  const code = new Int32Array(maxLen * STRIDE);
  const { length, bytes } = scanBlock(read, pageRoom, maxLen, (d, k) => {
    const j = k * STRIDE;
    code[j + F_KIND] = d.kind; code[j + F_RD] = d.rd; code[j + F_RS1] = d.rs1; code[j + F_RS2] = d.rs2;
    code[j + F_IMM] = d.imm; code[j + F_WORD] = d.word; code[j + F_OFF] = d.off; code[j + F_NEXT] = d.next;
  });
  return { code: length === maxLen ? code : code.slice(0, length * STRIDE), length, bytes, budget };
}

/** The Site of the interpreter: operands are the variables of the case being run. */
const VAR_SITE: Site = {
  a: 'x[s1]', b: 'x[s2]', old: 'x[rd]', imm: 'imm', uimm: '(imm >>> 0)', word: 'w', len: '(nx - o)',
  k: 'k', k1: '(k + 1)', off: 'o', next: 'nx', here: '((p + o) | 0)', after: '((p + nx) | 0)',
  set: (v) => `if (rd !== 0) x[rd] = ${v};`,
  jump: () => 'if (imm === 0) { c.instret += k + 1; if (c.instret + n <= c.limit && (b.budget -= n) > 0) continue L; c.pc = p; return; }\n' +
    'c.pc = (p + imm) | 0; c.instret += k + 1; return;',
};

/** The source of the interpreter's body; `b` is the DecodedBlock. */
function interpreterSource(): string {
  const cases = KINDS.map((kind, i) => `case ${i}: {\n${kind.emit(VAR_SITE)}\nbreak;\n}`).join('\n');
  return `const p = c.pc; let a = 0, i = 0, t = 0, u = 0;
const D = b.code, n = b.length;
L: for (;;) {
  for (let k = 0, j = 0; k < n; k++, j += ${STRIDE}) {
    const rd = D[j + ${F_RD}], s1 = D[j + ${F_RS1}], s2 = D[j + ${F_RS2}], imm = D[j + ${F_IMM}];
    const w = D[j + ${F_WORD}], o = D[j + ${F_OFF}], nx = D[j + ${F_NEXT}];
    switch (D[j + ${F_KIND}]) {
${cases}
    }
  }
  c.pc = (p + b.bytes) | 0; c.instret += n; return;
}`;
}

export type Interpreter = (b: DecodedBlock) => void;

/** Builds the interpreter bound to one hart (one compile for the machine's lifetime). */
export function makeInterpreter(h: Hart): Interpreter {
  const ram = h.ram;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the templates in ops.ts
  const factory = new Function('c', 'x', 'm8', 's8', 'm16', 's16', 'm32', 'lt', 'lo', 'st', 'so',
    'mulh', 'mulhsu', 'mulhu', `return function interpret(b) {\n${interpreterSource()}\n};`);
  return factory(h, h.x, ram.u8, ram.i8, ram.u16, ram.i16, ram.i32, h.tlbLoad.tag, h.tlbLoad.off,
    h.tlbStore.tag, h.tlbStore.off, mulh, mulhsu, mulhu) as Interpreter;
}
