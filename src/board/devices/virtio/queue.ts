// Split virtqueues (virtio 1.2 §2.7), device side.
//
// Everything here reads guest-controlled memory, so every address is checked
// against RAM before use and every chain is walked with a step limit. Anything
// malformed makes the queue refuse further work and reports `fail` to the
// transport, which sets DEVICE_NEEDS_RESET: a broken driver stops its device,
// never the board.
import type { Dma } from '../../bus.ts';
import type { StateReader, StateWriter } from '../../state-stream.ts';

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
/** avail.flags: the driver asks not to be interrupted (honoured; no EVENT_IDX). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

const DESC_SIZE = 16;
const MAX_QUEUE_SIZE = 32768;

/** A guest-physical buffer. */
export interface Segment {
  readonly addr: number;
  readonly len: number;
}

/** One request: the driver's buffers, device-readable ones first. */
export class DescriptorChain {
  readonly readableLength: number;
  readonly writableLength: number;

  constructor(
    /** Head descriptor index: the id reported in the used ring. */
    readonly head: number,
    readonly readable: readonly Segment[],
    readonly writable: readonly Segment[],
  ) {
    this.readableLength = readable.reduce((n, s) => n + s.len, 0);
    this.writableLength = writable.reduce((n, s) => n + s.len, 0);
  }

  /** Gathers `len` bytes starting `offset` bytes into the readable buffers (short at the end). */
  read(dma: Dma, offset: number, len: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(len, this.readableLength - offset)));
    let done = 0;
    forEachPiece(this.readable, offset, out.length, (addr, n) => {
      out.set(dma.readBytes(addr, n), done);
      done += n;
    });
    return out;
  }

  /** Scatters `data` into the writable buffers from `offset`; returns the bytes written. */
  write(dma: Dma, offset: number, data: Uint8Array): number {
    const len = Math.max(0, Math.min(data.length, this.writableLength - offset));
    let done = 0;
    forEachPiece(this.writable, offset, len, (addr, n) => {
      dma.writeBytes(addr, data.subarray(done, done + n));
      done += n;
    });
    return len;
  }
}

function forEachPiece(segs: readonly Segment[], offset: number, len: number, fn: (addr: number, n: number) => void): void {
  let skip = offset;
  let left = len;
  for (const s of segs) {
    if (left <= 0) return;
    if (skip >= s.len) { skip -= s.len; continue; }
    const n = Math.min(s.len - skip, left);
    fn(s.addr + skip, n);
    left -= n;
    skip = 0;
  }
}

export interface QueueHooks {
  /** A used buffer was published and the driver did not suppress interrupts. */
  usedBuffer(): void;
  /** The driver handed over something malformed. */
  fail(): void;
}

export class Virtqueue {
  /** Queue size the driver chose (QueueNum). */
  size: number;
  ready = false;
  descAddr = 0;
  driverAddr = 0;
  deviceAddr = 0;
  /** Next avail ring slot to consume and the used index published, both mod 2^16. */
  private lastAvail = 0;
  private usedIdx = 0;
  private broken = false;

  constructor(
    readonly index: number,
    readonly maxSize: number,
    private readonly dma: Dma,
    private readonly hooks: QueueHooks,
  ) {
    this.size = maxSize;
  }

  /** The next available request, or null when there is none (or the queue is broken). */
  pop(): DescriptorChain | null {
    if (!this.ready || this.broken) return null;
    if (!this.layoutOk()) return this.fail();
    const availIdx = this.dma.readU16(this.driverAddr + 2);
    if (availIdx === this.lastAvail) return null;
    if (((availIdx - this.lastAvail) & 0xffff) > this.size) return this.fail();
    const head = this.dma.readU16(this.driverAddr + 4 + 2 * (this.lastAvail % this.size));
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    return this.walk(head) ?? this.fail();
  }

  /** Returns a request to the driver with `written` bytes placed in its writable buffers. */
  push(chain: DescriptorChain, written: number): void {
    if (!this.ready || this.broken || !this.layoutOk()) return;
    const slot = this.deviceAddr + 4 + 8 * (this.usedIdx % this.size);
    this.dma.writeU32(slot, chain.head);
    this.dma.writeU32(slot + 4, written >>> 0);
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    this.dma.writeU16(this.deviceAddr + 2, this.usedIdx);
    if ((this.dma.readU16(this.driverAddr) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0) this.hooks.usedBuffer();
  }

  /** Back to the state after a device reset. */
  reset(): void {
    this.size = this.maxSize;
    this.ready = false;
    this.descAddr = this.driverAddr = this.deviceAddr = 0;
    this.lastAvail = this.usedIdx = 0;
    this.broken = false;
  }

  save(w: StateWriter): void {
    w.u32(this.size);
    w.bool(this.ready);
    w.u32(this.descAddr);
    w.u32(this.driverAddr);
    w.u32(this.deviceAddr);
    w.u32(this.lastAvail);
    w.u32(this.usedIdx);
    w.bool(this.broken);
  }

  restore(r: StateReader): void {
    this.size = r.u32();
    this.ready = r.bool();
    this.descAddr = r.u32();
    this.driverAddr = r.u32();
    this.deviceAddr = r.u32();
    this.lastAvail = r.u32() & 0xffff;
    this.usedIdx = r.u32() & 0xffff;
    this.broken = r.bool();
  }

  private fail(): null {
    this.broken = true;
    this.hooks.fail();
    return null;
  }

  private layoutOk(): boolean {
    const n = this.size;
    return n > 0 && n <= Math.min(this.maxSize, MAX_QUEUE_SIZE) && (n & (n - 1)) === 0
      && this.descAddr % 16 === 0 && this.driverAddr % 2 === 0 && this.deviceAddr % 4 === 0
      && this.dma.inRam(this.descAddr, DESC_SIZE * n)
      && this.dma.inRam(this.driverAddr, 6 + 2 * n)
      && this.dma.inRam(this.deviceAddr, 6 + 8 * n);
  }

  /** Follows a chain from `head`; null if it is malformed. */
  private walk(head: number): DescriptorChain | null {
    const readable: Segment[] = [];
    const writable: Segment[] = [];
    let table = this.descAddr;
    let tableLen = this.size;
    let indirect = false;
    let idx = head;
    // A chain visits each descriptor of its table at most once; more steps mean a loop.
    let steps = 0;
    for (;;) {
      if (idx >= tableLen || ++steps > tableLen) return null;
      const d = table + DESC_SIZE * idx;
      const addr = this.dma.readU32(d);
      const addrHigh = this.dma.readU32(d + 4);
      const len = this.dma.readU32(d + 8);
      const flags = this.dma.readU16(d + 12);
      const next = this.dma.readU16(d + 14);
      if (addrHigh !== 0) return null;
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        // Only a lone head descriptor may point to an indirect table (§2.7.5.3.1).
        if (indirect || steps !== 1 || (flags & VIRTQ_DESC_F_NEXT)) return null;
        if (len === 0 || len % DESC_SIZE !== 0 || addr % 16 !== 0 || !this.dma.inRam(addr, len)) return null;
        table = addr;
        tableLen = len / DESC_SIZE;
        indirect = true;
        idx = 0;
        steps = 0;
        continue;
      }
      if (len > 0) {
        if (!this.dma.inRam(addr, len)) return null;
        if (flags & VIRTQ_DESC_F_WRITE) writable.push({ addr, len });
        else if (writable.length > 0) return null; // readable after writable
        else readable.push({ addr, len });
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) break;
      idx = next;
    }
    return new DescriptorChain(head, readable, writable);
  }
}
