// virtio-net (virtio 1.2 §5.1): one receive and one transmit queue, a fixed
// MAC address and a link that is always up, and the two checksum offloads
// (CSUM: the device completes a transmitted TCP/UDP checksum; GUEST_CSUM: it
// marks received packets whose checksum it validated), which spare a guest's
// network stack a pass over every byte. No segmentation offloads, no mergeable
// rx buffers, no control queue.
//
// Frames the guest transmits go straight to the host's NetBackend (without the
// virtio header). Frames for the guest are handed to `receive` by the machine
// between run slices only (see Machine.netReceive), so a run replays exactly;
// a frame that finds no posted rx buffer is dropped and counted, as a real NIC
// with a full ring would.
import type { Width } from '../../bus.ts';
import { StateError, type StateReader, type StateWriter } from '../../state-stream.ts';
import { onesSum, transportChecksumValid } from './inet-checksum.ts';
import { readConfigBytes, type VirtioBackend, type VirtioHost } from './backend.ts';
import { VIRTIO_F_VERSION_1 } from './mmio.ts';
import type { Virtqueue } from './queue.ts';

export const VIRTIO_ID_NET = 1;
export const VIRTIO_NET_F_CSUM = 1n << 0n;
export const VIRTIO_NET_F_GUEST_CSUM = 1n << 1n;
export const VIRTIO_NET_F_MAC = 1n << 5n;
export const VIRTIO_NET_F_STATUS = 1n << 16n;
export const VIRTIO_NET_S_LINK_UP = 1;

/** virtio_net_hdr.flags (§5.1.6). */
export const VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
export const VIRTIO_NET_HDR_F_DATA_VALID = 2;

/** struct virtio_net_hdr without num_buffers: legacy drivers without MRG_RXBUF. */
export const NET_HDR_LEGACY = 10;
/** With VERSION_1 the header always carries num_buffers (§5.1.6). */
export const NET_HDR_MODERN = 12;

export const RX_QUEUE = 0;
export const TX_QUEUE = 1;
/** QEMU's default ring size for virtio-net. */
const QUEUE_SIZE = 256;
/** Smallest frame accepted from the guest: an Ethernet header. */
const MIN_FRAME = 14;
/** Largest frame accepted from the guest (no GSO offered): 64 KiB is far above any MTU. */
const MAX_FRAME = 65535;
/** QEMU's default MAC for the first NIC. */
export const DEFAULT_MAC = '52:54:00:12:34:56';

/** The host side of the card: takes Ethernet frames the guest sent. */
export interface NetBackend {
  transmit(frame: Uint8Array): void;
}

/** What the device counted since power-on (part of the snapshot). */
export interface NetCounters {
  txFrames: number;
  rxFrames: number;
  /** Guest frames refused: shorter than an Ethernet header, oversized, or asking a checksum outside the frame. */
  txDropped: number;
  /** Host frames that found no rx buffer (or the driver not ready). */
  rxNoBuffer: number;
  /** Host frames larger than the rx buffer the driver posted. */
  rxTooBig: number;
}

/** Parses "52:54:00:12:34:56" (or with dashes); throws on anything else. */
export function parseMac(text: string): Uint8Array {
  const parts = text.trim().split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) {
    throw new Error(`bad MAC address "${text}" (expected six hex pairs like ${DEFAULT_MAC})`);
  }
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

