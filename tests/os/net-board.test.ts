// The guest's network stack on the board, with NET-HOST's user-mode gateway
// (src/host/net) as the far end: DHCP, ping, DNS from the gateway's static
// table, HTTP through the fetch connector to node:http on the loopback, and
// the web server app answering an HTTP client that connects into the guest.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../src/board/machine.ts';
import { bootOsAsync } from '../../src/cli/os-session.ts';
import { FetchConnector, StaticResolver, UserNet } from '../../src/host/net/index.ts';
import { fnv1a } from '../helpers/fnv1a.ts';

let server: Server;
let port = 0;
const BIG = 256 * 1024;
const big = Buffer.alloc(BIG, 0);
for (let i = 0; i < BIG; i++) big[i] = (i * 13 + (i >> 8)) & 0xff;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Test': 'board' });
      res.end('hello from the loopback\n');
    } else if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('part one,');
      setTimeout(() => res.end(' part two\n'), 10);
    } else if (req.url === '/big') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BIG });
      res.end(big);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A board with a network card whose far end is a UserNet. */
function withNet(extra: { resolver?: StaticResolver } = {}) {
  const box: { net: UserNet | null; connector: FetchConnector } = { net: null, connector: new FetchConnector() };
  return {
    box,
    net: (deliver: (f: Uint8Array) => void) => {
      box.net = new UserNet({ deliver, connector: box.connector, ...extra });
      return box.net;
    },
    afterSlice: (m: Machine) => box.net?.tick(m.clock.nanos() / 1e6),
    // While a fetch is on its way, let real time pass instead of racing guest time ahead.
    pace: () => new Promise<void>((r) => setTimeout(r, box.connector.inFlight > 0 || (box.net?.pending ?? 0) > 0 ? 5 : 0)),
  };
}

describe('the guest network stack on the board with the user-mode gateway', () => {
  it('DHCP, ifconfig, ping, dns and http (plain, chunked, 256 KB) through fetch', async () => {
    const n = withNet({ resolver: new StaticResolver({ 'loopback.test': '10.0.2.2' }) });
    const r = await bootOsAsync({
      ...n,
      script: ['ifconfig', 'ping 10.0.2.2 2', 'dns loopback.test', 'dns nowhere.test', `http http://10.0.2.2:${port}/`,
        `http http://loopback.test:${port}/chunked`, `http -s http://10.0.2.2:${port}/big`],
    });
    const parts = r.out.split('shell> ');
    expect(r.typed).toBe(7);
    expect(r.out).toContain('tcpip: 10.0.2.15 by DHCP, gateway 10.0.2.2, dns 10.0.2.3');
    expect(parts[1]).toContain('inet 10.0.2.15 netmask 255.255.255.0');
    expect(parts[2]).toContain('2 sent, 2 received');
    expect(parts[3]).toContain('loopback.test: 10.0.2.2');
    expect(parts[4]).toContain('nowhere.test: E_NOT_FOUND (no such host)');
    expect(parts[5]).toMatch(/^HTTP\/1\.1 200/m);
    expect(parts[5]).toMatch(/^x-test: board$/im);
    expect(parts[5]).toContain('hello from the loopback');
    expect(parts[6]).toContain('part one, part two');
    expect(parts[7]).toContain(`-- ${BIG} body bytes (first 65536 shown), fnv1a ${fnv1a(big)}`);
    expect(n.box.net!.stats.errors).toBe(0);
  }, 60_000);

  it('the web server app answers HTTP clients connecting into the guest', async () => {
    const n = withNet();
    const paths = ['/', '/api/status', '/hello.txt', '/api/bytes/300000', '/missing'];
    const responses: string[] = [];
    let refused = 0;
    let current: { text: Buffer[]; done: boolean } | null = null;
    const r = await bootOsAsync({
      ...n,
      hostFiles: { '/www/hello.txt': 'a static file from /host/www\n' },
      script: ['start webserver', 'ping 10.0.2.2 6'],
      afterSlice: (m) => {
        n.afterSlice(m);
        const net = n.box.net!;
        if (current !== null && !current.done) return;
        if (current !== null) {
          // Nothing came back: the web server was not listening yet (RST). Try again.
          if (current.text.length === 0) refused++;
          else responses.push(Buffer.concat(current.text).toString('latin1'));
        }
        current = null;
        const path = paths[responses.length];
        if (path === undefined || m.clock.nanos() < 1e9) return;
        const c = { text: [] as Buffer[], done: false };
        current = c;
        const s = net.connectToGuest(80);
        s.setHandler({
          data: (b) => c.text.push(Buffer.from(b)),
          end: () => s.end(),
          closed: () => { c.done = true; },
        });
        s.write(new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: guest\r\nConnection: close\r\n\r\n`));
      },
    });
    expect(r.out).toContain('webserver: listening on port 80');
    expect(responses.length).toBe(paths.length);
    expect(refused).toBeLessThan(50);
    const [root, status, file, bytes, missing] = responses as [string, string, string, string, string];
    expect(root).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(root).toContain('<h1>Hello from WasmOS</h1>');
    expect(status).toMatch(/Content-Type: application\/json/);
    const json = JSON.parse(status.slice(status.indexOf('\r\n\r\n') + 4)) as { tasks: number; requests: number; uptime_ms: number };
    expect(json.tasks).toBeGreaterThan(5);
    expect(json.requests).toBe(2);
    expect(file).toContain('Content-Type: text/plain');
    expect(file.endsWith('\r\n\r\na static file from /host/www\n')).toBe(true);
    expect(bytes).toContain('Content-Length: 300000');
    expect(bytes.length - bytes.indexOf('\r\n\r\n') - 4).toBe(300000);
    expect(missing).toMatch(/^HTTP\/1\.1 404 Not Found/);
  }, 60_000);
});
