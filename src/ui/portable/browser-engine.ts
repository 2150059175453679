// Starts an app on the browser's engine: a Web Worker per run, so a spinning
// app never blocks the page and Stop is a real kill (terminate).
import type { EngineMessage } from './browser-engine-worker.ts';

export interface EngineRun {
  /** Resolves when the app ends (reason null: it did not start; 'stopped': killed by the user). */
  done: Promise<{ reason: number | null | 'stopped'; ms: number }>;
  stop(): void;
}

export type EngineStarter = (bytes: Uint8Array, name: string, args: string[], out: (bytes: Uint8Array) => void) => EngineRun;

export const startInWorker: EngineStarter = (bytes, name, args, out) => {
  const worker = new Worker(new URL('./browser-engine-worker.ts', import.meta.url), { type: 'module' });
  const t0 = performance.now();
  let finish: (r: { reason: number | null | 'stopped'; ms: number }) => void = () => {};
  const done = new Promise<{ reason: number | null | 'stopped'; ms: number }>((r) => (finish = r));
  worker.onmessage = (e: MessageEvent<EngineMessage>) => {
    if (e.data.kind === 'out') out(e.data.bytes);
    else {
      finish({ reason: e.data.reason, ms: e.data.ms });
      worker.terminate();
    }
  };
  worker.onerror = (e) => {
    out(new TextEncoder().encode(`browser engine: ${e.message}\n`));
    finish({ reason: null, ms: performance.now() - t0 });
    worker.terminate();
  };
  worker.postMessage({ bytes, name, args });
  return {
    done,
    stop() {
      worker.terminate();
      finish({ reason: 'stopped', ms: performance.now() - t0 });
    },
  };
};
