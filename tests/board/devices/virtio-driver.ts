// A tiny virtio-mmio driver for tests: it programs the transport through its
// registers and builds split virtqueues in a FakeRam, as a guest would.
import type { VirtioMmio } from '../../../src/board/devices/virtio/mmio.ts';
import { type FakeRam, RAM_BASE } from './helpers.ts';

export const REG = {
  magic: 0x000, version: 0x004, deviceId: 0x008, vendorId: 0x00c,
  deviceFeatures: 0x010, deviceFeaturesSel: 0x014, driverFeatures: 0x020, driverFeaturesSel: 0x024,
  guestPageSize: 0x028, queueSel: 0x030, queueNumMax: 0x034, queueNum: 0x038, queueAlign: 0x03c,
  queuePfn: 0x040, queueReady: 0x044, queueNotify: 0x050, interruptStatus: 0x060, interruptAck: 0x064,
  status: 0x070, queueDescLow: 0x080, queueDescHigh: 0x084, queueDriverLow: 0x090, queueDriverHigh: 0x094,
  queueDeviceLow: 0x0a0, queueDeviceHigh: 0x0a4, configGeneration: 0x0fc, config: 0x100,
} as const;

export const F_NEXT = 1;
export const F_WRITE = 2;
export const F_INDIRECT = 4;

export interface Buffer {
  /** Contents of a device-readable buffer. */
  data?: Uint8Array;
  /** Size of a device-writable buffer. */
  writeLen?: number;
}

export interface Submitted {
  head: number;
  /** Guest address of each buffer, in order. */
  addrs: number[];
}

interface QueueMem {
  size: number;
  desc: number;
  avail: number;
  used: number;
  nextDesc: number;
  availIdx: number;
  seenUsed: number;
}

export class TestDriver {
  private heap = RAM_BASE + 0x1000;
  readonly queues: QueueMem[] = [];

  constructor(readonly dev: VirtioMmio, readonly ram: FakeRam, readonly legacy: boolean) {}

  /** Continue from where `other` (driving an identical device) is: same heap and ring positions. */
  adoptProgress(other: TestDriver): void {
    this.heap = other.heap;
    other.queues.forEach((q, i) => { this.queues[i] = { ...q }; });
  }

  r(off: number): number { return this.dev.read(off, 4); }
  w(off: number, v: number): void { this.dev.write(off, v, 4); }

  alloc(len: number, align = 16): number {
    this.heap = Math.ceil(this.heap / align) * align;
    const a = this.heap;
    this.heap += Math.max(len, 1);
    return a;
  }

