// One Wasm app on a worker thread (docs/portable.md). It provides the app's
// env and wasmos imports; an import that must wait for another task (call,
// recv, lookup, …) posts a request to the portable kernel on the main thread
// and blocks this thread in Atomics.wait until the kernel writes the answer
// into the shared control block. So the app's code stays ordinary synchronous
// Wasm, as inside WasmOS, and the kernel's main thread never blocks.
//
// Plain JavaScript: Node starts workers without the TypeScript loader.
// The control block (SharedArrayBuffer, see worker-protocol.ts):
//   i32[0] 0 = waiting, 1 = answered; i32[1] result; i32[2] bytes in data
//   data at byte 16: a message (1,512 bytes) or other output (task_info).
import { parentPort, workerData } from 'node:worker_threads';

const MSG_MAX = 1512;
const DATA = 16;
const E_BAD_POINTER = -5;
const E_INVALID = -10;
const SERVICE_NAME_MAX = 32;
const TASK_NAME_MAX = 24;
const LIST_MAX = 256;

const { module, id, name, args, ctrlBuffer, clockOrigin, entry, returns, wasi: wasiOptions } = workerData;
const ctrl = new Int32Array(ctrlBuffer, 0, 4);
const data = new Uint8Array(ctrlBuffer, DATA, MSG_MAX);
const napper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown through the Wasm stack by wasmos.exit; caught below. */
class Exit {
  constructor(code) {
    this.code = code;
  }
}

/** A host function failed where it cannot return an error: the task traps, as in the kernel. */
class HostFailure extends Error {}

let memory = null;
const bytes = () => new Uint8Array(memory.buffer);

function inMemory(ptr, len) {
  return memory !== null && ptr >= 0 && len >= 0 && ptr + len <= memory.buffer.byteLength;
}

/** A whole message buffer: 1,512 aligned bytes of linear memory, or null. */
function msgAt(ptr) {
  return ptr % 4 === 0 && inMemory(ptr, MSG_MAX) ? ptr : null;
}

/** A NUL-terminated string of at most cap bytes with the NUL; E_BAD_POINTER / E_INVALID otherwise. */
function strAt(ptr, cap) {
  if (!inMemory(ptr, 1)) return E_BAD_POINTER;
  const m = bytes();
  const limit = Math.min(m.length, ptr + cap);
  for (let i = ptr; i < limit; i++) if (m[i] === 0) return new TextDecoder().decode(m.subarray(ptr, i));
  return limit === m.length ? E_BAD_POINTER : E_INVALID;
}

/** Posts a request and sleeps until the kernel answers; the result (data, if any, is in `data`). */
function block(req, transfer) {
  Atomics.store(ctrl, 0, 0);
  parentPort.postMessage(req, transfer);
  Atomics.wait(ctrl, 0, 0);
  return Atomics.load(ctrl, 1);
}

/** Copies the answered message into linear memory at ptr (at most MSG_MAX bytes). */
function takeMessage(ptr) {
  const n = Atomics.load(ctrl, 2);
  if (n > 0) bytes().set(data.subarray(0, Math.min(n, MSG_MAX)), ptr);
}

const copyMsg = (ptr) => bytes().slice(ptr, ptr + MSG_MAX);
const nowMs = () => performance.timeOrigin + performance.now() - clockOrigin;

const env = {
  ipc_lookup(namePtr) {
    const n = strAt(namePtr, SERVICE_NAME_MAX);
    return typeof n === 'number' ? n : block({ op: 'lookup', name: n, timeout: 10_000 });
  },
  ipc_call(dst, ptr) {
    if (msgAt(ptr) === null) return E_BAD_POINTER;
    const r = block({ op: 'call', dst, msg: copyMsg(ptr) });
    if (r >= 0) takeMessage(ptr);
    return r < 0 ? r : 0;
  },
  ipc_recv(src, ptr) {
    if (msgAt(ptr) === null) return E_BAD_POINTER;
    const r = block({ op: 'recv', src, timeout: -1 });
    if (r >= 0) takeMessage(ptr);
    return r < 0 ? r : 0;
  },
  ipc_reply(dst, ptr) {
    if (msgAt(ptr) === null) {
      throw new HostFailure(`env.ipc_reply: message at 0x${(ptr >>> 0).toString(16)} is not ${MSG_MAX} aligned bytes of linear memory`);
    }
    parentPort.postMessage({ op: 'reply', dst, msg: copyMsg(ptr) });
  },
};

function optList(ptr) {
  return ptr === 0 ? null : strAt(ptr, LIST_MAX);
}

