import { describe, expect, it } from 'vitest';
import { VIRTIO_F_VERSION_1, VirtioMmio } from '../../../src/board/devices/virtio/mmio.ts';
import { VirtioRng } from '../../../src/board/devices/virtio/rng.ts';
import { Xoshiro128 } from '../../../src/board/devices/xoshiro128.ts';
import { expectRoundTrip, FakeRam, IrqRecorder } from './helpers.ts';
import { REG, TestDriver } from './virtio-driver.ts';

function setup(seed: number, legacy = false) {
  const ram = new FakeRam(1 << 18);
  const irq = new IrqRecorder();
  const dev = new VirtioMmio({ base: 0x1000_8000, irq: 8, plic: irq, dma: ram, backend: new VirtioRng(seed), legacy });
  const drv = new TestDriver(dev, ram, legacy);
  drv.init(legacy ? 0n : VIRTIO_F_VERSION_1, 8);
  const request = (...lens: number[]): Uint8Array[] => {
    const s = drv.submit(0, lens.map((writeLen) => ({ writeLen })));
    const [used] = drv.takeUsed(0);
    expect(used).toEqual({ id: s.head, len: lens.reduce((a, b) => a + b, 0) });
    return s.addrs.map((a, i) => ram.readBytes(a, lens[i]!).slice());
  };
  return { ram, dev, drv, irq, request };
}

describe('xoshiro128**', () => {
  it('is deterministic per seed and spreads bits', () => {
    const a = new Xoshiro128(1);
    const b = new Xoshiro128(1);
    const c = new Xoshiro128(2);
    const xs = Array.from({ length: 1000 }, () => a.nextU32());
    expect(Array.from({ length: 1000 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.nextU32())).not.toEqual(xs);
    expect(new Set(xs).size).toBe(1000);
    const ones = xs.reduce((n, x) => n + x.toString(2).split('1').length - 1, 0);
    expect(ones / (32 * 1000)).toBeGreaterThan(0.48);
    expect(ones / (32 * 1000)).toBeLessThan(0.52);
  });
});

describe('virtio-rng', () => {
  it('is device 4 with no features and no config', () => {
    const { dev, drv } = setup(1);
    expect(dev.read(REG.deviceId, 4)).toBe(4);
    expect(drv.deviceFeatures() & 0xffffffn).toBe(0n);
    expect(dev.read(REG.config, 4)).toBe(0);
  });

  for (const legacy of [true, false]) {
    it(`${legacy ? 'legacy' : 'modern'}: fills every writable buffer of a request and interrupts`, () => {
      const { request, irq } = setup(5, legacy);
      const [a, b] = request(64, 7);
      expect(a!.some((x) => x !== 0)).toBe(true);
      expect(b!.some((x) => x !== 0)).toBe(true);
      expect(irq.level(8)).toBe(true);
    });
  }

  it('gives the same bytes for the same seed and different bytes for another', () => {
    const one = setup(1234).request(32, 32);
    expect(setup(1234).request(32, 32)).toEqual(one);
    expect(setup(1235).request(32, 32)).not.toEqual(one);
  });

  it('continues the same stream after a snapshot round-trip', () => {
    const a = setup(77);
    a.request(16);
    const b = setup(1);
    b.ram.bytes.set(a.ram.bytes);
    expectRoundTrip(a.dev, b.dev);
    b.drv.adoptProgress(a.drv);
    expect(b.request(40)).toEqual(a.request(40));
  });
});
