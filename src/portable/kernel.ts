// The portable kernel: WasmOS's IPC and service rules (kernel/core/ipc.c,
// service.c, kernel_endpoint.c) on the main thread of one Node process or page.
// Every operation takes the calling task and either completes at once or
// leaves the task blocked until `wake` is called — the same rendezvous as the
// kernel: a message is handed over when both sides are ready, a call waits for
// exactly one reply, receive can select a sender, notifications arrive when a
// task receives from anyone (or from task 0). Timeouts are wall-clock ms.
import {
  E_DEADLOCK,
  E_DENIED,
  E_EXISTS,
  E_EXITED,
  E_INVALID,
  E_NO_TASK,
  E_NOT_FOUND,
  E_TIMEOUT,
  E_WOULD_BLOCK,
  MSG_NOTIFY,
  MSG_PING,
  MSG_PING_REPLY,
  MSG_SERVICE_LOOKUP,
  MSG_SERVICE_LOOKUP_REPLY,
  MSG_SERVICE_REGISTER,
  MSG_SERVICE_REGISTER_REPLY,
  NOTIFY_TASK_EXITED,
  NOTIFY_TIMER,
} from '../idl/generated/messages.ts';
import { IPC_ANY, IPC_FOREVER, MSG_HEADER, NOTIFY_MAX_EXITED, SERVICE_NAME_MAX, TASK_KERNEL } from './abi.ts';
import { listHas, nameList, Task, type Wake } from './task.ts';

export interface TaskOptions {
  name: string;
  parent?: number;
  uses?: string | null;
  provides?: string | null;
}

export class PortableKernel {
  private readonly tasks = new Map<number, Task>();
  private readonly services = new Map<string, number>();
  private readonly lookups: { task: Task; name: string }[] = [];
  /** Services started on their first lookup (the host's TypeScript services). */
  private readonly onDemand = new Map<string, () => void>();
  private nextId = 1;
  /** Tasks alive, for `idle` watchers. */
  onExit: (t: Task) => void = () => {};

  createTask(o: TaskOptions): Task {
    const t = new Task(this.nextId++, o.name, o.parent ?? TASK_KERNEL, nameList(o.uses), nameList(o.provides));
    this.tasks.set(t.id, t);
    return t;
  }

  task(id: number): Task | undefined {
    return this.tasks.get(id);
  }

  liveTasks(): Task[] {
    return [...this.tasks.values()];
  }

  /** Registers a provider that is started (and registers `name` itself) when someone first looks it up. */
  provideOnDemand(name: string, start: () => void): void {
    this.onDemand.set(name, start);
  }

  // ---- IPC ----

  /** ipc_call: send `msg`, wait for the reply. wake(reply length or error, reply). */
  call(me: Task, dst: number, msg: Uint8Array, wake: Wake): void {
    if (dst === TASK_KERNEL) return this.kernelEndpoint(me, msg, wake);
    this.doSend(me, dst, msg, IPC_FOREVER, true, wake);
  }

  /** wasmos.send: wait until dst has received it (up to timeout). */
  send(me: Task, dst: number, msg: Uint8Array, timeout: number, wake: Wake): void {
    if (dst === TASK_KERNEL) return wake(E_INVALID);
    this.doSend(me, dst, msg, timeout, false, wake);
  }

  private doSend(me: Task, dstId: number, msg: Uint8Array, timeout: number, call: boolean, wake: Wake): void {
    const dst = this.tasks.get(dstId);
    if (!dst) return wake(E_NO_TASK);
    if (!this.maySend(me, dst)) return wake(E_DENIED);
    if (dst.state === 'recv' && accepts(dst, me.id)) {
      if (!call) {
        this.deliver(dst, msg, me);
        return wake(0);
      }
      // Waiting for the reply before the callee runs: a callee that answers at once finds us ready.
      me.peer = dst.id;
      this.block(me, 'reply', timeout, wake);
      return this.deliver(dst, msg, me);
    }
    if (timeout === 0) return wake(E_WOULD_BLOCK);
    if (this.wouldDeadlock(me, dst)) return wake(E_DEADLOCK);
    me.peer = dst.id;
    me.outbox = msg;
    me.calling = call;
    dst.senders.push(me);
    this.block(me, 'send', timeout, wake);
  }

