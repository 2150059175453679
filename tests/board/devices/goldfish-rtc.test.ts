import { describe, expect, it } from 'vitest';
import { Clock } from '../../../src/board/clock.ts';
import { GoldfishRtc } from '../../../src/board/devices/goldfish-rtc.ts';
import { expectRoundTrip, IrqRecorder } from './helpers.ts';

const TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;
const IRQ = 11;
/** 2026-01-01T00:00:00Z in ns: beyond 2^53, so it must not pass through a float. */
const EPOCH = 1_767_225_600_000_000_000n;

function setup(epoch: number | bigint = EPOCH) {
  const clock = new Clock();
  const irq = new IrqRecorder();
  const rtc = new GoldfishRtc(clock, irq, IRQ, epoch);
  const time = (): bigint => {
    const lo = rtc.read(TIME_LOW, 4);
    const hi = rtc.read(TIME_HIGH, 4);
    return (BigInt(hi) << 32n) | BigInt(lo);
  };
  const setAlarm = (ns: bigint): void => {
    rtc.write(ALARM_HIGH, Number(ns >> 32n), 4);
    rtc.write(ALARM_LOW, Number(ns & 0xffff_ffffn), 4);
  };
  return { clock, irq, rtc, time, setAlarm };
}

describe('goldfish RTC', () => {
  it('counts nanoseconds from the configured epoch with guest time (10 ns per cycle)', () => {
    const { clock, rtc, time } = setup();
    expect([rtc.base, rtc.size]).toEqual([0x10_1000, 0x1000]);
    expect(time()).toBe(EPOCH);
    clock.cycles = 123_456;
    expect(time()).toBe(EPOCH + 1_234_560n);
  });

  it('accepts the epoch as a number too', () => {
    expect(setup(1_000_000_000).time()).toBe(1_000_000_000n);
  });

  it('latches TIME_HIGH when TIME_LOW is read', () => {
    const { clock, rtc } = setup(0xffff_ff00n);
    expect(rtc.read(TIME_LOW, 4)).toBe(0xffff_ff00);
    clock.cycles = 100; // +1000 ns: the low word wraps
    expect(rtc.read(TIME_HIGH, 4)).toBe(0);
    expect(rtc.read(TIME_LOW, 4)).toBe((0xffff_ff00 + 1000) % 2 ** 32);
    expect(rtc.read(TIME_HIGH, 4)).toBe(1);
  });

  it('lets the guest set the time; it keeps running from there', () => {
    const { clock, rtc, time } = setup();
    clock.cycles = 50;
    rtc.write(TIME_HIGH, 0x10, 4);
    rtc.write(TIME_LOW, 0x20, 4);
    expect(time()).toBe((0x10n << 32n) | 0x20n);
    clock.cycles = 150;
    expect(time()).toBe(((0x10n << 32n) | 0x20n) + 1000n);
  });

  it('fires an alarm at the right cycle, interrupting only when enabled', () => {
    const { clock, irq, rtc, setAlarm } = setup();
    clock.cycles = 1000;
    setAlarm(EPOCH + 50_005n); // first reached at cycle 5001
    expect(rtc.read(ALARM_STATUS, 4)).toBe(1);
    expect(rtc.read(ALARM_LOW, 4)).toBe(Number((EPOCH + 50_005n) & 0xffff_ffffn));
    expect(rtc.read(ALARM_HIGH, 4)).toBe(Number((EPOCH + 50_005n) >> 32n));
    expect(rtc.update(clock.cycles)).toBe(5001);
    clock.cycles = 5000;
    expect(rtc.update(clock.cycles)).toBe(5001);
    clock.cycles = 5001;
    expect(rtc.update(clock.cycles)).toBe(Infinity);
    expect(rtc.read(ALARM_STATUS, 4)).toBe(0);
    expect(irq.level(IRQ)).toBe(false);
    rtc.write(IRQ_ENABLED, 1, 4);
    expect(rtc.read(IRQ_ENABLED, 4)).toBe(1);
    expect(irq.level(IRQ)).toBe(true);
    rtc.write(CLEAR_INTERRUPT, 1, 4);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('fires at once for an alarm in the past, and CLEAR_ALARM disarms a pending one', () => {
    const { clock, irq, rtc, setAlarm } = setup();
    rtc.write(IRQ_ENABLED, 1, 4);
    clock.cycles = 10;
    setAlarm(EPOCH);
    expect(irq.level(IRQ)).toBe(true);
    expect(rtc.read(ALARM_STATUS, 4)).toBe(0);
    rtc.write(CLEAR_INTERRUPT, 0, 4);
    setAlarm(EPOCH + 1_000_000n);
    rtc.write(CLEAR_ALARM, 0, 4);
    expect(rtc.read(ALARM_STATUS, 4)).toBe(0);
    expect(rtc.update(clock.cycles)).toBe(Infinity);
    clock.cycles = 1_000_000;
    rtc.update(clock.cycles);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('ignores narrow accesses and unknown offsets', () => {
    const { rtc } = setup();
    rtc.write(IRQ_ENABLED, 1, 2);
    expect(rtc.read(IRQ_ENABLED, 4)).toBe(0);
    expect(rtc.read(TIME_LOW, 2)).toBe(0);
    expect(rtc.read(0x20, 4)).toBe(0);
    rtc.write(0x20, 1, 4);
  });

  it('snapshots the time base and alarm; a restored RTC fires at the same cycle', () => {
    const a = setup();
    a.clock.cycles = 777;
    a.rtc.write(TIME_LOW, 5, 4);
    a.rtc.write(IRQ_ENABLED, 1, 4);
    a.setAlarm(a.time() + 10_000n);
    const b = setup(0n);
    b.clock.cycles = 777;
    expectRoundTrip(a.rtc, b.rtc);
    expect(b.time()).toBe(a.time());
    expect(b.rtc.update(b.clock.cycles)).toBe(a.rtc.update(a.clock.cycles));
    expect(b.rtc.read(ALARM_STATUS, 4)).toBe(1);
  });

  it('resets the alarm and interrupt state but keeps the wall clock', () => {
    const { rtc, irq, time, setAlarm } = setup();
    rtc.write(TIME_LOW, 99, 4);
    rtc.write(IRQ_ENABLED, 1, 4);
    setAlarm(0n);
    expect(irq.level(IRQ)).toBe(true);
    const before = time();
    rtc.reset();
    expect(irq.level(IRQ)).toBe(false);
    expect(rtc.read(IRQ_ENABLED, 4)).toBe(0);
    expect(rtc.read(ALARM_LOW, 4)).toBe(0);
    expect(time()).toBe(before);
  });
});
