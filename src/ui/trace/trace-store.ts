// The viewer's memory of the trace: a ring of the last `capacity` events (the
// oldest fall off, so memory stays bounded however long the OS runs), call and
// reply paired as they arrive, and the task names and message types seen.
import type { TraceRecord } from '../../board/devices/trace.ts';
import { tasksOf, type TraceEvent } from './trace-event.ts';

export const DEFAULT_CAPACITY = 100_000;
/** Task names remembered after their events fell off the ring. */
const MAX_NAMES = 10_000;

export class TraceStore {
  private ring: Array<TraceEvent | undefined>;
  private first = 0;
  private next = 0;
  /** The call each task is blocked in, waiting for its reply. */
  private openCalls = new Map<number, TraceEvent>();
  readonly names = new Map<number, string>();
  readonly types = new Set<number>();
  readonly tasks = new Set<number>();
  private listeners = new Set<() => void>();
  /** Changes with every append or clear (for useSyncExternalStore). */
  version = 0;
  /** Counts clears: events of an older generation are gone. */
  generation = 0;
  /** Events that fell off the front of the ring. */
  evicted = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    this.ring = new Array<TraceEvent | undefined>(capacity);
  }

  /** The oldest seq still held. */
  get firstSeq(): number { return this.first; }
  /** One past the newest seq. */
  get endSeq(): number { return this.next; }
  get size(): number { return this.next - this.first; }

  at(seq: number): TraceEvent | undefined {
    return seq >= this.first && seq < this.next ? this.ring[seq % this.capacity] : undefined;
  }

  append(records: readonly TraceRecord[]): void {
    if (records.length === 0) return;
    for (const rec of records) {
      const ev: TraceEvent = { seq: this.next, rec, pair: null };
      if (this.next - this.first === this.capacity) {
        this.ring[this.first % this.capacity] = undefined;
        this.first++;
        this.evicted++;
      }
      this.ring[this.next % this.capacity] = ev;
      this.next++;
      this.index(ev);
    }
    this.changed();
  }

  private index(ev: TraceEvent): void {
    const rec = ev.rec;
    for (const t of tasksOf(rec)) this.tasks.add(t);
    if (rec.kind === 'task-create') {
      if (this.names.size >= MAX_NAMES) this.names.delete(this.names.keys().next().value!);
      this.names.set(rec.id, rec.name);
    }
    if (rec.kind !== 'ipc') return;
    if (rec.op !== 'notify' && rec.op !== 'recv') this.types.add(rec.type);
    if (rec.op === 'call' && rec.result >= 0 && rec.src !== rec.dst) {
      this.openCalls.set(rec.src, ev);
    } else if (rec.op === 'reply') {
      const call = this.openCalls.get(rec.dst);
      if (call && call.rec.kind === 'ipc' && call.rec.dst === rec.src) {
        call.pair = ev.seq;
        ev.pair = call.seq;
        this.openCalls.delete(rec.dst);
      }
    }
  }

  clear(): void {
    this.ring = new Array<TraceEvent | undefined>(this.capacity);
    this.first = this.next = 0;
    this.evicted = 0;
    this.generation++;
    this.openCalls.clear();
    this.names.clear();
    this.types.clear();
    this.tasks.clear();
    this.changed();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
