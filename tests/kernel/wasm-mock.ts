// A JavaScript stand-in for the WasmOS host interface (env + wasmos imports),
// so the modules the kernel runs as tasks can also run in V8 and the two
// outputs be compared. It answers from the test's own model of the world:
// IPC goes to handlers the test supplies, output is collected.
export class MockExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface MockOptions {
  /** argv[0] is the task name. */
  argv?: string[];
  taskId?: number;
  /** env.ipc_lookup / wasmos.service_lookup */
  lookup?: (name: string) => number;
  /** env.ipc_call: edit the 1512-byte message in place; return 0 or an error. */
  call?: (dst: number, msg: Uint8Array) => number;
  /** env.ipc_recv / wasmos.recv: fill the message; return 0 (or the length for recv) or an error. */
  recv?: (src: number, msg: Uint8Array) => number;
  reply?: (dst: number, msg: Uint8Array) => void;
}

export const MSG_MAX = 1512;
export const E_BAD_POINTER = -5;

export interface Mock {
  imports: WebAssembly.Imports;
  /** Everything debug_print wrote. */
  output: () => string;
  bind: (instance: WebAssembly.Instance) => void;
}

export function wasmosMock(opts: MockOptions = {}): Mock {
  let mem: WebAssembly.Memory | null = null;
  let out = '';
  const argv = opts.argv ?? ['task'];
  const u8 = (): Uint8Array => new Uint8Array(mem ? mem.buffer : new ArrayBuffer(0));
  const range = (p: number, n: number): Uint8Array | null => {
    const m = u8();
    p >>>= 0;
    n >>>= 0;
    return p + n <= m.length ? m.subarray(p, p + n) : null;
  };
  const msg = (p: number): Uint8Array | null => ((p >>> 0) % 4 === 0 ? range(p, MSG_MAX) : null);
  const str = (p: number, max: number): string | null => {
    const m = u8();
    let s = '';
    for (let i = p >>> 0; i < m.length && s.length < max; i++) {
      if (m[i] === 0) return s;
      s += String.fromCharCode(m[i]!);
    }
    return null;
  };
  const trap = (what: string): never => {
    throw new WebAssembly.RuntimeError(`host function failed: ${what}`);
  };
  const env = {
    ipc_lookup: (name: number) => {
      const s = str(name, 32);
      return s === null ? E_BAD_POINTER : (opts.lookup?.(s) ?? -11);
    },
    ipc_call: (dst: number, p: number) => {
      const m = msg(p);
      return m ? (opts.call?.(dst, m) ?? -1) : E_BAD_POINTER;
    },
    ipc_recv: (src: number, p: number) => {
      const m = msg(p);
      return m ? (opts.recv?.(src, m) ?? -7) : E_BAD_POINTER;
    },
    ipc_reply: (dst: number, p: number) => {
      const m = msg(p);
      if (!m) trap('env.ipc_reply: bad message pointer');
      opts.reply?.(dst, m!);
    },
  };
  const wasmos = {
    debug_print: (p: number, n: number) => {
      const b = range(p, n);
      if (!b) trap('wasmos.debug_print: outside linear memory');
      out += Buffer.from(b!).toString('latin1');
    },
    exit: (code: number) => {
      throw new MockExit(code < 0 ? 1 : code);
    },
    task_id: () => opts.taskId ?? 1,
    arg_count: () => argv.length,
    arg_get: (i: number, buf: number, cap: number) => {
      if (i < 0 || i >= argv.length) return -10;
      const a = new TextEncoder().encode(argv[i]!);
      const b = range(buf, cap);
      if (!b) return E_BAD_POINTER;
      const withNul = new Uint8Array(a.length + 1);
      withNul.set(a);
      b.set(withNul.subarray(0, Math.min(withNul.length, cap >>> 0)));
      return a.length;
    },
    clock_ms: () => 0n,
    clock_ns: () => 0n,
    instret: () => 0n,
    yield: () => {},
    sleep: () => 0,
    timer_set: () => 0,
    send: () => -1,
    recv: (src: number, p: number) => {
      const m = msg(p);
      return m ? (opts.recv?.(src, m) ?? -7) : E_BAD_POINTER;
    },
    notify: () => 0,
    service_register: () => 0,
    service_lookup: (name: number) => env.ipc_lookup(name),
    spawn: () => -9,
    kill: () => -1,
  };
  return {
    imports: { env, wasmos },
    output: () => out,
    bind: (inst) => {
      for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) mem = v;
    },
  };
}

/** Instantiates `bytes` against the mock and runs its entry point; returns output and how it ended. */
export function runInV8(bytes: Uint8Array, mock: Mock): { output: string; exit: number | null; error: unknown } {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), mock.imports);
  mock.bind(inst);
  const entry = (inst.exports._start ?? inst.exports.main) as () => unknown;
  try {
    const r = entry();
    return { output: mock.output(), exit: typeof r === 'number' ? (r < 0 ? 1 : r) : 0, error: null };
  } catch (e) {
    if (e instanceof MockExit) return { output: mock.output(), exit: e.code, error: null };
    return { output: mock.output(), exit: null, error: e };
  }
}
