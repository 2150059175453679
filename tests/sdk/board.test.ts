// The committed example modules (servers/build) on the real thing: the
// committed kernel on the emulated board, started from a boot archive. The
// AssemblyScript and C clients talk to the AssemblyScript service through the
// kernel, and the kernel's IPC trace, decoded with the IDL's TypeScript
// decoders, shows the messages the trace viewer will show. Task ids and exits
// come from the trace too, so the test does not depend on how the boot task
// (or a later init) words its log. A test program also looks the service up
// by message (service_lookup, the IDL's 64-byte name) before it registers.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import type { TraceRecord } from '../../src/board/devices/trace.ts';
import { bootArchive } from '../../src/host/boot-archive.ts';
import { decodeMessage, formatMessage } from '../../src/idl/generated/messages.ts';
import { ROOT, buildAs } from './helpers.ts';

const module = (name: string) => new Uint8Array(readFileSync(`${ROOT}/servers/build/examples/${name}.wasm`));
const kernel = new Uint8Array(readFileSync(`${ROOT}/public/kernel.elf`));

type Ipc = Extract<TraceRecord, { kind: 'ipc' }>;

interface Run {
  out: string;
  ipc: Ipc[];
  /** Task ids and exit reasons by task name, from the trace (not from any log format). */
  ids: Map<string, number>;
  exits: Map<string, number>;
}

function boot(lookupMessage: Uint8Array): Run {
  const initrd = bootArchive(
    {
      'lookup-message.wasm': lookupMessage,
      'hello.wasm': module('hello'),
      'echo-service.wasm': module('echo-service'),
      'echo-client.wasm': module('echo-client'),
      'hello-c.wasm': module('hello-c'),
    },
    [
      { module: 'lookup-message.wasm', name: 'lookup-message', uses: ['example-echo'] },
      { module: 'hello.wasm', name: 'hello', args: ['one', 'two'] },
      { module: 'echo-service.wasm', name: 'echo-service', provides: ['example-echo'] },
      { module: 'echo-client.wasm', name: 'echo-client', uses: ['example-echo'] },
      { module: 'hello-c.wasm', name: 'hello-c', uses: ['example-echo'] },
    ],
  );
  const m = new Machine({ image: kernel, initrd, memMiB: 128 });
  m.trace!.setEnabled(true);
  let out = '';
  m.onSerial = (b) => {
    out += new TextDecoder('latin1').decode(b);
  };
  const ipc: Ipc[] = [];
  const ids = new Map<string, number>();
  const exits = new Map<string, number>();
  const names = new Map<number, string>();
  const done = () => ['lookup-message', 'hello', 'echo-client', 'hello-c'].every((n) => exits.has(n));
  while (m.cycles < 600_000_000 && !done()) {
    const r = m.run(2_000_000);
    for (const rec of m.trace!.drain().records) {
      if (rec.kind === 'ipc') ipc.push(rec);
      if (rec.kind === 'task-create') {
        ids.set(rec.name, rec.id);
        names.set(rec.id, rec.name);
      }
      if (rec.kind === 'task-exit' && names.has(rec.id)) exits.set(names.get(rec.id)!, rec.reason);
    }
    if (r.kind === 'poweroff' || r.kind === 'reset') break;
  }
  return { out: out.replace(/\r/g, ''), ipc, ids, exits };
}

describe('the examples on WasmOS (board, committed kernel)', () => {
  let run: Run;
  beforeAll(async () => {
    const path = 'servers/sdk/assembly/test-lookup-message.ts';
    const source = readFileSync(new URL('./programs/lookup-message.as', import.meta.url), 'utf8');
    run = boot(await buildAs(path, new Map([[path, source]])));
  });
  const id = (name: string) => run.ids.get(name)!;

  it('run to completion with the expected output', () => {
    const { out, exits } = run;
    expect(Object.fromEntries(exits)).toEqual({ 'lookup-message': 0, hello: 0, 'echo-client': 0, 'hello-c': 0 });
    expect(out).toContain('lookup by message: same task\n');
    expect(out).toMatch(/^Hello from WasmOS! I am task \d+, up for \d+ ms\.\n {2}argument 1: one\n {2}argument 2: two$/m);
    expect(out).toContain('example-echo: ready\n');
    for (const line of ['ping 41 -> 42', 'echo -> hello, echo', 'tcpip_read -> E_UNSUPPORTED', 'ping 99 -> 100', 'echo -> bytes from C']) {
      expect(out).toMatch(new RegExp(`^${line}$`, 'm'));
    }
    expect(out).toContain(`Hello from C on WasmOS, task ${id('hello-c')}\n`);
  });

  it('leave an IPC trace the IDL decoders name and decode', () => {
    const service = id('echo-service');
    const client = id('echo-client');
    const between = run.ipc
      .filter((r) => (r.op === 'call' || r.op === 'reply') && ((r.src === client && r.dst === service) || (r.src === service && r.dst === client)))
      .map((r) => `${r.op} ${formatMessage(decodeMessage(r.type, r.payload))}`);
    expect(between).toEqual([
      'call ping { value: 41 }',
      'reply ping_reply { value: 42 }',
      'call echo { data: "hello, echo"… }',
      'reply echo_reply { data: "hello, echo"… }',
      'call tcpip_read { sock: 1 }',
      'reply E_UNSUPPORTED',
    ]);
    const lookups = run.ipc.filter((r) => r.op === 'call' && r.dst === 0).map((r) => decodeMessage(r.type, r.payload).name);
    expect(lookups.every((n) => !n.startsWith('type '))).toBe(true);
  });
});
