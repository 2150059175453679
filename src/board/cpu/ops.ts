// One definition of each instruction's semantics, shared by both execution
// tiers: every operation is a JavaScript source template over a `Site` — the
// operands and positions of one instruction in its block. The translator
// (translate.ts) fills a Site with constants (`x[5]`, `-12`, `(p + 8) | 0`) and
// V8 compiles the block; the interpreter (interp.ts) fills it with variables
// read from a decoded block, and the result becomes one `case` of its switch.
// So the tiers cannot drift apart: they run the same statements, including
// when instret is counted and when the block leaves.
//
// Template vocabulary (see translate.ts for the block function around it):
// `c` the hart, `x` the registers, `p` the block's entry pc, scratch `a i t u`,
// the RAM views m8/s8/m16/s16/m32 and the load/store TLBs lt/lo and st/so.
import { expandCompressed, immB, immI, immJ, immS, immU } from './decode.ts';

/** One instruction's operands as source text. */
export interface Site {
  /** x[rs1] and x[rs2] (a constant 0 for x0 where known). */
  readonly a: string;
  readonly b: string;
  /** x[rd] as it stands (a slow path may have written it). */
  readonly old: string;
  /** The kind's immediate: see `classify` for what it holds per kind. */
  readonly imm: string;
  /** The immediate as an unsigned 32-bit number. */
  readonly uimm: string;
  /** The 32-bit instruction word (the original encoding for ILLEGAL). */
  readonly word: string;
  /** Encoding length in bytes. */
  readonly len: string;
  /** Index in the block, and index + 1. */
  readonly k: string;
  readonly k1: string;
  /** Byte offsets from the block's start of this instruction and the next. */
  readonly off: string;
  readonly next: string;
  /** pc of this instruction and of the next. */
  readonly here: string;
  readonly after: string;
  /** Statement writing rd (nothing for x0). */
  set(v: string): string;
  /** Statements leaving for the target offset in `imm`, looping when it is the block's start. */
  jump(): string;
  /**
   * The statement that leaves the block once c.pc and c.instret are set: `return;` in
   * a translated function, a break to the interpreter's chaining code in the interpreter.
   */
  readonly leave: string;
}

export interface Kind {
  readonly name: string;
  /** The block ends after this instruction. */
  readonly ends: boolean;
  readonly emit: (s: Site) => string;
}

export const KINDS: Kind[] = [];
const def = (name: string, emit: (s: Site) => string, ends = false): number => KINDS.push({ name, ends, emit }) - 1;

/** Leaves after a slow path if it trapped or asked the run loop to look. */
const check = (s: Site): string => `if (c.exit !== 0) { c.leave(${s.k}, ${s.after}); ${s.leave} }`;

export const ILLEGAL_KIND = def('illegal', (s) => `c.pc = ${s.here}; c.instret += ${s.k}; c.illegal(${s.word}); ${s.leave}`, true);
const LUI = def('lui', (s) => s.set(s.imm));
const AUIPC = def('auipc', (s) => s.set(`(p + ${s.imm}) | 0`)); // imm: offset + immU
const JAL = def('jal', (s) => `${s.set(s.after)}\n${s.jump()}`, true); // imm: target offset
const JALR = def('jalr', (s) => `t = (${s.a} + ${s.imm}) & -2;\n${s.set(s.after)}\nc.pc = t; c.instret += ${s.k1}; ${s.leave}`, true);

const branch = (name: string, cmp: string, unsigned: boolean): number => def(name, (s) => {
  const a = unsigned ? `(${s.a} >>> 0)` : s.a;
  const b = unsigned ? `(${s.b} >>> 0)` : s.b;
  return `if (${a} ${cmp} ${b}) { ${s.jump()} }`; // imm: target offset
});
/** Indexed by funct3 (-1: illegal). */
const BRANCHES = [branch('beq', '===', false), branch('bne', '!==', false), -1, -1,
  branch('blt', '<', false), branch('bge', '>=', false), branch('bltu', '<', true), branch('bgeu', '>=', true)];