  /**
   * A oneway message from a TypeScript service that must not block the
   * service itself (tcpip_data to a socket's owner): queued on dst like a
   * send from `me`, so dst receives it with src = me; onDone(0) once received.
   */
  sendDetached(me: Task, dstId: number, msg: Uint8Array, onDone: (r: number) => void = () => {}): void {
    const dst = this.tasks.get(dstId);
    if (!dst) return onDone(E_NO_TASK);
    if (dst.state === 'recv' && accepts(dst, me.id)) {
      this.deliver(dst, msg, me);
      return onDone(0);
    }
    const proxy = new Task(me.id, me.name, me.parent, me.uses, me.provides);
    proxy.state = 'send';
    proxy.peer = dst.id;
    proxy.outbox = msg;
    proxy.wake = onDone;
    dst.senders.push(proxy);
  }

  /** Receive: from a task id, 0 (notifications) or IPC_ANY. wake(length, message). */
  recv(me: Task, from: number, timeout: number, wake: Wake): void {
    if (from < IPC_ANY) return wake(E_INVALID);
    if (from > 0 && !this.tasks.has(from)) return wake(E_NO_TASK);
    if (from === me.id) return wake(E_DEADLOCK);
    me.peer = from;
    if (wantsNotifications(me) && me.notifyBits !== 0) {
      const n = this.takeNotification(me);
      return wake(n.length, n);
    }
    const i = me.senders.findIndex((s) => accepts(me, s.id));
    if (i >= 0) {
      const s = me.senders[i]!;
      me.senders.splice(i, 1);
      const msg = this.stamp(s.outbox!, s.id);
      me.mayMessage.add(s.id);
      s.outbox = null;
      if (s.calling) {
        // Received: the caller now waits for the reply (its deadline stays).
        s.state = 'reply';
        s.peer = me.id;
      } else {
        this.wakeTask(s, 0);
      }
      return wake(msg.length, msg);
    }
    if (timeout === 0) return wake(E_WOULD_BLOCK);
    this.block(me, 'recv', timeout, wake);
    if (!me.ready) me.markReady();
  }

  /** ipc_reply: dst must be waiting in a call on us. Returns 0 or the error (Wasm's env.ipc_reply drops it). */
  reply(me: Task, dstId: number, msg: Uint8Array): number {
    const dst = this.tasks.get(dstId);
    if (!dst) return E_NO_TASK;
    if (dst.state !== 'reply' || dst.peer !== me.id) return E_WOULD_BLOCK;
    this.wakeTask(dst, msg.length, this.stamp(msg, me.id));
    return 0;
  }

  notify(me: Task, dstId: number, bits: number): number {
    if (bits === 0) return E_INVALID;
    const dst = this.tasks.get(dstId);
    if (!dst) return E_NO_TASK;
    if (!this.maySend(me, dst)) return E_DENIED;
    this.post(dst, bits >>> 0);
    return 0;
  }

  /** timer_set: a one-shot NOTIFY_TIMER after ms (0 cancels). */
  timerSet(me: Task, ms: number): number {
    if (ms < 0) return E_INVALID;
    if (me.timer) clearTimeout(me.timer);
    me.timer = ms === 0 ? null : setTimeout(() => {
      me.timer = null;
      if (me.state !== 'exited') this.post(me, NOTIFY_TIMER);
    }, ms);
    return 0;
  }

  // ---- services ----