  deviceFeatures(): bigint {
    this.w(REG.deviceFeaturesSel, 0);
    const lo = this.r(REG.deviceFeatures);
    this.w(REG.deviceFeaturesSel, 1);
    const hi = this.r(REG.deviceFeatures);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reset, ACKNOWLEDGE, DRIVER, features (FEATURES_OK on modern). Returns the final status. */
  negotiate(features: bigint): number {
    this.w(REG.status, 0);
    this.w(REG.status, 1);
    this.w(REG.status, 3);
    this.w(REG.driverFeaturesSel, 0);
    this.w(REG.driverFeatures, Number(features & 0xffff_ffffn));
    this.w(REG.driverFeaturesSel, 1);
    this.w(REG.driverFeatures, Number(features >> 32n));
    if (!this.legacy) this.w(REG.status, 0xb);
    return this.r(REG.status);
  }

  setupQueue(index: number, size: number): QueueMem {
    this.w(REG.queueSel, index);
    this.w(REG.queueNum, size);
    let q: QueueMem;
    if (this.legacy) {
      const used = Math.ceil((16 * size + 2 * (3 + size)) / 4096) * 4096;
      const base = this.alloc(used + 6 + 8 * size, 4096);
      q = { size, desc: base, avail: base + 16 * size, used: base + used, nextDesc: 0, availIdx: 0, seenUsed: 0 };
      this.w(REG.guestPageSize, 4096);
      this.w(REG.queueAlign, 4096);
      this.w(REG.queuePfn, base / 4096);
    } else {
      q = {
        size, desc: this.alloc(16 * size, 16), avail: this.alloc(6 + 2 * size, 2), used: this.alloc(6 + 8 * size, 4),
        nextDesc: 0, availIdx: 0, seenUsed: 0,
      };
      this.w(REG.queueDescLow, q.desc);
      this.w(REG.queueDescHigh, 0);
      this.w(REG.queueDriverLow, q.avail);
      this.w(REG.queueDriverHigh, 0);
      this.w(REG.queueDeviceLow, q.used);
      this.w(REG.queueDeviceHigh, 0);
      this.w(REG.queueReady, 1);
    }
    this.queues[index] = q;
    return q;
  }

  driverOk(): void {
    this.w(REG.status, this.r(REG.status) | 4);
  }

  /** Full bring-up of queue 0 with `features`. */
  init(features: bigint, queueSize = 16): void {
    this.negotiate(features);
    this.setupQueue(0, queueSize);
    this.driverOk();
  }

  writeDesc(table: number, i: number, addr: number, len: number, flags: number, next: number): void {
    const d = table + 16 * i;
    this.ram.writeU32(d, addr);
    this.ram.writeU32(d + 4, 0);
    this.ram.writeU32(d + 8, len);
    this.ram.writeU16(d + 12, flags);
    this.ram.writeU16(d + 14, next);
  }

  /** Places `bufs` in RAM, chains them (in an indirect table if asked) and makes the chain available. */
  submit(qi: number, bufs: Buffer[], opts: { indirect?: boolean; notify?: boolean } = {}): Submitted {
    const q = this.queues[qi]!;
    const addrs = bufs.map((b) => {
      const len = b.data?.length ?? b.writeLen ?? 0;
      const a = this.alloc(len, 8);
      if (b.data) this.ram.writeBytes(a, b.data);
      return a;
    });
    const flagsOf = (b: Buffer): number => (b.data ? 0 : F_WRITE);
    let head: number;
    if (opts.indirect) {
      const table = this.alloc(16 * bufs.length, 16);
      bufs.forEach((b, i) => {
        const last = i === bufs.length - 1;
        this.writeDesc(table, i, addrs[i]!, b.data?.length ?? b.writeLen ?? 0, flagsOf(b) | (last ? 0 : F_NEXT), last ? 0 : i + 1);
      });
      head = q.nextDesc;
      q.nextDesc = (q.nextDesc + 1) % q.size;
      this.writeDesc(q.desc, head, table, 16 * bufs.length, F_INDIRECT, 0);
    } else {
      const ids = bufs.map(() => { const id = q.nextDesc; q.nextDesc = (q.nextDesc + 1) % q.size; return id; });
      bufs.forEach((b, i) => {
        const last = i === bufs.length - 1;
        this.writeDesc(q.desc, ids[i]!, addrs[i]!, b.data?.length ?? b.writeLen ?? 0, flagsOf(b) | (last ? 0 : F_NEXT), last ? 0 : ids[i + 1]!);
      });
      head = ids[0]!;
    }
    this.publish(qi, head);
    if (opts.notify ?? true) this.w(REG.queueNotify, qi);
    return { head, addrs };
  }

  /** Puts `head` in the avail ring and bumps avail.idx. */
  publish(qi: number, head: number): void {
    const q = this.queues[qi]!;
    this.ram.writeU16(q.avail + 4 + 2 * (q.availIdx % q.size), head);
    q.availIdx = (q.availIdx + 1) & 0xffff;
    this.ram.writeU16(q.avail + 2, q.availIdx);
  }

  setAvailFlags(qi: number, flags: number): void {
    this.ram.writeU16(this.queues[qi]!.avail, flags);
  }

  /** Used entries published since the last call. */
  takeUsed(qi: number): Array<{ id: number; len: number }> {
    const q = this.queues[qi]!;
    const idx = this.ram.readU16(q.used + 2);
    const out: Array<{ id: number; len: number }> = [];
    while (q.seenUsed !== idx) {
      const e = q.used + 4 + 8 * (q.seenUsed % q.size);
      out.push({ id: this.ram.readU32(e), len: this.ram.readU32(e + 4) });
      q.seenUsed = (q.seenUsed + 1) & 0xffff;
    }
    return out;
  }

  ack(): number {
    const isr = this.r(REG.interruptStatus);
    this.w(REG.interruptAck, isr);
    return isr;
  }
}
