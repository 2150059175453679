// A stand-in for the WasmOS kernel that runs Wasm tasks in V8 (Node's
// WebAssembly), one worker thread per task, and routes their messages with the
// kernel's IPC rules: call/recv rendezvous, selective receive, replies only to
// a caller waiting on us, service names, task 0 answering ping / lookup /
// register. Every message it delivers is recorded as the receiver saw it, so
// tests can compare the bytes on the wire with the IDL's encoder.
import { Worker } from 'node:worker_threads';

export const MSG_MAX = 1512;
const E_NO_TASK = -1;
const E_EXITED = -2;
const E_WOULD_BLOCK = -3;
const E_DEADLOCK = -6;
const E_INVALID = -10;
const E_EXISTS = -12;

export interface WireRecord {
  /** How it travelled: a call, a oneway send, a reply, or a kernel (task 0) answer. */
  readonly kind: 'call' | 'send' | 'reply';
  readonly from: number;
  readonly to: number;
  /** The whole MSG_MAX-byte buffer as delivered (src filled in by the kernel). */
  readonly bytes: Uint8Array;
}

export interface TaskSpec {
  readonly name: string;
  readonly args?: readonly string[];
}

type Request =
  | { op: 'lookup'; name: string; timeout: number }
  | { op: 'register'; name: string }
  | { op: 'call'; dst: number; msg: Uint8Array }
  | { op: 'send'; dst: number; msg: Uint8Array; timeout: number }
  | { op: 'recv'; src: number; timeout: number; length: boolean }
  | { op: 'reply'; dst: number; msg: Uint8Array }
  | { op: 'print'; bytes: Uint8Array }
  | { op: 'exit'; code: number }
  | { op: 'trap'; message: string };

interface Queued {
  readonly from: number;
  readonly kind: 'call' | 'send';
  readonly msg: Uint8Array;
}

class MockTask {
  state: 'running' | 'recv' | 'call' | 'send' | 'lookup' | 'exited' = 'running';
  recvFrom = 0;
  /** recv through env (returns 0) or wasmos (returns the length). */
  recvReturnsLength = false;
  /** call: the task we wait on; delivered once the callee has received it. */
  callee = 0;
  output = '';
  exitCode: number | undefined;
  trap: string | undefined;
  readonly inbox: Queued[] = [];
  readonly exited: Promise<number>;
  resolveExit!: (code: number) => void;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly worker: Worker,
    readonly ctrl: Int32Array,
    readonly data: Uint8Array,
  ) {
    this.exited = new Promise((r) => (this.resolveExit = r));
  }
}

export class MockKernel {
  readonly wire: WireRecord[] = [];
  private readonly tasks = new Map<number, MockTask>();
  private readonly services = new Map<string, number>();
  /** Lookups waiting for a name to be registered; `found` answers them. */
  private readonly lookups: { task: MockTask; name: string; found: (id: number) => void }[] = [];
  private nextId = 1;

  /** Starts a module as a task; returns its id. */
  spawn(wasm: Uint8Array, spec: TaskSpec): number {
    const id = this.nextId++;
    const ctrlBuffer = new SharedArrayBuffer(8);
    const dataBuffer = new SharedArrayBuffer(MSG_MAX);
    const worker = new Worker(new URL('./task-worker.mjs', import.meta.url), {
      workerData: { wasm, id, name: spec.name, args: spec.args ?? [], ctrlBuffer, dataBuffer },
    });
    const t = new MockTask(id, spec.name, worker, new Int32Array(ctrlBuffer), new Uint8Array(dataBuffer));
    this.tasks.set(id, t);
    worker.on('message', (req: Request) => this.handle(t, req));
    worker.on('error', (e) => this.exit(t, -4, e.message));
    return id;
  }

