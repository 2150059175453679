// Goldfish RTC (QEMU `google,goldfish-rtc`): a 64-bit nanosecond wall clock with
// one alarm. The clock is `epochNs` (given by the host at construction, never
// read from the host clock) plus guest time, so a run is reproducible. Values
// are 64-bit and nanoseconds since 1970 exceed 2^53, hence bigint.
import type { MmioDevice, Width } from '../bus.ts';
import { type Clock, CPU_HZ, type TimedDevice } from '../clock.ts';
import type { IrqController } from '../irq.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { RTC_BASE, RTC_IRQ, RTC_SIZE } from './virt-map.ts';

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

const NS_PER_S = 1_000_000_000n;
const HZ = BigInt(CPU_HZ);
const LOW32 = 0xffff_ffffn;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

export class GoldfishRtc implements MmioDevice, TimedDevice {
  readonly name = 'goldfish-rtc';
  readonly size = RTC_SIZE;

  /** RTC value when guest time was 0 (shifted by guest writes to TIME). */
  private origin: bigint;
  private alarmNext = 0n;
  private alarmRunning = false;
  private irqPending = false;
  private irqEnabled = false;
  /** TIME_HIGH as latched by the last TIME_LOW read. */
  private timeHigh = 0;

  /** `epochNs`: the wall-clock time at power-on, in nanoseconds since 1970. */
  constructor(
    private readonly clock: Clock,
    private readonly irq: IrqController,
    private readonly source: number = RTC_IRQ,
    epochNs: number | bigint = 0,
    readonly base = RTC_BASE,
  ) {
    const epoch = typeof epochNs === 'bigint' ? epochNs
      : BigInt(Number.isFinite(epochNs) ? Math.round(epochNs) : 0);
    this.origin = u64(epoch);
  }

  /** The RTC value now, in nanoseconds since 1970. */
  now(): bigint {
    return u64(this.origin + BigInt(this.clock.nanos()));
  }

  read(offset: number, width: Width): number {
    if (width !== 4) return 0;
    switch (offset) {
      case TIME_LOW: {
        const t = this.now();
        this.timeHigh = Number(t >> 32n);
        return Number(t & LOW32);
      }
      case TIME_HIGH: return this.timeHigh;
      case ALARM_LOW: return Number(this.alarmNext & LOW32);
      case ALARM_HIGH: return Number(this.alarmNext >> 32n);
      case IRQ_ENABLED: return this.irqEnabled ? 1 : 0;
      case ALARM_STATUS: return this.alarmRunning ? 1 : 0;
      default: return 0;
    }
  }

  write(offset: number, value: number, width: Width): void {
    if (width !== 4) return;
    const v = BigInt(value >>> 0);
    switch (offset) {
      case TIME_LOW: this.setTime((this.now() & ~LOW32) | v); break;
      case TIME_HIGH: this.setTime((this.now() & LOW32) | (v << 32n)); break;
      case ALARM_LOW:
        this.alarmNext = (this.alarmNext & ~LOW32) | v;
        this.armAlarm();
        break;
      case ALARM_HIGH: this.alarmNext = (this.alarmNext & LOW32) | (v << 32n); break;
      case IRQ_ENABLED: this.irqEnabled = (value & 1) !== 0; break;
      case CLEAR_ALARM: this.alarmRunning = false; break;
      case CLEAR_INTERRUPT: this.irqPending = false; break;
      default: return;
    }
    this.updateIrq();
  }

  update(_cycles: number): number {
    if (!this.alarmRunning) return Infinity;
    if (this.alarmNext <= this.now()) {
      this.fire();
      return Infinity;
    }
    // The first cycle c with nanos(c) >= nanos(now) + (alarm - now).
    const target = BigInt(this.clock.nanos()) + (this.alarmNext - this.now());
    const c = (target * HZ + NS_PER_S - 1n) / NS_PER_S;
    return c > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(c);
  }

  save(w: StateWriter): void {
    w.tag('goldfish-rtc');
    w.u32(Number(this.origin & LOW32));
    w.u32(Number(this.origin >> 32n));
    w.u32(Number(this.alarmNext & LOW32));
    w.u32(Number(this.alarmNext >> 32n));
    w.bool(this.alarmRunning);
    w.bool(this.irqPending);
    w.bool(this.irqEnabled);
    w.u32(this.timeHigh);
  }

  restore(r: StateReader): void {
    r.tag('goldfish-rtc');
    this.origin = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
    this.alarmNext = BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
    this.alarmRunning = r.bool();
    this.irqPending = r.bool();
    this.irqEnabled = r.bool();
    this.timeHigh = r.u32();
    this.updateIrq();
  }

  /** Like QEMU, a reset disarms the alarm but the wall clock keeps its time. */
  reset(): void {
    this.alarmNext = 0n;
    this.alarmRunning = false;
    this.irqPending = false;
    this.irqEnabled = false;
    this.updateIrq();
  }

  private setTime(t: bigint): void {
    this.origin = u64(this.origin + (t - this.now()));
  }

  private armAlarm(): void {
    if (this.alarmNext <= this.now()) this.fire();
    else this.alarmRunning = true;
  }

  private fire(): void {
    this.alarmRunning = false;
    this.irqPending = true;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.setLevel(this.source, this.irqPending && this.irqEnabled);
  }
}
