// One WasmOS task of the mock kernel (mock-kernel.ts), in its own thread so it
// can block in IPC like a real task. Every import that needs the kernel posts a
// request to the main thread and sleeps on a shared word until it is answered;
// the answer's bytes come back through a shared buffer.
import { parentPort, workerData } from 'node:worker_threads';

const MSG_MAX = 1512;
const E_BAD_POINTER = -5;
const E_INVALID = -10;
const { wasm, id, name, args, ctrlBuffer, dataBuffer } = workerData;
const ctrl = new Int32Array(ctrlBuffer); // [0] answered flag, [1] result
const data = new Uint8Array(dataBuffer);
const argv = [name, ...args];
const utf8 = new TextEncoder();
let memory;
let clock = 0n;

class Exit extends Error {}

function kernel(op, fields = {}) {
  Atomics.store(ctrl, 0, 0);
  parentPort.postMessage({ op, ...fields });
  Atomics.wait(ctrl, 0, 0);
  return ctrl[1];
}

const mem = () => new Uint8Array(memory.buffer);

function msgAt(ptr) {
  ptr >>>= 0;
  if (ptr % 4 !== 0 || ptr + MSG_MAX > memory.buffer.byteLength) return undefined;
  return ptr;
}

function cstring(ptr) {
  const m = mem();
  let end = ptr >>> 0;
  while (end < m.length && m[end] !== 0) end++;
  return new TextDecoder().decode(m.subarray(ptr >>> 0, end));
}

const copyOut = (ptr) => mem().slice(ptr, ptr + MSG_MAX);
const copyIn = (ptr) => mem().set(data.subarray(0, MSG_MAX), ptr);

const env = {
  ipc_lookup: (namePtr) => kernel('lookup', { name: cstring(namePtr), timeout: 10000 }),
  ipc_call(dst, ptr) {
    const p = msgAt(ptr);
    if (p === undefined) return E_BAD_POINTER;
    const r = kernel('call', { dst, msg: copyOut(p) });
    if (r >= 0) copyIn(p);
    return r;
  },
  ipc_recv(src, ptr) {
    const p = msgAt(ptr);
    if (p === undefined) return E_BAD_POINTER;
    const r = kernel('recv', { src, timeout: -1, length: false });
    if (r >= 0) copyIn(p);
    return r < 0 ? r : 0;
  },
  ipc_reply(dst, ptr) {
    const p = msgAt(ptr);
    if (p === undefined) throw new Error(`env.ipc_reply: message at ${ptr} is not ${MSG_MAX} aligned bytes of linear memory`);
    kernel('reply', { dst, msg: copyOut(p) });
  },
};

const wasmos = {
  send(dst, ptr, timeout) {
    const p = msgAt(ptr);
    return p === undefined ? E_BAD_POINTER : kernel('send', { dst, msg: copyOut(p), timeout });
  },
  recv(src, ptr, timeout) {
    const p = msgAt(ptr);
    if (p === undefined) return E_BAD_POINTER;
    const r = kernel('recv', { src, timeout, length: true });
    if (r >= 0) copyIn(p);
    return r;
  },
  notify: () => E_INVALID,
  service_register: (namePtr) => kernel('register', { name: cstring(namePtr) }),
  service_lookup: (namePtr, timeout) => kernel('lookup', { name: cstring(namePtr), timeout }),
  spawn: () => E_INVALID,
  kill: () => E_INVALID,
  exit(code) {
    throw new Exit(String(code < 0 ? 1 : code));
  },
  task_id: () => id,
  // Deterministic time: every reading advances it by 1 ms.
  clock_ms: () => (clock += 1n),
  clock_ns: () => (clock += 1n) * 1000000n,
  instret: () => 1000n,
  debug_print(ptr, len) {
    const m = mem();
    if (ptr + len > m.length) throw new Error('wasmos.debug_print: outside linear memory');
    parentPort.postMessage({ op: 'print', bytes: m.slice(ptr, ptr + len) });
  },
  arg_count: () => argv.length,
  arg_get(index, buf, cap) {
    if (index < 0 || index >= argv.length) return E_INVALID;
    const a = utf8.encode(argv[index]);
    const m = mem();
    if (buf + cap > m.length) return E_BAD_POINTER;
    const n = Math.min(a.length + 1, cap);
    const withNul = new Uint8Array(a.length + 1);
    withNul.set(a);
    m.set(withNul.subarray(0, n), buf);
    return a.length;
  },
  yield: () => {},
  sleep: (ms) => (ms < 0 ? E_INVALID : 0),
  timer_set: (ms) => (ms < 0 ? E_INVALID : 0),
};

let code;
try {
  const module = new WebAssembly.Module(wasm);
  for (const imp of WebAssembly.Module.imports(module)) {
    const table = imp.module === 'env' ? env : imp.module === 'wasmos' ? wasmos : undefined;
    if (!table || !(imp.name in table)) throw new Error(`import ${imp.module}.${imp.name} refused: unknown import`);
  }
  const instance = new WebAssembly.Instance(module, { env, wasmos });
  memory = instance.exports.memory;
  const entry = instance.exports._start ?? instance.exports.main;
  if (typeof entry !== 'function' || entry.length !== 0) throw new Error('no entry point _start or main taking no parameters');
  const r = entry();
  code = typeof r === 'number' ? (r < 0 ? 1 : r) : 0;
  parentPort.postMessage({ op: 'exit', code });
} catch (e) {
  if (e instanceof Exit) parentPort.postMessage({ op: 'exit', code: Number(e.message) });
  else parentPort.postMessage({ op: 'trap', message: e instanceof Error ? e.message : String(e) });
}
