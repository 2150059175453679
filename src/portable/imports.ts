// The imports WasmOS provides, with their signatures, exactly as the kernel's
// tables list them (kernel/core/wasm_imports.c, wasm_sys_imports.c, wasi.c),
// and the kernel's refusal texts: a module the OS would refuse at spawn is
// refused here with the same words (`import env.foo refused: unknown import`).
// Codes: i = i32, I = i64 (as in the kernel's tables).
import { type FuncType, type ModuleInfo, signatureText } from './module-info.ts';

export const WASI_MODULE = 'wasi_snapshot_preview1';

const TABLE: readonly (readonly [string, string, string, string])[] = [
  ['env', 'ipc_lookup', 'i', 'i'],
  ['env', 'ipc_call', 'ii', 'i'],
  ['env', 'ipc_recv', 'ii', 'i'],
  ['env', 'ipc_reply', 'ii', ''],
  ['wasmos', 'send', 'iii', 'i'],
  ['wasmos', 'recv', 'iii', 'i'],
  ['wasmos', 'notify', 'ii', 'i'],
  ['wasmos', 'service_register', 'i', 'i'],
  ['wasmos', 'service_lookup', 'ii', 'i'],
  ['wasmos', 'spawn', 'iiiiiiii', 'i'],
  ['wasmos', 'kill', 'i', 'i'],
  ['wasmos', 'exit', 'i', ''],
  ['wasmos', 'task_id', '', 'i'],
  ['wasmos', 'clock_ms', '', 'I'],
  ['wasmos', 'clock_ns', '', 'I'],
  ['wasmos', 'instret', '', 'I'],
  ['wasmos', 'debug_print', 'ii', ''],
  ['wasmos', 'arg_count', '', 'i'],
  ['wasmos', 'arg_get', 'iii', 'i'],
  ['wasmos', 'yield', '', ''],
  ['wasmos', 'sleep', 'i', 'i'],
  ['wasmos', 'timer_set', 'i', 'i'],
  // Userland servers' imports (wasm_sys_imports.c).
  ['wasmos', 'bootfs_entry', 'iii', 'i'],
  ['wasmos', 'bootfs_read', 'iiii', 'i'],
  ['wasmos', 'device_find', 'iii', 'i'],
  ['wasmos', 'mmio_read', 'ii', 'I'],
  ['wasmos', 'mmio_write', 'iii', 'i'],
  ['wasmos', 'irq_ack', 'i', 'i'],
  ['wasmos', 'dma_alloc', 'i', 'I'],
  ['wasmos', 'dma_write', 'iii', 'i'],
  ['wasmos', 'dma_read', 'iii', 'i'],
  ['wasmos', 'spawn_ex', 'i', 'i'],
  ['wasmos', 'task_info', 'ii', 'i'],
  ['wasmos', 'mem_info', 'i', 'i'],
  ['wasmos', 'system', 'i', 'i'],
  // wasi_snapshot_preview1 (wasi.c).
  [WASI_MODULE, 'args_get', 'ii', 'i'],
  [WASI_MODULE, 'args_sizes_get', 'ii', 'i'],
  [WASI_MODULE, 'environ_get', 'ii', 'i'],
  [WASI_MODULE, 'environ_sizes_get', 'ii', 'i'],
  [WASI_MODULE, 'clock_res_get', 'ii', 'i'],
  [WASI_MODULE, 'clock_time_get', 'iIi', 'i'],
  [WASI_MODULE, 'fd_advise', 'iIIi', 'i'],
  [WASI_MODULE, 'fd_allocate', 'iII', 'i'],
  [WASI_MODULE, 'fd_close', 'i', 'i'],
  [WASI_MODULE, 'fd_datasync', 'i', 'i'],
  [WASI_MODULE, 'fd_fdstat_get', 'ii', 'i'],
  [WASI_MODULE, 'fd_fdstat_set_flags', 'ii', 'i'],
  [WASI_MODULE, 'fd_fdstat_set_rights', 'iII', 'i'],
  [WASI_MODULE, 'fd_filestat_get', 'ii', 'i'],
  [WASI_MODULE, 'fd_filestat_set_size', 'iI', 'i'],
  [WASI_MODULE, 'fd_filestat_set_times', 'iIIi', 'i'],
  [WASI_MODULE, 'fd_pread', 'iiiIi', 'i'],
  [WASI_MODULE, 'fd_prestat_get', 'ii', 'i'],
  [WASI_MODULE, 'fd_prestat_dir_name', 'iii', 'i'],
  [WASI_MODULE, 'fd_pwrite', 'iiiIi', 'i'],
  [WASI_MODULE, 'fd_read', 'iiii', 'i'],
  [WASI_MODULE, 'fd_readdir', 'iiiIi', 'i'],
  [WASI_MODULE, 'fd_renumber', 'ii', 'i'],
  [WASI_MODULE, 'fd_seek', 'iIii', 'i'],
  [WASI_MODULE, 'fd_sync', 'i', 'i'],
  [WASI_MODULE, 'fd_tell', 'ii', 'i'],
  [WASI_MODULE, 'fd_write', 'iiii', 'i'],
  [WASI_MODULE, 'path_create_directory', 'iii', 'i'],
  [WASI_MODULE, 'path_filestat_get', 'iiiii', 'i'],
  [WASI_MODULE, 'path_filestat_set_times', 'iiiiIIi', 'i'],
  [WASI_MODULE, 'path_link', 'iiiiiii', 'i'],
  [WASI_MODULE, 'path_open', 'iiiiiIIii', 'i'],
  [WASI_MODULE, 'path_readlink', 'iiiiii', 'i'],
  [WASI_MODULE, 'path_remove_directory', 'iii', 'i'],
  [WASI_MODULE, 'path_rename', 'iiiiii', 'i'],
  [WASI_MODULE, 'path_symlink', 'iiiii', 'i'],
  [WASI_MODULE, 'path_unlink_file', 'iii', 'i'],
  [WASI_MODULE, 'poll_oneoff', 'iiii', 'i'],
  [WASI_MODULE, 'proc_exit', 'i', ''],
  [WASI_MODULE, 'proc_raise', 'i', 'i'],
  [WASI_MODULE, 'random_get', 'ii', 'i'],
  [WASI_MODULE, 'sched_yield', '', 'i'],
  [WASI_MODULE, 'sock_accept', 'iii', 'i'],
  [WASI_MODULE, 'sock_recv', 'iiiiii', 'i'],
  [WASI_MODULE, 'sock_send', 'iiiii', 'i'],
  [WASI_MODULE, 'sock_shutdown', 'ii', 'i'],
];