  /** The exit code of a task (-4 if it trapped), waiting at most timeoutMs. */
  async waitExit(id: number, timeoutMs = 20_000): Promise<number> {
    const t = this.task(id);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`task ${id} (${t.name}) still ${t.state} after ${timeoutMs} ms; output:\n${t.output}`)), timeoutMs);
    });
    try {
      return await Promise.race([t.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once `name` is registered. */
  async waitService(name: string, timeoutMs = 20_000): Promise<number> {
    const start = Date.now();
    while (!this.services.has(name)) {
      if (Date.now() - start > timeoutMs) throw new Error(`service ${name} never registered`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.services.get(name)!;
  }

  output(id: number): string {
    return this.task(id).output;
  }

  trapMessage(id: number): string | undefined {
    return this.task(id).trap;
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.tasks.values()].map((t) => t.worker.terminate()));
  }

  private task(id: number): MockTask {
    const t = this.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  }

  private live(id: number): MockTask | undefined {
    const t = this.tasks.get(id);
    return t && t.state !== 'exited' ? t : undefined;
  }

  private answer(t: MockTask, result: number, bytes?: Uint8Array): void {
    if (bytes) t.data.set(bytes.subarray(0, MSG_MAX));
    t.state = 'running';
    Atomics.store(t.ctrl, 1, result);
    Atomics.store(t.ctrl, 0, 1);
    Atomics.notify(t.ctrl, 0);
  }

  private handle(t: MockTask, req: Request): void {
    switch (req.op) {
      case 'print':
        t.output += new TextDecoder().decode(req.bytes);
        return;
      case 'exit':
        return this.exit(t, req.code);
      case 'trap':
        return this.exit(t, -4, req.message);
      case 'register': {
        if (this.services.has(req.name)) return this.answer(t, E_EXISTS);
        this.services.set(req.name, t.id);
        this.answer(t, 0);
        this.registered(req.name, t.id);
        return;
      }
      case 'lookup': {
        const id = this.services.get(req.name);
        if (id !== undefined) return this.answer(t, id);
        if (req.timeout === 0) return this.answer(t, -11);
        t.state = 'lookup';
        this.lookups.push({ task: t, name: req.name, found: (id) => this.answer(t, id) });
        return;
      }
      case 'call':
      case 'send': {
        const msg = req.msg.slice();
        if (req.dst === 0 && req.op === 'call') return this.kernelCall(t, msg);
        const dst = this.live(req.dst);
        if (!dst || req.dst === 0) return this.answer(t, req.dst === 0 ? E_INVALID : E_NO_TASK);
        if (dst === t) return this.answer(t, E_DEADLOCK);
        t.state = req.op;
        t.callee = dst.id;
        dst.inbox.push({ from: t.id, kind: req.op, msg });
        this.deliver(dst);
        if (req.op === 'send' && t.state === 'send' && req.timeout === 0) {
          dst.inbox.splice(dst.inbox.findIndex((q) => q.from === t.id), 1);
          this.answer(t, E_WOULD_BLOCK);
        }
        return;
      }
      case 'recv': {
        t.state = 'recv';
        t.recvFrom = req.src;
        t.recvReturnsLength = req.length;
        this.deliver(t);
        if (t.state === 'recv' && req.timeout === 0) this.answer(t, E_WOULD_BLOCK);
        return;
      }
      case 'reply': {
        const dst = this.live(req.dst);
        // Only a caller whose call we received may be answered.
        if (!dst || dst.state !== 'call' || dst.callee !== t.id || this.pending(t, dst.id)) {
          return this.answer(t, E_WOULD_BLOCK);
        }
        const bytes = req.msg.slice();
        new DataView(bytes.buffer).setInt32(4, t.id, true);
        this.wire.push({ kind: 'reply', from: t.id, to: dst.id, bytes });
        this.answer(dst, 0, bytes);
        this.answer(t, 0);
        return;
      }
    }
  }

  private registered(name: string, id: number): void {
    for (const w of this.lookups.filter((l) => l.name === name)) {
      this.lookups.splice(this.lookups.indexOf(w), 1);
      w.found(id);
    }
  }

  /** Is a message from `from` still waiting in t's inbox (not yet received)? */
  private pending(t: MockTask, from: number): boolean {
    return t.inbox.some((q) => q.from === from);
  }

  private deliver(r: MockTask): void {
    if (r.state !== 'recv') return;
    const i = r.inbox.findIndex((q) => r.recvFrom === -1 || q.from === r.recvFrom);
    if (i < 0) return;
    const [q] = r.inbox.splice(i, 1);
    const bytes = q!.msg;
    new DataView(bytes.buffer).setInt32(4, q!.from, true);
    this.wire.push({ kind: q!.kind, from: q!.from, to: r.id, bytes });
    this.answer(r, r.recvReturnsLength ? MSG_MAX : 0, bytes);
    if (q!.kind === 'send') this.answer(this.task(q!.from), 0);
  }

  /**
   * Task 0: ping, service_lookup and service_register, as the kernel answers
   * them: the name is read from the 64-byte field, and a lookup waits for the
   * registration (env.ipc_call waits forever).
   */
  private kernelCall(t: MockTask, msg: Uint8Array): void {
    const view = new DataView(msg.buffer);
    view.setInt32(4, t.id, true);
    this.wire.push({ kind: 'call', from: t.id, to: 0, bytes: msg.slice() });
    const type = view.getInt32(0, true);
    const name = () => {
      const raw = msg.subarray(8, 8 + 64);
      const nul = raw.indexOf(0);
      return new TextDecoder().decode(nul < 0 ? raw : raw.subarray(0, nul));
    };
    const finish = (replyType: number, payload?: (v: DataView) => void) => {
      const out = new Uint8Array(MSG_MAX);
      if (replyType === 10) out.set(msg.subarray(8), 8);
      const v = new DataView(out.buffer);
      v.setInt32(0, replyType, true);
      v.setInt32(4, 0, true);
      payload?.(v);
      this.wire.push({ kind: 'reply', from: 0, to: t.id, bytes: out });
      this.answer(t, 0, out);
    };
    if (type === 9) return finish(10);
    if (type === 17) {
      if (this.services.has(name())) return finish(E_EXISTS);
      this.services.set(name(), t.id);
      finish(18);
      this.registered(name(), t.id);
      return;
    }
    if (type === 15) {
      const found = (id: number) => finish(16, (v) => v.setInt32(8, id, true));
      const id = this.services.get(name());
      if (id !== undefined) return found(id);
      t.state = 'lookup';
      this.lookups.push({ task: t, name: name(), found });
      return;
    }
    finish(E_INVALID);
  }

  private exit(t: MockTask, code: number, trap?: string): void {
    if (t.state === 'exited') return;
    t.state = 'exited';
    t.exitCode = code;
    t.trap = trap;
    for (const [name, id] of this.services) if (id === t.id) this.services.delete(name);
    for (const other of this.tasks.values()) {
      if ((other.state === 'call' || other.state === 'send') && other.callee === t.id) this.answer(other, E_EXITED);
      if (other.state === 'recv' && other.recvFrom === t.id) this.answer(other, E_EXITED);
      const i = other.inbox.findIndex((q) => q.from === t.id);
      if (i >= 0) other.inbox.splice(i, 1);
    }
    t.resolveExit(code);
  }
}
