// Runs a bare-metal image on the board, in this process, until it powers off,
// timing only the execution (not building the machine).
import { performance } from 'node:perf_hooks';
import { Machine, type BoardConfig } from '../src/board/machine.ts';

export interface BoardRun {
  output: string;
  poweroffCode: number;
  instructions: number;
  seconds: number;
}

/** Large slices: the benchmark has no input to take between them. */
const SLICE = 50_000_000;

export function runOnBoard(image: Uint8Array, opts: { maxCycles: number; config?: Omit<BoardConfig, 'image'> }): BoardRun {
  const m = new Machine({ ...opts.config, image });
  const chunks: Uint8Array[] = [];
  m.onSerial = (b) => chunks.push(b.slice());
  const start = performance.now();
  let code: number | null = null;
  while (code === null) {
    if (m.cycles >= opts.maxCycles) throw new Error(`no power-off after ${opts.maxCycles} cycles`);
    const r = m.run(SLICE);
    if (r.kind === 'poweroff') code = r.code;
    else if (r.kind === 'reset') throw new Error('the guest reset the board');
    else if (r.kind === 'idle' && r.until === Infinity) throw new Error('the guest went idle for good');
  }
  const seconds = (performance.now() - start) / 1000;
  return { output: Buffer.concat(chunks).toString('latin1'), poweroffCode: code, instructions: m.instret, seconds };
}