const CODES: Record<string, string> = { i: 'i32', I: 'i64' };

function tableType(params: string, results: string): FuncType {
  return { params: [...params].map((c) => CODES[c]!), results: [...results].map((c) => CODES[c]!) } as FuncType;
}

const KNOWN = new Map<string, FuncType>(TABLE.map(([m, f, p, r]) => [`${m}.${f}`, tableType(p, r)]));
const MODULES = new Set(TABLE.map(([m]) => m));

function sameType(a: FuncType, b: FuncType): boolean {
  return a.params.join() === b.params.join() && a.results.join() === b.results.join();
}

/** Why the kernel would refuse this import, or null if it provides it. */
export function refusal(imp: ModuleInfo['imports'][number]): string | null {
  if (imp.kind !== 'func') return 'only functions can be imported';
  if (!imp.type) return 'no signature';
  const want = KNOWN.get(`${imp.module}.${imp.field}`);
  if (want) return sameType(want, imp.type) ? null : `wrong signature: expected ${signatureText(want)}, got ${signatureText(imp.type)}`;
  return MODULES.has(imp.module)
    ? 'unknown import'
    : 'unknown import module (WasmOS provides env, wasmos and wasi_snapshot_preview1)';
}

/** The kernel's message for the first refused import ("import env.foo refused: unknown import"), or null. */
export function checkImports(info: ModuleInfo): string | null {
  for (const imp of info.imports) {
    const why = refusal(imp);
    if (why) return `import ${imp.module}.${imp.field} refused: ${why}`;
  }
  return null;
}

/** The entry point (_start, then main) as the kernel picks it, or the kernel's message why there is none. */
export function findEntry(info: ModuleInfo): { name: string; returns: boolean } | { error: string } {
  for (const name of ['_start', 'main']) {
    const t = info.exports.get(name);
    if (!t) continue;
    if (t.params.length !== 0 || t.results.length > 1 || (t.results.length === 1 && t.results[0] !== 'i32')) {
      return { error: `entry point ${name} must take no parameters and return nothing or an i32` };
    }
    return { name, returns: t.results.length === 1 };
  }
  return { error: 'no exported function _start or main' };
}

/** Whether the module imports WASI (it then runs with node:wasi, see docs/portable.md). */
export function usesWasi(info: ModuleInfo): boolean {
  return info.imports.some((i) => i.module === WASI_MODULE);
}
