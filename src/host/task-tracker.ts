// Folds the kernel's trace records into the task table the Tasks panel shows.
// It runs in the worker, so the table stays right however the page filters
// or pauses its own view of the trace.
import { TASK_FLAG_WASI, TASK_FLAG_WASM, type TraceRecord } from '../board/devices/trace.ts';
import type { TaskRow, TaskRuntime, TaskState } from './protocol.ts';

/** The kernel's task states (docs/trace.md): task_info.state, then 6 = waiting for a service name, 7 = idle. */
const STATES: readonly TaskState[] = ['ready', 'send', 'recv', 'call', 'sleep', 'exited', 'lookup', 'ready'];

function stateOf(id: number, state: number): TaskState {
  // The idle task (0) is always ready to run; its internal state means nothing to users.
  if (id === 0) return 'ready';
  return STATES[state] ?? 'blocked';
}

/** In these states the kernel's peer says whom the task waits on. */
const hasPeer = (s: TaskState): boolean => s === 'send' || s === 'recv' || s === 'call';

function runtimeOf(flags: number | undefined): TaskRuntime {
  if (flags === undefined) return 'unknown'; // a kernel from before the flags
  if (flags & TASK_FLAG_WASI) return 'wasi';
  return flags & TASK_FLAG_WASM ? 'wasmos' : 'native';
}

export const KERNEL_TASK_NAME = 'kernel (idle)';

interface Entry {
  row: TaskRow;
  /** The previous statistics, for the CPU share. */
  statsTime: number;
  statsInstret: number;
}

export class TaskTracker {
  private tasks = new Map<number, Entry>();
  private exitedOrder: number[] = [];
  private current = -1;
  /** Set when the table changed since the last rows(). */
  dirty = false;

  constructor(private readonly keepExited = 64) {
    this.reset();
  }

  reset(): void {
    this.tasks.clear();
    this.exitedOrder = [];
    this.current = -1;
    this.entry(0).row.state = 'ready';
    this.dirty = true;
  }

  private entry(id: number): Entry {
    let e = this.tasks.get(id);
    if (!e) {
      e = {
        row: {
          id, name: id === 0 ? KERNEL_TASK_NAME : `task ${id}`, parent: 0, priority: 0, state: 'unknown', waitingOn: null,
          runtime: id === 0 ? 'kernel' : 'unknown', services: [],
          cpu: 0, instret: 0, memBytes: 0, switches: 0, sent: 0, received: 0, faults: 0, exitReason: null,
        },
        statsTime: -1, statsInstret: 0,
      };
      this.tasks.set(id, e);
    }
    return e;
  }

  private exited(id: number, reason: number): void {
    const e = this.entry(id);
    if (e.row.state !== 'exited') this.exitedOrder.push(id);
    Object.assign(e.row, { state: 'exited', exitReason: reason, cpu: 0, waitingOn: null });
    if (this.current === id) this.current = -1;
    while (this.exitedOrder.length > this.keepExited) this.tasks.delete(this.exitedOrder.shift()!);
  }

  feed(records: readonly TraceRecord[]): void {
    for (const r of records) {
      switch (r.kind) {
        case 'task-create': {
          // A recycled slot gets a new id, but a stale exited row with this id would confuse counts.
          const old = this.tasks.get(r.id);
          if (old?.row.state === 'exited') { this.tasks.delete(r.id); this.exitedOrder = this.exitedOrder.filter((x) => x !== r.id); }
          Object.assign(this.entry(r.id).row, {
            name: r.name || `task ${r.id}`, parent: r.parent, priority: r.priority, state: 'ready', runtime: runtimeOf(r.flags),
          });
          break;
        }
        case 'task-exit':
          this.exited(r.id, r.reason);
          break;
        case 'ipc':
          this.ipc(r.op, r.src, r.dst, r.result);
          break;
        case 'fault':
          this.entry(r.id).row.faults++;
          break;
        case 'task-stats':
          this.stats(r.time, r.id, r.state, r.instret, r.memBytes, r.switches, r.peer);
          break;
        case 'service': {
          // A registration makes its task a server (the record's task is the one registering).
          const row = this.entry(r.task).row;
          if (r.op === 'register' && r.result >= 0 && !row.services.includes(r.name)) row.services = [...row.services, r.name];
          break;
        }
        case 'switch': {
          const from = this.tasks.get(r.from);
          if (from && from.row.state !== 'exited' && r.fromState !== undefined) {
            // The kernel says why it left the CPU: preempted, or blocked and on whom.
            this.setState(from.row, stateOf(r.from, r.fromState), r.fromPeer);
          } else if (from && from.row.state === 'running') from.row.state = 'ready';
          const to = this.entry(r.to);
          if (to.row.state !== 'exited') { to.row.state = 'running'; to.row.waitingOn = null; }
          this.current = r.to;
          break;
        }
        default:
          continue;
      }
      this.dirty = true;
    }
  }

  private ipc(op: string, src: number, dst: number, result: number): void {
    if (result < 0 || op === 'recv') return; // a receive returning repeats a delivery already counted
    const s = this.tasks.get(src);
    const d = this.tasks.get(dst);
    if (s) s.row.sent++;
    if (d) d.row.received++;
    // The caller now waits for the reply; the reply frees it.
    if (op === 'call' && s && dst !== 0) { s.row.state = 'call'; s.row.waitingOn = dst; }
    if (op === 'reply' && d && d.row.waitingOn === src) {
      d.row.waitingOn = null;
      if (d.row.state === 'call') d.row.state = 'ready';
    }
  }

  private setState(row: TaskRow, s: TaskState, peer: number | undefined): void {
    if (s === 'exited') return; // TASK_EXIT says why
    row.state = s;
    if (peer !== undefined) row.waitingOn = hasPeer(s) ? peer : null;
    else if (s !== 'call') row.waitingOn = null; // older kernels: only an unanswered call tells its peer
  }

  private stats(time: number, id: number, state: number, instret: number, memBytes: number, switches: number, peer?: number): void {
    const e = this.entry(id);
    const row = e.row;
    if (e.statsTime >= 0 && time > e.statsTime) {
      row.cpu = Math.min(1, Math.max(0, (instret - e.statsInstret) / (time - e.statsTime)));
    }
    e.statsTime = time;
    e.statsInstret = instret;
    Object.assign(row, { instret, memBytes, switches });
    if (row.state === 'exited') return;
    const s = stateOf(id, state);
    if (s === 'exited') { this.exited(id, row.exitReason ?? 0); return; }
    this.setState(row, id === this.current && s === 'ready' ? 'running' : s, peer);
  }

  /** The machine stopped (powered off): no task runs any more, whatever the last records said. */
  machineStopped(): void {
    for (const e of this.tasks.values()) {
      if (e.row.state === 'exited') continue;
      Object.assign(e.row, { state: 'exited', cpu: 0, waitingOn: null });
    }
    this.current = -1;
    this.dirty = true;
  }

  /** Live tasks, then the exited ones, each by id. */
  rows(): TaskRow[] {
    this.dirty = false;
    const all = [...this.tasks.values()].map((e) => ({ ...e.row }));
    return all.sort((a, b) => Number(a.state === 'exited') - Number(b.state === 'exited') || a.id - b.id);
  }

  /** Memory the kernel accounts to live tasks. */
  memBytes(): number {
    let sum = 0;
    for (const e of this.tasks.values()) if (e.row.state !== 'exited') sum += e.row.memBytes;
    return sum;
  }
}
