// The virtio-mmio transport in both register layouts, driven through real split
// rings in fake guest RAM, including guest mistakes it must survive.
import { describe, expect, it } from 'vitest';
import { VirtioBlk } from '../../../src/board/devices/virtio/blk.ts';
import {
  STATUS_DEVICE_NEEDS_RESET, STATUS_FEATURES_OK, VIRTIO_F_VERSION_1, VIRTIO_MMIO_MAGIC, VIRTIO_MMIO_VENDOR,
  VIRTIO_RING_F_INDIRECT_DESC, VirtioMmio,
} from '../../../src/board/devices/virtio/mmio.ts';
import { VirtioRng } from '../../../src/board/devices/virtio/rng.ts';
import type { VirtioBackend } from '../../../src/board/devices/virtio/backend.ts';
import { expectRoundTrip, FakeRam, IrqRecorder, RAM_BASE } from './helpers.ts';
import { F_NEXT, F_WRITE, REG, TestDriver } from './virtio-driver.ts';

const SLOT = 2;
const BASE = 0x1000_1000 + SLOT * 0x1000;
const IRQ = 1 + SLOT;

function setup(legacy: boolean, backend: VirtioBackend | null = new VirtioRng(1)) {
  const ram = new FakeRam(1 << 20);
  const irq = new IrqRecorder();
  const dev = new VirtioMmio({ base: BASE, irq: IRQ, plic: irq, dma: ram, backend, legacy });
  const drv = new TestDriver(dev, ram, legacy);
  return { ram, irq, dev, drv };
}

const both = [['legacy', true], ['modern', false]] as const;

