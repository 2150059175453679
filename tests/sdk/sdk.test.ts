// The SDK's IPC, service loop, console, errors, time and arguments, run on the
// mock kernel: a test client and a test service (tests/sdk/programs/*.as,
// compiled against the real SDK) check each other.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MSG_HEADER } from '../../src/idl/schema.ts';
import { decodeWire, encodeMessage } from '../../src/idl/generated/messages.ts';
import { buildAs } from './helpers.ts';
import { MockKernel } from './mock-kernel.ts';

const program = (name: string) => {
  const path = `servers/sdk/assembly/test-${name}.ts`;
  return buildAs(path, new Map([[path, readFileSync(new URL(`./programs/${name}.as`, import.meta.url), 'utf8')]]));
};

let kernel: MockKernel | undefined;
afterEach(async () => {
  await kernel?.shutdown();
  kernel = undefined;
});

describe('the AssemblyScript SDK on the mock kernel', () => {
  it('calls, sends, registers, looks up, serves and prints', async () => {
    kernel = new MockKernel();
    const service = kernel.spawn(await program('sdk-service'), { name: 'probe-service' });
    const client = kernel.spawn(await program('sdk-client'), { name: 'probe-client' });
    expect(await kernel.waitExit(client), kernel.output(client)).toBe(0);
    expect(kernel.output(client)).toBe('through the kernel\nall checks passed\n');
    expect(kernel.output(service)).toBe('[console] through the console server\n');

    const names = kernel.wire.map((w) => `${w.kind} ${w.from}->${w.to} ${decodeWire(w.bytes).name}`);
    expect(names).toEqual([
      `call ${client}->0 ping`,
      `reply 0->${client} ping_reply`,
      `call ${client}->0 service_lookup`,
      `reply 0->${client} service_lookup_reply`,
      `call ${client}->0 service_lookup`,
      `reply 0->${client} service_lookup_reply`,
      `send ${client}->${service} tcpip_data`,
      `send ${client}->${service} tcpip_data`,
      `call ${client}->${service} ping`,
      `reply ${service}->${client} ping_reply`,
      `call ${client}->${service} tcpip_read`,
      `reply ${service}->${client} E_UNSUPPORTED`,
      `call ${client}->${service} console_write`,
      `reply ${service}->${client} console_write_reply`,
    ]);
    const lookupMsg = kernel.wire[2]!.bytes.subarray(0, MSG_HEADER + 64);
    expect(lookupMsg).toEqual(encodeMessage('service_lookup', { name: 'probe-client' }, client));
    expect(decodeWire(kernel.wire[5]!.bytes).fields).toEqual({ task: service });
    const data = kernel.wire[6]!.bytes.subarray(0, MSG_HEADER + 4);
    expect(data).toEqual(encodeMessage('tcpip_data', { sock: 5 }, client));
    expect(decodeWire(kernel.wire[12]!.bytes).fields).toEqual({ data: new TextEncoder().encode('through the console server\n') });
  });

  it('check() ends the task with exit code 1 and says why', async () => {
    kernel = new MockKernel();
    const id = kernel.spawn(await program('sdk-client'), { name: 'probe', args: ['panic'] });
    expect(await kernel.waitExit(id)).toBe(1);
    expect(kernel.output(id)).toBe('panic: lookup nobody: E_NOT_FOUND\n');
  });

  it('a failed assert prints where and traps', async () => {
    kernel = new MockKernel();
    const id = kernel.spawn(await program('sdk-client'), { name: 'probe', args: ['abort'] });
    expect(await kernel.waitExit(id)).toBe(-4);
    expect(kernel.output(id)).toMatch(/^abort: deliberate at servers\/sdk\/assembly\/test-sdk-client\.ts:\d+:\d+\n$/);
    expect(kernel.trapMessage(id)).toMatch(/unreachable/);
  });

  it('reads arguments longer than its first buffer, and missing ones as ""', async () => {
    kernel = new MockKernel();
    const long = 'é'.repeat(150);
    const id = kernel.spawn(await program('sdk-client'), { name: 'probe', args: ['long', long] });
    expect(await kernel.waitExit(id)).toBe(0);
    expect(kernel.output(id)).toBe('150 ééé []\n');
  });
});
