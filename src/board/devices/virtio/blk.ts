// virtio-blk (virtio 1.2 §5.2) over an in-memory disk image. The image is
// device state: guest writes land in it and snapshots carry it whole.
import type { Dma, Width } from '../../bus.ts';
import type { StateReader, StateWriter } from '../../state-stream.ts';
import { readConfigBytes, type VirtioBackend, type VirtioHost } from './backend.ts';
import type { DescriptorChain, Virtqueue } from './queue.ts';

export const VIRTIO_ID_BLOCK = 2;

export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
export const VIRTIO_BLK_F_RO = 1n << 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const SECTOR_SIZE = 512;
const HEADER_SIZE = 16;
const ID_BYTES = 20;
const QUEUE_SIZE = 256;
/** Config space: capacity, size_max, seg_max, geometry, blk_size, topology. */
const CONFIG_SIZE = 32;

export interface VirtioBlkOptions {
  readOnly?: boolean;
  /** The GET_ID serial (at most 20 bytes are used). */
  id?: string;
}

export class VirtioBlk implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly deviceFeatures: bigint;
  readonly queueSizes = [QUEUE_SIZE];
  private readonly readOnly: boolean;
  private readonly idBytes = new Uint8Array(ID_BYTES);
  private image: Uint8Array;
  private host: VirtioHost | null = null;

  /** `disk` is used in place: guest writes modify it. */
  constructor(disk: Uint8Array, opts: VirtioBlkOptions = {}) {
    this.image = disk;
    this.readOnly = opts.readOnly ?? false;
    this.idBytes.set(new TextEncoder().encode(opts.id ?? 'wasmos-blk').subarray(0, ID_BYTES));
    this.deviceFeatures = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH
      | (this.readOnly ? VIRTIO_BLK_F_RO : 0n);
  }

  /** The disk as the guest left it. */
  get disk(): Uint8Array { return this.image; }

  /** Capacity in 512-byte sectors (a partial last sector is not addressable). */
  get sectors(): number { return Math.floor(this.image.length / SECTOR_SIZE); }

  attach(host: VirtioHost): void { this.host = host; }

  readConfig(offset: number, width: Width): number {
    return readConfigBytes(this.config(), offset, width);
  }

  writeConfig(_offset: number, _value: number, _width: Width): void {
    // Only `writeback` would be writable, and CONFIG_WCE is not offered.
  }

  onNotify(_queueIndex: number, queue: Virtqueue): void {
    const host = this.host;
    if (host === null) return;
    for (let c = queue.pop(); c !== null; c = queue.pop()) {
      if (c.readableLength < HEADER_SIZE || c.writableLength < 1) {
        host.fail();
        return;
      }
      const written = this.handle(host.dma, c);
      queue.push(c, written);
    }
  }

  reset(): void {}

  save(w: StateWriter): void {
    w.tag('virtio-blk');
    w.bytes(this.image);
  }

  restore(r: StateReader): void {
    r.tag('virtio-blk');
    this.image = r.bytes();
  }

  /** Executes one request; returns the number of bytes written to the driver's buffers. */
  private handle(dma: Dma, c: DescriptorChain): number {
    const hdr = new DataView(c.read(dma, 0, HEADER_SIZE).buffer);
    const type = hdr.getUint32(0, true);
    const sectorLo = hdr.getUint32(8, true);
    const sectorHi = hdr.getUint32(12, true);
    const statusAt = c.writableLength - 1;
    let status = VIRTIO_BLK_S_OK;
    let data = 0;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        const at = this.range(sectorLo, sectorHi, statusAt);
        if (at < 0) status = VIRTIO_BLK_S_IOERR;
        else data = c.write(dma, 0, this.image.subarray(at, at + statusAt));
        break;
      }
      case VIRTIO_BLK_T_OUT: {
        const len = c.readableLength - HEADER_SIZE;
        const at = this.range(sectorLo, sectorHi, len);
        if (at < 0 || this.readOnly) status = VIRTIO_BLK_S_IOERR;
        else this.image.set(c.read(dma, HEADER_SIZE, len), at);
        break;
      }
      case VIRTIO_BLK_T_FLUSH:
        break;
      case VIRTIO_BLK_T_GET_ID:
        data = c.write(dma, 0, this.idBytes.subarray(0, Math.min(ID_BYTES, statusAt)));
        break;
      default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    c.write(dma, statusAt, Uint8Array.of(status));
    return data + 1;
  }

  /** Byte offset of a transfer of `len` bytes at the given sector, or -1 if it is not whole sectors on the disk. */
  private range(sectorLo: number, sectorHi: number, len: number): number {
    if (sectorHi !== 0 || len % SECTOR_SIZE !== 0) return -1;
    const end = sectorLo + len / SECTOR_SIZE;
    return end <= this.sectors ? sectorLo * SECTOR_SIZE : -1;
  }

  private config(): Uint8Array {
    const cfg = new Uint8Array(CONFIG_SIZE);
    const v = new DataView(cfg.buffer);
    v.setUint32(0, this.sectors % 0x1_0000_0000, true);
    v.setUint32(4, Math.floor(this.sectors / 0x1_0000_0000), true);
    v.setUint32(12, QUEUE_SIZE - 2, true); // seg_max: the header and status take two descriptors
    v.setUint32(20, SECTOR_SIZE, true);
    return cfg;
  }
}
