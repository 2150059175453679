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
//
// Each instruction's statements come from its template in ops.ts, filled in
// with constants; the interpreter (interp.ts) runs the same templates.
import { type Decoded, KINDS, type ParcelReader, scanBlock, type Site } from './ops.ts';

export type { ParcelReader } from './ops.ts';

export const MAX_BLOCK = 64;

export interface BlockSource {
  /** The function body, to be wrapped by the executor's factory. */
  body: string;
  /** Most instructions one pass through the block retires. */
  length: number;
  /** Bytes of guest code the block was translated from. */
  bytes: number;
}

/** Register operand source: x0 reads as the constant 0. */
const reg = (r: number): string => (r === 0 ? '0' : `x[${r}]`);
/** The pc at byte offset `o` from the block's start. */
const pcAt = (o: number): string => (o === 0 ? 'p' : `(p + ${o}) | 0`);

/** A Site of constants for one decoded instruction. */
class ConstSite implements Site {
  a = ''; b = ''; old = ''; imm = ''; uimm = ''; word = ''; len = '';
  k = ''; k1 = ''; off = ''; next = ''; here = ''; after = '';
  readonly leave = 'return;';
  private rd = 0;
  private target = 0;
  private kn = 0;
  /** A jump back to the block's start was emitted. */
  loops = false;

  fill(d: Decoded, k: number): void {
    this.a = reg(d.rs1); this.b = reg(d.rs2); this.old = reg(d.rd);
    this.imm = String(d.imm); this.uimm = String(d.imm >>> 0);
    this.word = String(d.word); this.len = String(d.next - d.off);
    this.k = String(k); this.k1 = String(k + 1);
    this.off = String(d.off); this.next = String(d.next);
    this.here = pcAt(d.off); this.after = pcAt(d.next);
    this.rd = d.rd; this.target = d.imm; this.kn = k;
  }

  set(v: string): string { return this.rd === 0 ? '' : `x[${this.rd}] = ${v};`; }

  jump(): string {
    if (this.target === 0) {
      this.loops = true;
      return `c.instret += ${this.kn + 1}; if (c.instret + LEN <= c.limit) continue L; c.pc = p; return;`;
    }
    return `c.pc = ${pcAt(this.target)}; c.instret += ${this.kn + 1}; return;`;
  }
}

/**
 * Translates up to `maxLen` instructions. `read(offset)` yields 16-bit parcels;
 * `pageRoom` is how many bytes remain in the page from the block's start.
 */
export function translateBlock(read: ParcelReader, pageRoom: number, maxLen: number): BlockSource {
  const out: string[] = [];
  const site = new ConstSite();
  let ended = false;
  const { length: n, bytes } = scanBlock(read, pageRoom, maxLen, (d, k) => {
    site.fill(d, k);
    const kind = KINDS[d.kind]!;
    const code = kind.emit(site);
    if (code !== '') out.push(code);
    ended = kind.ends;
  });
  if (!ended) out.push(`c.pc = ${pcAt(bytes)}; c.instret += ${n}; return;`);
  // Templates leave empty lines where rd is x0.
  const code = out.join('\n').replace(/\n\n+/g, '\n').replace(/^\n/, '').replace(/\bLEN\b/g, String(n));
  const body = site.loops
    ? `const p = c.pc; let a = 0, i = 0, t = 0, u = 0;\nL: for (;;) {\n${code}\n}`
    : `const p = c.pc; let a = 0, i = 0, t = 0, u = 0;\n${code}`;
  return { body, length: n, bytes };
}