export class VirtioNet implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_NET;
  readonly deviceFeatures = VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS;
  readonly queueSizes = [QUEUE_SIZE, QUEUE_SIZE];
  readonly mac: Uint8Array;
  private readonly config = new Uint8Array(10);
  private host: VirtioHost | null = null;
  private counters: NetCounters = { txFrames: 0, rxFrames: 0, txDropped: 0, rxNoBuffer: 0, rxTooBig: 0 };

  constructor(private readonly backend: NetBackend, mac: string = DEFAULT_MAC) {
    this.mac = parseMac(mac);
    // Config space: mac[6], status (le16), max_virtqueue_pairs (le16, 1 as QEMU reports).
    this.config.set(this.mac, 0);
    this.config[6] = VIRTIO_NET_S_LINK_UP;
    this.config[8] = 1;
  }

  get stats(): Readonly<NetCounters> { return this.counters; }

  attach(host: VirtioHost): void { this.host = host; }

  readConfig(offset: number, width: Width): number {
    return readConfigBytes(this.config, offset, width);
  }

  /** The MAC is the board's; QEMU ignores config writes without CTRL_MAC_ADDR too. */
  writeConfig(_offset: number, _value: number, _width: Width): void {}

  private headerLength(): number {
    return this.negotiated(VIRTIO_F_VERSION_1) ? NET_HDR_MODERN : NET_HDR_LEGACY;
  }

  private negotiated(feature: bigint): boolean {
    return this.host !== null && (this.host.driverFeatures & feature) !== 0n;
  }

  /**
   * Completes a partial checksum if the header asks for it (NEEDS_CSUM,
   * §5.1.6.2): the ones'-complement sum from csum_start to the end,
   * complemented, stored at csum_start + csum_offset (where the driver left the
   * pseudo-header's sum). False when that field lies outside the frame.
   */
  private completeChecksum(header: Uint8Array, frame: Uint8Array): boolean {
    if ((header[0]! & VIRTIO_NET_HDR_F_NEEDS_CSUM) === 0) return true;
    const start = header[6]! | (header[7]! << 8);
    const at = start + (header[8]! | (header[9]! << 8));
    if (at + 2 > frame.length) return false;
    const sum = ~onesSum(frame, start, frame.length - start) & 0xffff;
    frame[at] = sum >>> 8;
    frame[at + 1] = sum & 0xff;
    return true;
  }

  onNotify(queueIndex: number, queue: Virtqueue): void {
    // Rx buffers are only taken when a frame arrives; a notify on queue 0 just says there are more.
    if (queueIndex !== TX_QUEUE) return;
    const host = this.host;
    if (host === null) return;
    const hdr = this.headerLength();
    for (let c = queue.pop(); c !== null; c = queue.pop()) {
      // The header and the frame may be split over descriptors any way the driver likes.
      const len = c.readableLength - hdr;
      if (len < MIN_FRAME || len > MAX_FRAME) {
        this.counters.txDropped++;
      } else {
        const frame = c.read(host.dma, hdr, len);
        if (this.negotiated(VIRTIO_NET_F_CSUM) && !this.completeChecksum(c.read(host.dma, 0, hdr), frame)) {
          this.counters.txDropped++;
        } else {
          this.counters.txFrames++;
          this.backend.transmit(frame);
        }
      }
      queue.push(c, 0);
    }
  }

  /**
   * A frame for the guest (machine side, between slices). Returns false when it
   * was dropped: no rx buffer posted, driver not ready, or the buffer too small.
   */
  receive(frame: Uint8Array): boolean {
    const host = this.host;
    const q = host?.queue(RX_QUEUE) ?? null;
    const c = q?.pop() ?? null;
    if (host === null || q === null || c === null) { this.counters.rxNoBuffer++; return false; }
    const hdr = this.headerLength();
    if (c.writableLength < hdr + frame.length) {
      // Without MRG_RXBUF every buffer must hold a whole frame; hand this one back empty.
      this.counters.rxTooBig++;
      q.push(c, 0);
      return false;
    }
    const header = new Uint8Array(hdr);
    if (hdr === NET_HDR_MODERN) header[10] = 1; // num_buffers = 1 (§5.1.6.4: MUST without MRG_RXBUF)
    if (this.negotiated(VIRTIO_NET_F_GUEST_CSUM) && transportChecksumValid(frame)) header[0] = VIRTIO_NET_HDR_F_DATA_VALID;
    c.write(host.dma, 0, header);
    c.write(host.dma, hdr, frame);
    this.counters.rxFrames++;
    q.push(c, hdr + frame.length);
    return true;
  }

  /** Nothing device-side survives a reset except the counters (they describe the board's life). */
  reset(): void {}

  save(w: StateWriter): void {
    w.tag('virtio-net');
    w.bytes(this.mac);
    const k = this.counters;
    for (const v of [k.txFrames, k.rxFrames, k.txDropped, k.rxNoBuffer, k.rxTooBig]) w.f64(v);
  }

  restore(r: StateReader): void {
    r.tag('virtio-net');
    const mac = r.bytes();
    if (mac.length !== 6 || mac.some((b, i) => b !== this.mac[i])) {
      throw new StateError(`snapshot has MAC ${formatMac(mac)}, board has ${formatMac(this.mac)}`);
    }
    this.counters = { txFrames: r.f64(), rxFrames: r.f64(), txDropped: r.f64(), rxNoBuffer: r.f64(), rxTooBig: r.f64() };
  }
}
