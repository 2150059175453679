// The example programs, compiled with asc and clang-19 and run in V8 on the mock
// kernel: a client and a service in separate instances, their messages routed
// between them. The bytes on the wire must be exactly what the IDL's TypeScript
// encoder produces, so every language agrees on the layout.
import { afterEach, describe, expect, it } from 'vitest';
import { MSG_HEADER } from '../../src/idl/schema.ts';
import { E_UNSUPPORTED, decodeWire, encodeMessage, messageDef, type MessageName } from '../../src/idl/generated/messages.ts';
import { buildAs, buildC, readRepo } from './helpers.ts';
import { MockKernel, type WireRecord } from './mock-kernel.ts';

const enc = (s: string) => new TextEncoder().encode(s);
let kernel: MockKernel | undefined;

afterEach(async () => {
  await kernel?.shutdown();
  kernel = undefined;
});

/** The first record of a message type between two tasks. */
function find(kind: WireRecord['kind'], from: number, to: number, type: number): WireRecord {
  const r = kernel!.wire.find((w) => w.kind === kind && w.from === from && w.to === to && new DataView(w.bytes.buffer).getInt32(0, true) === type);
  if (!r) throw new Error(`no ${kind} of type ${type} from ${from} to ${to}`);
  return r;
}

/** The header and payload of a record (the rest of the buffer is not part of the message). */
function wireBytes(r: WireRecord, name: MessageName): Uint8Array {
  return r.bytes.subarray(0, MSG_HEADER + messageDef(name)!.size);
}

describe('example programs on the mock kernel', () => {
  it('hello prints its task id and arguments', async () => {
    kernel = new MockKernel();
    const id = kernel.spawn(await buildAs('servers/examples/hello/main.ts'), { name: 'hello', args: ['one', 'twö'] });
    expect(await kernel.waitExit(id)).toBe(0);
    expect(kernel.output(id)).toBe('Hello from WasmOS! I am task 1, up for 1 ms.\n  argument 1: one\n  argument 2: twö\n');
  });

  it('echo-client talks to echo-service in the IDL layout', async () => {
    kernel = new MockKernel();
    const service = kernel.spawn(await buildAs('servers/examples/echo-service/main.ts'), { name: 'echo-service' });
    const client = kernel.spawn(await buildAs('servers/examples/echo-client/main.ts'), { name: 'echo-client' });
    expect(await kernel.waitExit(client)).toBe(0);
    expect(kernel.output(client)).toBe('ping 41 -> 42\necho -> hello, echo\ntcpip_read -> E_UNSUPPORTED\n');
    expect(kernel.output(service)).toBe('example-echo: ready\n');

    expect(wireBytes(find('call', client, service, 9), 'ping')).toEqual(encodeMessage('ping', { value: 41 }, client));
    expect(wireBytes(find('reply', service, client, 10), 'ping_reply')).toEqual(encodeMessage('ping_reply', { value: 42 }, service));
    expect(wireBytes(find('call', client, service, 65), 'echo')).toEqual(encodeMessage('echo', { data: enc('hello, echo') }, client));
    expect(wireBytes(find('reply', service, client, 66), 'echo_reply')).toEqual(
      encodeMessage('echo_reply', { data: enc('hello, echo') }, service),
    );
    expect(wireBytes(find('call', client, service, 59), 'tcpip_read')).toEqual(encodeMessage('tcpip_read', { sock: 1 }, client));
    const err = find('reply', service, client, E_UNSUPPORTED);
    expect(decodeWire(err.bytes)).toMatchObject({ name: 'E_UNSUPPORTED', kind: 'error', src: service });

    // What the IPC trace viewer would show for the whole conversation.
    expect(kernel.wire.map((w) => `${w.from}->${w.to} ${decodeWire(w.bytes).name}`)).toEqual([
      `${client}->${service} ping`,
      `${service}->${client} ping_reply`,
      `${client}->${service} echo`,
      `${service}->${client} echo_reply`,
      `${client}->${service} tcpip_read`,
      `${service}->${client} E_UNSUPPORTED`,
    ]);
  });

  it('echo-client gets the same answers from the C service', async () => {
    kernel = new MockKernel();
    const service = kernel.spawn(buildC(readRepo('servers/examples/echo-service-c/main.c')), { name: 'echo-service-c' });
    const client = kernel.spawn(await buildAs('servers/examples/echo-client/main.ts'), { name: 'echo-client' });
    expect(await kernel.waitExit(client)).toBe(0);
    expect(kernel.output(client)).toBe('ping 41 -> 42\necho -> hello, echo\ntcpip_read -> E_UNSUPPORTED\n');
    expect(kernel.output(service)).toBe('example-echo (C): ready\n');
    expect(wireBytes(find('reply', service, client, 10), 'ping_reply')).toEqual(encodeMessage('ping_reply', { value: 42 }, service));
    expect(wireBytes(find('reply', service, client, 66), 'echo_reply')).toEqual(
      encodeMessage('echo_reply', { data: enc('hello, echo') }, service),
    );
    expect(decodeWire(find('reply', service, client, E_UNSUPPORTED).bytes).name).toBe('E_UNSUPPORTED');
  });

  it('the C example talks to the AssemblyScript service in the same layout', async () => {
    kernel = new MockKernel();
    const service = kernel.spawn(await buildAs('servers/examples/echo-service/main.ts'), { name: 'echo-service' });
    const client = kernel.spawn(buildC(readRepo('servers/examples/hello-c/main.c')), { name: 'hello-c' });
    expect(await kernel.waitExit(client)).toBe(0);
    expect(kernel.output(client)).toBe(`Hello from C on WasmOS, task ${client}\nping 99 -> 100\necho -> bytes from C\n`);
    expect(wireBytes(find('call', client, service, 9), 'ping')).toEqual(encodeMessage('ping', { value: 99 }, client));
    expect(wireBytes(find('call', client, service, 65), 'echo')).toEqual(encodeMessage('echo', { data: enc('bytes from C') }, client));
    expect(wireBytes(find('reply', service, client, 66), 'echo_reply')).toEqual(
      encodeMessage('echo_reply', { data: enc('bytes from C') }, service),
    );
  });
});
