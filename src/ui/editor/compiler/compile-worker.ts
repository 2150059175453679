// The compile worker: asc + binaryen and wabt run here, so a build (about a
// second at -O3) never blocks the page. Jobs run one at a time, in order.
import { compileSource } from './compile.ts';
import type { CompileJob, WorkerReply } from './compile-protocol.ts';

const scope = self as unknown as { onmessage: ((e: MessageEvent<CompileJob>) => void) | null; postMessage(m: WorkerReply, transfer?: Transferable[]): void };
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (e) => {
  const { id, request } = e.data;
  queue = queue.then(async () => {
    try {
      const result = await compileSource(request, (phase) => scope.postMessage({ id, kind: 'phase', phase }));
      scope.postMessage({ id, kind: 'done', result }, result.wasm ? [result.wasm.buffer] : []);
    } catch (err) {
      scope.postMessage({ id, kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  });
};
