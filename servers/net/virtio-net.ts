// The virtio-net driver (virtio 1.2 §5.1): queue 0 receives, queue 1
// transmits, the checksum offloads when the device offers them (CSUM: the
// card completes an outgoing TCP checksum; GUEST_CSUM: it says which received
// packets it validated), no mergeable buffers, legacy (Version 1) and
// modern (Version 2) virtio-mmio. It lives in the tcpip task (docs/tcpip.md:
// one task, so a frame costs no IPC). fs's VirtioDevice finds the slot,
// negotiates features and programs the queues; the rings and their buffers
// are kept here, because a NIC needs many buffers in two queues where fs's
// 9P device has one request in flight.
//
// Rings and buffers are DMA memory outside linear memory: every access is a
// dma_read/dma_write copy. Receive buffers are posted once and re-posted as
// soon as a frame has been copied out; transmit buffers are reclaimed lazily
// from the used ring when the next frame needs one.
import { E_IO, wasmos_dma_alloc, wasmos_dma_read, wasmos_dma_write, wasmos_irq_ack } from "../sdk/assembly";
import { VirtioDevice } from "../fs/virtio";
import {
  QUEUE_NOTIFY,
  INTERRUPT_STATUS,
  INTERRUPT_ACK,
  DESC_F_WRITE,
} from "../sdk/assembly/virtio-mmio";

const VIRTIO_ID_NET: u32 = 1;
const F_CSUM: u32 = 1 << 0;
const F_GUEST_CSUM: u32 = 1 << 1;
const F_MAC: u32 = 1 << 5;
/** virtio_net_hdr.flags. */
const HDR_F_NEEDS_CSUM: u8 = 1;
const HDR_F_DATA_VALID: u8 = 2;

/** Bytes receive() may write before its destination: the virtio header comes along. */
export const RX_HEADROOM: usize = 12;

/** Entries per queue; every rx entry holds one posted buffer. */
export const QSIZE: u32 = 64;
const PAGE: u32 = 4096;
/** Legacy layout (§2.7.2) with QueueAlign 4096: descriptors, avail; used on the next page. */
const AVAIL_OFF: u32 = 16 * QSIZE;
const USED_OFF: u32 = PAGE;
const RING_BYTES: u32 = 2 * PAGE;
/** A buffer: the virtio header and a whole Ethernet frame (1514 bytes), rounded up. */
const BUF: u32 = 2048;
/** Largest Ethernet frame without FCS. */
export const FRAME_MAX: u32 = 1514;
/** DMA memory the driver needs (init.rc's dma= must cover it). */
export const DMA_BYTES: u32 = 2 * RING_BYTES + 2 * QSIZE * BUF;

class Queue {
  ring: u32 = 0;
  bufs: u32 = 0;
  avail: u16 = 0;
  used: u16 = 0;
}

export class NetDevice {
  mac: usize = heap.alloc(6);
  hdr: u32 = 10;
  /** The card completes TCP checksums (sendFrame asks for it per frame). */
  txCsum: bool = false;
  /** The card validates received TCP/UDP checksums. */
  rxCsum: bool = false;
  /** Whether the frame receive() returned last had its transport checksum validated by the card. */
  rxValid: bool = false;
  rxDropped: u32 = 0;
  txDropped: u32 = 0;
  private rx: Queue = new Queue();
  private tx: Queue = new Queue();
  private s: usize = heap.alloc(16);
  /** The transmit header (virtio_net_hdr). */
  private txHdr: usize = heap.alloc(16);

  constructor(public dev: VirtioDevice) {
    memory.fill(this.txHdr, 0, 16);
  }

  /** The first virtio-net slot this task may use, or null. */
  static probe(): NetDevice | null {
    const d = VirtioDevice.find(VIRTIO_ID_NET);
    return d === null ? null : new NetDevice(d);
  }

  get irq(): i32 {
    return this.dev.irq;
  }

  /** Resets and starts the device, posts every receive buffer. 0 or E_IO. */
  init(): i32 {
    const d = this.dev;
    if (d.negotiate(F_MAC | F_CSUM | F_GUEST_CSUM) < 0) return E_IO;
    this.txCsum = (d.offered & F_CSUM) != 0;
    this.rxCsum = (d.offered & F_GUEST_CSUM) != 0;
    // With VERSION_1 the header always has num_buffers (§5.1.6); legacy drops it without MRG_RXBUF.
    this.hdr = d.modern ? 12 : 10;
    if ((d.offered & F_MAC) != 0) {
      for (let i: u32 = 0; i < 6; i++) store<u8>(this.mac + i, d.config8(i));
    } else {
      // No MAC offered: a locally administered one (QEMU's default with the local bit).
      store<u32>(this.mac, 0x00545202);
      store<u16>(this.mac, 0x5634, 4);
    }
    if (!this.setupQueue(0, this.rx) || !this.setupQueue(1, this.tx)) return d.fail();
    // Every rx descriptor i points at buffer i for good; only the avail ring moves.
    for (let i: u32 = 0; i < QSIZE; i++) {
      this.putDesc(this.rx, i, this.rx.bufs + i * BUF, BUF, DESC_F_WRITE);
      this.putDesc(this.tx, i, this.tx.bufs + i * BUF, 0, 0);
      this.post(this.rx, <u16>i);
    }
    d.ready();
    d.write32(QUEUE_NOTIFY, 0);
    return 0;
  }