// Loads and stores: inline when the TLB has the page and the access is aligned.
const load = (name: string, view: string, size: number, signed: boolean): number => def(name, (s) => {
  const align = size > 1 ? ` && (a & ${size - 1}) === 0` : '';
  const index = size > 1 ? `(lo[i] + a) >> ${Math.log2(size)}` : '(lo[i] + a) | 0';
  return `a = (${s.a} + ${s.imm}) | 0; i = (a >>> 12) & 255;
if (lt[i] === (a >>> 12)${align}) t = ${view}[${index}];
else if ((t = c.ldx(a, ${size}, ${signed}, p, ${s.off}, ${s.k}, ${s.next})), c.exit !== 0) ${s.leave}
${s.set('t')}`;
});
const LOADS = [load('lb', 's8', 1, true), load('lh', 's16', 2, true), load('lw', 'm32', 4, true), -1,
  load('lbu', 'm8', 1, false), load('lhu', 'm16', 2, false), -1, -1];

const store = (name: string, view: string, size: number): number => def(name, (s) => {
  const align = size > 1 ? ` && (a & ${size - 1}) === 0` : '';
  const index = size > 1 ? `(so[i] + a) >> ${Math.log2(size)}` : '(so[i] + a) | 0';
  return `a = (${s.a} + ${s.imm}) | 0; i = (a >>> 12) & 255;
if (st[i] === (a >>> 12)${align}) ${view}[${index}] = ${s.b};
else if ((c.stx(a, ${size}, ${s.b}, p, ${s.off}, ${s.k}, ${s.next})), c.exit !== 0) ${s.leave}`;
});
const STORES = [store('sb', 'm8', 1), store('sh', 'm16', 2), store('sw', 'm32', 4), -1, -1, -1, -1, -1];

/** A register-writing operation whose result is one expression. */
const alu = (name: string, expr: (s: Site) => string): number => def(name, (s) => s.set(expr(s)));
/** Indexed by funct3; shifts take their amount in imm. */
const OP_IMM = [
  alu('addi', (s) => `(${s.a} + ${s.imm}) | 0`),
  alu('slli', (s) => `${s.a} << ${s.imm}`),
  alu('slti', (s) => `${s.a} < ${s.imm} ? 1 : 0`),
  alu('sltiu', (s) => `(${s.a} >>> 0) < ${s.uimm} ? 1 : 0`),
  alu('xori', (s) => `${s.a} ^ ${s.imm}`),
  alu('srli', (s) => `(${s.a} >>> ${s.imm}) | 0`),
  alu('ori', (s) => `${s.a} | ${s.imm}`),
  alu('andi', (s) => `${s.a} & ${s.imm}`),
];
const SRAI = alu('srai', (s) => `${s.a} >> ${s.imm}`);
const OP = [
  alu('add', (s) => `(${s.a} + ${s.b}) | 0`),
  alu('sll', (s) => `${s.a} << ${s.b}`),
  alu('slt', (s) => `${s.a} < ${s.b} ? 1 : 0`),
  alu('sltu', (s) => `(${s.a} >>> 0) < (${s.b} >>> 0) ? 1 : 0`),
  alu('xor', (s) => `${s.a} ^ ${s.b}`),
  alu('srl', (s) => `(${s.a} >>> ${s.b}) | 0`),
  alu('or', (s) => `${s.a} | ${s.b}`),
  alu('and', (s) => `${s.a} & ${s.b}`),
];
const SUB = alu('sub', (s) => `(${s.a} - ${s.b}) | 0`);
const SRA = alu('sra', (s) => `${s.a} >> ${s.b}`);
const MULDIV = [
  alu('mul', (s) => `Math.imul(${s.a}, ${s.b})`),
  alu('mulh', (s) => `mulh(${s.a}, ${s.b})`),
  alu('mulhsu', (s) => `mulhsu(${s.a}, ${s.b})`),
  alu('mulhu', (s) => `mulhu(${s.a}, ${s.b})`),
  def('div', (s) => `t = ${s.b};\n${s.set(`t === 0 ? -1 : (t === -1 && ${s.a} === -2147483648) ? -2147483648 : (${s.a} / t) | 0`)}`),
  def('divu', (s) => `t = ${s.b} >>> 0;\n${s.set(`t === 0 ? -1 : ((${s.a} >>> 0) / t) | 0`)}`),
  def('rem', (s) => `t = ${s.b};\n${s.set(`t === 0 ? ${s.a} : t === -1 ? 0 : (${s.a} % t) | 0`)}`),
  def('remu', (s) => `t = ${s.b} >>> 0;\n${s.set(`t === 0 ? ${s.a} : ((${s.a} >>> 0) % t) | 0`)}`),
];

