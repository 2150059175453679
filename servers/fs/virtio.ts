// A virtio-mmio driver for one device with one virtqueue, made for 9P's
// strictly sequential request/reply traffic: every request is a chain of two
// descriptors (the message, device-readable; room for the reply,
// device-writable), so the ring never holds more than one request.
//
// Both transports of virtio 1.2 §4.2 work: legacy (Version 1, QueuePFN, the
// board's and QEMU 7.2's default) and modern (Version 2, separate ring
// addresses, FEATURES_OK). Registers go through wasmos.mmio_*; the rings and
// buffers are DMA memory, which is not in linear memory, so everything is
// copied in and out with dma_write/dma_read. Completion is taken from the
// interrupt (NOTIFY_IRQ from the kernel), with the used ring as the truth.
import {
  E_IO,
  E_NOT_FOUND,
  MSG_NOTIFY,
  Message,
  NOTIFY_IRQ,
  TASK_KERNEL,
  recvTimeout,
  wasmos_device_find,
  wasmos_dma_alloc,
  wasmos_dma_read,
  wasmos_dma_write,
  wasmos_irq_ack,
  wasmos_mmio_read,
  wasmos_mmio_write,
} from "../sdk/assembly";
import {
  MAGIC,
  VERSION,
  DEVICE_ID,
  DEVICE_FEATURES,
  DEVICE_FEATURES_SEL,
  DRIVER_FEATURES,
  DRIVER_FEATURES_SEL,
  GUEST_PAGE_SIZE,
  QUEUE_SEL,
  QUEUE_NUM_MAX,
  QUEUE_NUM,
  QUEUE_ALIGN,
  QUEUE_PFN,
  QUEUE_READY,
  QUEUE_NOTIFY,
  INTERRUPT_STATUS,
  INTERRUPT_ACK,
  STATUS,
  QUEUE_DESC_LOW,
  QUEUE_DESC_HIGH,
  QUEUE_DRIVER_LOW,
  QUEUE_DRIVER_HIGH,
  QUEUE_DEVICE_LOW,
  QUEUE_DEVICE_HIGH,
  CONFIG,
  MAGIC_VALUE,
  S_ACKNOWLEDGE,
  S_DRIVER,
  S_DRIVER_OK,
  S_FEATURES_OK,
  S_FAILED,
  S_NEEDS_RESET,
  DESC_F_NEXT,
  DESC_F_WRITE,
} from "../sdk/assembly/virtio-mmio";
export { CONFIG };

/** Ring entries: two descriptors per request, one request at a time. */
const QSIZE: u32 = 8;
const PAGE: u32 = 4096;
/** Legacy layout (§2.7.2): descriptors, then avail; used at the next page. */
const AVAIL_OFF: u32 = 16 * QSIZE;
const USED_OFF: u32 = PAGE;
const RING_BYTES: u32 = 2 * PAGE;

/** How long to wait for the device's interrupt before checking the ring anyway (ms). */
const IRQ_WAIT_MS: i32 = 50;
/** ... and how long in all before the request counts as lost (ms). */
const GIVE_UP_MS: i32 = 5000;

export class VirtioDevice {
  modern: bool = false;
  private ring: u32 = 0;
  private req: u32 = 0;
  private resp: u32 = 0;
  private bufSize: u32 = 0;
  private availIdx: u16 = 0;
  private usedIdx: u16 = 0;
  private scratch: usize = heap.alloc(16);
  private note: Message = Message.alloc();

  constructor(public base: u32, public irq: i32) {}

  /**
   * The first virtio-mmio slot with this DeviceID among those this task may
   * read (the others answer E_DENIED), or null.
   */
  static find(deviceId: u32): VirtioDevice | null {
    const compat = String.UTF8.encode("virtio,mmio", true);
    const out = heap.alloc(12);
    let found: VirtioDevice | null = null;
    for (let i = 0; found === null; i++) {
      if (wasmos_device_find(changetype<usize>(compat), i, out) == E_NOT_FOUND) break;
      const base = load<u32>(out);
      if (wasmos_mmio_read(base + MAGIC, 4) != <i64>MAGIC_VALUE) continue;
      if (wasmos_mmio_read(base + DEVICE_ID, 4) != <i64>deviceId) continue;
      found = new VirtioDevice(base, load<i32>(out, 8));
    }
    heap.free(out);
    return found;
  }

