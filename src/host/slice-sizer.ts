// Sizes run slices so each takes about `targetMs` of host time: long enough
// that the per-slice overhead vanishes, short enough that input, pause and
// output get through promptly.

export class SliceSizer {
  /**
   * Starts low: the first slices run mostly freshly translated code (slow
   * until V8 has compiled it), and console output reaches the page only
   * between slices, so small first slices show the boot sooner.
   */
  private cyclesPerMs = 2_500;

  constructor(
    private readonly targetMs = 8,
    private readonly min = 20_000,
    private readonly max = 20_000_000,
  ) {}

  get cycles(): number {
    return Math.round(Math.min(this.max, Math.max(this.min, this.cyclesPerMs * this.targetMs)));
  }

  /** A slice that ran `cycles` guest cycles in `ms` of host time (a busy one: idle time says nothing about speed). */
  record(cycles: number, ms: number): void {
    if (cycles <= 0 || ms <= 0.5) return;
    // Smoothed so one slow slice (a GC pause, a tab switch) does not halve the next.
    this.cyclesPerMs = 0.5 * this.cyclesPerMs + 0.5 * (cycles / ms);
  }
}
