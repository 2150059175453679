// The interpreter tier: runs blocks from their decoded instructions, without
// compiling anything for them. Most blocks of a boot run only a few times, and
// V8 spends far longer compiling a translated block (0.1-0.5 ms, then its
// tier-up) than the interpreter spends running it that often; the executor
// translates a block once it has run often enough to pay for it.
//
// Exactness comes for free: the interpreter is one JavaScript function whose
// switch has a case per kind in ops.ts, generated from the same templates as
// the translator's output, with the operands read from the decoded block
// instead of written in as constants. Each block it runs keeps the translated
// function's contract: entered at c.pc, instret counted when it leaves, loops
// back to the block's start bounded by c.limit, the same exits.
//
// Speed (docs/board.md, "Cold code"): the boot runs about 4 M blocks of 9
// instructions, so the interpreter follows the chain links between blocks
// itself instead of returning to the executor after each one; an instruction
// is two words read up front (kind and registers packed in one, the
// immediate) plus two read only where a template needs them (offsets, the
// raw word); and the function is compiled once per process and warmed up
// (interp-warmup.ts), so V8 optimises it once instead of deoptimising it
// every time the guest reaches a case it had not run yet.
import type { Block } from './block.ts';
import type { Hart } from './hart.ts';
import { mulh, mulhsu, mulhu } from './muldiv.ts';
import { type Decoded, type Kind, KINDS, type ParcelReader, scanBlock, type Site } from './ops.ts';

/** Int32 words per instruction in a block's `code`: header, imm, offsets, word. */
export const CODE_STRIDE = 4;

/**
 * The header word: kind in bits 0-7, rd 8-15, rs1 16-23, rs2 24-31. A write to
 * x0 goes to the scratch register 32 (see Hart.x), which nothing reads.
 */
const header = (d: Decoded): number => CASE_OF[d.kind]! | ((d.rd === 0 ? X0_SINK : d.rd) << 8) | (d.rs1 << 16) | (d.rs2 << 24);
const X0_SINK = 32;

/**
 * Decoded blocks live in views of shared 64 KiB buffers: a boot decodes
 * thousands of blocks, and a typed array with a buffer of its own costs an
 * allocation outside V8's heap each (in Chromium, slow enough to show in a
 * boot's profile). A dropped block's words stay in their buffer until every
 * block in it is gone; small buffers keep what a few long-lived blocks can
 * hold on to small.
 */
const ARENA_WORDS = 1 << 14;
let arena = new Int32Array(ARENA_WORDS);
let arenaUsed = 0;
/** Where a block is decoded before it is copied to its exact size. */
let scratch = new Int32Array(64 * CODE_STRIDE);

/** Decodes the block at offset 0 of `read` (same boundaries as translateBlock). */
export function decodeBlock(read: ParcelReader, pageRoom: number, maxLen: number): { code: Int32Array; length: number; bytes: number } {
  if (scratch.length < maxLen * CODE_STRIDE) scratch = new Int32Array(maxLen * CODE_STRIDE);
  const buf = scratch;
  const { length, bytes } = scanBlock(read, pageRoom, maxLen, (d, k) => {
    const j = k * CODE_STRIDE;
    buf[j] = header(d);
    buf[j + 1] = d.imm;
    buf[j + 2] = d.off | (d.next << 16);
    buf[j + 3] = d.word;
  });
  const words = length * CODE_STRIDE;
  if (arenaUsed + words > arena.length) {
    arena = new Int32Array(Math.max(ARENA_WORDS, words));
    arenaUsed = 0;
  }
  const code = arena.subarray(arenaUsed, arenaUsed + words);
  arenaUsed += words;
  code.set(buf.subarray(0, words));
  return { code, length, bytes };
}

const OFF = '(D[j + 2] & 65535)';
const NEXT = '(D[j + 2] >>> 16)';

/** The Site of the interpreter: operands are the variables of the case being run. */
const VAR_SITE: Site = {
  a: 'x[s1]', b: 'x[s2]', old: 'x[rd]', imm: 'imm', uimm: '(imm >>> 0)', word: 'D[j + 3]', len: `(${NEXT} - ${OFF})`,
  k: 'k', k1: '(k + 1)', off: OFF, next: NEXT, here: `((p + ${OFF}) | 0)`, after: `((p + ${NEXT}) | 0)`,
  leave: 'break B;',
  set: (v) => `x[rd] = ${v};`,
  jump: () => 'if (imm === 0) { c.instret += k + 1; if (c.instret + n <= c.limit && (b.budget -= n) > 0) continue L; c.pc = p; break B; }\n' +
    'c.pc = (p + imm) | 0; c.instret += k + 1; break B;',
};

/** The rare kinds' Site: they run in a function of their own, which returns 1 to leave the block. */
const RARE_SITE: Site = { ...VAR_SITE, leave: 'return 1;', jump: () => { throw new Error('a rare kind jumps'); } };

