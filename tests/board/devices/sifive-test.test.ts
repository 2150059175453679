import { describe, expect, it } from 'vitest';
import { SifiveTest } from '../../../src/board/devices/sifive-test.ts';
import { expectRoundTrip } from './helpers.ts';

function setup() {
  const calls: Array<[string, number]> = [];
  const dev = new SifiveTest((kind, code) => calls.push([kind, code]));
  return { dev, calls };
}

describe('sifive_test finisher', () => {
  it('sits at 0x100000', () => {
    const { dev } = setup();
    expect([dev.base, dev.size]).toEqual([0x10_0000, 0x1000]);
  });

  it('powers off with code 0 on PASS (whatever the high half says)', () => {
    const { dev, calls } = setup();
    dev.write(0, 0x5555, 4);
    dev.write(0, 0x0007_5555, 4);
    expect(calls).toEqual([['poweroff', 0], ['poweroff', 0]]);
  });

  it('powers off with the code in the high half on FAIL', () => {
    const { dev, calls } = setup();
    dev.write(0, (42 << 16) | 0x3333, 4);
    dev.write(0, 0xffff_3333, 4);
    dev.write(0, 0x3333, 4);
    expect(calls).toEqual([['poweroff', 42], ['poweroff', 0xffff], ['poweroff', 0]]);
  });

  it('resets on 0x7777 and accepts 16-bit writes', () => {
    const { dev, calls } = setup();
    dev.write(0, 0x7777, 4);
    dev.write(0, 0x5555, 2);
    expect(calls).toEqual([['reset', 0], ['poweroff', 0]]);
  });

  it('ignores other values, offsets and byte writes; reads 0', () => {
    const { dev, calls } = setup();
    dev.write(0, 0x1234, 4);
    dev.write(0, 0, 4);
    dev.write(4, 0x5555, 4);
    dev.write(0, 0x55, 1);
    expect(calls).toEqual([]);
    expect(dev.read(0, 4)).toBe(0);
  });

  it('has no state beyond its snapshot tag', () => {
    expectRoundTrip(setup().dev, setup().dev);
  });
});
