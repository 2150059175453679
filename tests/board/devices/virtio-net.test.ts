// virtio-net through the real virtio-mmio transport, driven by the test driver
// (legacy and modern), plus the Machine's queued netReceive path.
import { describe, expect, it } from 'vitest';
import { VIRTIO_F_VERSION_1, VirtioMmio } from '../../../src/board/devices/virtio/mmio.ts';
import {
  DEFAULT_MAC, NET_HDR_LEGACY, NET_HDR_MODERN, VIRTIO_NET_F_CSUM, VIRTIO_NET_F_GUEST_CSUM, VIRTIO_NET_F_MAC,
  VIRTIO_NET_F_STATUS, VIRTIO_NET_HDR_F_DATA_VALID, VIRTIO_NET_HDR_F_NEEDS_CSUM, VirtioNet, parseMac,
} from '../../../src/board/devices/virtio/net.ts';
import { Machine } from '../../../src/board/machine.ts';
import { expectRoundTrip, FakeRam, IrqRecorder } from './helpers.ts';
import { REG, TestDriver } from './virtio-driver.ts';

const IRQ = 2;

function frame(len: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed) & 0xff);
}

/**
 * A TCP segment from 10.0.2.2:80 to 10.0.2.15:49152 carrying "hello, guest",
 * with its IPv4 and TCP checksums (0x7e68) computed by an independent
 * implementation (Python's struct, RFC 1071) when this test was written.
 */
const TCP_FRAME = Uint8Array.from(Buffer.from(
  '52540012345652550a00020208004500003400014000400622b30a0002020a00020f0050c000000003e8000007d05018ffff7e68000068656c6c6f2c206775657374',
  'hex',
));
const TCP_CSUM_AT = 14 + 20 + 16;

function setup(legacy: boolean, mac?: string, offloads = 0n) {
  const ram = new FakeRam(1 << 20);
  const irq = new IrqRecorder();
  const sent: Uint8Array[] = [];
  const net = new VirtioNet({ transmit: (f) => sent.push(f) }, mac);
  const dev = new VirtioMmio({ base: 0x1000_2000, irq: IRQ, plic: irq, dma: ram, backend: net, legacy });
  const drv = new TestDriver(dev, ram, legacy);
  const features = VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | offloads | (legacy ? 0n : VIRTIO_F_VERSION_1);
  drv.negotiate(features);
  drv.setupQueue(0, 16);
  drv.setupQueue(1, 16);
  drv.driverOk();
  const hdr = legacy ? NET_HDR_LEGACY : NET_HDR_MODERN;
  return { ram, irq, sent, net, dev, drv, hdr };
}