/**
 * The kinds the main loop runs itself: a boot's instructions are 99.3% these
 * (lw 23%, addi 16%, add 14%, sw 8%, jalr 6%, bne 4.6%, beq 4.5%, ... sll
 * 0.13%). The others (the rest of the ALU, SYSTEM, fences, atomics, FP,
 * multiplication and division, illegal) go to a second function, which keeps
 * the main one small: V8 compiles a function of all 64 cases with full
 * feedback in 0.1-0.2 s (Chromium under load: longer), and the boot runs in
 * slower code until it has.
 */
const HOT = new Set(['lui', 'auipc', 'jal', 'jalr', 'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'lb', 'lw',
  'lbu', 'sb', 'sw', 'addi', 'slli', 'sltiu', 'srli', 'andi', 'srai', 'add', 'or', 'and', 'sub']);

const kindsWhere = (hot: boolean): number[] => KINDS.flatMap((k, i) => (HOT.has(k.name) === hot ? [i] : []));
/**
 * Case numbers (the kind field of a decoded instruction): the hot kinds
 * first, then the rare ones, so that each function's switch is one dense
 * jump table.
 */
const ORDER = [...kindsWhere(true), ...kindsWhere(false)];
const CASE_OF = Int32Array.from(KINDS, (_, i) => ORDER.indexOf(i));
/** The kind of a decoded instruction's header word. */
export const kindOfHeader = (hd: number): Kind => KINDS[ORDER[hd & 255]!]!;
const caseOf = (i: number, site: Site, after: string): string => `case ${CASE_OF[i]}: {\n${KINDS[i]!.emit(site)}\n${after}\n}`;

/** The rare kinds, as `rare(D, j, k, p)`: 0 when the instruction completed, 1 when the block leaves. */
function rareSource(): string {
  return `let a = 0, i = 0, t = 0, u = 0;
const hd = D[j], imm = D[j + 1];
const rd = (hd >>> 8) & 255, s1 = (hd >>> 16) & 255, s2 = hd >>> 24;
switch (hd & 255) {
${kindsWhere(false).map((i) => caseOf(i, RARE_SITE, 'return 0;')).join('\n')}
}
return 0;`;
}

/**
 * The source of the interpreter's body; `b` is the Block. It runs `b`, then
 * the block linked from `b` at the pc it left for (same code epoch) while
 * that block is still interpreted, has budget left and fits below c.limit;
 * it returns the last block it ran for the executor to link from.
 */
function interpreterSource(): string {
  const cases = kindsWhere(true).map((i) => caseOf(i, VAR_SITE, 'break;')).join('\n');
  return `let a = 0, i = 0, t = 0, u = 0;
for (;;) {
  const p = c.pc, D = b.code, n = b.length;
  B: {
    L: for (;;) {
      for (let k = 0, j = 0; k < n; k++, j += ${CODE_STRIDE}) {
        const hd = D[j], imm = D[j + 1];
        const rd = (hd >>> 8) & 255, s1 = (hd >>> 16) & 255, s2 = hd >>> 24;
        switch (hd & 255) {
${cases}
          default:
            if (rare(D, j, k, p) !== 0) break B;
        }
      }
      c.pc = (p + b.bytes) | 0; c.instret += n;
      break;
    }
  }
  if (c.exit !== 0) return b; // (WFI leaves with exit 2 too)
  const nb = b.successor(c.pc, c.codeEpoch);
  if (nb === null || nb.fn !== null || nb.budget <= 0 || c.instret + nb.length > c.limit) return b;
  nb.budget -= nb.length + entryCost;
  b = nb;
}`;
}

/** Runs block `b` and the blocks chained after it; returns the last one run. */
export type Interpreter = (b: Block) => Block;

type Factory = (c: Hart, x: Int32Array, m8: Uint8Array, s8: Int8Array, m16: Uint16Array, s16: Int16Array,
  m32: Int32Array, lt: Int32Array, lo: Int32Array, st: Int32Array, so: Int32Array, mulh: typeof mulhu,
  mulhsu: typeof mulhu, mulhu_: typeof mulhu, entryCost: number) => Interpreter;

/**
 * One factory per process: every machine's interpreter is a closure of the same
 * function literal, so they share V8's type feedback and optimised code (a
 * second machine starts with an optimised interpreter).
 */
let factory: Factory | null = null;

/** Builds the interpreter bound to one hart; `entryCost` is charged to a block's budget per chained entry. */
export function makeInterpreter(h: Hart, entryCost: number): Interpreter {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the templates in ops.ts
  factory ??= new Function('c', 'x', 'm8', 's8', 'm16', 's16', 'm32', 'lt', 'lo', 'st', 'so',
    'mulh', 'mulhsu', 'mulhu', 'entryCost', `function rare(D, j, k, p) {\n${rareSource()}\n}
return function interpret(b) {\n${interpreterSource()}\n};`) as Factory;
  const ram = h.ram;
  return factory(h, new Int32Array(h.x.buffer, h.x.byteOffset, 33), ram.u8, ram.i8, ram.u16, ram.i16, ram.i32, h.tlbLoad.tag, h.tlbLoad.off,
    h.tlbStore.tag, h.tlbStore.off, mulh, mulhsu, mulhu, entryCost);
}