const FENCE = def('fence', () => ''); // a single in-order hart needs nothing
// Translated code is always coherent (stores into code drop it); end the block anyway.
const FENCE_I = def('fence.i', (s) => `c.pc = ${s.after}; c.instret += ${s.k1}; c.exit = 2; ${s.leave}`, true);
const SYSTEM = def('system', (s) => `c.pc = ${s.here}; c.instret += ${s.k}; c.system(${s.word}, ${s.len}); ${s.leave}`, true);

// Atomics: inline when aligned and the TLB has the page, else the hart's slow path.
const amoSlow = (s: Site): string => `c.pc = ${s.here}; c.amo(${s.word}); ${check(s)}`;
const LR_W = def('lr.w', (s) => `a = ${s.a}; i = (a >>> 12) & 255;
if (lt[i] === (a >>> 12) && (a & 3) === 0) { t = m32[(lo[i] + a) >> 2]; c.resAddr = a; }
else { ${amoSlow(s)} t = ${s.old}; }
${s.set('t')}`);
const SC_W = def('sc.w', (s) => `a = ${s.a}; i = (a >>> 12) & 255;
if (c.resAddr !== a) { c.resAddr = -1; t = 1; }
else if (st[i] === (a >>> 12) && (a & 3) === 0) { m32[(so[i] + a) >> 2] = ${s.b}; c.resAddr = -1; t = 0; }
else { ${amoSlow(s)} t = ${s.old}; }
${s.set('t')}`);
/** AMO*.W read-modify-write expressions of the old value `t` and the source `u`, by funct5. */
const AMO_RMW = new Map<number, number>(([
  [1, 'amoswap', 'u'], [0, 'amoadd', '(t + u) | 0'], [4, 'amoxor', 't ^ u'], [12, 'amoand', 't & u'],
  [8, 'amoor', 't | u'], [16, 'amomin', 't < u ? t : u'], [20, 'amomax', 't > u ? t : u'],
  [24, 'amominu', '(t >>> 0) < (u >>> 0) ? t : u'], [28, 'amomaxu', '(t >>> 0) > (u >>> 0) ? t : u'],
] as const).map(([f5, name, rmw]) => [f5, def(name, (s) => `a = ${s.a}; i = (a >>> 12) & 255;
if (st[i] === (a >>> 12) && (a & 3) === 0) { i = (so[i] + a) >> 2; t = m32[i]; u = ${s.b}; m32[i] = ${rmw}; }
else { ${amoSlow(s)} t = ${s.old}; }
${s.set('t')}`)]));
const AMO_SLOW = def('amo', (s) => `a = ${s.a}; i = (a >>> 12) & 255;\n${amoSlow(s)}`);

const FLOAD = def('fload', (s) => `c.pc = ${s.here}; c.fload(${s.word}); ${check(s)}`);
const FSTORE = def('fstore', (s) => `c.pc = ${s.here}; c.fstore(${s.word}); ${check(s)}`);
const FOP = def('fop', (s) => `c.pc = ${s.here}; c.fop(${s.word}); ${check(s)}`);

/** One decoded instruction: its kind and the fields its template reads. */
export class Decoded {
  kind = ILLEGAL_KIND;
  rd = 0;
  rs1 = 0;
  rs2 = 0;
  imm = 0;
  word = 0;
  /** Byte offsets of the instruction and the next one from the block's start. */
  off = 0;
  next = 0;
}