describe('virtio-mmio transport', () => {
  it('reads like QEMU\'s empty transport when no backend is attached', () => {
    for (const legacy of [true, false]) {
      const { dev, irq } = setup(legacy, null);
      expect([dev.base, dev.size]).toEqual([BASE, 0x1000]);
      expect(dev.read(REG.magic, 4)).toBe(VIRTIO_MMIO_MAGIC);
      expect(dev.read(REG.version, 4)).toBe(legacy ? 1 : 2);
      expect(dev.read(REG.vendorId, 4)).toBe(VIRTIO_MMIO_VENDOR);
      expect(dev.read(REG.deviceId, 4)).toBe(0);
      expect(dev.read(REG.queueNumMax, 4)).toBe(0);
      dev.write(REG.status, 0xf, 4);
      dev.write(REG.queueNotify, 0, 4);
      expect(dev.read(REG.status, 4)).toBe(0);
      expect(dev.read(REG.config, 4)).toBe(0);
      expect(irq.changes).toBe(0);
      expectRoundTrip(dev, setup(legacy, null).dev);
    }
  });

  it('identifies the backend and offers INDIRECT_DESC (+ VERSION_1 when modern), never EVENT_IDX', () => {
    for (const [, legacy] of both) {
      const { dev, drv } = setup(legacy, new VirtioBlk(new Uint8Array(4096)));
      expect(dev.read(REG.magic, 4)).toBe(0x74726976);
      expect(dev.read(REG.deviceId, 4)).toBe(2);
      expect(dev.read(REG.vendorId, 4)).toBe(0x554d4551);
      const f = drv.deviceFeatures();
      expect(f & VIRTIO_RING_F_INDIRECT_DESC).not.toBe(0n);
      expect(f & (1n << 29n)).toBe(0n);
      expect(f & VIRTIO_F_VERSION_1).toBe(legacy ? 0n : VIRTIO_F_VERSION_1);
      expect(f & (1n << 9n)).not.toBe(0n); // blk FLUSH
      // Registers are 32-bit only.
      expect(dev.read(REG.magic, 2)).toBe(0);
    }
  });

  it('accepts FEATURES_OK only for a subset of the offer that includes VERSION_1 (modern)', () => {
    const { drv } = setup(false);
    expect(drv.negotiate(0n) & STATUS_FEATURES_OK).toBe(0);
    expect(drv.negotiate(VIRTIO_F_VERSION_1 | (1n << 40n)) & STATUS_FEATURES_OK).toBe(0);
    expect(drv.negotiate(VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC) & STATUS_FEATURES_OK).toBe(STATUS_FEATURES_OK);
    expect(drv.dev.driverFeatures).toBe(VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC);
  });

  it('keeps only the low 32 feature bits for legacy drivers', () => {
    const { drv, dev } = setup(true);
    drv.negotiate(VIRTIO_RING_F_INDIRECT_DESC | (1n << 40n));
    expect(dev.driverFeatures).toBe(VIRTIO_RING_F_INDIRECT_DESC);
  });

  it('reports queue sizes and places legacy rings from PFN, page size and alignment', () => {
    const { dev, drv } = setup(true);
    drv.negotiate(0n);
    dev.write(REG.queueSel, 0, 4);
    expect(dev.read(REG.queueNumMax, 4)).toBe(64);
    dev.write(REG.queueSel, 1, 4);
    expect(dev.read(REG.queueNumMax, 4)).toBe(0);
    const q = drv.setupQueue(0, 8);
    expect(dev.read(REG.queuePfn, 4)).toBe(q.desc / 4096);
    drv.driverOk();
    drv.submit(0, [{ writeLen: 4 }]);
    expect(drv.takeUsed(0)).toEqual([{ id: 0, len: 4 }]);
  });

  for (const [name, legacy] of both) {
    it(`${name}: completes a request, raises the used-buffer interrupt, and InterruptACK lowers it`, () => {
      const { dev, drv, irq } = setup(legacy);
      drv.init(legacy ? 0n : VIRTIO_F_VERSION_1);
      if (!legacy) expect(dev.read(REG.queueReady, 4)).toBe(1);
      drv.submit(0, [{ writeLen: 16 }]);
      expect(drv.takeUsed(0)).toEqual([{ id: 0, len: 16 }]);
      expect(dev.read(REG.interruptStatus, 4)).toBe(1);
      expect(irq.level(IRQ)).toBe(true);
      drv.ack();
      expect(irq.level(IRQ)).toBe(false);
    });

    it(`${name}: follows indirect descriptor tables`, () => {
      const { drv } = setup(legacy);
      drv.init(VIRTIO_RING_F_INDIRECT_DESC | (legacy ? 0n : VIRTIO_F_VERSION_1));
      const s = drv.submit(0, [{ writeLen: 3 }, { writeLen: 5 }], { indirect: true });
      expect(drv.takeUsed(0)).toEqual([{ id: s.head, len: 8 }]);
      expect(drv.ram.readBytes(s.addrs[1]!, 5).some((b) => b !== 0)).toBe(true);
    });

    it(`${name}: status 0 resets the device and its queues`, () => {
      const { dev, drv, irq } = setup(legacy);
      drv.init(legacy ? 0n : VIRTIO_F_VERSION_1);
      drv.submit(0, [{ writeLen: 4 }]);
      expect(irq.level(IRQ)).toBe(true);
      dev.write(REG.status, 0, 4);
      expect(dev.read(REG.status, 4)).toBe(0);
      expect(dev.read(REG.interruptStatus, 4)).toBe(0);
      expect(irq.level(IRQ)).toBe(false);
      expect(dev.read(legacy ? REG.queuePfn : REG.queueReady, 4)).toBe(0);
      expect(dev.queue(0)).toBeNull();
    });
  }

  it('legacy: releasing a queue with QueuePFN = 0 resets the device, as QEMU does', () => {
    const { dev, drv } = setup(true);
    drv.init(0n);
    dev.write(REG.queuePfn, 0, 4);
    expect(dev.read(REG.status, 4)).toBe(0);
  });

  it('takes buffers made available before DRIVER_OK once the driver sets it', () => {
    const { drv } = setup(false);
    drv.negotiate(VIRTIO_F_VERSION_1);
    drv.setupQueue(0, 8);
    drv.submit(0, [{ writeLen: 4 }]);
    expect(drv.takeUsed(0)).toEqual([]);
    drv.driverOk();
    expect(drv.takeUsed(0)).toEqual([{ id: 0, len: 4 }]);
  });

  it('honours VIRTQ_AVAIL_F_NO_INTERRUPT', () => {
    const { dev, drv, irq } = setup(false);
    drv.init(VIRTIO_F_VERSION_1);
    drv.setAvailFlags(0, 1);
    drv.submit(0, [{ writeLen: 4 }]);
    expect(drv.takeUsed(0)).toHaveLength(1);
    expect(dev.read(REG.interruptStatus, 4)).toBe(0);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('snapshots transport, queues and backend; the restored device continues identically', () => {
    for (const [, legacy] of both) {
      const a = setup(legacy, new VirtioRng(99));
      a.drv.init(legacy ? 0n : VIRTIO_F_VERSION_1);
      a.drv.submit(0, [{ writeLen: 8 }]);
      const b = setup(legacy, new VirtioRng(99));
      b.ram.bytes.set(a.ram.bytes);
      expectRoundTrip(a.dev, b.dev);
      expect(b.irq.level(IRQ)).toBe(true);
      // The same next request on both gives the same used entry and the same bytes.
      b.drv.adoptProgress(a.drv);
      a.drv.submit(0, [{ writeLen: 12 }]);
      b.drv.submit(0, [{ writeLen: 12 }]);
      expect(b.drv.takeUsed(0)).toEqual(a.drv.takeUsed(0));
      expect(Array.from(b.ram.bytes)).toEqual(Array.from(a.ram.bytes));
    }
  });

  it('refuses to restore a snapshot of a different device', () => {
    const a = setup(true, new VirtioRng(1));
    const b = setup(true, new VirtioBlk(new Uint8Array(512)));
    expect(() => expectRoundTrip(a.dev, b.dev)).toThrow(/virtio device 4/);
  });
});

describe('virtio-mmio with a misbehaving driver', () => {
  /** Runs `mess` on a live modern device and expects DEVICE_NEEDS_RESET, a config interrupt and no exception. */
  function expectNeedsReset(mess: (drv: TestDriver) => void, legacy = false): TestDriver {
    const { dev, drv, irq } = setup(legacy);
    drv.init(VIRTIO_RING_F_INDIRECT_DESC | (legacy ? 0n : VIRTIO_F_VERSION_1), 8);
    expect(() => mess(drv)).not.toThrow();
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    expect(dev.read(REG.interruptStatus, 4) & 2).toBe(2);
    expect(irq.level(IRQ)).toBe(true);
    // A broken device ignores further work until the driver resets it.
    expect(() => drv.submit(0, [{ writeLen: 4 }])).not.toThrow();
    expect(drv.takeUsed(0)).toEqual([]);
    // The driver writing status (without 0) cannot clear NEEDS_RESET; a reset can.
    dev.write(REG.status, 0xf, 4);
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(STATUS_DEVICE_NEEDS_RESET);
    dev.write(REG.status, 0, 4);
    expect(dev.read(REG.status, 4)).toBe(0);
    expect(irq.level(IRQ)).toBe(false);
    drv.init(legacy ? 0n : VIRTIO_F_VERSION_1, 8);
    drv.queues[0]!.nextDesc = 0;
    drv.submit(0, [{ writeLen: 4 }]);
    expect(drv.takeUsed(0)).toEqual([{ id: 0, len: 4 }]);
    return drv;
  }

  it('survives a descriptor loop', () => {
    expectNeedsReset((drv) => {
      const q = drv.queues[0]!;
      const buf = drv.alloc(4);
      drv.writeDesc(q.desc, 0, buf, 4, F_WRITE | F_NEXT, 1);
      drv.writeDesc(q.desc, 1, buf, 4, F_WRITE | F_NEXT, 0);
      drv.publish(0, 0);
      drv.w(REG.queueNotify, 0);
    });
  });

  it('survives a descriptor pointing at itself inside an indirect table', () => {
    expectNeedsReset((drv) => {
      const q = drv.queues[0]!;
      const table = drv.alloc(32, 16);
      drv.writeDesc(table, 0, drv.alloc(4), 4, F_WRITE | F_NEXT, 0);
      drv.writeDesc(q.desc, 0, table, 32, 4, 0);
      drv.publish(0, 0);
      drv.w(REG.queueNotify, 0);
    });
  });

  it('survives buffers outside RAM (below it, past its end, wrapping 2^32)', () => {
    for (const addr of [0x1000, RAM_BASE + (1 << 20) - 2, 0xffff_fff0]) {
      expectNeedsReset((drv) => {
        drv.writeDesc(drv.queues[0]!.desc, 0, addr, 64, F_WRITE, 0);
        drv.publish(0, 0);
        drv.w(REG.queueNotify, 0);
      });
    }
  });

  it('survives a head index beyond the queue and next indices beyond it', () => {
    expectNeedsReset((drv) => { drv.publish(0, 200); drv.w(REG.queueNotify, 0); });
    expectNeedsReset((drv) => {
      drv.writeDesc(drv.queues[0]!.desc, 0, drv.alloc(4), 4, F_NEXT, 9);
      drv.publish(0, 0);
      drv.w(REG.queueNotify, 0);
    });
  });

  it('survives a readable buffer after a writable one and nested indirect tables', () => {
    expectNeedsReset((drv) => {
      const q = drv.queues[0]!;
      drv.writeDesc(q.desc, 0, drv.alloc(4), 4, F_WRITE | F_NEXT, 1);
      drv.writeDesc(q.desc, 1, drv.alloc(4), 4, 0, 0);
      drv.publish(0, 0);
      drv.w(REG.queueNotify, 0);
    });
    expectNeedsReset((drv) => {
      const q = drv.queues[0]!;
      const inner = drv.alloc(16, 16);
      drv.writeDesc(inner, 0, drv.alloc(4), 4, F_WRITE, 0);
      const outer = drv.alloc(16, 16);
      drv.writeDesc(outer, 0, inner, 16, 4, 0);
      drv.writeDesc(q.desc, 0, outer, 16, 4, 0);
      drv.publish(0, 0);
      drv.w(REG.queueNotify, 0);
    });
  });

  it('survives an avail index running more than a queue ahead', () => {
    expectNeedsReset((drv) => {
      drv.ram.writeU16(drv.queues[0]!.avail + 2, 100);
      drv.w(REG.queueNotify, 0);
    });
  });

  it('survives rings placed outside RAM or above 4 GiB, and bad queue sizes', () => {
    expectNeedsReset((drv) => {
      drv.w(REG.status, 0);
      drv.negotiate(VIRTIO_F_VERSION_1);
      drv.w(REG.queueSel, 0);
      drv.w(REG.queueDescLow, 0x100);
      drv.w(REG.queueReady, 1);
      drv.driverOk();
      drv.w(REG.queueNotify, 0);
    });
    expectNeedsReset((drv) => { drv.w(REG.queueDescHigh, 1); });
    expectNeedsReset((drv) => {
      drv.w(REG.queueNum, 12); // not a power of two
      drv.w(REG.queueNotify, 0);
    });
    expectNeedsReset((drv) => {
      drv.w(REG.queuePfn, 0xfffff); // legacy ring at the top of the address space
      drv.w(REG.queueNotify, 0);
    }, true);
  });

  it('ignores notifications for queues that do not exist', () => {
    const { dev, drv } = setup(false);
    drv.init(VIRTIO_F_VERSION_1);
    for (const q of [1, 7, 0xffff, 0xffff_ffff]) dev.write(REG.queueNotify, q, 4);
    expect(dev.read(REG.status, 4) & STATUS_DEVICE_NEEDS_RESET).toBe(0);
  });
});
