// The kernel's trace ring, read by the board's trace device: the self-test's
// events come out as decodable records, and nothing is written while the host
// does not read.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import type { TraceDevice, TraceRecord } from '../../src/board/devices/trace.ts';

const IMAGE = fileURLToPath(new URL('../../public/kernel.elf', import.meta.url));

function bootWithTrace(bootargs: string, enabled: boolean): { out: string; records: TraceRecord[]; trace: TraceDevice; corrupt: boolean; dropped: number } {
  const memMiB = 128;
  const m = new Machine({ image: new Uint8Array(readFileSync(IMAGE)), bootargs, memMiB });
  const trace = m.trace!;
  trace.setEnabled(enabled);
  let out = '';
  m.onSerial = (b) => { out += Buffer.from(b).toString('latin1'); };
  const records: TraceRecord[] = [];
  let corrupt = false;
  let dropped = 0;
  for (let i = 0; i < 400; i++) {
    const r = m.run(1_000_000);
    const batch = trace.drain();
    records.push(...batch.records);
    corrupt ||= batch.corrupt;
    dropped = batch.dropped;
    if (r.kind === 'poweroff' || r.kind === 'reset') break;
  }
  return { out, records, trace, corrupt, dropped };
}

describe('kernel trace ring on the board', () => {
  it('records the self-test: tasks, IPC with payloads, denials, faults, statistics', () => {
    const { out, records, trace, corrupt, dropped } = bootWithTrace('selftest', true);
    expect(out).toMatch(/^selftest: \d+ passed, 0 failed/m);
    expect(trace.isAttached).toBe(true);
    expect(corrupt).toBe(false);
    expect(dropped).toBe(0);
    const of = <K extends TraceRecord['kind']>(k: K) => records.filter((r): r is Extract<TraceRecord, { kind: K }> => r.kind === k);

    const created = of('task-create');
    const root = created.find((r) => r.name === 'selftest');
    expect(root).toBeDefined();
    expect(created.length).toBeGreaterThan(300);
    expect(of('task-exit').length).toBeGreaterThan(300);

    const ipc = of('ipc');
    const ping = ipc.find((r) => r.op === 'call' && r.dst === 0 && r.type === 9);
    expect(ping && new TextDecoder().decode(ping.payload)).toBe('hello\0');
    expect(ipc.some((r) => r.op === 'reply' && r.src === 0 && r.type === 10)).toBe(true);
    expect(ipc.some((r) => r.op === 'send' && r.result === -3)).toBe(true); // E_WOULD_BLOCK
    expect(ipc.some((r) => r.op === 'send' && r.result === -6)).toBe(true); // E_DEADLOCK
    expect(ipc.some((r) => r.op === 'recv' && r.result === -7)).toBe(true); // E_TIMEOUT
    expect(ipc.some((r) => r.op === 'notify' && r.type === 4)).toBe(true); // NOTIFY_TASK_EXITED

    const denied = of('denied');
    expect(denied.some((r) => r.what === 'lookup' && r.name === 'selftest')).toBe(true);
    expect(denied.some((r) => r.what === 'register' && r.name === 'acl-fake')).toBe(true);
    expect(denied.some((r) => r.what === 'mmio')).toBe(true);
    expect(of('service').some((r) => r.op === 'register' && r.name === 'echo' && r.result === 0)).toBe(true);

    const faults = of('fault');
    expect(faults.map((f) => f.cause)).toEqual(expect.arrayContaining([15, 2, 3])); // store page fault, illegal, ebreak
    const stats = of('task-stats');
    expect(stats.some((s) => s.id === root!.id && s.instret > 0 && s.memBytes >= 16384)).toBe(true);
    expect(of('irq').some((r) => r.irq === 10)).toBe(true);
    expect(of('log').some((r) => r.text.includes('selftest: start'))).toBe(true);

    // Time stamps (instret) never go backwards.
    for (let i = 1; i < records.length; i++) expect(records[i]!.time).toBeGreaterThanOrEqual(records[i - 1]!.time);
  });

  it('writes nothing while the host does not read', () => {
    const { out, records, trace, dropped } = bootWithTrace('selftest', false);
    expect(out).toMatch(/^selftest: \d+ passed, 0 failed/m);
    expect(trace.isAttached).toBe(true);
    expect(records).toEqual([]);
    expect(dropped).toBe(0);
  });
});
