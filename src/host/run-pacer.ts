// Maps guest time to wall time while the guest idles. The board's clock is
// its cycle counter (nominal 100 MHz); when the hart waits for a timer, the
// worker sleeps until that deadline in wall time instead of letting guest time
// race ahead. A guest that fell behind (busy code runs slower than 100 MHz)
// is not made to catch up: the anchor moves, so its sleeps last as long as
// they say.

/** Nominal CPU clock: guest cycles per wall millisecond. */
export const CYCLES_PER_MS = 100_000;

export class RunPacer {
  private wallAnchor = 0;
  private cycleAnchor = 0;
  private anchored = false;

  /** Forgets the mapping (boot, reset, resume after a pause). */
  reset(): void { this.anchored = false; }

  /**
   * The guest stopped idle at `cycles` until `until` (Infinity: no timer armed).
   * Returns how long to sleep in wall milliseconds (Infinity: until input).
   */
  idleSleepMs(cycles: number, until: number, nowMs: number): number {
    const guestNowMs = (cycles - this.cycleAnchor) / CYCLES_PER_MS + this.wallAnchor;
    if (!this.anchored || guestNowMs < nowMs) {
      this.wallAnchor = nowMs;
      this.cycleAnchor = cycles;
      this.anchored = true;
    }
    if (until === Infinity) return Infinity;
    const wake = this.wallAnchor + (until - this.cycleAnchor) / CYCLES_PER_MS;
    return Math.max(0, wake - nowMs);
  }
}
