import { describe, expect, it } from 'vitest';
import {
  VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_OK, VIRTIO_BLK_S_UNSUPP, VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VirtioBlk,
} from '../../../src/board/devices/virtio/blk.ts';
import { STATUS_DEVICE_NEEDS_RESET, VIRTIO_F_VERSION_1, VIRTIO_RING_F_INDIRECT_DESC, VirtioMmio } from '../../../src/board/devices/virtio/mmio.ts';
import { expectRoundTrip, FakeRam, IrqRecorder } from './helpers.ts';
import { REG, TestDriver } from './virtio-driver.ts';

const SECTORS = 64;

function header(type: number, sector: number): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setUint32(8, sector % 2 ** 32, true);
  v.setUint32(12, Math.floor(sector / 2 ** 32), true);
  return h;
}

function pattern(len: number, seed: number): Uint8Array {
  return new Uint8Array(len).map((_, i) => (i * 31 + seed) & 0xff);
}

function setup(legacy: boolean, opts: { readOnly?: boolean; disk?: Uint8Array } = {}) {
  const ram = new FakeRam(1 << 20);
  const irq = new IrqRecorder();
  const disk = opts.disk ?? pattern(SECTORS * 512, 7);
  const blk = new VirtioBlk(disk, { readOnly: opts.readOnly });
  const dev = new VirtioMmio({ base: 0x1000_1000, irq: 1, plic: irq, dma: ram, backend: blk, legacy });
  const drv = new TestDriver(dev, ram, legacy);
  drv.init(VIRTIO_BLK_F_FLUSH | VIRTIO_RING_F_INDIRECT_DESC | (legacy ? 0n : VIRTIO_F_VERSION_1), 32);
  /** Reads `count` sectors at `sector`: returns status, data and the used length. */
  const readSectors = (sector: number, count: number, indirect = false) => {
    const s = drv.submit(0, [{ data: header(VIRTIO_BLK_T_IN, sector) }, { writeLen: 512 * count }, { writeLen: 1 }], { indirect });
    const [used] = drv.takeUsed(0);
    expect(used!.id).toBe(s.head);
    return { status: ram.readU8(s.addrs[2]!), data: ram.readBytes(s.addrs[1]!, 512 * count).slice(), len: used!.len };
  };
  const writeSectors = (sector: number, data: Uint8Array) => {
    const s = drv.submit(0, [{ data: header(VIRTIO_BLK_T_OUT, sector) }, { data }, { writeLen: 1 }]);
    const [used] = drv.takeUsed(0);
    return { status: ram.readU8(s.addrs[2]!), len: used!.len };
  };
  const simple = (type: number, dataLen = 0) => {
    const bufs = dataLen > 0 ? [{ data: header(type, 0) }, { writeLen: dataLen }, { writeLen: 1 }] : [{ data: header(type, 0) }, { writeLen: 1 }];
    const s = drv.submit(0, bufs);
    const [used] = drv.takeUsed(0);
    return { status: ram.readU8(s.addrs[bufs.length - 1]!), len: used!.len, data: dataLen > 0 ? ram.readBytes(s.addrs[1]!, dataLen).slice() : null };
  };
  return { ram, irq, blk, dev, drv, disk, readSectors, writeSectors, simple };
}

