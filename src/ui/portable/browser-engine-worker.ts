// The Web Worker that runs one app on the browser's engine (engine-run.ts):
// output is posted as it is printed; then the end and the elapsed time.
import { runOnEngine } from './engine-run.ts';

export type EngineMessage =
  | { kind: 'out'; bytes: Uint8Array }
  | { kind: 'done'; reason: number | null; ms: number };

self.onmessage = async (e: MessageEvent<{ bytes: Uint8Array; name: string; args: string[] }>) => {
  const { bytes, name, args } = e.data;
  const post = (m: EngineMessage): void => self.postMessage(m);
  const t0 = performance.now();
  const r = await runOnEngine(bytes, name, args, (b) => post({ kind: 'out', bytes: b.slice() }));
  post({ kind: 'done', reason: r.reason, ms: performance.now() - t0 });
};
