// Words for trace events: message names and fields decoded with the bindings
// generated from the IDL (servers/idl/messages.idl), error and exit names,
// notification bits, fault causes.
import type { TraceRecord } from '../../board/devices/trace.ts';
import {
  decodeMessage, formatMessage, messageName,
  NOTIFY_ASYNC, NOTIFY_IRQ, NOTIFY_TASK_EXITED, NOTIFY_TIMER, NOTIFY_USER_SHIFT,
  EXIT_FAULT, EXIT_KILLED, EXIT_NO_MEMORY, EXIT_STACK_OVERFLOW, EXIT_WASM_TRAP,
} from '../../idl/generated/messages.ts';
import type { TraceEvent } from './trace-event.ts';
import { formatCount } from '../app/format.ts';

export type TaskNames = ReadonlyMap<number, string>;

export function taskLabel(id: number, names: TaskNames): string {
  if (id === 0) return 'kernel';
  const name = names.get(id);
  return name ? `${name} (${id})` : `task ${id}`;
}

/** "ping", "E_NOT_FOUND", or "type 123" for numbers the IDL does not define. */
export function typeLabel(type: number): string {
  return messageName(type);
}

const EXIT_NAMES: Record<number, string> = {
  [EXIT_KILLED]: 'killed', [EXIT_FAULT]: 'fault', [EXIT_STACK_OVERFLOW]: 'stack overflow',
  [EXIT_WASM_TRAP]: 'Wasm trap', [EXIT_NO_MEMORY]: 'out of memory',
};

export function exitReasonLabel(reason: number): string {
  return reason >= 0 ? `exit ${reason}` : EXIT_NAMES[reason] ?? `exit ${reason}`;
}

const NOTIFY_BITS: Array<[number, string]> = [
  [NOTIFY_TIMER, 'timer'], [NOTIFY_IRQ, 'irq'], [NOTIFY_TASK_EXITED, 'task exited'], [NOTIFY_ASYNC, 'async'],
];

export function notifyBitsLabel(bits: number): string {
  const parts = NOTIFY_BITS.filter(([b]) => (bits & b) !== 0).map(([, n]) => n);
  const user = bits >>> NOTIFY_USER_SHIFT;
  if (user) parts.push(`user 0x${user.toString(16)}`);
  return parts.length ? parts.join(' | ') : '0';
}

const CAUSES: Record<number, string> = {
  0: 'misaligned fetch', 1: 'fetch access fault', 2: 'illegal instruction', 3: 'breakpoint', 4: 'misaligned load',
  5: 'load access fault', 6: 'misaligned store', 7: 'store access fault', 12: 'fetch page fault', 13: 'load page fault',
  15: 'store page fault',
};

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** What happened, in a word or two ("call", "task exit"). */
export function eventKindLabel(rec: TraceRecord): string {
  switch (rec.kind) {
    case 'ipc': return rec.op;
    case 'task-create': return 'task create';
    case 'task-exit': return 'task exit';
    case 'task-stats': return 'stats';
    case 'unknown': return `record ${rec.code}`;
    default: return rec.kind;
  }
}

/** The message name of an IPC event ("" for others). */
export function eventMessage(rec: TraceRecord): string {
  if (rec.kind !== 'ipc') return '';
  if (rec.op === 'notify') return 'notify';
  if (rec.op === 'recv' && rec.result < 0) return ''; // nothing was received
  return typeLabel(rec.type);
}

/** The rest: decoded fields, results, reasons. */
export function eventDetail(rec: TraceRecord, names: TaskNames): string {
  switch (rec.kind) {
    case 'ipc': {
      if (rec.op === 'notify') return `bits: ${notifyBitsLabel(rec.type)}`;
      const failed = rec.result < 0 ? `failed: ${messageName(rec.result)}` : '';
      if (rec.op === 'recv') return failed || `${rec.len} bytes`;
      const decoded = rec.type < 0 ? '' : formatMessage(decodeMessage(rec.type, rec.payload));
      // formatMessage repeats the name first; the table has its own column for it.
      const fields = decoded.startsWith(`${typeLabel(rec.type)} `) ? decoded.slice(typeLabel(rec.type).length + 1) : '';
      return [fields, failed, `${rec.len} bytes`].filter(Boolean).join('  ');
    }
    case 'task-create': return `${taskLabel(rec.id, names)} by ${taskLabel(rec.parent, names)}, priority ${rec.priority}`;
    case 'task-exit': return `${taskLabel(rec.id, names)}: ${exitReasonLabel(rec.reason)}`;
    case 'denied': return `${rec.what} ${rec.name ? `"${rec.name}"` : ''} target ${rec.target}`.replace(/\s+/g, ' ');
    case 'fault': return `${taskLabel(rec.id, names)}: ${CAUSES[rec.cause] ?? `cause ${rec.cause}`} at ${hex(rec.epc)} (tval ${hex(rec.tval)})`;
    case 'task-stats':
      return `${taskLabel(rec.id, names)}: state ${rec.state}, ${formatCount(rec.instret)} instructions, ${rec.memBytes} bytes, ${rec.switches} switches`;
    case 'service': return `${rec.op} "${rec.name}": ${rec.result < 0 ? messageName(rec.result) : rec.op === 'lookup' ? `task ${rec.result}` : 'ok'}`;
    case 'switch': return `${taskLabel(rec.from, names)} → ${taskLabel(rec.to, names)}`;
    case 'log': return rec.text.replace(/\s+$/, '');
    case 'irq': return `irq ${rec.irq} → ${taskLabel(rec.owner, names)}`;
    case 'unknown': return `${rec.bytes.length} bytes`;
  }
}

/** Who sent and who got it, for IPC events. */
export function eventRoute(rec: TraceRecord, names: TaskNames): string {
  return rec.kind === 'ipc' ? `${taskLabel(rec.src, names)} → ${taskLabel(rec.dst, names)}` : '';
}

/** Lower-case text searched by the viewer's search box (cached on the event). */
export function searchText(ev: TraceEvent, names: TaskNames): string {
  ev.text ??= [
    eventKindLabel(ev.rec), eventMessage(ev.rec), eventRoute(ev.rec, names), eventDetail(ev.rec, names), taskLabel(ev.rec.task, names),
  ].join(' ').toLowerCase();
  return ev.text;
}