  read32(off: u32): u32 {
    return <u32>wasmos_mmio_read(this.base + off, 4);
  }
  write32(off: u32, v: u32): void {
    wasmos_mmio_write(this.base + off, 4, v);
  }
  /** A config space byte (offset from the start of config space). */
  config8(off: u32): u8 {
    return <u8>wasmos_mmio_read(this.base + CONFIG + off, 1);
  }
  config16(off: u32): u16 {
    return <u16>wasmos_mmio_read(this.base + CONFIG + off, 2);
  }

  /** Features of the low word the device offered (set by negotiate). */
  offered: u32 = 0;
  private status: u32 = 0;

  /**
   * Resets the device and negotiates the low-word `features` it also offers
   * (VERSION_1 is added on a modern transport): 0, or E_IO with the device
   * marked FAILED. Queues come next (setQueue), then ready().
   */
  negotiate(features: u32): i32 {
    const version = this.read32(VERSION);
    if (version != 1 && version != 2) return E_IO;
    this.modern = version == 2;
    this.write32(STATUS, 0);
    this.write32(STATUS, S_ACKNOWLEDGE);
    this.write32(STATUS, S_ACKNOWLEDGE | S_DRIVER);
    this.write32(DEVICE_FEATURES_SEL, 0);
    this.offered = this.read32(DEVICE_FEATURES);
    this.write32(DRIVER_FEATURES_SEL, 0);
    this.write32(DRIVER_FEATURES, this.offered & features);
    this.status = S_ACKNOWLEDGE | S_DRIVER;
    if (this.modern) {
      this.write32(DEVICE_FEATURES_SEL, 1);
      if ((this.read32(DEVICE_FEATURES) & 1) == 0) return this.fail();
      this.write32(DRIVER_FEATURES_SEL, 1);
      this.write32(DRIVER_FEATURES, 1); // VIRTIO_F_VERSION_1
      this.status |= S_FEATURES_OK;
      this.write32(STATUS, this.status);
      if ((this.read32(STATUS) & S_FEATURES_OK) == 0) return this.fail();
    }
    return 0;
  }

  /** Gives queue `index` its `size` entries in the legacy ring layout at `ring` (DMA memory); false if the device has fewer. */
  setQueue(index: u32, ring: u32, size: u32): bool {
    this.write32(QUEUE_SEL, index);
    if (this.read32(QUEUE_NUM_MAX) < size) return false;
    this.write32(QUEUE_NUM, size);
    if (this.modern) {
      this.write32(QUEUE_DESC_LOW, ring);
      this.write32(QUEUE_DESC_HIGH, 0);
      this.write32(QUEUE_DRIVER_LOW, ring + 16 * size);
      this.write32(QUEUE_DRIVER_HIGH, 0);
      this.write32(QUEUE_DEVICE_LOW, ring + PAGE);
      this.write32(QUEUE_DEVICE_HIGH, 0);
      this.write32(QUEUE_READY, 1);
    } else {
      this.write32(GUEST_PAGE_SIZE, PAGE);
      this.write32(QUEUE_ALIGN, PAGE);
      this.write32(QUEUE_PFN, ring / PAGE);
    }
    return true;
  }

  /** The driver is set up: DRIVER_OK. */
  ready(): void {
    this.write32(STATUS, this.status | S_DRIVER_OK);
  }

  /** Marks the device FAILED; returns E_IO. */
  fail(): i32 {
    this.write32(STATUS, S_FAILED);
    return E_IO;
  }

