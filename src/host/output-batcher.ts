// Collects what the page needs (console bytes, trace records, the task table,
// the status) and sends it as one message per frame at most, with at most one
// message in flight: a page that falls behind gets bigger batches, not a
// queue of them.
import type { TraceRecord } from '../board/devices/trace.ts';
import type { HostTimers } from './host-timers.ts';
import type { HostBatch, MachineStatus, TaskRow } from './protocol.ts';

export type BatchSink = (batch: HostBatch) => unknown;

export const FRAME_MS = 16;
/** Trace records held for a page that does not keep up; older ones are dropped (and counted). */
export const MAX_PENDING_RECORDS = 100_000;

export interface BatchSource {
  epoch(): number;
  status(): MachineStatus;
  /** The task table if it changed since the last call, else undefined. */
  takeTasks(): TaskRow[] | undefined;
}

export class OutputBatcher {
  private serial: Uint8Array[] = [];
  private trace: TraceRecord[] = [];
  private statusDirty = false;
  private lastSent = -Infinity;
  private inFlight = false;
  /** Counts sinks, so an answer from a replaced one is ignored. */
  private sinkNo = 0;
  private cancelTimer: (() => void) | null = null;
  /** Records dropped here because the page was too slow. */
  lostRecords = 0;

  constructor(private readonly timers: HostTimers, private readonly source: BatchSource, private sink: BatchSink | null = null) {}

  /** A new sink (a new boot): what is in flight to the old one no longer holds this one up. */
  setSink(sink: BatchSink | null): void {
    this.sink = sink;
    this.sinkNo++;
    this.inFlight = false;
  }

  /** Forgets pending output (a new boot). */
  clear(): void {
    this.serial = [];
    this.trace = [];
    this.lostRecords = 0;
  }

  addSerial(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.serial.push(bytes);
    this.schedule();
  }

  addTrace(records: readonly TraceRecord[]): void {
    if (records.length === 0) return;
    for (const r of records) this.trace.push(r);
    if (this.trace.length > MAX_PENDING_RECORDS) {
      const excess = this.trace.length - MAX_PENDING_RECORDS;
      this.trace.splice(0, excess);
      this.lostRecords += excess;
    }
    this.schedule();
  }

  /** Something in the status or task table changed. */
  touch(): void {
    this.statusDirty = true;
    this.schedule();
  }

  private get pending(): boolean {
    return this.statusDirty || this.serial.length > 0 || this.trace.length > 0;
  }

  private schedule(): void {
    if (this.inFlight || this.cancelTimer || !this.sink) return;
    const wait = Math.max(0, this.lastSent + FRAME_MS - this.timers.now());
    this.cancelTimer = this.timers.after(wait, () => {
      this.cancelTimer = null;
      this.flush();
    });
  }

  /** Sends what is pending now (normally called by the frame timer). */
  flush(): void {
    if (!this.sink || this.inFlight || !this.pending) return;
    const batch: HostBatch = { epoch: this.source.epoch(), status: this.source.status() };
    if (this.serial.length > 0) batch.serial = concat(this.serial);
    if (this.trace.length > 0) batch.trace = this.trace;
    const tasks = this.source.takeTasks();
    if (tasks) batch.tasks = tasks;
    this.serial = [];
    this.trace = [];
    this.statusDirty = false;
    this.lastSent = this.timers.now();
    let result: unknown;
    try {
      result = this.sink(batch);
    } catch {
      return; // the page went away; nothing to do about it here
    }
    if (isThenable(result)) {
      this.inFlight = true;
      const sinkNo = this.sinkNo;
      const done = (): void => {
        if (sinkNo !== this.sinkNo) return;
        this.inFlight = false;
        if (this.pending) this.schedule();
      };
      result.then(done, done);
    }
  }
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
