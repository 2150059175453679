// The PLIC of QEMU's `virt` machine for one hart with hart-config "MS":
// context 0 is M-mode (drives MEIP), context 1 is S-mode (drives SEIP).
//
// Sources are level-triggered. A source's pending bit follows its level, except
// that once claimed it stays clear until completion; completion re-samples the
// level, so a device still asserting its line is pending again at once. (QEMU
// only re-latches on the next level change, which can lose an interrupt when a
// device keeps its line high across the claim; here it cannot.)
import type { MmioDevice, Width } from '../bus.ts';
import { type HartLines, type IrqController, MIP_MEIP, MIP_SEIP } from '../irq.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { PLIC_BASE, PLIC_MAX_PRIORITY, PLIC_NUM_SOURCES, PLIC_SIZE } from './virt-map.ts';

const PRIORITY_BASE = 0x0;
const PENDING_BASE = 0x1000;
const ENABLE_BASE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;

const WORDS = Math.ceil(PLIC_NUM_SOURCES / 32);
const CONTEXT_LINES = [MIP_MEIP, MIP_SEIP] as const;
const CONTEXTS = CONTEXT_LINES.length;

export class Plic implements MmioDevice, IrqController {
  readonly name = 'plic';
  readonly size = PLIC_SIZE;
  private readonly priority = new Uint32Array(PLIC_NUM_SOURCES);
  private readonly level = new Uint32Array(WORDS);
  private readonly pending = new Uint32Array(WORDS);
  private readonly claimed = new Uint32Array(WORDS);
  private readonly enable = new Uint32Array(WORDS * CONTEXTS);
  private readonly threshold = new Uint32Array(CONTEXTS);

  constructor(private readonly lines: HartLines, readonly base = PLIC_BASE) {}

  setLevel(source: number, high: boolean): void {
    if (!Number.isInteger(source) || source < 1 || source >= PLIC_NUM_SOURCES) return;
    const w = source >>> 5;
    const bit = 1 << (source & 31);
    const before = this.level[w]!;
    this.level[w] = high ? before | bit : before & ~bit;
    if ((this.claimed[w]! & bit) === 0) {
      this.pending[w] = high ? this.pending[w]! | bit : this.pending[w]! & ~bit;
    }
    this.updateLines();
  }

  read(offset: number, width: Width): number {
    if (width !== 4 || (offset & 3) !== 0) return 0;
    if (offset < PRIORITY_BASE + PLIC_NUM_SOURCES * 4) return this.priority[offset >>> 2]!;
    if (offset >= PENDING_BASE && offset < PENDING_BASE + WORDS * 4) {
      return this.pending[(offset - PENDING_BASE) >>> 2]! >>> 0;
    }
    const en = this.enableIndex(offset);
    if (en >= 0) return this.enable[en]! >>> 0;
    if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
      const ctx = (offset - CONTEXT_BASE) / CONTEXT_STRIDE | 0;
      switch (offset & (CONTEXT_STRIDE - 1)) {
        case 0: return this.threshold[ctx]!;
        case 4: return this.claim(ctx);
      }
    }
    return 0;
  }

  write(offset: number, value: number, width: Width): void {
    if (width !== 4 || (offset & 3) !== 0) return;
    // Priority and threshold are WARL: QEMU keeps the low bits (value mod 8).
    if (offset < PRIORITY_BASE + PLIC_NUM_SOURCES * 4) {
      this.priority[offset >>> 2] = (value >>> 0) & PLIC_MAX_PRIORITY;
      this.updateLines();
      return;
    }
    const en = this.enableIndex(offset);
    if (en >= 0) {
      this.enable[en] = value;
      this.updateLines();
      return;
    }
    if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
      const ctx = (offset - CONTEXT_BASE) / CONTEXT_STRIDE | 0;
      switch (offset & (CONTEXT_STRIDE - 1)) {
        case 0:
          this.threshold[ctx] = (value >>> 0) & PLIC_MAX_PRIORITY;
          this.updateLines();
          break;
        case 4:
          this.complete(value >>> 0);
          break;
      }
    }
  }

  save(w: StateWriter): void {
    w.tag('plic');
    w.u32array(this.priority);
    w.u32array(this.level);
    w.u32array(this.pending);
    w.u32array(this.claimed);
    w.u32array(this.enable);
    w.u32array(this.threshold);
  }

  restore(r: StateReader): void {
    r.tag('plic');
    r.u32arrayInto(this.priority);
    r.u32arrayInto(this.level);
    r.u32arrayInto(this.pending);
    r.u32arrayInto(this.claimed);
    r.u32arrayInto(this.enable);
    r.u32arrayInto(this.threshold);
    this.updateLines();
  }

  /** Board reset. Device levels are kept: the devices re-drive them on their own reset. */
  reset(): void {
    this.priority.fill(0);
    this.claimed.fill(0);
    this.enable.fill(0);
    this.threshold.fill(0);
    this.pending.set(this.level);
    this.updateLines();
  }

  private enableIndex(offset: number): number {
    if (offset < ENABLE_BASE || offset >= ENABLE_BASE + CONTEXTS * ENABLE_STRIDE) return -1;
    const rel = offset - ENABLE_BASE;
    const word = (rel & (ENABLE_STRIDE - 1)) >>> 2;
    return word < WORDS ? (rel / ENABLE_STRIDE | 0) * WORDS + word : -1;
  }

  /** The highest-priority pending, enabled, unclaimed source above the threshold (lowest id wins ties), or 0. */
  private best(ctx: number): number {
    let id = 0;
    let prio = this.threshold[ctx]!;
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w]! & ~this.claimed[w]! & this.enable[ctx * WORDS + w]!;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const src = w * 32 + b;
        if (this.priority[src]! > prio) { prio = this.priority[src]!; id = src; }
      }
    }
    return id;
  }

  private claim(ctx: number): number {
    const id = this.best(ctx);
    if (id !== 0) {
      const w = id >>> 5;
      const bit = 1 << (id & 31);
      this.pending[w] = this.pending[w]! & ~bit;
      this.claimed[w] = this.claimed[w]! | bit;
    }
    this.updateLines();
    return id;
  }

  private complete(id: number): void {
    if (id >= PLIC_NUM_SOURCES) return;
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    this.claimed[w] = this.claimed[w]! & ~bit;
    this.pending[w] = (this.pending[w]! & ~bit) | (this.level[w]! & bit);
    this.updateLines();
  }

  private updateLines(): void {
    for (let ctx = 0; ctx < CONTEXTS; ctx++) this.lines.set(CONTEXT_LINES[ctx]!, this.best(ctx) !== 0);
  }
}
