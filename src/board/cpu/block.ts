// A block of guest code as the executor caches it: its decoded instructions for
// the interpreter, the translated function once it has one, and the link to the
// block that followed it last time. One class for both tiers, so that a block
// keeps its identity (and the chains to it) when it is translated, and so that
// V8 sees one object shape wherever blocks are handled.
import type { ParcelReader } from './ops.ts';

/** The decoded form of a block that is never interpreted (budget 0). */
export const NO_CODE = new Int32Array(0);

export class Block {
  /**
   * The blocks that followed this one, most recent first, with the pc each
   * was entered at; valid while `epoch` matches the hart's code epoch. Four,
   * because a block has several successors when it ends in an indirect jump
   * (a Wasm interpreter's dispatch, a return) or leaves at one of several
   * taken branches: on the OS boot one slot caught 80% of block changes,
   * four catch 96%.
   */
  next: Block | null = null;
  nextPc = 0;
  next1: Block | null = null;
  pc1 = 0;
  next2: Block | null = null;
  pc2 = 0;
  next3: Block | null = null;
  pc3 = 0;
  epoch = -1;
  /** The translated function, or null while the block is interpreted. */
  fn: (() => void) | null = null;
  /** hart.instret when the budget was last (re)filled, and how many times it was refilled. */
  since = 0;
  refills = 0;

  constructor(
    /** The interpreter's form (interp.ts: CODE_STRIDE words per instruction). */
    readonly code: Int32Array,
    /** Instructions (most one pass retires). */
    readonly length: number,
    /** Bytes of guest code covered (a block that does not end on a jump falls through to pc + bytes). */
    readonly bytes: number,
    /** Whether other blocks may chain to this one (not the one-instruction blocks that end slices). */
    readonly linkable: boolean,
    /**
     * What is left to interpret before the block is translated: each entry
     * costs its length plus a fixed amount, each pass round its loop its
     * length; a loop leaves at its start (as at the slice limit) once the
     * budget is spent, so the executor can translate a hot loop rather than
     * interpret it to the end.
     */
    public budget: number,
    /** The guest code, for the translator (valid while the block is: stores to it drop the block). */
    readonly read: ParcelReader,
    /** Bytes left in the page from the block's start, and the most instructions it may hold. */
    readonly room: number,
    readonly maxLen: number,
  ) {}

  /** The block linked for entry at `pc`, or null. */
  successor(pc: number, epoch: number): Block | null {
    if (this.epoch !== epoch) return null;
    if (this.nextPc === pc) return this.next;
    if (this.pc1 === pc) return this.next1;
    if (this.pc2 === pc) return this.next2;
    if (this.pc3 === pc) return this.next3;
    return null;
  }

  /** Links `b` as the successor at `pc` (dropping the oldest link, or all of them from an older epoch). */
  link(pc: number, b: Block, epoch: number): void {
    if (this.epoch !== epoch) {
      this.next1 = this.next2 = this.next3 = null;
      this.pc1 = this.pc2 = this.pc3 = 0;
      this.epoch = epoch;
    } else {
      this.next3 = this.next2; this.pc3 = this.pc2;
      this.next2 = this.next1; this.pc2 = this.pc1;
      this.next1 = this.next; this.pc1 = this.nextPc;
    }
    this.next = b;
    this.nextPc = pc;
  }
}
