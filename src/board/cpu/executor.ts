// Runs the hart: finds (or translates) the block at pc and calls it, until the
// hart's instruction limit is reached or a block asks the run loop to look at
// the machine (exit 2: MMIO, CSR and privilege changes, WFI, code writes).
//
// Blocks are cached per physical RAM page and dropped as a whole when the
// guest writes into their code.
//
// Two tiers: a new block is first run by the interpreter (interp.ts) from its
// decoded instructions; once it has retired about `coldBudget` instructions
// there while taking a good share of the run (see WINDOW) it is translated in
// place (the same Block object, so links to it stay valid). Both tiers run the same
// templates with the same block boundaries, so the machine's state never
// depends on the tier: only host time does. When a block would overshoot the limit,
// single-instruction translations (cached by instruction word, since
// translated code is position independent) finish the slice exactly, so every
// event lands on the same instruction however the host slices the run.
import * as memory from '../memory.ts';
import * as hart from './hart.ts';
import type { Hart } from './hart.ts';
import { Block, NO_CODE } from './block.ts';
import { decodeBlock, makeInterpreter, type Interpreter } from './interp.ts';
import { warmExecutor } from './executor-warmup.ts';
import { warmInterpreter } from './interp-warmup.ts';
import { mulh, mulhsu, mulhu } from './muldiv.ts';
import { MAX_BLOCK, translateBlock, type ParcelReader } from './translate.ts';

// Module-local copies of imported constants used per block (see hart.ts).
const { RAM_BASE } = memory;
const { EXIT_RESCHEDULE } = hart;

const MAX_SINGLES = 1 << 16;

/**
 * How much a block runs in the interpreter before it may be translated, in
 * instructions, where each entry counts ENTRY_COST more (short blocks run
 * often are translated sooner). Translating a block costs V8 2-3 ms of CPU,
 * about what the interpreter needs for a few hundred thousand instructions,
 * and most boot code never runs that much (measured on the OS boot and the
 * CPU benchmark: docs/board.md).
 */
export const COLD_BUDGET = 200_000;
const ENTRY_COST = 8;
/**
 * A block is translated when it spends its budget within WINDOW times the
 * budget of the whole run's instructions, i.e. while it takes at least a tenth
 * of the run; otherwise it gets a new budget. The OS boot's busiest blocks
 * retire up to 0.9 M instructions each, spread over 27-36 M, which translating
 * never repays; a benchmark's inner loops take most of the run while they run.
 */
const WINDOW = 10;
/**
 * However thinly spread, a block that keeps running for MAX_REFILLS budgets
 * (3.2 M instructions at the default) is translated: over a long run even a
 * few per cent of the time repays the compile. The boot's busiest blocks are
 * refilled up to 8 times.
 */
const MAX_REFILLS = 16;
/** The budget of blocks under budget Infinity: large, a small integer for V8, refilled when spent. */
const NEVER = 1 << 29;
let defaultColdBudget = COLD_BUDGET;

/**
 * Sets the interpreter budget of executors created from now on: 0 translates
 * every block at once, Infinity never translates. For tests and benchmarks (the
 * machine's state is the same whatever the budget); returns the previous value.
 */
export function setColdBudget(n: number): number {
  if (!(n >= 0)) throw new RangeError(`setColdBudget: expected an instruction budget >= 0, got ${n}`);
  const old = defaultColdBudget;
  defaultColdBudget = n;
  return old;
}

/** An executor for the warm-up: a small budget, so that its program gets blocks translated. */
function warmupExecutor(h: Hart): Executor {
  const old = setColdBudget(500);
  try { return new Executor(h); } finally { setColdBudget(old); }
}

export class Executor {
  private pages: Array<Array<Block | undefined> | undefined>;
  private singles = new Map<number, Block>();
  private readonly interpret: Interpreter;
  /** Instructions a block retires in the interpreter before it is translated. */
  readonly coldBudget = defaultColdBudget;
  private readonly window = defaultColdBudget * WINDOW;
  /** Blocks translated so far (statistics). */
  translated = 0;
  /** Blocks decoded for the interpreter so far (statistics). */
  decoded = 0;

  constructor(private readonly hart: Hart) {
    this.pages = new Array(hart.ram.size >>> 12);
    hart.onCodeWrite = (page) => this.invalidatePage(page);
    warmInterpreter();
    this.interpret = makeInterpreter(hart, ENTRY_COST);
    warmExecutor(warmupExecutor);
  }

  invalidatePage(page: number): void {
    const ram = this.hart.ram;
    this.hart.codeEpoch++;
    this.pages[page] = undefined;
    ram.codePage[page] = 0;
    ram.codeChunk.fill(0, page * 64, page * 64 + 64);
  }

  invalidateAll(): void {
    for (let p = 0; p < this.pages.length; p++) if (this.pages[p] !== undefined) this.invalidatePage(p);
  }

