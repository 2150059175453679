// How the Tasks panel words a task's state.
import type { TaskRow, TaskState } from '../../host/protocol.ts';
import { exitReasonLabel, taskLabel, type TaskNames } from '../trace/describe.ts';

const STATE_LABELS: Record<TaskState, string> = {
  running: 'running', ready: 'ready', send: 'blocked in send', recv: 'blocked in receive', call: 'blocked in call',
  sleep: 'sleeping', blocked: 'blocked', exited: 'exited', unknown: '—',
};

export function stateLabel(t: TaskRow, names: TaskNames): string {
  if (t.state === 'exited') return t.exitReason === null ? 'stopped (power off)' : `exited (${exitReasonLabel(t.exitReason)})`;
  const base = STATE_LABELS[t.state];
  return t.waitingOn !== null ? `${base} on ${taskLabel(t.waitingOn, names)}` : base;
}

/** Every task is a kernel task until the Wasm servers and apps (step 4) tell their kind. */
export function kindLabel(t: TaskRow): string {
  return t.id === 0 ? 'kernel' : 'task';
}
