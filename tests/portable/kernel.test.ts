// The portable kernel's IPC and service rules, checked against docs/abi.md
// (the same rules kernel/core/ipc.c and service.c implement): blocking call
// and reply, selective receive, deadlock and exit errors, notifications,
// service lookup/registration and the task-0 endpoint.
import { describe, expect, test } from 'vitest';
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
  encodeMessage,
  MSG_NOTIFY,
  MSG_SERVICE_LOOKUP_REPLY,
  NOTIFY_TASK_EXITED,
  NOTIFY_TIMER,
} from '../../src/idl/generated/messages.ts';
import { PortableKernel } from '../../src/portable/kernel.ts';

const msg = (type: number, value = 0): Uint8Array => {
  const m = new Uint8Array(1512);
  const v = new DataView(m.buffer);
  v.setInt32(0, type, true);
  v.setInt32(8, value, true);
  return m;
};
const i32 = (m: Uint8Array | undefined, at: number): number => new DataView(m!.buffer, m!.byteOffset).getInt32(at, true);

/** Collects wake-ups: [result, message]. */
function waker(): { got: [number, Uint8Array | undefined][]; wake: (r: number, m?: Uint8Array) => void } {
  const got: [number, Uint8Array | undefined][] = [];
  return { got, wake: (r, m) => void got.push([r, m]) };
}

function world() {
  const k = new PortableKernel();
  const a = k.createTask({ name: 'a', uses: '*', provides: '*' });
  const b = k.createTask({ name: 'b', uses: '*', provides: '*' });
  const c = k.createTask({ name: 'c', uses: 'x', provides: 'x' });
  return { k, a, b, c };
}

describe('call, receive and reply', () => {
  test('a call blocks until the reply; the reply carries the callee as src', () => {
    const { k, a, b } = world();
    const ca = waker();
    k.call(a, b.id, msg(9, 41), ca.wake);
    expect(ca.got).toEqual([]);
    expect(a.state).toBe('send');
    const rb = waker();
    k.recv(b, -1, -1, rb.wake);
    expect(rb.got[0]![0]).toBe(1512);
    expect(i32(rb.got[0]![1], 4)).toBe(a.id);
    expect(a.state).toBe('reply');
    expect(ca.got).toEqual([]);
    expect(k.reply(b, a.id, msg(10, 41))).toBe(0);
    expect(ca.got[0]![0]).toBe(1512);
    expect(i32(ca.got[0]![1], 0)).toBe(10);
    expect(i32(ca.got[0]![1], 4)).toBe(b.id);
    expect(i32(ca.got[0]![1], 8)).toBe(41);
  });

  test('reply to a task that is not waiting for us: E_WOULD_BLOCK; to nobody: E_NO_TASK', () => {
    const { k, a, b } = world();
    expect(k.reply(b, a.id, msg(10))).toBe(E_WOULD_BLOCK);
    expect(k.reply(b, 999, msg(10))).toBe(E_NO_TASK);
  });

  test('receive from one task leaves the others queued, in order', () => {
    const { k, a, b } = world();
    const d = k.createTask({ name: 'd', uses: '*' });
    k.send(a, d.id, msg(100, 1), -1, () => {});
    k.send(b, d.id, msg(100, 2), -1, () => {});
    const r = waker();
    k.recv(d, b.id, -1, r.wake);
    expect(i32(r.got[0]![1], 8)).toBe(2);
    k.recv(d, -1, -1, r.wake);
    expect(i32(r.got[1]![1], 8)).toBe(1);
  });

  test('deadlocks, unknown tasks, polls and timeouts', async () => {
    const { k, a, b, c } = world();
    const d = k.createTask({ name: 'd', uses: '*' });
    const r = waker();
    k.recv(a, a.id, -1, r.wake);
    k.call(c, 4242, msg(9), r.wake);
    k.recv(c, -5, -1, r.wake);
    k.send(a, d.id, msg(9), 0, r.wake); // d is not receiving: the poll fails
    k.call(a, b.id, msg(9), () => {});
    k.call(b, a.id, msg(9), r.wake); // b -> a while a waits on b
    expect(r.got.map((g) => g[0])).toEqual([E_DEADLOCK, E_NO_TASK, E_INVALID, E_WOULD_BLOCK, E_DEADLOCK]);
    const t0 = Date.now();
    const done = new Promise<number>((res) => k.recv(d, -1, 30, res));
    expect(await done).toBe(E_TIMEOUT);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });

  test('the peer exits while we wait on it: E_EXITED; its parent gets a notification', () => {
    const k = new PortableKernel();
    const parent = k.createTask({ name: 'p', uses: '*' });
    const child = k.createTask({ name: 'c', parent: parent.id, uses: '*' });
    const other = k.createTask({ name: 'o', uses: '*' });
    const r = waker();
    k.call(other, child.id, msg(9), r.wake);
    k.exit(child, 7);
    expect(r.got).toEqual([[E_EXITED, undefined]]);
    const n = waker();
    k.recv(parent, -1, -1, n.wake);
    const m = n.got[0]![1]!;
    expect(n.got[0]![0]).toBe(36); // header + bits + irqs + n_exited + one exit
    expect([i32(m, 0), i32(m, 4), i32(m, 8), i32(m, 24), i32(m, 28), i32(m, 32)]).toEqual([MSG_NOTIFY, 0, NOTIFY_TASK_EXITED, 1, child.id, 7]);
  });

  test('notify and timer_set arrive as MSG_NOTIFY when receiving from anyone', async () => {
    const { k, a, b } = world();
    expect(k.notify(a, b.id, 0)).toBe(E_INVALID);
    expect(k.notify(a, b.id, 0x100)).toBe(0);
    const r = waker();
    k.recv(b, -1, 0, r.wake);
    expect(i32(r.got[0]![1], 8)).toBe(0x100);
    k.timerSet(b, 10);
    const bits = await new Promise<number>((res) => k.recv(b, -1, -1, (_, m) => res(i32(m, 8))));
    expect(bits).toBe(NOTIFY_TIMER);
  });
});