  lookup(me: Task, name: string, timeout: number, wake: Wake): void {
    if (!validName(name)) return wake(E_INVALID);
    if (!listHas(me.uses, name)) return wake(E_DENIED);
    const found = this.services.get(name);
    if (found !== undefined) {
      me.mayMessage.add(found);
      return wake(found);
    }
    const start = this.onDemand.get(name);
    if (start) {
      this.onDemand.delete(name);
      start();
      const now = this.services.get(name);
      if (now !== undefined) {
        me.mayMessage.add(now);
        return wake(now);
      }
    }
    if (timeout === 0) return wake(E_NOT_FOUND);
    this.lookups.push({ task: me, name });
    this.block(me, 'lookup', timeout, wake);
  }

  register(me: Task, name: string): number {
    if (!validName(name)) return E_INVALID;
    if (!listHas(me.provides, name)) return E_DENIED;
    if (this.services.has(name)) return E_EXISTS;
    this.services.set(name, me.id);
    this.onDemand.delete(name);
    for (const w of this.lookups.filter((l) => l.name === name)) {
      this.lookups.splice(this.lookups.indexOf(w), 1);
      w.task.mayMessage.add(me.id);
      this.wakeTask(w.task, me.id);
    }
    return 0;
  }

  /** The id registered as `name`, or undefined. */
  provider(name: string): number | undefined {
    return this.services.get(name);
  }

  // ---- tasks ----

  /** kill: own children only (reason EXIT_KILLED). */
  kill(me: Task, id: number, reason: number): number {
    const t = this.tasks.get(id);
    if (!t) return E_NO_TASK;
    if (t.parent !== me.id && me.id !== TASK_KERNEL) return E_DENIED;
    this.exit(t, reason);
    return 0;
  }

  /** Ends a task: its backend is stopped, waiters on it get E_EXITED, its parent a notification. */
  exit(t: Task, reason: number): void {
    if (t.state === 'exited') return;
    const wasBlocked = t.wake !== null;
    if (t.deadline) clearTimeout(t.deadline);
    if (t.timer) clearTimeout(t.timer);
    t.wake = null;
    if (wasBlocked || t.state !== 'running') this.unqueue(t);
    this.tasks.delete(t.id);
    for (const [name, id] of this.services) if (id === t.id) this.services.delete(name);
    t.markExited(reason);
    t.stop();
    for (const s of t.senders.splice(0)) this.wakeTask(s, E_EXITED);
    for (const o of this.tasks.values()) {
      if ((o.state === 'reply' || o.state === 'send' || o.state === 'recv') && o.peer === t.id) this.wakeTask(o, E_EXITED);
    }
    const parent = this.tasks.get(t.parent);
    if (parent) {
      parent.exits.push({ task: t.id, reason });
      this.post(parent, NOTIFY_TASK_EXITED);
    }
    this.onExit(t);
  }

  // ---- internals ----

  private kernelEndpoint(me: Task, msg: Uint8Array, wake: Wake): void {
    const dv = view(msg);
    const type = dv.getInt32(0, true);
    const answer = (type: number, payload?: number): void => {
      const r = new Uint8Array(msg.length);
      if (type === MSG_PING_REPLY) r.set(msg);
      const v = view(r);
      v.setInt32(0, type, true);
      v.setInt32(4, TASK_KERNEL, true);
      if (payload !== undefined) v.setInt32(MSG_HEADER, payload, true);
      wake(type < 0 ? type : r.length, r);
    };
    if (type === MSG_PING) return answer(MSG_PING_REPLY);
    if (type !== MSG_SERVICE_LOOKUP && type !== MSG_SERVICE_REGISTER) return answer(E_INVALID);
    const name = payloadName(msg);
    if (name === null) return answer(E_INVALID);
    if (type === MSG_SERVICE_REGISTER) {
      const r = this.register(me, name);
      return answer(r < 0 ? r : MSG_SERVICE_REGISTER_REPLY);
    }
    this.lookup(me, name, IPC_FOREVER, (id) => answer(id < 0 ? id : MSG_SERVICE_LOOKUP_REPLY, id < 0 ? undefined : id));
  }

  private maySend(me: Task, dst: Task): boolean {
    return me.uses === '*' || me.id === TASK_KERNEL || dst.parent === me.id || me.parent === dst.id || me.mayMessage.has(dst.id);
  }

