// What every benchmark reports, so the runner can print one table and one
// JSON line for all of them.

export interface BenchmarkOptions {
  /** Timed repetitions; the best is reported. */
  runs: number;
  /** Also run under QEMU when it is installed. */
  qemu: boolean;
  log: (line: string) => void;
}

/** A measured figure other than speed (guest instruction counts, sizes), with its target if it has one. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The figure must stay at or below `max` / at or above `min`. */
  target?: { max?: number; min?: number };
}

export interface BenchmarkResult {
  name: string;
  /** Instructions the board retired (also used for QEMU's MIPS). */
  instructions: number;
  board: { seconds: number; mips: number };
  /** null when QEMU was not run. */
  qemu: { seconds: number; mips: number } | null;
  /** MIPS_board / MIPS_qemu; null without QEMU. */
  ratio: number | null;
  /** true/false when QEMU ran and its checksums were compared; null otherwise. */
  checksumsMatch: boolean | null;
  /** Problems that make the result invalid (wrong output, failed power-off). */
  errors: string[];
  /** Further figures the benchmark measured, printed in their own table. */
  figures?: Figure[];
  /** Whether the board's MIPS is this benchmark's point (false: only its figures are). */
  speedTarget?: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  run(opts: BenchmarkOptions): BenchmarkResult;
}
