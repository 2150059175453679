// Runs a bare-metal image on the board until it powers off, the way the
// differential tests need it: all serial output, how it stopped, and any
// exception the board threw (a board bug, reported rather than lost).
import { Machine, type BoardConfig, type StopReason } from '../../src/board/machine.ts';

export interface BoardRunOptions {
  /** Guest cycles before giving up (default 200 million). */
  maxCycles?: number;
  /** Cycles per run() call (default 1 million). */
  sliceCycles?: number;
  /** Everything but the image. */
  config?: Omit<BoardConfig, 'image'>;
}

export interface BoardRunResult {
  output: Uint8Array;
  /** The last stop reason; 'budget' means maxCycles ran out. */
  stop: StopReason;
  /** The power-off code, or null when the guest did not power off. */
  poweroffCode: number | null;
  cycles: number;
  instret: number;
  /** What the board threw, if it did (it never should). */
  error: string | null;
  machine: Machine | null;
}

export function runBoard(image: Uint8Array, options: BoardRunOptions = {}): BoardRunResult {
  const { maxCycles = 200_000_000, sliceCycles = 1_000_000, config = {} } = options;
  const chunks: Uint8Array[] = [];
  let stop: StopReason = { kind: 'budget' };
  let machine: Machine | null = null;
  let error: string | null = null;
  try {
    machine = new Machine({ ...config, image });
    machine.onSerial = (bytes) => chunks.push(bytes.slice());
    stop = runUntilStopped(machine, maxCycles, sliceCycles);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  }
  const output = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    output.set(c, o);
    o += c.length;
  }
  return {
    output, stop, error, machine,
    poweroffCode: stop.kind === 'poweroff' ? stop.code : null,
    cycles: machine?.cycles ?? 0,
    instret: machine?.instret ?? 0,
  };
}

/** Runs until power-off, a reset, a hart idle forever, or `maxCycles` more guest cycles. */
export function runUntilStopped(machine: Machine, maxCycles: number, sliceCycles = 1_000_000): StopReason {
  const end = machine.cycles + maxCycles;
  for (;;) {
    const left = end - machine.cycles;
    if (left <= 0) return { kind: 'budget' };
    const stop = machine.run(Math.min(sliceCycles, left));
    if (stop.kind === 'poweroff' || stop.kind === 'reset') return stop;
    if (stop.kind === 'idle' && stop.until === Infinity) return stop;
  }
}

/**
 * Where two transcripts first differ, as a readable message (null when equal):
 * the 1-based line number and both versions of that line.
 */
export function firstDifference(expected: Uint8Array, actual: Uint8Array, names = ['expected', 'actual']): string | null {
  const n = Math.min(expected.length, actual.length);
  let i = 0;
  while (i < n && expected[i] === actual[i]) i++;
  if (i === n && expected.length === actual.length) return null;
  const text = (b: Uint8Array): string => new TextDecoder().decode(b);
  const lineOf = (b: Uint8Array): string => {
    const start = i === 0 ? 0 : b.lastIndexOf(10, i - 1) + 1;
    let end = b.indexOf(10, i);
    if (end < 0) end = b.length;
    return JSON.stringify(text(b.subarray(start, end)));
  };
  const line = text(expected.subarray(0, i)).split('\n').length;
  const tail = (b: Uint8Array): string => (i >= b.length ? '<end of output>' : lineOf(b));
  return `line ${line}: ${names[0]} ${tail(expected)}, ${names[1]} ${tail(actual)}`;
}
