// virtio-mmio transport (virtio 1.2 §4.2), one 0x1000 slot of QEMU `virt`.
//
// `legacy: true` is Version 1 (QEMU 7.2's default, force-legacy=on): rings
// placed by QueuePFN * GuestPageSize with QueueAlign, 32 feature bits, no
// FEATURES_OK handshake. `legacy: false` is Version 2: rings placed by the
// Queue{Desc,Driver,Device}{Low,High} registers, QueueReady, VIRTIO_F_VERSION_1
// required, ConfigGeneration. A slot without a backend reads like QEMU's empty
// transport: magic, version and vendor, DeviceID 0, everything else 0.
//
// Requests are processed synchronously when the driver writes QueueNotify (and
// when it sets DRIVER_OK), so the device is deterministic.
import type { Dma, MmioDevice, Width } from '../../bus.ts';
import type { IrqController } from '../../irq.ts';
import { StateError, type StateReader, type StateWriter } from '../../state-stream.ts';
import { VIRTIO_SIZE } from '../virt-map.ts';
import type { VirtioBackend, VirtioHost } from './backend.ts';
import { Virtqueue } from './queue.ts';

const MAGIC_VALUE = 0x000;
const VERSION = 0x004;
const DEVICE_ID = 0x008;
const VENDOR_ID = 0x00c;
const DEVICE_FEATURES = 0x010;
const DEVICE_FEATURES_SEL = 0x014;
const DRIVER_FEATURES = 0x020;
const DRIVER_FEATURES_SEL = 0x024;
const GUEST_PAGE_SIZE = 0x028;
const QUEUE_SEL = 0x030;
const QUEUE_NUM_MAX = 0x034;
const QUEUE_NUM = 0x038;
const QUEUE_ALIGN = 0x03c;
const QUEUE_PFN = 0x040;
const QUEUE_READY = 0x044;
const QUEUE_NOTIFY = 0x050;
const INTERRUPT_STATUS = 0x060;
const INTERRUPT_ACK = 0x064;
const STATUS = 0x070;
const QUEUE_DESC_LOW = 0x080;
const QUEUE_DESC_HIGH = 0x084;
const QUEUE_DRIVER_LOW = 0x090;
const QUEUE_DRIVER_HIGH = 0x094;
const QUEUE_DEVICE_LOW = 0x0a0;
const QUEUE_DEVICE_HIGH = 0x0a4;
const SHM_LEN_LOW = 0x0b0;
const SHM_BASE_HIGH = 0x0bc;
const CONFIG_GENERATION = 0x0fc;
const CONFIG = 0x100;

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
/** QEMU's vendor id, "QEMU". */
export const VIRTIO_MMIO_VENDOR = 0x554d4551;

export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

export const INT_USED_BUFFER = 1;
export const INT_CONFIG_CHANGE = 2;

export const VIRTIO_RING_F_INDIRECT_DESC = 1n << 28n;
export const VIRTIO_F_VERSION_1 = 1n << 32n;

/** QEMU's legacy default ring alignment (VIRTIO_PCI_VRING_ALIGN). */
const LEGACY_ALIGN = 4096;

export interface VirtioMmioOptions {
  /** Slot n of QEMU virt sits at 0x10001000 + n*0x1000 (virtioSlotBase) ... */
  base: number;
  /** ... and raises PLIC source 1 + n. */
  irq: number;
  plic: IrqController;
  dma: Dma;
  /** The device behind the slot; null for an empty slot. */
  backend: VirtioBackend | null;
  /** true: Version 1 (QEMU 7.2's default); false: Version 2. */
  legacy: boolean;
}

export class VirtioMmio implements MmioDevice, VirtioHost {
  readonly name: string;
  readonly base: number;
  readonly size = VIRTIO_SIZE;
  readonly dma: Dma;
  private readonly irq: IrqController;
  private readonly source: number;
  private readonly backend: VirtioBackend | null;
  private readonly modern: boolean;
  private readonly offered: bigint;
  private readonly queues: Virtqueue[];
  // Legacy ring placement, per queue.
  private readonly pfn: Uint32Array;
  private readonly align: Uint32Array;

  private status = 0;
  private isr = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatureWords = [0, 0];
  private pageShift = 0;
  private queueSel = 0;
  private configGeneration = 0;

  constructor(opts: VirtioMmioOptions) {
    this.dma = opts.dma;
    this.irq = opts.plic;
    this.backend = opts.backend;
    this.modern = !opts.legacy;
    this.base = opts.base;
    this.source = opts.irq;
    this.name = `virtio-mmio@${this.base.toString(16)}`;
    const b = this.backend;
    this.offered = b === null ? 0n
      : b.deviceFeatures | VIRTIO_RING_F_INDIRECT_DESC | (this.modern ? VIRTIO_F_VERSION_1 : 0n);
    const hooks = {
      usedBuffer: () => this.interrupt(INT_USED_BUFFER),
      fail: () => this.fail(),
    };
    this.queues = (b?.queueSizes ?? []).map((max, i) => new Virtqueue(i, max, this.dma, hooks));
    this.pfn = new Uint32Array(this.queues.length);
    this.align = new Uint32Array(this.queues.length).fill(LEGACY_ALIGN);
    b?.attach(this);
  }

