// The block translator: turns a run of guest instructions into the source of
// one JavaScript function, which V8 then compiles to machine code.
//
// A block starts at a physical address and runs straight through not-taken
// conditional branches (taken ones exit), ending at an unconditional jump, a
// SYSTEM/FENCE.I instruction, the end of the page or MAX_BLOCK instructions. A
// conditional branch or JAL back to the block's first instruction becomes a
// loop inside the function, bounded by the hart's `limit`.
//
// Generated code is position independent: it reads the block's virtual pc from
// `c.pc` on entry and derives every pc from it, so one translation serves every
// virtual alias of a physical page. Instruction counting is exact: a block adds
// its retired instructions to `c.instret` when it leaves, and the executor only
// enters a block when the whole block fits below `c.limit`.
import { expandCompressed, immB, immI, immJ, immS, immU } from './decode.ts';

export const MAX_BLOCK = 64;

/** Reads the 16-bit parcel at a byte offset from the block's start, or -1 past the page. */
export type ParcelReader = (offset: number) => number;

export interface BlockSource {
  /** The function body, to be wrapped by the executor's factory. */
  body: string;
  /** Most instructions one pass through the block retires. */
  length: number;
  /** Bytes of guest code the block was translated from. */
  bytes: number;
}

const LOAD_FAST: Record<number, { view: string; align: number; shift: number } | undefined> = {
  0: { view: 's8', align: 0, shift: 0 }, // lb
  1: { view: 's16', align: 1, shift: 1 }, // lh
  2: { view: 'm32', align: 3, shift: 2 }, // lw
  4: { view: 'm8', align: 0, shift: 0 }, // lbu
  5: { view: 'm16', align: 1, shift: 1 }, // lhu
};
const STORE_FAST: Record<number, { view: string; align: number; shift: number; len: number } | undefined> = {
  0: { view: 'm8', align: 0, shift: 0, len: 1 },
  1: { view: 'm16', align: 1, shift: 1, len: 2 },
  2: { view: 'm32', align: 3, shift: 2, len: 4 },
};
/** AMO*.W read-modify-write expressions of the old value `t` and the source `u`. */
const AMO_OP: Record<number, string | undefined> = {
  1: 'u', 0: '(t + u) | 0', 4: 't ^ u', 12: 't & u', 8: 't | u',
  16: 't < u ? t : u', 20: 't > u ? t : u',
  24: '(t >>> 0) < (u >>> 0) ? t : u', 28: '(t >>> 0) > (u >>> 0) ? t : u',
};
const BRANCH: Record<number, string | undefined> = {
  0: '===', 1: '!==', 4: '<', 5: '>=', 6: '<', 7: '>=',
};

/** Register operand source: x0 reads as the constant 0. */
const reg = (r: number): string => (r === 0 ? '0' : `x[${r}]`);
/** The pc at byte offset `o` from the block's start. */
const pcAt = (o: number): string => (o === 0 ? 'p' : `(p + ${o}) | 0`);

/** Output and state of one translation; the current instruction's facts are set per step. */
class BlockWriter {
  readonly out: string[] = [];
  loops = false;
  ended = false;
  // The instruction being translated.
  k = 0;
  raw = 0;
  rd = 0;
  here = '';
  after = '';

  /** Leaves after a slow path if it trapped or asked the run loop to look. */
  check(): string { return `if (c.exit !== 0) return c.leave(${this.k}, ${this.after});`; }

  /** Ends the block with a call that takes a trap or finishes the instruction itself. */
  trapHere(call: string): void {
    this.out.push(`c.pc = ${this.here}; c.instret += ${this.k}; ${call}; return;`);
    this.ended = true;
  }

  illegal(): void { this.trapHere(`c.illegal(${this.raw})`); }

  /** An exit to `target` (byte offset from the block start), looping when it is the start. */
  jumpTo(target: number): string {
    if (target === 0) {
      this.loops = true;
      return `c.instret += ${this.k + 1}; if (c.instret + LEN <= c.limit) continue L; c.pc = p; return;`;
    }
    return `c.pc = ${pcAt(target)}; c.instret += ${this.k + 1}; return;`;
  }

  /** Writes rd (dropped for x0). */
  set(v: string): void { if (this.rd !== 0) this.out.push(`x[${this.rd}] = ${v};`); }
}

/**
 * Translates up to `maxLen` instructions. `read(offset)` yields 16-bit parcels;
 * `pageRoom` is how many bytes remain in the page from the block's start.
 */
