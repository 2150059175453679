// Starts a Wasm app as a task of the portable kernel on a worker thread
// (app-worker.mjs): checks the module the way the kernel's spawn does (same
// refusal texts, app-requests.ts), then serves the worker's blocking requests.
import { Worker } from 'node:worker_threads';
import { EXIT_KILLED, EXIT_WASM_TRAP } from './errors.ts';
import { MSG_MAX } from './abi.ts';
import { type AppHost, type AppSpec, checkModule, handle, type Request } from './app-requests.ts';
import { usesWasi } from './imports.ts';

export type { AppHost, AppSpec } from './app-requests.ts';

const DATA = 16;
const text = new TextEncoder();

/** Spawns an app; its task id, or a negative error after printing the kernel's line. */
export async function spawnApp(host: AppHost, spec: AppSpec): Promise<number> {
  const checked = await checkModule(host, spec);
  if (typeof checked === 'number') return checked;
  const { module, info, entry } = checked;
  const k = host.kernel;
  const task = k.createTask({ name: spec.name, parent: spec.parent, uses: spec.uses, provides: spec.provides });
  const ctrlBuffer = new SharedArrayBuffer(DATA + MSG_MAX);
  const ctrl = new Int32Array(ctrlBuffer, 0, 4);
  const data = new Uint8Array(ctrlBuffer, DATA, MSG_MAX);
  const worker = new Worker(new URL('./app-worker.mjs', import.meta.url), {
    workerData: {
      module,
      id: task.id,
      name: spec.name,
      args: [spec.name, ...(spec.args ?? [])],
      ctrlBuffer,
      clockOrigin: host.clockOrigin,
      entry: entry.name,
      returns: entry.returns,
      wasi: usesWasi(info) ? { dir: host.dir ?? null } : null,
    },
    // node:wasi announces itself as experimental on every start; the run's output is the app's.
    execArgv: ['--no-warnings'],
  });
  // Answers the worker's blocked import: the result, and a message for its buffer.
  const answer = (result: number, msg?: Uint8Array): void => {
    if (task.state === 'exited') return;
    Atomics.store(ctrl, 2, msg ? msg.length : 0);
    if (msg) data.set(msg.subarray(0, MSG_MAX));
    Atomics.store(ctrl, 1, result);
    Atomics.store(ctrl, 0, 1);
    Atomics.notify(ctrl, 0);
  };
  task.stop = () => void worker.terminate();
  worker.on('message', (req: Request) => {
    if (task.state === 'exited') return;
    handle(host, task, req, answer, data, info, spec.name);
  });
  worker.on('error', (e) => {
    host.print(text.encode(`task ${task.id} (${spec.name}) trapped: host error: ${e.message}\n`));
    k.exit(task, EXIT_WASM_TRAP);
  });
  worker.on('exit', () => {
    // A worker that ends without reporting (it cannot, normally) is a trap, not a silent success.
    if (task.state !== 'exited') k.exit(task, EXIT_KILLED);
  });
  return task.id;
}