/** Classifies the (expanded) instruction `insn`, `raw` as encoded, at block offset `off`. */
export function classify(insn: number, raw: number, off: number, d: Decoded): void {
  const op = insn & 0x7f;
  const f3 = (insn >>> 12) & 7;
  const f7 = insn >>> 25;
  d.rd = (insn >>> 7) & 31;
  d.rs1 = (insn >>> 15) & 31;
  d.rs2 = (insn >>> 20) & 31;
  d.imm = 0;
  d.word = insn;
  let kind = -1;
  if (insn !== 0) {
    switch (op) {
      case 0x37: kind = LUI; d.imm = immU(insn); break;
      case 0x17: kind = AUIPC; d.imm = (off + immU(insn)) | 0; break;
      case 0x6f: kind = JAL; d.imm = off + immJ(insn); break;
      case 0x67: if (f3 === 0) { kind = JALR; d.imm = immI(insn); } break;
      case 0x63: kind = BRANCHES[f3]!; d.imm = off + immB(insn); break;
      case 0x03: kind = LOADS[f3]!; d.imm = immI(insn); break;
      case 0x23: kind = STORES[f3]!; d.imm = immS(insn); break;
      case 0x13:
        d.imm = immI(insn);
        if (f3 === 1 || f3 === 5) {
          d.imm = d.rs2; // shamt
          kind = f7 === 0 ? OP_IMM[f3]! : f3 === 5 && f7 === 0x20 ? SRAI : -1;
        } else kind = OP_IMM[f3]!;
        break;
      case 0x33:
        if (f7 === 1) kind = MULDIV[f3]!;
        else if (f7 === 0) kind = OP[f3]!;
        else if (f7 === 0x20) kind = f3 === 0 ? SUB : f3 === 5 ? SRA : -1;
        break;
      case 0x0f: kind = f3 === 0 ? FENCE : f3 === 1 ? FENCE_I : -1; break;
      case 0x73: kind = SYSTEM; break;
      case 0x2f: {
        const f5 = insn >>> 27;
        if (f3 === 2 && f5 === 2 && d.rs2 === 0) kind = LR_W;
        else if (f3 === 2 && f5 === 3) kind = SC_W;
        else kind = (f3 === 2 ? AMO_RMW.get(f5) : undefined) ?? AMO_SLOW;
        break;
      }
      case 0x07: kind = FLOAD; break;
      case 0x27: kind = FSTORE; break;
      case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53: kind = FOP; break;
    }
  }
  if (kind < 0) {
    kind = ILLEGAL_KIND;
    d.word = raw;
  }
  d.kind = kind;
}

/** Reads the 16-bit parcel at a byte offset from the block's start. */
export type ParcelReader = (offset: number) => number;

/**
 * Walks the block at offset 0 of `read`: up to `maxLen` instructions within
 * `pageRoom` bytes, stopping after an instruction that ends a block or before
 * one that straddles the page (the executor runs that one alone). Calls
 * `visit` with each decoded instruction (the same object each time) and its
 * index; returns the instruction count and the bytes covered.
 */
export function scanBlock(read: ParcelReader, pageRoom: number, maxLen: number,
  visit: (d: Decoded, k: number) => void): { length: number; bytes: number } {
  const d = new Decoded();
  let off = 0;
  let n = 0;
  while (n < maxLen && off < pageRoom) {
    const lo = read(off);
    let insn: number;
    let raw: number;
    let len: number;
    if ((lo & 3) !== 3) {
      len = 2;
      raw = lo;
      insn = expandCompressed(lo);
    } else {
      if (off + 4 > pageRoom) break;
      len = 4;
      insn = (lo | (read(off + 2) << 16)) | 0;
      raw = insn;
    }
    classify(insn, raw, off, d);
    d.off = off;
    d.next = off + len;
    visit(d, n);
    off += len;
    n++;
    if (KINDS[d.kind]!.ends) break;
  }
  return { length: n, bytes: off };
}
