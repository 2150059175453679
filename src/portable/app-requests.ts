// The requests an app's imports make of the portable kernel, and how the
// host answers them. Shared by the worker backend (wasm-app.ts, Node) and the
// inline backend (inline-app.ts, the browser). Also the spawn-time checks of
// a module, with the kernel's texts.
import { E_BAD_MODULE, E_DENIED, E_INVALID, E_NOT_FOUND, EXIT_KILLED, EXIT_WASM_TRAP, errorName } from './errors.ts';
import { TASK_NAME_MAX } from './abi.ts';
import { checkImports, findEntry } from './imports.ts';
import type { PortableKernel } from './kernel.ts';
import { type ModuleInfo, readModuleInfo } from './module-info.ts';
import type { Task } from './task.ts';
import { type TrapReport, trapText } from './trap-text.ts';

const SYS_POWER_OFF = 1;
const SYS_REBOOT = 2;

export interface AppSpec {
  module: Uint8Array;
  name: string;
  /** Arguments after the name (argument 0 is the name). */
  args?: string[];
  parent?: number;
  uses?: string | null;
  provides?: string | null;
}

/** What a running app needs from its host. */
export interface AppHost {
  readonly kernel: PortableKernel;
  /** The kernel console: app output and the kernel's own lines. */
  print(bytes: Uint8Array): void;
  /** performance.timeOrigin + now() at the host's start: the apps' clock 0. */
  readonly clockOrigin: number;
  /** The directory WASI programs get as "/" (node:wasi), if any. */
  readonly dir?: string;
  /** Spawns another app (wasmos.spawn from an app). */
  spawn(spec: AppSpec): Promise<number>;
  /** wasmos.system(1) from an app: the host ends (as the OS powers off). */
  powerOff(task: Task): void;
}

const text = new TextEncoder();

/** The kernel's log line for a refused spawn, and the error code. */
export function refuse(host: AppHost, name: string, code: number, why: string): number {
  host.print(text.encode(`spawn "${name}": ${errorName(code)}: ${why}\n`));
  return code;
}

export interface CheckedModule {
  module: WebAssembly.Module;
  info: ModuleInfo;
  entry: { name: string; returns: boolean };
}

/** Validates and checks a module the way the kernel's spawn does; the module, or the error after the kernel's line. */
export async function checkModule(host: AppHost, spec: AppSpec): Promise<CheckedModule | number> {
  const nameLen = text.encode(spec.name).length;
  if (nameLen === 0 || nameLen >= TASK_NAME_MAX) return refuse(host, spec.name, E_INVALID, `task name must be 1..${TASK_NAME_MAX - 1} characters`);
  if (spec.module.length < 8) return refuse(host, spec.name, E_BAD_MODULE, `not a WebAssembly module (${spec.module.length} bytes)`);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(spec.module as Uint8Array<ArrayBuffer>);
  } catch (e) {
    return refuse(host, spec.name, E_BAD_MODULE, (e as Error).message.replace(/^WebAssembly\.compile\(\): /, ''));
  }
  const info = readModuleInfo(spec.module);
  const bad = checkImports(info);
  if (bad) return refuse(host, spec.name, E_BAD_MODULE, bad);
  const entry = findEntry(info);
  if ('error' in entry) return refuse(host, spec.name, E_BAD_MODULE, entry.error);
  return { module, info, entry };
}

export type Request =
  | { op: 'print'; bytes: Uint8Array }
  | { op: 'call'; dst: number; msg: Uint8Array }
  | { op: 'recv'; src: number; timeout: number }
  | { op: 'send'; dst: number; msg: Uint8Array; timeout: number }
  | { op: 'reply'; dst: number; msg: Uint8Array }
  | { op: 'notify'; dst: number; bits: number }
  | { op: 'lookup'; name: string; timeout: number }
  | { op: 'register'; name: string }
  | { op: 'spawn'; module: Uint8Array; name: string; args: string[]; quota: number; uses: string | null; provides: string | null }
  | { op: 'kill'; task: number }
  | { op: 'timer'; ms: number }
  | { op: 'task_info'; index: number }
  | { op: 'mem_info' }
  | { op: 'system'; code: number }
  | { op: 'exit'; code: number }
  | ({ op: 'trap' } & TrapReport)
  | { op: 'killed' };

export function handle(
  host: AppHost,
  task: Task,
  req: Request,
  answer: (r: number, msg?: Uint8Array) => void,
  data: Uint8Array,
  info: ModuleInfo,
  module: string,
): void {
  const k = host.kernel;
  switch (req.op) {
    case 'print':
      return host.print(req.bytes);
    case 'call':
      return k.call(task, req.dst, req.msg, answer);
    case 'recv':
      return k.recv(task, req.src, req.timeout, answer);
    case 'send':
      return k.send(task, req.dst, req.msg, req.timeout, (r) => answer(r));
    case 'reply':
      k.reply(task, req.dst, req.msg); // errors are dropped, as env.ipc_reply does in WasmOS
      return;
    case 'notify':
      return answer(k.notify(task, req.dst, req.bits));
    case 'lookup':
      return k.lookup(task, req.name, req.timeout, (r) => answer(r));
    case 'register':
      return answer(k.register(task, req.name));
    case 'spawn':
      void host
        .spawn({ module: req.module, name: req.name, args: req.args, parent: task.id, uses: req.uses, provides: req.provides })
        .then((r) => answer(r));
      return;
    case 'kill':
      return answer(k.kill(task, req.task, EXIT_KILLED));
    case 'timer':
      k.timerSet(task, req.ms);
      return;
    case 'task_info': {
      const t = k.liveTasks()[req.index];
      if (!t) return answer(E_NOT_FOUND);
      const v = new DataView(data.buffer, data.byteOffset, 56);
      new Uint8Array(data.buffer, data.byteOffset, 56).fill(0);
      v.setInt32(0, t.id, true);
      v.setInt32(4, t.parent, true);
      data.set(text.encode(t.name).subarray(0, 23), 8);
      v.setInt32(32, STATE_CODE[t.state], true);
      v.setInt32(36, 4, true);
      return answer(0);
    }
    case 'mem_info': {
      const v = new DataView(data.buffer, data.byteOffset, 16);
      const total = 2 ** 31;
      v.setUint32(0, total, true);
      v.setUint32(4, total, true);
      v.setUint32(8, 0, true);
      v.setUint32(12, k.liveTasks().length, true);
      return answer(0);
    }
    case 'system':
      // Power off ends the run; reboot cannot be done (as on firmware without reset); tracing has no trace here.
      if (req.code === SYS_POWER_OFF) return host.powerOff(task);
      return answer(req.code === SYS_REBOOT ? E_NOT_FOUND : req.code === 3 || req.code === 4 ? E_DENIED : E_INVALID);
    case 'exit':
      return k.exit(task, req.code);
    case 'trap':
      host.print(text.encode(`task ${task.id} (${module}) trapped: ${trapText(req, module, info)}\n`));
      return k.exit(task, EXIT_WASM_TRAP);
    case 'killed':
      return k.exit(task, EXIT_KILLED);
  }
}

// task_info.state codes (docs/abi.md "States").
const STATE_CODE: Record<Task['state'], number> = { running: 0, send: 1, recv: 2, reply: 3, lookup: 4, exited: 5 };