describe('virtio-blk', () => {
  it('describes the disk in its config space (capacity in sectors, blk_size, seg_max)', () => {
    const { dev, drv } = setup(false, { disk: new Uint8Array(3 * 512 + 100) });
    expect(dev.read(REG.deviceId, 4)).toBe(2);
    expect(dev.read(REG.config, 4)).toBe(3);
    expect(dev.read(REG.config + 4, 4)).toBe(0);
    expect(dev.read(REG.config, 1)).toBe(3);
    expect(dev.read(REG.config + 12, 4)).toBe(254);
    expect(dev.read(REG.config + 20, 4)).toBe(512);
    expect(dev.read(REG.config + 20, 2)).toBe(512);
    expect(dev.read(REG.config + 0x200, 4)).toBe(0);
    dev.write(REG.config, 99, 4);
    expect(dev.read(REG.config, 4)).toBe(3);
    expect(drv.deviceFeatures() & VIRTIO_BLK_F_RO).toBe(0n);
    expect(setup(true, { readOnly: true }).drv.deviceFeatures() & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
  });

  for (const legacy of [true, false]) {
    const name = legacy ? 'legacy' : 'modern';

    it(`${name}: reads sectors through the rings`, () => {
      const { readSectors, disk, irq } = setup(legacy);
      const r = readSectors(5, 3);
      expect(r.status).toBe(VIRTIO_BLK_S_OK);
      expect(r.len).toBe(3 * 512 + 1);
      expect(Array.from(r.data)).toEqual(Array.from(disk.subarray(5 * 512, 8 * 512)));
      expect(irq.level(1)).toBe(true);
    });

    it(`${name}: writes sectors into the disk image and reads them back`, () => {
      const { readSectors, writeSectors, blk } = setup(legacy);
      const data = pattern(2 * 512, 99);
      const w = writeSectors(SECTORS - 2, data);
      expect(w).toEqual({ status: VIRTIO_BLK_S_OK, len: 1 });
      expect(Array.from(blk.disk.subarray((SECTORS - 2) * 512))).toEqual(Array.from(data));
      expect(Array.from(readSectors(SECTORS - 2, 2).data)).toEqual(Array.from(data));
    });

    it(`${name}: serves requests described by an indirect table`, () => {
      const { readSectors, disk } = setup(legacy);
      const r = readSectors(1, 1, true);
      expect(r.status).toBe(VIRTIO_BLK_S_OK);
      expect(Array.from(r.data)).toEqual(Array.from(disk.subarray(512, 1024)));
    });
  }

  it('fails transfers beyond the disk, partial sectors and writes to a read-only disk with IOERR', () => {
    const { readSectors, writeSectors, disk } = setup(false);
    const before = disk.slice();
    expect(readSectors(SECTORS - 1, 2).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(readSectors(SECTORS, 1)).toMatchObject({ status: VIRTIO_BLK_S_IOERR, len: 1 });
    expect(readSectors(2 ** 32, 1).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(writeSectors(0, new Uint8Array(100)).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(writeSectors(SECTORS, new Uint8Array(512)).status).toBe(VIRTIO_BLK_S_IOERR);
    const ro = setup(false, { readOnly: true });
    expect(ro.writeSectors(0, new Uint8Array(512)).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(Array.from(disk)).toEqual(Array.from(before));
    expect(Array.from(ro.disk.subarray(0, 512))).not.toEqual(Array.from(new Uint8Array(512)));
  });

  it('answers FLUSH, GET_ID and unknown requests', () => {
    const { simple } = setup(false);
    expect(simple(VIRTIO_BLK_T_FLUSH)).toMatchObject({ status: VIRTIO_BLK_S_OK, len: 1 });
    const id = simple(VIRTIO_BLK_T_GET_ID, 20);
    expect(id.status).toBe(VIRTIO_BLK_S_OK);
    expect(id.len).toBe(21);
    expect(new TextDecoder().decode(id.data!).replace(/\0+$/, '')).toBe('wasmos-blk');
    expect(simple(11)).toMatchObject({ status: VIRTIO_BLK_S_UNSUPP, len: 1 });
  });

  it('keeps the header and data apart even when one buffer holds both (any layout)', () => {
    const { drv, ram, disk } = setup(false);
    const data = pattern(512, 3);
    const joined = new Uint8Array(16 + 512);
    joined.set(header(VIRTIO_BLK_T_OUT, 9));
    joined.set(data, 16);
    const s = drv.submit(0, [{ data: joined }, { writeLen: 1 }]);
    expect(drv.takeUsed(0)).toEqual([{ id: s.head, len: 1 }]);
    expect(ram.readU8(s.addrs[1]!)).toBe(VIRTIO_BLK_S_OK);
    expect(Array.from(disk.subarray(9 * 512, 10 * 512))).toEqual(Array.from(data));
  });

  it('needs a reset after a request without header or status byte, without throwing', () => {
    const { drv, dev } = setup(false);
    expect(() => drv.submit(0, [{ data: new Uint8Array(8) }, { writeLen: 1 }])).not.toThrow();
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    const other = setup(false);
    other.drv.submit(0, [{ data: header(VIRTIO_BLK_T_IN, 0) }]);
    expect(other.dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
  });

  it('snapshots the disk content with the device', () => {
    const a = setup(false);
    a.writeSectors(4, pattern(512, 42));
    const b = setup(false, { disk: new Uint8Array(SECTORS * 512) });
    b.ram.bytes.set(a.ram.bytes);
    expectRoundTrip(a.dev, b.dev);
    expect(Array.from(b.blk.disk)).toEqual(Array.from(a.blk.disk));
    b.drv.adoptProgress(a.drv);
    expect(Array.from(b.readSectors(4, 1).data)).toEqual(Array.from(pattern(512, 42)));
  });
});
