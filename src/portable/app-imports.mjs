// The env and wasmos imports of a WasmOS app (docs/abi.md), written once for
// both portable backends: a Node worker (app-worker.mjs, which blocks in
// Atomics.wait) and the browser's single-thread host (inline-app.ts, where
// the kernel answers at once or not at all). The backend provides:
//   request(req, transfer) -> result   a kernel operation that may wait
//   answer()                           the bytes the last request returned (a message, task_info...)
//   post(req)                          a request nobody waits for (print, reply, timer)
//   sleep(ms)                          block this thread
// Plain JavaScript: Node starts workers without the TypeScript loader.

const MSG_MAX = 1512;
const E_BAD_POINTER = -5;
const E_INVALID = -10;
const SERVICE_NAME_MAX = 32;
const TASK_NAME_MAX = 24;
const LIST_MAX = 256;

/** Thrown through the Wasm stack by wasmos.exit; caught by the backend. */
export class Exit {
  constructor(code) {
    this.code = code;
  }
}

/** A host function failed where it cannot return an error: the task traps, as in the kernel. */
export class HostFailure extends Error {}

/**
 * The import object for an app with task id `id` and arguments `args`
 * (args[0] is its name); `setMemory` must be called with its exported memory.
 */
export function appImports({ id, args, clockOrigin, request, answer, post, sleep }) {
  let memory = null;
  const bytes = () => new Uint8Array(memory.buffer);
  const inMemory = (ptr, len) => memory !== null && ptr >= 0 && len >= 0 && ptr + len <= memory.buffer.byteLength;
  /** A whole message buffer: 1,512 aligned bytes of linear memory, or null. */
  const msgAt = (ptr) => (ptr % 4 === 0 && inMemory(ptr, MSG_MAX) ? ptr : null);
  /** A NUL-terminated string of at most cap bytes with the NUL; E_BAD_POINTER / E_INVALID otherwise. */
  function strAt(ptr, cap) {
    if (!inMemory(ptr, 1)) return E_BAD_POINTER;
    const m = bytes();
    const limit = Math.min(m.length, ptr + cap);
    for (let i = ptr; i < limit; i++) if (m[i] === 0) return new TextDecoder().decode(m.subarray(ptr, i));
    return limit === m.length ? E_BAD_POINTER : E_INVALID;
  }
  /** Copies the answered message into linear memory at ptr. */
  function takeMessage(ptr) {
    const a = answer();
    if (a && a.length > 0) bytes().set(a.subarray(0, MSG_MAX), ptr);
  }
  const copyMsg = (ptr) => bytes().slice(ptr, ptr + MSG_MAX);
  const nowMs = () => performance.timeOrigin + performance.now() - clockOrigin;
  const optList = (ptr) => (ptr === 0 ? null : strAt(ptr, LIST_MAX));
  const env = {
    ipc_lookup(namePtr) {
      const n = strAt(namePtr, SERVICE_NAME_MAX);
      return typeof n === 'number' ? n : request({ op: 'lookup', name: n, timeout: 10_000 });
    },
    ipc_call(dst, ptr) {
      if (msgAt(ptr) === null) return E_BAD_POINTER;
      const r = request({ op: 'call', dst, msg: copyMsg(ptr) });
      if (r >= 0) takeMessage(ptr);
      return r < 0 ? r : 0;
    },
    ipc_recv(src, ptr) {
      if (msgAt(ptr) === null) return E_BAD_POINTER;
      const r = request({ op: 'recv', src, timeout: -1 });
      if (r >= 0) takeMessage(ptr);
      return r < 0 ? r : 0;
    },
    ipc_reply(dst, ptr) {
      if (msgAt(ptr) === null) {
        throw new HostFailure(`env.ipc_reply: message at 0x${(ptr >>> 0).toString(16)} is not ${MSG_MAX} aligned bytes of linear memory`);
      }
      post({ op: 'reply', dst, msg: copyMsg(ptr) });
    },
  };

  const wasmos = {
    send(dst, ptr, timeout) {
      return msgAt(ptr) === null ? E_BAD_POINTER : request({ op: 'send', dst, msg: copyMsg(ptr), timeout });
    },
    recv(src, ptr, timeout) {
      if (msgAt(ptr) === null) return E_BAD_POINTER;
      const r = request({ op: 'recv', src, timeout });
      if (r >= 0) takeMessage(ptr);
      return r;
    },
    notify: (dst, bits) => request({ op: 'notify', dst, bits }),
    service_register(namePtr) {
      const n = strAt(namePtr, SERVICE_NAME_MAX);
      return typeof n === 'number' ? n : request({ op: 'register', name: n });
    },
    service_lookup(namePtr, timeout) {
      const n = strAt(namePtr, SERVICE_NAME_MAX);
      return typeof n === 'number' ? n : request({ op: 'lookup', name: n, timeout });
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
      return request({ op: 'spawn', module: code, name: taskName, args: argv, quota: quota >>> 0, uses, provides }, [code.buffer]);
    },
    kill: (task) => request({ op: 'kill', task }),
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
      post({ op: 'print', bytes: bytes().slice(ptr >>> 0, (ptr >>> 0) + (len >>> 0)) });
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
      sleep(ms);
      return 0;
    },
    timer_set(ms) {
      if (ms < 0) return E_INVALID;
      post({ op: 'timer', ms });
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
      const r = request({ op: 'task_info', index });
      if (r === 0) bytes().set(answer().subarray(0, 56), out);
      return r;
    },
    mem_info(out) {
      if (!inMemory(out, 16)) return E_BAD_POINTER;
      const r = request({ op: 'mem_info' });
      if (r === 0) bytes().set(answer().subarray(0, 16), out);
      return r;
    },
    system: (op) => request({ op: 'system', code: op }),
  };

  return {
    imports: { env, wasmos },
    setMemory(m) {
      memory = m instanceof WebAssembly.Memory ? m : null;
    },
  };
}

/** How an app's run ended with exception e: an exit request, or a trap report for the kernel's message. */
export function endingOf(e) {
  if (e instanceof Exit) return { op: 'exit', code: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    op: 'trap',
    kind: e instanceof HostFailure ? 'host' : e instanceof WebAssembly.RuntimeError ? 'wasm' : e instanceof RangeError ? 'stack' : 'js',
    message: err.message,
    stack: err.stack ?? '',
  };
}