describe('virtio-net device', () => {
  it('is device 1 offering MAC, STATUS and the checksum offloads, with the MAC and link-up in config space', () => {
    const { dev, drv } = setup(false, '02:00:00:aa:bb:cc');
    expect(dev.read(REG.deviceId, 4)).toBe(1);
    const f = drv.deviceFeatures();
    expect(f & VIRTIO_NET_F_MAC).toBe(VIRTIO_NET_F_MAC);
    expect(f & VIRTIO_NET_F_STATUS).toBe(VIRTIO_NET_F_STATUS);
    expect(f & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    // The two checksum offloads, but no segmentation offloads and no mergeable buffers.
    expect(f & 0xffffn & ~VIRTIO_NET_F_MAC).toBe(VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM);
    const mac = Array.from({ length: 6 }, (_, i) => dev.read(REG.config + i, 1));
    expect(mac).toEqual([0x02, 0, 0, 0xaa, 0xbb, 0xcc]);
    expect(dev.read(REG.config + 6, 2)).toBe(1); // VIRTIO_NET_S_LINK_UP
    expect(dev.read(REG.config, 4)).toBe(0xaa000002);
  });

  it('defaults to QEMU\'s MAC and refuses malformed ones', () => {
    expect(Array.from(new VirtioNet({ transmit: () => {} }).mac)).toEqual(Array.from(parseMac(DEFAULT_MAC)));
    expect(Array.from(parseMac('52-54-00-12-34-57'))).toEqual([0x52, 0x54, 0, 0x12, 0x34, 0x57]);
    for (const bad of ['', '52:54:00:12:34', '52:54:00:12:34:5g', '525400123456']) {
      expect(() => new VirtioNet({ transmit: () => {} }, bad)).toThrow(/bad MAC/);
    }
  });

  for (const legacy of [true, false]) {
    const name = legacy ? 'legacy' : 'modern';

    it(`${name}: transmits frames without the ${legacy ? 10 : 12}-byte header, whatever the descriptor split`, () => {
      const { drv, sent, irq, hdr, net } = setup(legacy);
      const a = frame(60, 1);
      const b = frame(1514, 2);
      // Header and frame in one buffer.
      const withHdr = new Uint8Array(hdr + a.length);
      withHdr.set(a, hdr);
      const s1 = drv.submit(1, [{ data: withHdr }]);
      // Header separate, frame split in two (as legacy Linux does).
      const s2 = drv.submit(1, [{ data: new Uint8Array(hdr) }, { data: b.subarray(0, 100) }, { data: b.subarray(100) }]);
      expect(sent.map((f) => Array.from(f))).toEqual([Array.from(a), Array.from(b)]);
      expect(drv.takeUsed(1).map((u) => u.id)).toEqual([s1.head, s2.head]);
      expect(irq.level(IRQ)).toBe(true);
      expect(net.stats.txFrames).toBe(2);
    });

    it(`${name}: delivers a received frame after a header with num_buffers${legacy ? ' absent' : ' = 1'}`, () => {
      const { drv, ram, net, hdr, irq } = setup(legacy);
      const rx = drv.submit(0, [{ writeLen: 1526 }]);
      expect(irq.level(IRQ)).toBe(false);
      const f = frame(342, 9);
      expect(net.receive(f)).toBe(true);
      const [used] = drv.takeUsed(0);
      expect(used).toEqual({ id: rx.head, len: hdr + f.length });
      const got = ram.readBytes(rx.addrs[0]!, hdr + f.length);
      expect(Array.from(got.subarray(0, hdr))).toEqual(legacy ? new Array(10).fill(0) : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
      expect(Array.from(got.subarray(hdr))).toEqual(Array.from(f));
      expect(irq.level(IRQ)).toBe(true);
      expect(drv.ack()).toBe(1);
    });

    it(`${name}: drops (and counts) frames with no rx buffer, too big for it, or too short to send`, () => {
      const { drv, net, sent, hdr } = setup(legacy);
      expect(net.receive(frame(64))).toBe(false);
      drv.submit(0, [{ writeLen: 100 }]);
      expect(net.receive(frame(200))).toBe(false);
      // The too-small buffer went back to the driver, empty.
      expect(drv.takeUsed(0)).toEqual([expect.objectContaining({ len: 0 })]);
      drv.submit(1, [{ data: new Uint8Array(hdr + 5) }]);
      drv.submit(1, [{ data: new Uint8Array(3) }]);
      expect(sent).toEqual([]);
      expect(drv.takeUsed(1)).toHaveLength(2);
      expect(net.stats).toEqual({ txFrames: 0, rxFrames: 0, txDropped: 2, rxNoBuffer: 1, rxTooBig: 1 });
    });
  }

  describe('checksum offloads', () => {
    const receiveFlags = (offloads: bigint, f: Uint8Array): number => {
      const { drv, ram, net, hdr } = setup(false, undefined, offloads);
      const rx = drv.submit(0, [{ writeLen: 1526 }]);
      expect(net.receive(f)).toBe(true);
      const got = ram.readBytes(rx.addrs[0]!, hdr + f.length);
      expect(Array.from(got.subarray(hdr))).toEqual(Array.from(f));
      return got[0]!;
    };

    it('marks a received TCP segment DATA_VALID only when GUEST_CSUM is negotiated and its checksum is right', () => {
      expect(receiveFlags(VIRTIO_NET_F_GUEST_CSUM, TCP_FRAME)).toBe(VIRTIO_NET_HDR_F_DATA_VALID);
      expect(receiveFlags(0n, TCP_FRAME)).toBe(0);
      const corrupt = TCP_FRAME.slice();
      corrupt[corrupt.length - 1]! ^= 1;
      expect(receiveFlags(VIRTIO_NET_F_GUEST_CSUM, corrupt)).toBe(0);
      const truncated = TCP_FRAME.subarray(0, TCP_FRAME.length - 3);
      expect(receiveFlags(VIRTIO_NET_F_GUEST_CSUM, truncated)).toBe(0);
      const fragment = TCP_FRAME.slice();
      fragment[14 + 6] = 0x20; // more fragments
      expect(receiveFlags(VIRTIO_NET_F_GUEST_CSUM, fragment)).toBe(0);
      expect(receiveFlags(VIRTIO_NET_F_GUEST_CSUM, frame(342, 9))).toBe(0); // not IPv4
    });

    const transmit = (offloads: bigint, flags: number, start: number, offset: number, f: Uint8Array) => {
      const { drv, sent, net, hdr } = setup(false, undefined, offloads);
      const header = new Uint8Array(hdr);
      header[0] = flags;
      header[6] = start & 0xff;
      header[7] = start >> 8;
      header[8] = offset & 0xff;
      header[9] = offset >> 8;
      const data = new Uint8Array(hdr + f.length);
      data.set(header);
      data.set(f, hdr);
      drv.submit(1, [{ data }]);
      expect(drv.takeUsed(1)).toHaveLength(1);
      return { sent, stats: net.stats };
    };

    it('completes a partial checksum when CSUM is negotiated, and ignores the request otherwise', () => {
      // The driver leaves the pseudo-header's folded sum in the field, as Linux does.
      const partial = TCP_FRAME.slice();
      const pseudo = 0x0a00 + 0x0202 + 0x0a00 + 0x020f + 6 + 32;
      partial[TCP_CSUM_AT] = pseudo >> 8;
      partial[TCP_CSUM_AT + 1] = pseudo & 0xff;
      const done = transmit(VIRTIO_NET_F_CSUM, VIRTIO_NET_HDR_F_NEEDS_CSUM, 34, 16, partial);
      expect(done.sent.map((f) => Buffer.from(f).toString('hex'))).toEqual([Buffer.from(TCP_FRAME).toString('hex')]);
      const ignored = transmit(0n, VIRTIO_NET_HDR_F_NEEDS_CSUM, 34, 16, partial);
      expect(Array.from(ignored.sent[0]!)).toEqual(Array.from(partial));
    });

    it('drops (and counts) a checksum request whose field lies outside the frame', () => {
      const r = transmit(VIRTIO_NET_F_CSUM, VIRTIO_NET_HDR_F_NEEDS_CSUM, 60, 5, TCP_FRAME);
      expect(r.sent).toEqual([]);
      expect(r.stats.txDropped).toBe(1);
    });
  });

  it('takes no rx buffers before DRIVER_OK and after a reset', () => {
    const ram = new FakeRam(1 << 20);
    const net = new VirtioNet({ transmit: () => {} });
    const dev = new VirtioMmio({ base: 0x1000_2000, irq: IRQ, plic: new IrqRecorder(), dma: ram, backend: net, legacy: false });
    const drv = new TestDriver(dev, ram, false);
    drv.negotiate(VIRTIO_NET_F_MAC | VIRTIO_F_VERSION_1);
    drv.setupQueue(0, 8);
    drv.submit(0, [{ writeLen: 2048 }], { notify: false });
    expect(net.receive(frame(60))).toBe(false);
    drv.driverOk();
    expect(net.receive(frame(60))).toBe(true);
    dev.write(REG.status, 0, 4);
    expect(net.receive(frame(60))).toBe(false);
  });

  it('keeps the counters across a snapshot and refuses one from a board with another MAC', () => {
    const a = setup(false);
    a.drv.submit(0, [{ writeLen: 2048 }]);
    a.net.receive(frame(80));
    const b = setup(false);
    b.ram.bytes.set(a.ram.bytes);
    expectRoundTrip(a.dev, b.dev);
    expect(b.net.stats.rxFrames).toBe(1);
    const c = setup(false, '52:54:00:00:00:01');
    expect(() => expectRoundTrip(a.dev, c.dev)).toThrow(/MAC/);
  });
});

describe('Machine with a network card', () => {
  // A board without a kernel: the hart spins on a jump-to-self, the test plays the driver over the bus.
  const spin = Uint8Array.of(0x6f, 0x00, 0x00, 0x00); // j .

  function board() {
    const sent: Uint8Array[] = [];
    const m = new Machine({ image: spin, net: { backend: { transmit: (f) => sent.push(f) } }, virtio: 'modern' });
    return { m, sent };
  }

  it('puts the card in slot 1 (0x10002000, IRQ 2) and queues host frames for the next slice, logged', () => {
    const { m } = board();
    const base = 0x10002000;
    const dev = m.bus.find(base, 4)!;
    expect(dev.base).toBe(base);
    expect(dev.read(REG.deviceId, 4)).toBe(1);
    expect(m.bus.find(0x10001000, 4)!.read(REG.deviceId, 4)).toBe(0);
    // Driver bring-up through the bus, rings in guest RAM.
    const w = (o: number, v: number): void => dev.write(o, v, 4);
    w(REG.status, 0); w(REG.status, 3);
    w(REG.driverFeaturesSel, 0); w(REG.driverFeatures, 1 << 5);
    w(REG.driverFeaturesSel, 1); w(REG.driverFeatures, 1);
    w(REG.status, 0xb);
    const desc = 0x80100000, avail = 0x80101000, used = 0x80102000, buf = 0x80103000;
    w(REG.queueSel, 0); w(REG.queueNum, 8);
    w(REG.queueDescLow, desc); w(REG.queueDriverLow, avail); w(REG.queueDeviceLow, used); w(REG.queueReady, 1);
    w(REG.status, 0xf);
    m.dma.writeU32(desc, buf); m.dma.writeU32(desc + 8, 2048); m.dma.writeU16(desc + 12, 2);
    m.dma.writeU16(avail + 4, 0); m.dma.writeU16(avail + 2, 1);
    w(REG.queueNotify, 0);

    const f = frame(98, 3);
    m.netReceive(f);
    expect(m.inputPending).toBe(true);
    expect(m.dma.readU16(used + 2)).toBe(0); // not before the slice
    const before = m.cycles;
    m.run(1000);
    expect(m.dma.readU16(used + 2)).toBe(1);
    expect(m.dma.readU32(used + 8)).toBe(12 + f.length);
    expect(Array.from(m.dma.readBytes(buf + 12, f.length))).toEqual(Array.from(f));
    expect(m.inputLog).toEqual([{ cycles: before, kind: 'net', data: f }]);
    // The second frame finds no buffer: dropped and counted, still logged (replay drops it the same way).
    m.netReceive(frame(60));
    m.run(1000);
    expect(m.net!.stats.rxNoBuffer).toBe(1);
    expect(m.inputLog).toHaveLength(2);
    // The card's state is in snapshots; restoring needs the backend back.
    const snap = m.snapshot();
    const again = Machine.fromSnapshot(snap, { net: { backend: { transmit: () => {} } } });
    expect(again.net!.stats.rxFrames).toBe(1);
    expect(again.stateHash()).toBe(m.stateHash());
    expect(() => Machine.fromSnapshot(snap)).toThrow(/virtio device 1/);
  });

  it('has no card (and ignores netReceive) without a net config', () => {
    const m = new Machine({ image: spin });
    expect(m.net).toBeNull();
    m.netReceive(frame(60));
    expect(m.inputPending).toBe(false);
  });
});
