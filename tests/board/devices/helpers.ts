// Test doubles for device tests: guest RAM behind the Dma interface, an
// interrupt controller that records levels, and a snapshot round-trip check.
import { expect } from 'vitest';
import type { Dma, MmioDevice } from '../../../src/board/bus.ts';
import type { IrqController } from '../../../src/board/irq.ts';
import { StateReader, StateWriter } from '../../../src/board/state-stream.ts';

export const RAM_BASE = 0x8000_0000;

/** Guest RAM at 0x80000000 as a plain byte array; accesses outside it throw (devices must check first). */
export class FakeRam implements Dma {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(size = 1 << 20) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  inRam(addr: number, len: number): boolean {
    return addr >= RAM_BASE && len >= 0 && addr + len <= RAM_BASE + this.bytes.length;
  }

  private off(addr: number, len: number): number {
    if (!this.inRam(addr, len)) throw new Error(`DMA outside RAM: 0x${addr.toString(16)}+${len}`);
    return addr - RAM_BASE;
  }

  readU8(addr: number): number { return this.view.getUint8(this.off(addr, 1)); }
  readU16(addr: number): number { return this.view.getUint16(this.off(addr, 2), true); }
  readU32(addr: number): number { return this.view.getUint32(this.off(addr, 4), true); }
  writeU8(addr: number, v: number): void { this.view.setUint8(this.off(addr, 1), v); }
  writeU16(addr: number, v: number): void { this.view.setUint16(this.off(addr, 2), v, true); }
  writeU32(addr: number, v: number): void { this.view.setUint32(this.off(addr, 4), v >>> 0, true); }
  readBytes(addr: number, len: number): Uint8Array { const o = this.off(addr, len); return this.bytes.subarray(o, o + len); }
  writeBytes(addr: number, data: Uint8Array): void { this.bytes.set(data, this.off(addr, data.length)); }
}

/** Records the level of every source. */
export class IrqRecorder implements IrqController {
  readonly levels = new Map<number, boolean>();
  changes = 0;
  setLevel(source: number, level: boolean): void {
    if ((this.levels.get(source) ?? false) !== level) this.changes++;
    this.levels.set(source, level);
  }
  level(source: number): boolean { return this.levels.get(source) ?? false; }
}

export function snapshotOf(dev: Pick<MmioDevice, 'save'>): Uint8Array {
  const w = new StateWriter();
  dev.save(w);
  return w.finish();
}

/** save → restore into `fresh` → save again must give the same bytes; returns the restored device. */
export function expectRoundTrip<T extends Pick<MmioDevice, 'save' | 'restore'>>(dev: T, fresh: T): T {
  const first = snapshotOf(dev);
  const r = new StateReader(first);
  fresh.restore(r);
  expect(r.done).toBe(true);
  expect(Array.from(snapshotOf(fresh))).toEqual(Array.from(first));
  return fresh;
}
