// What the machine worker and the page say to each other. The worker streams
// HostBatch objects (at most one per frame); the page calls the controller's
// methods through comlink. Everything here survives structured cloning.
import type { TraceRecord } from '../board/devices/trace.ts';

export interface BootOptions {
  /** The kernel image (ELF32 or raw). */
  image: Uint8Array;
  bootargs: string;
  memMiB?: number;
  initrd?: Uint8Array;
  /** Console text whose first appearance marks "time to prompt" (default "shell>"). */
  promptText?: string;
  /** Record the kernel's trace from the first instruction (default true). */
  trace?: boolean;
  /** Attach the virtio-net card to the user-mode gateway (default true). */
  net?: boolean;
}

/** off: nothing booted; idle: the guest waits for a timer or input; poweroff: the guest shut down. */
export type RunState = 'off' | 'running' | 'idle' | 'paused' | 'poweroff' | 'error';

export interface PromptTiming {
  text: string;
  /** Wall milliseconds from boot() to the text's first appearance on the console. */
  wallMs: number;
  instret: number;
}

export interface MachineStatus {
  state: RunState;
  /** Counts boots and resets; batches of an older epoch are stale. */
  epoch: number;
  /** Power-off code, or the error message when state is 'error'. */
  powerCode: number | null;
  error: string | null;
  bootargs: string;
  instret: number;
  cycles: number;
  /** Guest instructions per wall second over the last second. */
  mips: number;
  /** Guest instructions per second of time spent running the guest (the board's speed). */
  busyMips: number;
  /** Wall milliseconds since boot. */
  uptimeMs: number;
  ramBytes: number;
  /** Memory the kernel accounts to tasks (stacks, allocations, DMA), from the last statistics. */
  taskMemBytes: number;
  /** Wall milliseconds from boot() to the first console byte. */
  firstOutputMs: number | null;
  prompt: PromptTiming | null;
  promptText: string;
  traceEnabled: boolean;
  /** Records the kernel lost to a full ring (cumulative). */
  traceDropped: number;
  /** Guest resets (the guest rebooted itself) since boot. */
  guestResets: number;
}

/** running: on the CPU now; ready: runnable; send/recv/call: blocked in IPC; sleep: sleeping; lookup: waiting for a service name. */
export type TaskState = 'running' | 'ready' | 'send' | 'recv' | 'call' | 'sleep' | 'lookup' | 'blocked' | 'exited' | 'unknown';

/** What a task runs: the kernel's idle thread, native kernel code, a WasmOS or a WASI module (unknown: the trace did not say). */
export type TaskRuntime = 'kernel' | 'native' | 'wasmos' | 'wasi' | 'unknown';

export interface TaskRow {
  id: number;
  name: string;
  parent: number;
  priority: number;
  state: TaskState;
  /** The task it waits on in send, recv or call (recv: -1 = from anyone), when the trace tells. */
  waitingOn: number | null;
  runtime: TaskRuntime;
  /** Service names it registered: a task with any is a server, otherwise an app. */
  services: string[];
  /** Share of the instructions executed between its last two statistics, 0..1. */
  cpu: number;
  instret: number;
  memBytes: number;
  switches: number;
  sent: number;
  received: number;
  faults: number;
  /** The exit reason once it has exited. */
  exitReason: number | null;
}

export interface HostBatch {
  epoch: number;
  /** Console output since the last batch. */
  serial?: Uint8Array;
  trace?: TraceRecord[];
  /** The whole task table, when it changed. */
  tasks?: TaskRow[];
  status: MachineStatus;
}

export interface KillResult {
  ok: boolean;
  message: string;
}

/** What spawnFile gives back: the new task's id when it started. */
export interface SpawnResult {
  ok: boolean;
  task: number | null;
  message: string;
}