  private wouldDeadlock(me: Task, dst: Task): boolean {
    let t: Task | undefined = dst;
    for (let i = 0; i <= this.tasks.size && t; i++) {
      if (t === me) return true;
      if (t.state === 'send' || t.state === 'reply' || (t.state === 'recv' && t.peer > 0)) t = this.tasks.get(t.peer);
      else return false;
    }
    return false;
  }

  /** Hands `msg` to a task blocked in recv, stamped with the sender. */
  private deliver(dst: Task, msg: Uint8Array, from: Task): void {
    dst.mayMessage.add(from.id);
    this.wakeTask(dst, msg.length, this.stamp(msg, from.id));
  }

  private stamp(msg: Uint8Array, src: number): Uint8Array {
    const c = msg.slice();
    view(c).setInt32(4, src, true);
    return c;
  }

  private post(t: Task, bits: number): void {
    t.notifyBits |= bits;
    if (t.state === 'recv' && wantsNotifications(t)) {
      const n = this.takeNotification(t);
      this.wakeTask(t, n.length, n);
    }
  }

  /** The pending notifications as a MSG_NOTIFY message (28 + 8 bytes per exit, as the kernel's). */
  private takeNotification(t: Task): Uint8Array {
    const exits = t.exits.splice(0, NOTIFY_MAX_EXITED);
    const m = new Uint8Array(MSG_HEADER + 20 + exits.length * 8);
    const v = view(m);
    v.setInt32(0, MSG_NOTIFY, true);
    v.setInt32(4, TASK_KERNEL, true);
    v.setUint32(8, t.notifyBits, true);
    v.setUint32(24, exits.length, true);
    exits.forEach((e, i) => {
      v.setInt32(28 + i * 8, e.task, true);
      v.setInt32(32 + i * 8, e.reason, true);
    });
    t.notifyBits = t.exits.length ? NOTIFY_TASK_EXITED : 0;
    return m;
  }

  private block(t: Task, state: Task['state'], timeout: number, wake: Wake): void {
    t.state = state;
    t.wake = wake;
    if (timeout > 0) t.deadline = setTimeout(() => {
      t.deadline = null;
      this.unqueue(t);
      this.wakeTask(t, E_TIMEOUT);
    }, timeout);
  }

  /** Takes a blocked task out of every queue it is in (timeout, exit). */
  private unqueue(t: Task): void {
    if (t.state === 'send') {
      const q = this.tasks.get(t.peer)?.senders;
      const i = q ? q.indexOf(t) : -1;
      if (q && i >= 0) q.splice(i, 1);
      t.outbox = null;
    }
    if (t.state === 'lookup') {
      const i = this.lookups.findIndex((l) => l.task === t);
      if (i >= 0) this.lookups.splice(i, 1);
    }
  }

  private wakeTask(t: Task, result: number, msg?: Uint8Array): void {
    const w = t.wake;
    if (t.deadline) clearTimeout(t.deadline);
    t.deadline = null;
    t.wake = null;
    if (t.state !== 'exited') t.state = 'running';
    if (w) w(result, msg);
  }
}

function accepts(r: Task, from: number): boolean {
  return r.peer === IPC_ANY || r.peer === from;
}

function wantsNotifications(r: Task): boolean {
  return r.peer === IPC_ANY || r.peer === TASK_KERNEL;
}

/** A service name as the kernel accepts it: 1..31 bytes, no ",", not "*". */
export function validName(name: string): boolean {
  const n = new TextEncoder().encode(name).length;
  return n > 0 && n < SERVICE_NAME_MAX && name !== '*' && !name.includes(',');
}

/** The NUL-terminated name in a lookup/register payload (64-byte field), or null. */
function payloadName(msg: Uint8Array): string | null {
  const field = msg.subarray(MSG_HEADER, MSG_HEADER + 64);
  const end = field.indexOf(0);
  if (end < 0 || end >= SERVICE_NAME_MAX) return null;
  return new TextDecoder().decode(field.subarray(0, end));
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

