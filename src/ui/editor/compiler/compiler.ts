// What the editor asks of a compiler, and the page's implementation: a module
// worker started on the first build (so neither asc, binaryen nor wabt loads
// before the user builds something). Tests use InProcessCompiler, the same
// front ends without a worker.
import type { CompileJob, WorkerReply } from './compile-protocol.ts';
import type { CompilePhase, CompileRequest, CompileResult } from './diagnostic.ts';

export interface Compiler {
  compile(req: CompileRequest, onPhase?: (p: CompilePhase) => void): Promise<CompileResult>;
}

interface Pending {
  resolve: (r: CompileResult) => void;
  reject: (e: Error) => void;
  onPhase?: (p: CompilePhase) => void;
}

export class WorkerCompiler implements Compiler {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(private readonly create: () => Worker = () => new Worker(new URL('./compile-worker.ts', import.meta.url), { type: 'module' })) {}

  compile(request: CompileRequest, onPhase?: (p: CompilePhase) => void): Promise<CompileResult> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onPhase });
      worker.postMessage({ id, request } satisfies CompileJob);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = this.create();
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.kind === 'phase') {
        p.onPhase?.(m.phase);
        return;
      }
      this.pending.delete(m.id);
      if (m.kind === 'done') p.resolve(m.result);
      else p.reject(new Error(m.message));
    };
    // A worker that fails to load (a chunk missing offline) fails every build in flight; the next build starts a new one.
    w.onerror = (e) => {
      e.preventDefault();
      this.fail(new Error(`the compiler could not be loaded${e.message ? `: ${e.message}` : ''}`));
    };
    this.worker = w;
    return w;
  }

  private fail(e: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  dispose(): void {
    this.fail(new Error('compiler stopped'));
  }
}

/** The same front ends on the calling thread (Node tests; a page without module workers). */
export class InProcessCompiler implements Compiler {
  async compile(req: CompileRequest, onPhase?: (p: CompilePhase) => void): Promise<CompileResult> {
    const { compileSource } = await import('./compile.ts');
    return compileSource(req, onPhase);
  }
}
