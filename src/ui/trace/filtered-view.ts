// The events that pass a filter, kept up to date incrementally: new events
// are tested as they arrive, events that fell off the ring leave from the
// front, and only a filter change rescans the whole ring.
import { matches, type TraceFilter } from './trace-filter.ts';
import type { TraceEvent } from './trace-event.ts';
import type { TraceStore } from './trace-store.ts';

export class FilteredView {
  private seqs: number[] = [];
  private start = 0;
  /** The store's end when last synced. */
  private scanned = 0;
  private storeVersion = -1;
  private generation: number;
  /** Events after this seq are not shown (the viewer is paused); null: live. */
  private frozenAt: number | null = null;

  constructor(
    private readonly store: TraceStore,
    private filter: TraceFilter,
    /** An extra condition of the view itself (the diagram shows only messages). */
    private readonly also: (ev: TraceEvent) => boolean = () => true,
  ) {
    this.generation = store.generation;
    this.setFilter(filter);
  }

  get length(): number { return this.seqs.length - this.start; }

  seqAt(i: number): number { return this.seqs[this.start + i]!; }

  eventAt(i: number): TraceEvent | undefined { return this.store.at(this.seqAt(i)); }

  /** The index of `seq` in the view, or -1. */
  indexOf(seq: number): number {
    let lo = this.start;
    let hi = this.seqs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.seqs[mid]!;
      if (v === seq) return mid - this.start;
      if (v < seq) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  setFilter(f: TraceFilter): void {
    this.filter = f;
    this.seqs = [];
    this.start = 0;
    this.scanned = this.store.firstSeq;
    this.storeVersion = -1;
    this.sync();
  }

  /** Freezes the view at the current end (pause) or lets it follow again (null). */
  freeze(on: boolean): void {
    this.frozenAt = on ? this.store.endSeq : null;
    this.storeVersion = -1;
    this.sync();
  }

  get frozen(): boolean { return this.frozenAt !== null; }

  /** Events that arrived since the view froze. */
  get heldBack(): number { return this.frozenAt === null ? 0 : this.store.endSeq - this.frozenAt; }

  /** Catches up with the store; returns false when the store has not changed since. */
  sync(): boolean {
    if (this.storeVersion === this.store.version) return false;
    this.storeVersion = this.store.version;
    const first = this.store.firstSeq;
    if (this.generation !== this.store.generation) { // the store was cleared (a new boot)
      this.generation = this.store.generation;
      this.seqs = [];
      this.start = 0;
      this.scanned = first;
      if (this.frozenAt !== null) this.frozenAt = first;
    }
    while (this.start < this.seqs.length && this.seqs[this.start]! < first) this.start++;
    const end = this.frozenAt === null ? this.store.endSeq : Math.min(this.frozenAt, this.store.endSeq);
    const names = this.store.names;
    for (let s = Math.max(this.scanned, first); s < end; s++) {
      const ev = this.store.at(s)!;
      if (matches(ev, this.filter, names) && this.also(ev)) this.seqs.push(s);
    }
    this.scanned = Math.max(this.scanned, end);
    if (this.start > 4096 && this.start > this.seqs.length / 2) {
      this.seqs = this.seqs.slice(this.start);
      this.start = 0;
    }
    return true;
  }
}
