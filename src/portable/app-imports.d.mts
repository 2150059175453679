// Types of app-imports.mjs (plain JavaScript so Node workers load it without a loader).
import type { TrapReport } from './trap-text.ts';

export class Exit {
  constructor(code: number);
  readonly code: number;
}

export class HostFailure extends Error {}

export interface ImportBackend {
  id: number;
  args: string[];
  clockOrigin: number;
  /** A kernel operation that may wait; its result. */
  request(req: Record<string, unknown>, transfer?: Transferable[]): number;
  /** The bytes the last request returned. */
  answer(): Uint8Array;
  /** A request nobody waits for. */
  post(req: Record<string, unknown>): void;
  sleep(ms: number): void;
}

export function appImports(b: ImportBackend): {
  imports: WebAssembly.Imports & { env: WebAssembly.ModuleImports; wasmos: WebAssembly.ModuleImports };
  setMemory(m: unknown): void;
};

export function endingOf(e: unknown): { op: 'exit'; code: number } | ({ op: 'trap' } & TrapReport);
