// The web server app (servers/apps/webserver) answers the same HTTP requests
// with the same responses inside the OS (the guest's TCP/IP stack on the
// board, a client connecting into the guest through the user-mode gateway)
// and under `wasmos run --forward` (Node sockets, a real TCP client). What
// measures the machine — uptime, task ids, the number of tasks — is masked.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Machine } from '../../src/board/machine.ts';
import { bootOsAsync } from '../../src/cli/os-session.ts';
import { FetchConnector, UserNet } from '../../src/host/net/index.ts';
import { APPS, wasmosRun, type PortableResult } from './portable-run.ts';

const REQUESTS = [
  'GET / HTTP/1.1\r\nHost: guest\r\nConnection: close\r\n\r\n',
  'GET /api/status HTTP/1.1\r\nHost: guest\r\nConnection: close\r\n\r\n',
  'GET /hello.txt HTTP/1.1\r\nHost: guest\r\nConnection: close\r\n\r\n',
  'HEAD /hello.txt HTTP/1.1\r\nHost: guest\r\n\r\n',
  'GET /api/bytes/100000 HTTP/1.1\r\nHost: guest\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: guest\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'GET /missing?x=1 HTTP/1.0\r\n\r\n',
];
const STATIC = 'a static file from /host/www\n';

/** Masks the machine's own figures, and the lengths that depend on their digits. */
function mask(response: string): string {
  return response
    .replace(/\(task \d+\)/g, '(task N)')
    .replace(/uptime: \d+ ms/g, 'uptime: N ms')
    .replace(/tasks: \d+/g, 'tasks: N')
    .replace(/"(uptime_ms|tasks|task)":\d+/g, '"$1":N')
    .replace(/Content-Length: \d+(\r\n(?:[^\r]*\r\n)*\r\n(?:<!doctype|\{"uptime))/g, 'Content-Length: N$1');
}

const maskLog = (out: string): string[] =>
  out.split('\n').filter((l) => l.startsWith('webserver: ')).map((l) => l.replace(/instr \d+/, 'instr N'));

let inOs: { responses: string[]; out: string };
let portable: { responses: string[]; run: PortableResult };
const dir = mkdtempSync(join(tmpdir(), 'wasmos-portable-web-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The OS: start webserver at the prompt, then each request through a connection into the guest. */
async function runInOs(): Promise<{ responses: string[]; out: string }> {
  const box: { net: UserNet | null } = { net: null };
  const responses: string[] = [];
  let current: { text: Buffer[]; done: boolean } | null = null;
  let started = false;
  const r = await bootOsAsync({
    hostFiles: { '/www/hello.txt': STATIC },
    script: ['start webserver'],
    net: (deliver: (f: Uint8Array) => void) => (box.net = new UserNet({ deliver, connector: new FetchConnector() })),
    until: () => responses.length === REQUESTS.length,
    onOutput: (text: string) => {
      if (text.includes('listening on port 80')) started = true;
    },
    afterSlice: (m: Machine) => {
      const net = box.net;
      if (!net) return;
      net.tick(m.clock.nanos() / 1e6);
      if (!started || (current !== null && !current.done)) return;
      if (current !== null && current.text.length > 0) responses.push(Buffer.concat(current.text).toString('latin1'));
      current = null;
      const req = REQUESTS[responses.length];
      if (req === undefined) return;
      const c = { text: [] as Buffer[], done: false };
      current = c;
      const s = net.connectToGuest(80);
      s.setHandler({ data: (b) => c.text.push(Buffer.from(b)), end: () => s.end(), closed: () => { c.done = true; } });
      s.write(new TextEncoder().encode(req));
    },
    pace: () => new Promise<void>((res) => setTimeout(res, (box.net?.pending ?? 0) > 0 ? 5 : 0)),
  } as Parameters<typeof bootOsAsync>[0]);
  return { responses, out: r.out };
}

/** One request over a real TCP connection; the whole response. */
function request(port: number, req: string): Promise<string> {
  return new Promise((res, rej) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    const parts: Buffer[] = [];
    c.on('connect', () => c.write(req));
    c.on('data', (d) => parts.push(d));
    c.on('end', () => c.end());
    c.on('close', () => res(Buffer.concat(parts).toString('latin1')));
    c.on('error', rej);
  });
}

async function runPortable(): Promise<{ responses: string[]; run: PortableResult }> {
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'hello.txt'), STATIC);
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const run = wasmosRun([`${APPS}webserver.wasm`, '--dir', dir, '--forward', `${port}:80`, '--timeout', '5']); // the server runs forever: stopped after the requests
  const responses: string[] = [];
  for (const req of REQUESTS) {
    for (let i = 0; ; i++) {
      try {
        responses.push(await request(port, req));
        break;
      } catch (e) {
        if (i > 100) throw e; // not listening yet: try again shortly
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  return { responses, run: await run };
}

beforeAll(async () => {
  inOs = await runInOs();
  portable = await runPortable();
}, 120_000);

REQUESTS.forEach((req, i) => {
  test(`the same response: ${req.split('\r\n')[0]}`, () => {
    expect(inOs.responses[i]).toBeDefined();
    expect(mask(portable.responses[i]!)).toBe(mask(inOs.responses[i]!));
  });
});

test('the same log lines on the console; the portable run ends at its --timeout', () => {
  expect(maskLog(portable.run.out)).toEqual(maskLog(inOs.out.slice(inOs.out.indexOf('webserver: listening'))));
  expect(maskLog(portable.run.out)[0]).toBe('webserver: listening on port 80');
  expect(portable.run.status).toBe(124);
});