  /** Executes until instret reaches hart.limit, a block exits with EXIT_RESCHEDULE, or the hart waits. */
  run(): void {
    const h = this.hart;
    const ft = h.tlbFetch;
    const u16 = h.ram.u16;
    let prev: Block | null = null;
    while (h.instret < h.limit) {
      const pc = h.pc;
      let b: Block | null = null;
      // Chained: a successor seen before, and nothing that could change it happened since.
      if (prev !== null) {
        b = prev.successor(pc, h.codeEpoch);
        if (b !== null && h.instret + b.length > h.limit) b = null;
      }
      if (b === null) {
        const vpn = pc >>> 12;
        const slot = vpn & 255;
        let off: number;
        if (ft.tag[slot] === vpn) {
          off = (ft.off[slot]! + pc) | 0;
        } else {
          h.exit = 0;
          const pa = h.fetchAddress(pc);
          if (pa < 0) { prev = null; continue; } // fetch fault taken
          off = pa - RAM_BASE;
        }
        const page = off >>> 12;
        let blocks = this.pages[page];
        if (blocks === undefined) blocks = this.pages[page] = new Array(2048);
        b = blocks[(off & 4095) >>> 1] ?? null;
        if (b === null) {
          if ((off & 4095) === 4094 && (u16[off >>> 1]! & 3) === 3) {
            // A 32-bit instruction straddling two pages.
            const second = h.fetchAddress((pc + 2) | 0);
            if (second < 0) { prev = null; continue; }
            b = this.single((u16[off >>> 1]! | (u16[(second - RAM_BASE) >>> 1]! << 16)) | 0);
          } else {
            b = blocks[(off & 4095) >>> 1] = this.translate(off);
          }
        }
        // (Already linked when it was only too long for what is left of the slice.)
        if (prev !== null && b.linkable && h.exit === 0 && prev.successor(pc, h.codeEpoch) !== b) prev.link(pc, b, h.codeEpoch);
        if (h.instret + b.length > h.limit) {
          const lo = u16[off >>> 1]!;
          if ((lo & 3) !== 3) b = this.single(lo);
          else if ((off & 4095) !== 4094) b = this.single((lo | (u16[(off >>> 1) + 1]! << 16)) | 0);
        }
      }
      h.exit = 0;
      const last = this.enter(b);
      if (h.exit === EXIT_RESCHEDULE || h.wfi) return;
      prev = last.linkable && h.exit === 0 ? last : null;
    }
  }

  /**
   * Runs `b` on its tier: translated, interpreted (with the blocks the
   * interpreter chains to; the last one run is returned), or translated now
   * when its budget is spent.
   */
  private enter(b: Block): Block {
    if (b.fn !== null) {
      b.fn();
      return b;
    }
    if (b.budget <= 0) {
      const now = this.hart.instret;
      if (this.coldBudget === Infinity) {
        b.budget = NEVER; // never translate: just keep interpreting
      } else if (now - b.since > this.window && ++b.refills < MAX_REFILLS) {
        // Lukewarm: it used its budget, but over a long stretch of the run. Another budget.
        b.budget = this.coldBudget;
        b.since = now;
      } else {
        const fn = b.fn = this.compile(translateBlock(b.read, b.room, b.maxLen).body);
        fn();
        return b;
      }
    }
    b.budget -= b.length + ENTRY_COST;
    return this.interpret(b);
  }

  /** The block at RAM offset `off`; its bytes become code (stores to them drop the page). */
  private translate(off: number): Block {
    const ram = this.hart.ram;
    const u16 = ram.u16;
    const b = this.tiered((o) => u16[(off + o) >>> 1]!, 4096 - (off & 4095), MAX_BLOCK, true);
    const bytesEnd = off + Math.max(2, b.bytes);
    for (let c = off >>> 6; c <= (bytesEnd - 1) >>> 6; c++) ram.codeChunk[c] = 1;
    const page = off >>> 12;
    if (ram.codePage[page] === 0) {
      ram.codePage[page] = 1;
      this.hart.tlbStore.dropPage(page);
    }
    return b.block;
  }

  /** A one-instruction block for `word` (slice ends and page-straddling instructions). */
  private single(word: number): Block {
    let b = this.singles.get(word);
    if (b === undefined) {
      const read: ParcelReader = (o) => (o === 0 ? word & 0xffff : o === 2 ? word >>> 16 : -1);
      b = this.tiered(read, (word & 3) === 3 ? 4 : 2, 1, false).block;
      if (this.singles.size >= MAX_SINGLES) this.singles.clear();
      this.singles.set(word, b);
    }
    return b;
  }

  /**
   * A new block, interpreted until its budget is spent (translated at once
   * with budget 0). `read` must stay valid while the block can run: RAM whose
   * changes drop the block, or a constant word.
   */
  private tiered(read: ParcelReader, room: number, maxLen: number, linkable: boolean): { block: Block; bytes: number } {
    if (this.coldBudget === 0) {
      const src = translateBlock(read, room, maxLen);
      const block = new Block(NO_CODE, src.length, src.bytes, linkable, 0, read, room, maxLen);
      block.fn = this.compile(src.body);
      return { block, bytes: src.bytes };
    }
    const dec = decodeBlock(read, room, maxLen);
    this.decoded++;
    const budget = this.coldBudget === Infinity ? NEVER : this.coldBudget;
    const block = new Block(dec.code, dec.length, dec.bytes, linkable, budget, read, room, maxLen);
    block.since = this.hart.instret;
    return { block, bytes: dec.bytes };
  }

  private compile(body: string): () => void {
    const h = this.hart;
    const ram = h.ram;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the translator's output
    const factory = new Function('c', 'x', 'm8', 's8', 'm16', 's16', 'm32', 'lt', 'lo', 'st', 'so',
      'mulh', 'mulhsu', 'mulhu', `return (function block() {\n${body}\n});`);
    this.translated++;
    return factory(h, h.x, ram.u8, ram.i8, ram.u16, ram.i16, ram.i32, h.tlbLoad.tag, h.tlbLoad.off,
      h.tlbStore.tag, h.tlbStore.off, mulh, mulhsu, mulhu) as () => void;
  }
}