  get driverFeatures(): bigint {
    return this.requestedFeatures() & this.offered;
  }

  queue(index: number): Virtqueue | null {
    const q = this.queues[index];
    return q !== undefined && q.ready && this.live() ? q : null;
  }

  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    this.interrupt(INT_CONFIG_CHANGE);
  }

  fail(): void {
    if (this.status & STATUS_DEVICE_NEEDS_RESET) return;
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    // §2.1.2: setting DEVICE_NEEDS_RESET comes with a configuration change notification.
    this.interrupt(INT_CONFIG_CHANGE);
  }

  read(offset: number, width: Width): number {
    if (this.backend === null) return this.readEmpty(offset, width);
    if (offset >= CONFIG) return this.backend.readConfig(offset - CONFIG, width);
    if (width !== 4) return 0;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
      case VERSION: return this.modern ? 2 : 1;
      case DEVICE_ID: return this.backend.deviceId;
      case VENDOR_ID: return VIRTIO_MMIO_VENDOR;
      case DEVICE_FEATURES: return this.deviceFeatureWord();
      case QUEUE_NUM_MAX: return q?.maxSize ?? 0;
      case QUEUE_PFN: return !this.modern && q !== undefined ? this.pfn[q.index]! : 0;
      case QUEUE_READY: return this.modern && q?.ready ? 1 : 0;
      case INTERRUPT_STATUS: return this.isr;
      case STATUS: return this.status;
      case CONFIG_GENERATION: return this.modern ? this.configGeneration : 0;
      default:
        // No shared memory regions: their length and base read as -1 (§4.2.2).
        if (this.modern && offset >= SHM_LEN_LOW && offset <= SHM_BASE_HIGH) return 0xffffffff;
        return 0;
    }
  }

  write(offset: number, value: number, width: Width): void {
    const b = this.backend;
    if (b === null) return;
    if (offset >= CONFIG) { b.writeConfig(offset - CONFIG, value, width); return; }
    if (width !== 4) return;
    const v = value >>> 0;
    const q = this.queues[this.queueSel];
    switch (offset) {
      case DEVICE_FEATURES_SEL: this.deviceFeaturesSel = v; break;
      case DRIVER_FEATURES:
        // Legacy drivers have only the low word.
        if (this.driverFeaturesSel < (this.modern ? 2 : 1)) this.driverFeatureWords[this.driverFeaturesSel] = v;
        break;
      case DRIVER_FEATURES_SEL: this.driverFeaturesSel = v; break;
      case GUEST_PAGE_SIZE:
        if (!this.modern) this.pageShift = v === 0 ? 0 : 31 - Math.clz32(v & -v);
        break;
      case QUEUE_SEL: this.queueSel = v; break;
      case QUEUE_NUM:
        if (q !== undefined) { q.size = v; this.placeLegacy(q); }
        break;
      case QUEUE_ALIGN:
        if (q !== undefined && !this.modern) { this.align[q.index] = v; this.placeLegacy(q); }
        break;
      case QUEUE_PFN:
        if (this.modern || q === undefined) break;
        // QEMU resets the whole device when a legacy driver releases a queue.
        if (v === 0) { this.resetDevice(); break; }
        this.pfn[q.index] = v;
        this.placeLegacy(q);
        break;
      case QUEUE_READY: if (q !== undefined && this.modern) q.ready = (v & 1) !== 0; break;
      case QUEUE_DESC_LOW: if (q !== undefined && this.modern) q.descAddr = v; break;
      case QUEUE_DRIVER_LOW: if (q !== undefined && this.modern) q.driverAddr = v; break;
      case QUEUE_DEVICE_LOW: if (q !== undefined && this.modern) q.deviceAddr = v; break;
      case QUEUE_DESC_HIGH:
      case QUEUE_DRIVER_HIGH:
      case QUEUE_DEVICE_HIGH:
        // Guest RAM is below 4 GiB: a ring placed above it is unusable.
        if (q !== undefined && this.modern && v !== 0) this.fail();
        break;
      case QUEUE_NOTIFY: this.notify(v); break;
      case INTERRUPT_ACK:
        this.isr &= ~v;
        this.updateIrq();
        break;
      case STATUS: this.writeStatus(v & 0xff); break;
    }
  }

  save(w: StateWriter): void {
    w.tag('virtio-mmio');
    w.u32(this.backend?.deviceId ?? 0);
    w.u32(this.status);
    w.u32(this.isr);
    w.u32(this.deviceFeaturesSel);
    w.u32(this.driverFeaturesSel);
    w.u32(this.driverFeatureWords[0]!);
    w.u32(this.driverFeatureWords[1]!);
    w.u32(this.pageShift);
    w.u32(this.queueSel);
    w.u32(this.configGeneration);
    w.u32array(this.pfn);
    w.u32array(this.align);
    for (const q of this.queues) q.save(w);
    this.backend?.save(w);
  }

  restore(r: StateReader): void {
    r.tag('virtio-mmio');
    const id = r.u32();
    if (id !== (this.backend?.deviceId ?? 0)) {
      throw new StateError(`snapshot has virtio device ${id} in ${this.name}, board has ${this.backend?.deviceId ?? 0}`);
    }
    this.status = r.u32() & 0xff;
    this.isr = r.u32() & 3;
    this.deviceFeaturesSel = r.u32();
    this.driverFeaturesSel = r.u32();
    this.driverFeatureWords = [r.u32(), r.u32()];
    this.pageShift = r.u32() & 31;
    this.queueSel = r.u32();
    this.configGeneration = r.u32();
    r.u32arrayInto(this.pfn);
    r.u32arrayInto(this.align);
    for (const q of this.queues) q.restore(r);
    this.backend?.restore(r);
    this.updateIrq();
  }

  reset(): void {
    this.resetDevice();
    this.deviceFeaturesSel = this.driverFeaturesSel = 0;
    this.pageShift = 0;
    this.configGeneration = 0;
  }

  private readEmpty(offset: number, width: Width): number {
    if (width !== 4) return 0;
    switch (offset) {
      case MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
      case VERSION: return this.modern ? 2 : 1;
      case VENDOR_ID: return VIRTIO_MMIO_VENDOR;
      default: return 0;
    }
  }

  private deviceFeatureWord(): number {
    const sel = this.deviceFeaturesSel;
    if (sel > (this.modern ? 1 : 0)) return 0;
    return Number((this.offered >> BigInt(32 * sel)) & 0xffff_ffffn);
  }

  private live(): boolean {
    return (this.status & (STATUS_DRIVER_OK | STATUS_DEVICE_NEEDS_RESET | STATUS_FAILED)) === STATUS_DRIVER_OK;
  }

  private writeStatus(v: number): void {
    if (v === 0) { this.resetDevice(); return; }
    const before = this.status;
    // DEVICE_NEEDS_RESET belongs to the device; only a reset clears it.
    let next = (v & ~STATUS_DEVICE_NEEDS_RESET) | (before & STATUS_DEVICE_NEEDS_RESET);
    if (this.modern && (next & STATUS_FEATURES_OK) && !(before & STATUS_FEATURES_OK) && !this.featuresAcceptable()) {
      next &= ~STATUS_FEATURES_OK;
    }
    this.status = next;
    if (!(before & STATUS_DRIVER_OK) && (next & STATUS_DRIVER_OK)) {
      // Buffers made available before DRIVER_OK are taken now.
      for (const q of this.queues) this.notify(q.index);
    }
  }

  private requestedFeatures(): bigint {
    return BigInt(this.driverFeatureWords[0]!) | (BigInt(this.driverFeatureWords[1]!) << 32n);
  }

  private featuresAcceptable(): boolean {
    const f = this.requestedFeatures();
    return (f & ~this.offered) === 0n && (f & VIRTIO_F_VERSION_1) !== 0n;
  }

  private notify(index: number): void {
    const q = this.queue(index);
    if (q !== null) this.backend!.onNotify(index, q);
  }

  private placeLegacy(q: Virtqueue): void {
    if (this.modern) return;
    const pfn = this.pfn[q.index]!;
    q.ready = pfn !== 0;
    if (!q.ready) return;
    const n = q.size;
    const desc = pfn * 2 ** this.pageShift;
    const avail = desc + 16 * n;
    const align = this.align[q.index]! || 1;
    // §2.7 legacy layout: the used ring starts at the next multiple of QueueAlign after avail (incl. used_event).
    const used = Math.ceil((avail + 2 * (3 + n)) / align) * align;
    // A placement beyond 32 bits cannot be RAM; make it fail the RAM check.
    const clamp = (a: number): number => (a < 0x1_0000_0000 ? a : 0xffff_fff0);
    q.descAddr = clamp(desc);
    q.driverAddr = clamp(avail);
    q.deviceAddr = clamp(used);
  }

  private resetDevice(): void {
    this.status = 0;
    this.isr = 0;
    this.driverFeatureWords = [0, 0];
    this.queueSel = 0;
    for (const q of this.queues) q.reset();
    this.pfn.fill(0);
    this.align.fill(LEGACY_ALIGN);
    this.backend?.reset();
    this.updateIrq();
  }

  private interrupt(bit: number): void {
    this.isr |= bit;
    this.updateIrq();
  }

  private updateIrq(): void {
    if (this.backend !== null) this.irq.setLevel(this.source, this.isr !== 0);
  }
}