export function translateBlock(read: ParcelReader, pageRoom: number, maxLen: number): BlockSource {
  const w = new BlockWriter();
  const out = w.out;
  let off = 0;
  let n = 0;

  while (n < maxLen && off < pageRoom && !w.ended) {
    const lo = read(off);
    let insn: number;
    let len: number;
    let raw: number;
    if ((lo & 3) !== 3) {
      len = 2;
      raw = lo;
      insn = expandCompressed(lo);
    } else {
      if (off + 4 > pageRoom) break; // straddles the page: the executor handles it alone
      len = 4;
      insn = (lo | (read(off + 2) << 16)) | 0;
      raw = insn;
    }
    const k = n;
    const next = off + len;
    const here = pcAt(off);
    const after = pcAt(next);
    const op = insn & 0x7f;
    const rd = (insn >>> 7) & 31;
    const f3 = (insn >>> 12) & 7;
    const rs1 = (insn >>> 15) & 31;
    const rs2 = (insn >>> 20) & 31;
    const f7 = insn >>> 25;
    w.k = k; w.raw = raw; w.rd = rd; w.here = here; w.after = after;
    const check = w.check();
    const X = reg;

    if (insn === 0) { w.illegal(); off = next; n++; break; }
    switch (op) {
      case 0x37: w.set(`${immU(insn)}`); break; // LUI
      case 0x17: w.set(`(p + ${off + immU(insn)}) | 0`); break; // AUIPC
      case 0x6f: { // JAL
        w.set(after);
        out.push(w.jumpTo(off + immJ(insn)));
        w.ended = true;
        break;
      }
      case 0x67: { // JALR
        if (f3 !== 0) { w.illegal(); break; }
        out.push(`t = (${X(rs1)} + ${immI(insn)}) & -2;`);
        w.set(after);
        out.push(`c.pc = t; c.instret += ${k + 1}; return;`);
        w.ended = true;
        break;
      }
      case 0x63: { // branches
        const cmp = BRANCH[f3];
        if (cmp === undefined) { w.illegal(); break; }
        const unsigned = f3 >= 6;
        const a = unsigned ? `(${X(rs1)} >>> 0)` : X(rs1);
        const b = unsigned ? `(${X(rs2)} >>> 0)` : X(rs2);
        out.push(`if (${a} ${cmp} ${b}) { ${w.jumpTo(off + immB(insn))} }`);
        break;
      }
      case 0x03: { // loads
        const f = LOAD_FAST[f3];
        if (f === undefined) { w.illegal(); break; }
        const align = f.align ? ` && (a & ${f.align}) === 0` : '';
        const index = f.shift ? `(lo[i] + a) >> ${f.shift}` : '(lo[i] + a) | 0';
        out.push(`a = (${X(rs1)} + ${immI(insn)}) | 0; i = (a >>> 12) & 255;`);
        out.push(`if (lt[i] === (a >>> 12)${align}) t = ${f.view}[${index}];`);
        out.push(`else if ((t = c.ldx(a, ${1 << (f3 & 3)}, ${f3 < 4}, p, ${off}, ${k}, ${next})), c.exit !== 0) return;`);
        w.set('t');
        break;
      }
      case 0x23: { // stores
        const f = STORE_FAST[f3];
        if (f === undefined) { w.illegal(); break; }
        const align = f.align ? ` && (a & ${f.align}) === 0` : '';
        const index = f.shift ? `(so[i] + a) >> ${f.shift}` : '(so[i] + a) | 0';
        out.push(`a = (${X(rs1)} + ${immS(insn)}) | 0; i = (a >>> 12) & 255;`);
        out.push(`if (st[i] === (a >>> 12)${align}) ${f.view}[${index}] = ${X(rs2)};`);
        out.push(`else if ((c.stx(a, ${f.len}, ${X(rs2)}, p, ${off}, ${k}, ${next})), c.exit !== 0) return;`);
        break;
      }
      case 0x13: { // OP-IMM
        const imm = immI(insn);
        const sh = rs2; // shamt
        switch (f3) {
          case 0: w.set(`(${X(rs1)} + ${imm}) | 0`); break;
          case 2: w.set(`${X(rs1)} < ${imm} ? 1 : 0`); break;
          case 3: w.set(`(${X(rs1)} >>> 0) < ${imm >>> 0} ? 1 : 0`); break;
          case 4: w.set(`${X(rs1)} ^ ${imm}`); break;
          case 6: w.set(`${X(rs1)} | ${imm}`); break;
          case 7: w.set(`${X(rs1)} & ${imm}`); break;
          case 1: if (f7 !== 0) { w.illegal(); break; } w.set(`${X(rs1)} << ${sh}`); break;
          case 5:
            if (f7 === 0) w.set(`(${X(rs1)} >>> ${sh}) | 0`);
            else if (f7 === 0x20) w.set(`${X(rs1)} >> ${sh}`);
            else w.illegal();
            break;
        }
        break;
      }
      case 0x33: { // OP
        const a = X(rs1), b = X(rs2);
        if (f7 === 1) { // M extension
          switch (f3) {
            case 0: w.set(`Math.imul(${a}, ${b})`); break;
            case 1: w.set(`mulh(${a}, ${b})`); break;
            case 2: w.set(`mulhsu(${a}, ${b})`); break;
            case 3: w.set(`mulhu(${a}, ${b})`); break;
            case 4: out.push(`t = ${b};`); w.set(`t === 0 ? -1 : (t === -1 && ${a} === -2147483648) ? -2147483648 : (${a} / t) | 0`); break;
            case 5: out.push(`t = ${b} >>> 0;`); w.set(`t === 0 ? -1 : ((${a} >>> 0) / t) | 0`); break;
            case 6: out.push(`t = ${b};`); w.set(`t === 0 ? ${a} : t === -1 ? 0 : (${a} % t) | 0`); break;
            case 7: out.push(`t = ${b} >>> 0;`); w.set(`t === 0 ? ${a} : ((${a} >>> 0) % t) | 0`); break;
          }
          break;
        }
        if (f7 !== 0 && !(f7 === 0x20 && (f3 === 0 || f3 === 5))) { w.illegal(); break; }
        switch (f3) {
          case 0: w.set(f7 ? `(${a} - ${b}) | 0` : `(${a} + ${b}) | 0`); break;
          case 1: w.set(`${a} << ${b}`); break;
          case 2: w.set(`${a} < ${b} ? 1 : 0`); break;
          case 3: w.set(`(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`); break;
          case 4: w.set(`${a} ^ ${b}`); break;
          case 5: w.set(f7 ? `${a} >> ${b}` : `(${a} >>> ${b}) | 0`); break;
          case 6: w.set(`${a} | ${b}`); break;
          case 7: w.set(`${a} & ${b}`); break;
        }
        break;
      }
      case 0x0f: // MISC-MEM
        if (f3 === 0) break; // FENCE: a single in-order hart needs nothing
        if (f3 === 1) { // FENCE.I: translated code is always coherent; end the block anyway
          out.push(`c.pc = ${after}; c.instret += ${k + 1}; c.exit = 2; return;`);
          w.ended = true;
          break;
        }
        w.illegal();
        break;
      case 0x73: // SYSTEM
        w.trapHere(`c.system(${insn}, ${len})`);
        break;
      case 0x2f: { // AMO: inline when aligned and the TLB has the page, else the hart's slow path
        const slow = `c.pc = ${here}; c.amo(${insn}); ${check}`;
        const f5 = insn >>> 27;
        const rmw = f3 === 2 ? AMO_OP[f5] : undefined;
        out.push(`a = ${X(rs1)}; i = (a >>> 12) & 255;`);
        if (f3 === 2 && f5 === 2 && rs2 === 0) { // LR.W
          out.push(`if (lt[i] === (a >>> 12) && (a & 3) === 0) { t = m32[(lo[i] + a) >> 2]; c.resAddr = a; }`);
          out.push(`else { ${slow} t = ${rd === 0 ? 0 : `x[${rd}]`}; }`);
          w.set('t');
        } else if (f3 === 2 && f5 === 3) { // SC.W
          out.push(`if (c.resAddr !== a) { c.resAddr = -1; t = 1; }`);
          out.push(`else if (st[i] === (a >>> 12) && (a & 3) === 0) { m32[(so[i] + a) >> 2] = ${X(rs2)}; c.resAddr = -1; t = 0; }`);
          out.push(`else { ${slow} t = ${rd === 0 ? 0 : `x[${rd}]`}; }`);
          w.set('t');
        } else if (rmw !== undefined) {
          out.push(`if (st[i] === (a >>> 12) && (a & 3) === 0) { i = (so[i] + a) >> 2; t = m32[i]; u = ${X(rs2)}; m32[i] = ${rmw}; }`);
          out.push(`else { ${slow} t = ${rd === 0 ? 0 : `x[${rd}]`}; }`);
          w.set('t');
        } else {
          out.push(slow);
        }
        break;
      }
      case 0x07: // FLW / FLD
        out.push(`c.pc = ${here}; c.fload(${insn}); ${check}`);
        break;
      case 0x27: // FSW / FSD
        out.push(`c.pc = ${here}; c.fstore(${insn}); ${check}`);
        break;
      case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
        out.push(`c.pc = ${here}; c.fop(${insn}); ${check}`);
        break;
      default:
        w.illegal();
    }
    off = next;
    n++;
  }
  if (!w.ended) out.push(`c.pc = ${pcAt(off)}; c.instret += ${n}; return;`);
  const code = out.join('\n').replace(/\bLEN\b/g, String(n));
  const body = w.loops
    ? `const p = c.pc; let a = 0, i = 0, t = 0, u = 0;\nL: for (;;) {\n${code}\n}`
    : `const p = c.pc; let a = 0, i = 0, t = 0, u = 0;\n${code}`;
  return { body, length: n, bytes: off };
}
