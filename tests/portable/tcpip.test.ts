// The tcpip service on Node sockets, driven by Wasm apps that use the IDL's
// tcpip messages: a client connecting to a real loopback server, and a server
// listening through --forward that a real Node client talks to. Data and the
// peer's close arrive as tcpip_data / tcpip_closed from the tcpip task.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { wasmosRun } from './portable-run.ts';
import { client, echoServer } from './tcp-modules.ts';

const dir = mkdtempSync(join(tmpdir(), 'wasmos-portable-tcp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function file(name: string, bytes: Promise<Uint8Array>): Promise<string> {
  const p = join(dir, name);
  writeFileSync(p, await bytes);
  return p;
}

test('a Wasm client connects to a loopback server, writes, reads the answer, sees the close', async () => {
  const got: string[] = [];
  const server = createServer((s) => {
    s.once('data', (d) => {
      got.push(d.toString());
      s.end(`hi wasm, you said: ${d.toString()}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const r = await wasmosRun([await file('client.wasm', client()), String(port), '--timeout', '20']);
    expect(got).toEqual(['hello from wasm\n']);
    expect(r.out).toBe('hi wasm, you said: hello from wasm\nclosed\n');
    expect(r.status).toBe(0);
  } finally {
    server.close();
  }
});

test('connecting to a closed port: the error reply, the app reports it', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const r = await wasmosRun([await file('client2.wasm', client()), String(port), '--timeout', '20']);
  expect(r.out).toBe('error\n');
  expect(r.status).toBe(1);
});

test('a Wasm server listens on guest port 8080 through --forward; a Node client gets its echo', async () => {
  // A free host port: bind one, release it, forward it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const hostPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const path = await file('echo-server.wasm', echoServer());
  const run = wasmosRun([path, '--forward', `${hostPort}:8080`, '--timeout', '20']);
  // The app prints "listening" once its tcpip_listen succeeded; retry connecting until then.
  let echoed = '';
  for (let i = 0; i < 100 && !echoed; i++) {
    echoed = await new Promise<string>((res) => {
      const c = createConnection({ port: hostPort, host: '127.0.0.1' });
      let data = '';
      c.on('error', () => res(''));
      c.on('connect', () => c.write('ping over tcp'));
      c.on('data', (d) => {
        data += d.toString();
        if (data.length >= 'ping over tcp'.length) c.end();
      });
      c.on('close', () => res(data));
    });
    if (!echoed) await new Promise((r) => setTimeout(r, 50));
  }
  const r = await run;
  expect(echoed).toBe('ping over tcp');
  expect(r.out).toBe('listening\nping over tcpclosed\n'); // the echo is printed as it came, without a newline
  expect(r.status).toBe(0);
});
