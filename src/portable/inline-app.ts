// Runs one app on the calling thread, for the browser (a Web Worker without
// SharedArrayBuffer: the page is not cross-origin isolated, so nothing can
// block). The kernel and the TypeScript services live on the same thread and
// answer synchronously, so an app that calls services (console, pong, echo,
// counter) runs exactly as under `wasmos run`. An operation that would have to
// wait for another task (a receive with nobody sending, a service that is not
// there) cannot be waited for here: the app traps with a message saying so.
import { appImports, endingOf, HostFailure } from './app-imports.mjs';
import { type AppHost, type AppSpec, checkModule, handle, type Request, refuse } from './app-requests.ts';
import { E_BAD_MODULE } from './errors.ts';
import { usesWasi } from './imports.ts';
import { MSG_MAX } from './abi.ts';

export interface InlineResult {
  /** The task id, or the spawn error. */
  id: number;
  /** The exit reason (>= 0 the app's code; EXIT_WASM_TRAP…), or null if it did not start. */
  reason: number | null;
}

export async function runInline(host: AppHost, spec: AppSpec): Promise<InlineResult> {
  const checked = await checkModule(host, spec);
  if (typeof checked === 'number') return { id: checked, reason: null };
  const { module, info, entry } = checked;
  if (usesWasi(info)) {
    return { id: refuse(host, spec.name, E_BAD_MODULE, 'WASI programs run under wasmos run (node:wasi), not in the browser yet'), reason: null };
  }
  const k = host.kernel;
  const task = k.createTask({ name: spec.name, parent: spec.parent, uses: spec.uses ?? '*', provides: spec.provides ?? '*' });
  const data = new Uint8Array(MSG_MAX);
  let result: number | null = null;
  let reply: Uint8Array | undefined;
  const answer = (r: number, msg?: Uint8Array): void => {
    result = r;
    reply = msg;
  };
  const perform = (req: Request): number | null => {
    result = null;
    reply = undefined;
    handle(host, task, req, answer, data, info, spec.name);
    return result;
  };
  const { imports, setMemory } = appImports({
    id: task.id,
    args: [spec.name, ...(spec.args ?? [])],
    clockOrigin: host.clockOrigin,
    request(req) {
      const r = perform(req as Request);
      if (r === null) {
        throw new HostFailure(`${String(req.op)}: would wait for another task, which the browser's single-thread host cannot do (use wasmos run)`);
      }
      return r;
    },
    answer: () => reply ?? data,
    post: (req) => void perform(req as Request),
    sleep(ms) {
      // No Atomics.wait without SharedArrayBuffer: spin (this is a worker, the page stays responsive).
      const until = performance.now() + ms;
      while (performance.now() < until);
    },
  });
  const instance = await WebAssembly.instantiate(module, imports);
  setMemory(instance.exports.memory);
  let ending: Request;
  try {
    const r = (instance.exports[entry.name] as () => number | undefined)();
    const code = entry.returns ? (r as number) | 0 : 0;
    ending = { op: 'exit', code: code < 0 ? 1 : code };
  } catch (e) {
    ending = endingOf(e);
  }
  perform(ending);
  return { id: task.id, reason: task.exitReason };
}
