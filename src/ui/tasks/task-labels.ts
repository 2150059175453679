// How the Tasks panel words a task's state and kind.
import type { TaskRow, TaskRuntime, TaskState } from '../../host/protocol.ts';
import { exitReasonLabel, taskLabel, type TaskNames } from '../trace/describe.ts';

const STATE_LABELS: Record<TaskState, string> = {
  running: 'running', ready: 'ready', send: 'blocked in send', recv: 'blocked in receive', call: 'blocked in call',
  sleep: 'sleeping', lookup: 'waiting for a service', blocked: 'blocked', exited: 'exited', unknown: '—',
};

/** The words for whom a task waits on: a receive may take from anyone (-1) or the kernel only (0). */
function peerLabel(t: TaskRow, names: TaskNames): string {
  if (t.waitingOn === -1) return 'from anyone';
  if (t.waitingOn === 0 && t.state === 'recv') return 'from the kernel';
  return `on ${taskLabel(t.waitingOn!, names)}`;
}

export function stateLabel(t: TaskRow, names: TaskNames): string {
  if (t.state === 'exited') return t.exitReason === null ? 'stopped (power off)' : `exited (${exitReasonLabel(t.exitReason)})`;
  const base = STATE_LABELS[t.state];
  return t.waitingOn !== null ? `${base} ${peerLabel(t, names)}` : base;
}

const RUNTIME_LABELS: Record<TaskRuntime, string> = {
  kernel: 'kernel', native: 'kernel task', wasmos: 'WasmOS', wasi: 'WASI', unknown: 'task',
};

/** "WasmOS server", "WASI app", "kernel task": what it runs, and whether it provides a service. */
export function kindLabel(t: TaskRow): string {
  if (t.runtime === 'kernel') return 'kernel';
  const role = t.services.length > 0 ? 'server' : t.runtime === 'native' ? '' : 'app';
  return role ? `${RUNTIME_LABELS[t.runtime]} ${role}` : RUNTIME_LABELS[t.runtime];
}

/** The kind, spelled out for the cell's title (screen readers and hover). */
export function kindTitle(t: TaskRow): string {
  const runs: Record<TaskRuntime, string> = {
    kernel: 'the kernel\'s idle thread', native: 'native kernel code', wasmos: 'a Wasm module using the WasmOS interface',
    wasi: 'a Wasm module importing wasi_snapshot_preview1', unknown: 'not told by the trace',
  };
  const role = t.services.length > 0 ? `; provides ${t.services.join(', ')}` : '';
  return `Runs ${runs[t.runtime]}${role}`;
}