const wasmos = {
  send(dst, ptr, timeout) {
    return msgAt(ptr) === null ? E_BAD_POINTER : block({ op: 'send', dst, msg: copyMsg(ptr), timeout });
  },
  recv(src, ptr, timeout) {
    if (msgAt(ptr) === null) return E_BAD_POINTER;
    const r = block({ op: 'recv', src, timeout });
    if (r >= 0) takeMessage(ptr);
    return r;
  },
  notify: (dst, bits) => block({ op: 'notify', dst, bits }),
  service_register(namePtr) {
    const n = strAt(namePtr, SERVICE_NAME_MAX);
    return typeof n === 'number' ? n : block({ op: 'register', name: n });
  },
  service_lookup(namePtr, timeout) {
    const n = strAt(namePtr, SERVICE_NAME_MAX);
    return typeof n === 'number' ? n : block({ op: 'lookup', name: n, timeout });
  },
  spawn(modPtr, modLen, namePtr, argsPtr, argsLen, quota, usesPtr, providesPtr) {
    if (!inMemory(modPtr, modLen) || (argsLen && !inMemory(argsPtr, argsLen))) return E_BAD_POINTER;
    const taskName = strAt(namePtr, TASK_NAME_MAX);
    if (typeof taskName === 'number') return taskName;
    const uses = optList(usesPtr);
    if (typeof uses === 'number') return uses;
    const provides = optList(providesPtr);
    if (typeof provides === 'number') return provides;
    const argv = argsLen ? new TextDecoder().decode(bytes().subarray(argsPtr, argsPtr + argsLen)).split('\0') : [];
    if (argv.length && argv[argv.length - 1] === '') argv.pop();
    const code = bytes().slice(modPtr, modPtr + modLen);
    return block({ op: 'spawn', module: code, name: taskName, args: argv, quota: quota >>> 0, uses, provides }, [code.buffer]);
  },
  kill: (task) => block({ op: 'kill', task }),
  exit(code) {
    throw new Exit(code < 0 ? 1 : code);
  },
  task_id: () => id,
  clock_ms: () => BigInt(Math.floor(nowMs())),
  clock_ns: () => BigInt(Math.round(nowMs() * 1e6)),
  // V8 counts no instructions: the portable host reports none (docs/portable.md).
  instret: () => 0n,
  debug_print(ptr, len) {
    if (!inMemory(ptr >>> 0, len >>> 0)) {
      throw new HostFailure(`wasmos.debug_print: 0x${(ptr >>> 0).toString(16)}+${len >>> 0} is outside linear memory`);
    }
    parentPort.postMessage({ op: 'print', bytes: bytes().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)) });
  },
  arg_count: () => args.length,
  arg_get(index, buf, cap) {
    if (index < 0 || index >= args.length) return E_INVALID;
    if (!inMemory(buf >>> 0, cap >>> 0)) return E_BAD_POINTER;
    const a = new TextEncoder().encode(args[index]);
    const out = new Uint8Array(a.length + 1);
    out.set(a);
    bytes().set(out.subarray(0, Math.min(out.length, cap >>> 0)), buf >>> 0);
    return a.length;
  },
  // Every app has a thread of its own: there is nobody to yield to.
  yield() {},
  sleep(ms) {
    if (ms < 0) return E_INVALID;
    Atomics.wait(napper, 0, 0, ms);
    return 0;
  },
  timer_set(ms) {
    if (ms < 0) return E_INVALID;
    parentPort.postMessage({ op: 'timer', ms });
    return 0;
  },
  // The userland servers' imports: a portable app has no boot archive, no devices and no system rights.
  bootfs_entry: () => -11,
  bootfs_read: () => -11,
  device_find: () => -11,
  mmio_read: () => -8n,
  mmio_write: () => -8,
  irq_ack: () => -8,
  dma_alloc: () => -8n,
  dma_write: () => -8,
  dma_read: () => -8,
  spawn_ex: () => -8,
  task_info(index, out) {
    if (out % 8 !== 0 || !inMemory(out, 56)) return E_BAD_POINTER;
    const r = block({ op: 'task_info', index });
    if (r === 0) bytes().set(data.subarray(0, 56), out);
    return r;
  },
  mem_info(out) {
    if (!inMemory(out, 16)) return E_BAD_POINTER;
    const r = block({ op: 'mem_info' });
    if (r === 0) bytes().set(data.subarray(0, 16), out);
    return r;
  },
  system: (op) => block({ op: 'system', code: op }),
};

async function run() {
  const imports = { env, wasmos };
  let wasi = null;
  if (wasiOptions) {
    const { WASI } = await import('node:wasi');
    wasi = new WASI({
      version: 'preview1',
      args,
      env: { PATH: '/boot', HOME: '/tmp', TERM: 'xterm' },
      preopens: wasiOptions.dir ? { '/': wasiOptions.dir } : {},
      returnOnExit: true,
    });
    imports.wasi_snapshot_preview1 = wasi.wasiImport;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  memory = instance.exports.memory instanceof WebAssembly.Memory ? instance.exports.memory : null;
  try {
    let code;
    if (wasi && entry === '_start') {
      code = wasi.start(instance);
    } else {
      if (wasi) wasi.initialize(instance);
      const r = instance.exports[entry]();
      code = returns ? r | 0 : 0;
    }
    parentPort.postMessage({ op: 'exit', code: code < 0 ? 1 : code });
  } catch (e) {
    if (e instanceof Exit) {
      parentPort.postMessage({ op: 'exit', code: e.code });
      return;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort.postMessage({
      op: 'trap',
      kind: e instanceof HostFailure ? 'host' : e instanceof WebAssembly.RuntimeError ? 'wasm' : e instanceof RangeError ? 'stack' : 'js',
      message: err.message,
      stack: err.stack ?? '',
    });
  }
}

run().catch((e) => parentPort.postMessage({ op: 'trap', kind: 'js', message: String(e?.message ?? e), stack: String(e?.stack ?? '') }));
