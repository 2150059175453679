// Routes physical addresses outside RAM to memory-mapped devices.
import type { MmioDevice } from './bus.ts';

export class PhysBus {
  private devices: MmioDevice[] = [];
  /** The last device hit: MMIO accesses come in runs to the same device. */
  private last: MmioDevice | null = null;

  add(dev: MmioDevice): void {
    for (const d of this.devices) {
      if (dev.base < d.base + d.size && d.base < dev.base + dev.size) {
        throw new Error(`device ${dev.name} overlaps ${d.name}`);
      }
    }
    this.devices.push(dev);
    this.devices.sort((a, b) => a.base - b.base);
  }

  get all(): readonly MmioDevice[] { return this.devices; }

  /** The device whose window holds [pa, pa+len), or null. */
  find(pa: number, len: number): MmioDevice | null {
    const l = this.last;
    if (l !== null && pa >= l.base && pa + len <= l.base + l.size) return l;
    for (const d of this.devices) {
      if (pa >= d.base && pa + len <= d.base + d.size) { this.last = d; return d; }
    }
    return null;
  }
}
