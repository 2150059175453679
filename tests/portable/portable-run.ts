// Runs a Wasm app through `wasmos run`'s code path (src/cli/run.ts) in this
// process, with the output captured instead of written to the terminal.
import { PassThrough } from 'node:stream';
import wabtInit from 'wabt';
import type { Terminal } from '../../src/cli/board-run.ts';
import { parseRunArgs, portableRun } from '../../src/cli/run.ts';

export const APPS = new URL('../../servers/build/apps/', import.meta.url).pathname;

export interface PortableResult {
  out: string;
  err: string;
  status: number;
  ms: number;
}

/** `wasmos run ARGV...` with stdout/stderr captured; stdin is `input` (then closed). */
export async function wasmosRun(argv: string[], input = ''): Promise<PortableResult> {
  const o = parseRunArgs(argv);
  if (o === 'help') throw new Error('help');
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => ({ write: (b: string | Uint8Array) => (f(typeof b === 'string' ? b : Buffer.from(b).toString('utf8')), true) });
  const t = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdin: new PassThrough() } as unknown as Terminal;
  const stdin = new PassThrough();
  stdin.end(input);
  const t0 = performance.now();
  const status = await portableRun(o, t, stdin);
  return { out, err, status, ms: performance.now() - t0 };
}

let wabt: ReturnType<typeof wabtInit> | null = null;

/** Assembles a module in the text format. */
export async function wat(text: string): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const m = (await wabt).parseWat('t.wat', text);
  try {
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}