describe('services', () => {
  test('lookup waits for the registration; poll, denied, exists, bad names', () => {
    const { k, a, b, c } = world();
    const r = waker();
    k.lookup(a, 'svc', -1, r.wake);
    expect(r.got).toEqual([]);
    expect(k.register(b, 'svc')).toBe(0);
    expect(r.got).toEqual([[b.id, undefined]]);
    expect(k.register(a, 'svc')).toBe(E_EXISTS);
    expect(k.register(c, 'svc')).toBe(E_DENIED);
    k.lookup(c, 'svc', 0, r.wake);
    k.lookup(a, 'none', 0, r.wake);
    k.lookup(a, 'a,b', 0, r.wake);
    k.lookup(a, 'x'.repeat(32), 0, r.wake);
    expect(r.got.slice(1).map((g) => g[0])).toEqual([E_DENIED, E_NOT_FOUND, E_INVALID, E_INVALID]);
    k.exit(b, 0);
    k.lookup(a, 'svc', 0, r.wake);
    expect(r.got.at(-1)![0]).toBe(E_NOT_FOUND); // a service goes away with its task
  });

  test('task 0 answers ping and service_lookup messages', () => {
    const { k, a, b } = world();
    k.register(b, 'svc');
    const r = waker();
    k.call(a, 0, msg(9, 5), r.wake);
    expect([i32(r.got[0]![1], 0), i32(r.got[0]![1], 8)]).toEqual([10, 5]);
    const m = new Uint8Array(1512);
    m.set(encodeMessage('service_lookup', { name: 'svc' }));
    k.call(a, 0, m, r.wake);
    expect([i32(r.got[1]![1], 0), i32(r.got[1]![1], 8)]).toEqual([MSG_SERVICE_LOOKUP_REPLY, b.id]);
    k.call(a, 0, msg(57), r.wake);
    expect(r.got[2]![0]).toBe(E_INVALID);
  });

  test('a service offered on demand starts on its first lookup', () => {
    const k = new PortableKernel();
    const a = k.createTask({ name: 'a', uses: '*' });
    let started = 0;
    k.provideOnDemand('od', () => {
      started++;
      const s = k.createTask({ name: 'od', provides: 'od' });
      k.register(s, 'od');
    });
    const r = waker();
    k.lookup(a, 'od', 0, r.wake);
    k.lookup(a, 'od', 0, r.wake);
    expect(started).toBe(1);
    expect(r.got[0]![0]).toBeGreaterThan(0);
    expect(r.got[1]![0]).toBe(r.got[0]![0]);
  });
});