  private setupQueue(index: u32, q: Queue): bool {
    const ring = wasmos_dma_alloc(RING_BYTES);
    const bufs = wasmos_dma_alloc(QSIZE * BUF);
    if (ring < 0 || bufs < 0) return false;
    q.ring = <u32>ring;
    q.bufs = <u32>bufs;
    return this.dev.setQueue(index, q.ring, QSIZE);
  }

  private putDesc(q: Queue, i: u32, addr: u32, len: u32, flags: u16): void {
    const s = this.s;
    store<u64>(s, <u64>addr);
    store<u32>(s, len, 8);
    store<u16>(s, flags, 12);
    store<u16>(s, 0, 14);
    wasmos_dma_write(q.ring + 16 * i, s, 16);
  }

  /** Makes descriptor `desc` available and publishes the new avail index. */
  private post(q: Queue, desc: u16): void {
    store<u16>(this.s, desc);
    wasmos_dma_write(q.ring + AVAIL_OFF + 4 + 2 * (<u32>q.avail % QSIZE), this.s, 2);
    q.avail++;
    store<u16>(this.s, q.avail);
    wasmos_dma_write(q.ring + AVAIL_OFF + 2, this.s, 2);
  }

  private usedIdx(q: Queue): u16 {
    wasmos_dma_read(q.ring + USED_OFF + 2, this.s, 2);
    return load<u16>(this.s);
  }

  /**
   * Copies the next received frame (without the virtio header) to dst, which
   * has room for FRAME_MAX bytes and RX_HEADROOM bytes before it (the header
   * comes in the same copy, for its flags), and re-posts its buffer. The
   * frame's length, or -1 when no frame is waiting.
   */
  receive(dst: usize): i32 {
    const q = this.rx;
    if (this.usedIdx(q) == q.used) return -1;
    wasmos_dma_read(q.ring + USED_OFF + 4 + 8 * (<u32>q.used % QSIZE), this.s, 8);
    const id = load<u32>(this.s) % QSIZE;
    const total = load<u32>(this.s, 4);
    q.used++;
    let n: i32 = 0;
    this.rxValid = false;
    if (total > this.hdr) {
      n = <i32>min(total - this.hdr, FRAME_MAX);
      wasmos_dma_read(q.bufs + id * BUF, dst - <usize>this.hdr, this.hdr + <u32>n);
      this.rxValid = this.rxCsum && (load<u8>(dst - <usize>this.hdr) & HDR_F_DATA_VALID) != 0;
    }
    this.post(q, <u16>id);
    this.rxKick = true;
    return n;
  }

  /** True when receive() re-posted buffers the device has not been told about. */
  rxKick: bool = false;

  /** Tells the device about re-posted receive buffers (once per batch, not per frame). */
  flushRx(): void {
    if (!this.rxKick) return;
    this.rxKick = false;
    this.dev.write32(QUEUE_NOTIFY, 0);
  }

  /**
   * Queues one frame for sending; with csumStart > 0 the card completes the
   * checksum from there to the end and stores it csumOffset bytes further
   * (txCsum only). False (and counted) when every tx buffer is in flight.
   */
  transmit(src: usize, len: u32, csumStart: u16 = 0, csumOffset: u16 = 0): bool {
    const q = this.tx;
    if (<u16>(q.avail - q.used) >= <u16>QSIZE) {
      q.used = this.usedIdx(q); // reclaim what the device has finished with
      if (<u16>(q.avail - q.used) >= <u16>QSIZE) {
        this.txDropped++;
        return false;
      }
    }
    const slot = <u32>q.avail % QSIZE;
    const buf = q.bufs + slot * BUF;
    len = min(len, FRAME_MAX);
    const h = this.txHdr;
    store<u8>(h, csumStart > 0 ? HDR_F_NEEDS_CSUM : 0);
    store<u16>(h, csumStart, 6);
    store<u16>(h, csumOffset, 8);
    wasmos_dma_write(buf, h, this.hdr);
    wasmos_dma_write(buf + this.hdr, src, len);
    store<u32>(this.s, this.hdr + len);
    wasmos_dma_write(q.ring + 16 * slot + 8, this.s, 4); // the descriptor's length
    this.post(q, <u16>slot);
    this.dev.write32(QUEUE_NOTIFY, 1);
    return true;
  }

  /** After our IRQ: quiets the device and lets the IRQ fire again. */
  ackIrq(): void {
    const isr = this.dev.read32(INTERRUPT_STATUS);
    if (isr != 0) this.dev.write32(INTERRUPT_ACK, isr);
    if (this.dev.irq > 0) wasmos_irq_ack(this.dev.irq);
  }
}
