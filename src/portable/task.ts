// A task as the portable kernel sees it: identity, grants and its IPC state.
// The code behind it is elsewhere (a worker running a Wasm app, or a
// TypeScript service on the main thread); the kernel only calls `wake`.

/** Completes the blocking operation a task is in: its result, and the message it receives (recv, call). */
export type Wake = (result: number, msg?: Uint8Array) => void;

export type TaskState =
  | 'running'
  | 'recv' //      waiting for a message from `peer` (-1 = anyone, 0 = notifications)
  | 'send' //      queued on `peer` with `outbox`, not yet received (a call in its first half too)
  | 'reply' //     a call received by `peer`, waiting for its ipc_reply
  | 'lookup' //    waiting for a service name to be registered
  | 'exited';

export class Task {
  state: TaskState = 'running';
  /** recv: whom from; send/reply: the other end. */
  peer = 0;
  /** send: the message waiting to be received; `calling` says whether a reply is expected. */
  outbox: Uint8Array | null = null;
  calling = false;
  /** Tasks queued in send/call on this one, in arrival order. */
  readonly senders: Task[] = [];
  notifyBits = 0;
  /** Children's exits not yet delivered in a notification. */
  readonly exits: { task: number; reason: number }[] = [];
  /** Tasks this one may send to besides its parent/children (looked up, or who sent to it). */
  readonly mayMessage = new Set<number>();
  /** Set while blocked; cleared when woken. */
  wake: Wake | null = null;
  /** The blocked operation's deadline timer, if any. */
  deadline: ReturnType<typeof setTimeout> | null = null;
  /** The one-shot timer_set timer. */
  timer: ReturnType<typeof setTimeout> | null = null;
  exitReason: number | null = null;
  /** Stops whatever runs the task (a worker is terminated); set by its backend. */
  stop: () => void = () => {};
  private readonly exitWaiters: ((reason: number) => void)[] = [];
  private readonly readyWaiters: (() => void)[] = [];
  /** The task has waited for a message at least once (a server is up), or exited. */
  ready = false;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly parent: number,
    /** "*" = every name; otherwise the names of the comma-separated list. */
    readonly uses: '*' | ReadonlySet<string>,
    readonly provides: '*' | ReadonlySet<string>,
  ) {}

  /** Resolves with the exit reason once the task has exited. */
  exited(): Promise<number> {
    if (this.exitReason !== null) return Promise.resolve(this.exitReason);
    return new Promise((r) => this.exitWaiters.push(r));
  }

  /** Resolves once the task first waits in recv (a server has set up and serves), or exits. */
  serving(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  /** For the kernel: the task waits for a message, or has exited. */
  markReady(): void {
    this.ready = true;
    for (const w of this.readyWaiters.splice(0)) w();
  }

  /** For the kernel: records the exit and tells the waiters. */
  markExited(reason: number): void {
    this.state = 'exited';
    this.exitReason = reason;
    this.markReady();
    for (const w of this.exitWaiters.splice(0)) w(reason);
  }
}

/** Parses a uses/provides list ("*", "a,b", "" or null = none). */
export function nameList(list: string | null | undefined): '*' | ReadonlySet<string> {
  if (!list) return new Set();
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return names.includes('*') ? '*' : new Set(names);
}

export function listHas(list: '*' | ReadonlySet<string>, name: string): boolean {
  return list === '*' || list.has(name);
}
