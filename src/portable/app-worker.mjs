// One Wasm app on a Node worker thread (docs/portable.md). Its imports
// (app-imports.mjs) post each request to the portable kernel on the main
// thread; one that must wait for another task (call, recv, lookup, …) blocks
// this thread in Atomics.wait until the kernel writes the answer into the
// shared control block. So the app's code stays ordinary synchronous Wasm,
// as inside WasmOS, and the kernel's main thread never blocks.
//
// Plain JavaScript: Node starts workers without the TypeScript loader.
// The control block (SharedArrayBuffer, written by wasm-app.ts):
//   i32[0] 0 = waiting, 1 = answered; i32[1] result; i32[2] bytes in data
//   data at byte 16: a message (1,512 bytes) or other output (task_info).
import { parentPort, workerData } from 'node:worker_threads';
import { appImports, endingOf } from './app-imports.mjs';

const MSG_MAX = 1512;
const DATA = 16;

const { module, id, args, ctrlBuffer, clockOrigin, entry, returns, wasi: wasiOptions } = workerData;
const ctrl = new Int32Array(ctrlBuffer, 0, 4);
const data = new Uint8Array(ctrlBuffer, DATA, MSG_MAX);
const napper = new Int32Array(new SharedArrayBuffer(4));

/** Posts a request and sleeps until the kernel answers; the result. */
function request(req, transfer) {
  Atomics.store(ctrl, 0, 0);
  parentPort.postMessage(req, transfer);
  Atomics.wait(ctrl, 0, 0);
  return Atomics.load(ctrl, 1);
}

const { imports, setMemory } = appImports({
  id,
  args,
  clockOrigin,
  request,
  answer: () => data.subarray(0, Atomics.load(ctrl, 2) || MSG_MAX),
  post: (req) => parentPort.postMessage(req),
  sleep: (ms) => Atomics.wait(napper, 0, 0, ms),
});

let wasmMemory = null;

/**
 * node:wasi with stdout and stderr going to the kernel console like
 * wasmos.debug_print (as the OS's WASI does), in order with the other tasks'
 * output; everything else is node:wasi's own.
 */
function consoleStdio(base) {
  return {
    ...base,
    fd_write(fd, iovs, iovsLen, nwrittenPtr) {
      if ((fd !== 1 && fd !== 2) || !wasmMemory) return base.fd_write(fd, iovs, iovsLen, nwrittenPtr);
      const view = new DataView(wasmMemory.buffer);
      const mem = new Uint8Array(wasmMemory.buffer);
      const parts = [];
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view.getUint32(iovs + i * 8, true);
        const len = view.getUint32(iovs + i * 8 + 4, true);
        if (ptr + len > mem.length) return 21; // EFAULT
        parts.push(mem.slice(ptr, ptr + len));
        total += len;
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      parentPort.postMessage({ op: 'print', bytes: out });
      view.setUint32(nwrittenPtr, total, true);
      return 0;
    },
  };
}

async function run() {
  let wasi = null;
  if (wasiOptions) {
    const { WASI } = await import('node:wasi');
    wasi = new WASI({
      version: 'preview1',
      args,
      env: { PATH: '/boot', HOME: '/tmp', TERM: 'xterm' },
      // The directory is / and also /host, the path the OS's programs use for host files.
      preopens: wasiOptions.dir ? { '/': wasiOptions.dir, '/host': wasiOptions.dir } : {},
      returnOnExit: true,
    });
    imports.wasi_snapshot_preview1 = consoleStdio(wasi.wasiImport);
  }
  const instance = await WebAssembly.instantiate(module, imports);
  setMemory(instance.exports.memory);
  wasmMemory = instance.exports.memory;
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
    parentPort.postMessage(endingOf(e));
  }
}

run().catch((e) => parentPort.postMessage(endingOf(e)));
