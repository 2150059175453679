// A block of guest code as the executor caches it: its decoded instructions for
// the interpreter, the translated function once it has one, and the link to the
// block that followed it last time. One class for both tiers, so that a block
// keeps its identity (and the chains to it) when it is translated, and so that
// V8 sees one object shape wherever blocks are handled.
import type { ParcelReader } from './ops.ts';

/** The decoded form of a block that is never interpreted (budget 0). */
export const NO_CODE = new Int32Array(0);

export class Block {
  /** The block that followed this one last time, valid while `epoch` matches the hart's. */
  next: Block | null = null;
  nextPc = 0;
  epoch = -1;
  /** The translated function, or null while the block is interpreted. */
  fn: (() => void) | null = null;
  /** hart.instret when the budget was last (re)filled. */
  since = 0;

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
}