  /**
   * Sets up queue 0 with buffers of `bufSize` bytes for a request and its
   * reply, after negotiating `features` (see negotiate). 0 or E_IO.
   */
  init(features: u32, bufSize: u32): i32 {
    if (this.negotiate(features) < 0) return E_IO;
    const ring = wasmos_dma_alloc(RING_BYTES);
    const bufs = wasmos_dma_alloc(2 * bufSize);
    if (ring < 0 || bufs < 0) return this.fail();
    this.ring = <u32>ring;
    this.req = <u32>bufs;
    this.resp = <u32>bufs + bufSize;
    this.bufSize = bufSize;
    if (!this.setQueue(0, this.ring, QSIZE)) return this.fail();
    // The two descriptors never change but for the request's length.
    this.putDesc(0, this.req, 0, DESC_F_NEXT, 1);
    this.putDesc(1, this.resp, bufSize, DESC_F_WRITE, 0);
    this.ready();
    return 0;
  }

  private putDesc(i: u32, addr: u32, len: u32, flags: u16, next: u16): void {
    const s = this.scratch;
    store<u64>(s, <u64>addr);
    store<u32>(s, len, 8);
    store<u16>(s, flags, 12);
    store<u16>(s, next, 14);
    wasmos_dma_write(this.ring + 16 * i, s, 16);
  }

  private put16(phys: u32, v: u16): void {
    store<u16>(this.scratch, v);
    wasmos_dma_write(phys, this.scratch, 2);
  }
  private get32(phys: u32): u32 {
    wasmos_dma_read(phys, this.scratch, 4);
    return load<u32>(this.scratch);
  }
  private get16(phys: u32): u16 {
    wasmos_dma_read(phys, this.scratch, 2);
    return load<u16>(this.scratch);
  }

  /**
   * Sends len bytes at src and copies the reply (at most cap bytes) to dst.
   * Returns the reply's length, or E_IO if the device failed or never answered.
   */
  transact(src: usize, len: u32, dst: usize, cap: u32): i32 {
    if (len > this.bufSize) return E_IO;
    wasmos_dma_write(this.req, src, len);
    store<u32>(this.scratch, len);
    wasmos_dma_write(this.ring + 8, this.scratch, 4); // descriptor 0's length
    this.put16(this.ring + AVAIL_OFF + 4 + 2 * (<u32>this.availIdx % QSIZE), 0);
    this.availIdx++;
    this.put16(this.ring + AVAIL_OFF + 2, this.availIdx);
    this.write32(QUEUE_NOTIFY, 0);

    if (!this.waitUsed()) return E_IO;
    const slot = this.ring + USED_OFF + 4 + 8 * (<u32>this.usedIdx % QSIZE);
    const got = this.get32(slot + 4);
    this.usedIdx++;
    const n = min(got, min(cap, this.bufSize));
    wasmos_dma_read(this.resp, dst, n);
    return <i32>n;
  }

  /** Waits until the device has used our request: by interrupt, or by looking. */
  private waitUsed(): bool {
    let waited = 0;
    for (;;) {
      const irqSeen = this.irq > 0 && this.waitIrq(waited == 0 ? IRQ_WAIT_MS : IRQ_WAIT_MS * 4);
      // Quiet the device (InterruptStatus), then let the IRQ fire again.
      const isr = this.read32(INTERRUPT_STATUS);
      if (isr != 0) this.write32(INTERRUPT_ACK, isr);
      if (irqSeen) wasmos_irq_ack(this.irq);
      if (this.get16(this.ring + USED_OFF + 2) != this.usedIdx) return true;
      if ((this.read32(STATUS) & S_NEEDS_RESET) != 0) return false;
      waited += IRQ_WAIT_MS;
      if (waited > GIVE_UP_MS) return false;
    }
    return false;
  }

  /** Receives kernel notifications until our IRQ's arrives (true) or ms pass. */
  private waitIrq(ms: i32): bool {
    const m = this.note;
    const word = this.irq >> 5;
    const bit: u32 = 1 << (this.irq & 31);
    for (;;) {
      const r = recvTimeout(TASK_KERNEL, m, ms);
      if (r < 0) return false;
      if (m.type != MSG_NOTIFY) continue;
      if ((load<u32>(m.payload) & <u32>NOTIFY_IRQ) == 0) continue;
      if ((load<u32>(m.payload + 4 + 4 * <usize>word) & bit) != 0) return true;
    }
    return false;
  }
}
