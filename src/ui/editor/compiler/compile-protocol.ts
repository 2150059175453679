// Messages between the page and the compile worker.
import type { CompilePhase, CompileRequest, CompileResult } from './diagnostic.ts';

export interface CompileJob {
  id: number;
  request: CompileRequest;
}

export type WorkerReply =
  | { id: number; kind: 'phase'; phase: CompilePhase }
  | { id: number; kind: 'done'; result: CompileResult }
  | { id: number; kind: 'failed'; message: string };
