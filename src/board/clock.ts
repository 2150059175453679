// Guest time. The board has one notion of time: `cycles`, which advances by one
// for every retired instruction and jumps forward when the hart idles in WFI.
// Everything time-dependent (mtime, the RTC, device timers) derives from it, so
// a run is a pure function of the image, the configuration and the inputs given
// between run slices.

/** QEMU virt's timebase-frequency (mtime ticks per second). */
export const TIMEBASE_HZ = 10_000_000;
/** Nominal CPU clock: 100 MHz, i.e. 10 cycles per mtime tick. */
export const CPU_HZ = 100_000_000;
export const CYCLES_PER_TICK = CPU_HZ / TIMEBASE_HZ;

/** Nanoseconds since power-on at a cycle count. */
export function nanosAt(cycles: number): number {
  return Math.floor((cycles * 1e9) / CPU_HZ);
}

export class Clock {
  /** Cycles since power-on (a float64 integer, exact up to 2^53). */
  cycles = 0;
  /** Added to the derived mtime when the guest writes mtime (CLINT). */
  mtimeOffset = 0;

  /** mtime in ticks, as a float64 integer (64-bit counter, exact up to 2^53). */
  mtime(): number {
    return Math.floor(this.cycles / CYCLES_PER_TICK) + this.mtimeOffset;
  }

  /** The first cycle count at which mtime() >= ticks. */
  cycleOfMtime(ticks: number): number {
    const rel = ticks - this.mtimeOffset;
    return rel <= 0 ? 0 : rel * CYCLES_PER_TICK;
  }

  /** Wall-clock-free nanoseconds since power-on (for the RTC). */
  nanos(): number {
    return nanosAt(this.cycles);
  }
}

/**
 * A device with time-driven behaviour (CLINT timer compare, RTC alarm). The run
 * loop calls `update` whenever guest time reaches the device's deadline or after
 * the guest touched the device; `update` refreshes interrupt lines and returns
 * the next cycle count at which it needs to run again (Infinity for never).
 */
export interface TimedDevice {
  update(cycles: number): number;
}
