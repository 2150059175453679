// Guest speed over the last second: instructions per wall second (what the
// user sees, idle time included) and per second spent inside run() (the
// board's speed).

interface Sample { wallMs: number; instret: number; busyMs: number }

export class MipsMeter {
  private samples: Sample[] = [];
  private busyTotal = 0;

  constructor(private readonly windowMs = 1000) {}

  reset(): void {
    this.samples = [];
    this.busyTotal = 0;
  }

  /** After a slice: the time now, the instret now, and how long the slice ran. */
  record(wallMs: number, instret: number, busyMs: number): void {
    this.busyTotal += busyMs;
    this.samples.push({ wallMs, instret, busyMs: this.busyTotal });
    // Keep one sample older than the window as the baseline.
    while (this.samples.length > 2 && this.samples[1]!.wallMs <= wallMs - this.windowMs) this.samples.shift();
  }

  /** Instructions per wall second; `nowMs` lets an idle machine decay to 0. */
  mips(nowMs: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || first === last) return 0;
    const span = Math.max(nowMs, last.wallMs) - first.wallMs;
    return span > 0 ? (last.instret - first.instret) / span / 1000 : 0;
  }

  busyMips(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || first === last) return 0;
    const busy = last.busyMs - first.busyMs;
    return busy > 0 ? (last.instret - first.instret) / busy / 1000 : 0;
  }
}
