// One WasmOS app on the browser's own WebAssembly engine: the portable host
// (src/portable/, docs/portable.md) with the kernel, the demo services and a
// console without input, and the app on the same thread (inline-app.ts).
// Runs inside the Web Worker (browser-engine-worker.ts); tests call it directly.
import { PortableHost } from '../../portable/host.ts';
import { runInline } from '../../portable/inline-app.ts';
import { NO_INPUT, startConsole } from '../../portable/services/console.ts';

export interface EngineRunResult {
  /** The app's exit reason (>= 0 its code, negative: trapped/killed), or null if it did not start. */
  reason: number | null;
}

export async function runOnEngine(bytes: Uint8Array, name: string, args: string[], out: (bytes: Uint8Array) => void): Promise<EngineRunResult> {
  const host = new PortableHost({ out });
  host.offer('console', () => startConsole(host.kernel, out, NO_INPUT));
  try {
    const r = await runInline(host, { module: bytes, name, args });
    return { reason: r.reason };
  } finally {
    host.shutdown();
  }
}

/** The task name the OS gives a program file: its name without ".wasm", at most 23 bytes. */
export function programName(file: string): string {
  return file.replace(/\.wasm$/i, '').slice(0, 23) || 'app';
}
