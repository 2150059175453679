// The guest's network stack against QEMU's user-mode network (slirp), the
// independent oracle: DHCP, ARP, ping, TCP both ways with node:http on the
// loopback (QEMU forwards 10.0.2.2:PORT to 127.0.0.1:PORT, and hostfwd a host
// port to the guest's web server), chunked and 1 MB bodies, and the OS
// without a network card.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasQemu } from '../helpers/qemu.ts';
import { bootOsOnQemu } from './net-qemu-session.ts';
import { fnv1a } from '../helpers/fnv1a.ts';

const BIG = 1 << 20;
function bigBody(): Buffer {
  const b = Buffer.alloc(BIG);
  for (let i = 0; i < BIG; i++) b[i] = (i * 7 + (i >> 10)) & 0xff;
  return b;
}

let server: Server;
let port = 0;
const big = bigBody();

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Test': 'wasmos' });
      res.end(`hello guest, you asked for ${req.url} as ${req.headers['user-agent']}\n`);
    } else if (req.url === '/chunked') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }); // no length: node sends it chunked
      res.write('first chunk;');
      setTimeout(() => { res.write(' second chunk;'); res.end(' last\n'); }, 20);
    } else if (req.url === '/big') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BIG });
      res.end(big);
    } else {
      res.writeHead(404);
      res.end('nope\n');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe.runIf(hasQemu())('the guest network stack on QEMU user-mode networking', () => {
  it('gets its address by DHCP, pings the gateway, talks HTTP to a loopback server', async () => {
    const r = await bootOsOnQemu({
      script: ['ifconfig', 'ping 10.0.2.2 2', `http http://10.0.2.2:${port}/`, `http http://10.0.2.2:${port}/chunked`,
        `http -s http://10.0.2.2:${port}/big`, `http http://10.0.2.2:${port}/missing`, 'http http://10.0.2.2:1/'],
      timeoutMs: 50_000,
    });
    const parts = r.out.split('shell> ');
    expect(r.typed).toBe(7);
    expect(r.out).toContain('tcpip: 10.0.2.15 by DHCP, gateway 10.0.2.2, dns 10.0.2.3');
    expect(parts[1]).toContain('inet 10.0.2.15 netmask 255.255.255.0');
    expect(parts[1]).toContain('mac 52:54:00:12:34:56');
    expect(parts[2]).toMatch(/64 bytes from 10\.0\.2\.2: icmp_seq=0 ttl=\d+/);
    expect(parts[2]).toContain('2 sent, 2 received');
    expect(parts[3]).toMatch(/^HTTP\/1\.1 200 OK$/m);
    expect(parts[3]).toMatch(/^X-Test: wasmos$/im);
    expect(parts[3]).toContain('hello guest, you asked for / as wasmos-shell');
    expect(parts[4]).toMatch(/Transfer-Encoding: chunked/i);
    expect(parts[4]).toContain('first chunk; second chunk; last');
    expect(parts[4]).toMatch(/-- 32 body bytes/);
    expect(parts[5]).toMatch(/Content-Length: 1048576/i);
    expect(parts[5]).toContain(`-- ${BIG} body bytes (first 65536 shown), fnv1a ${fnv1a(big)}`);
    expect(parts[6]).toMatch(/^HTTP\/1\.1 404 Not Found$/m);
    expect(parts[7]).toContain('E_REFUSED (connection refused)');
  }, 60_000);

  it('serves pages from the web server app to a real HTTP client through hostfwd', async () => {
    const hostPort = 20000 + (process.pid % 20000);
    const got: { status: number; type: string | null; body: string }[] = [];
    const r = await bootOsOnQemu({
      netdev: `hostfwd=tcp:127.0.0.1:${hostPort}-:80`,
      script: ['start webserver', 'uptime'],
      timeoutMs: 50_000,
      onPrompt: async (typed, out) => {
        if (typed !== 2) return;
        expect(out).toContain('webserver: listening on port 80');
        for (const path of ['/', '/api/status', '/nothing-here', '/api/bytes/200000']) {
          const res = await fetch(`http://127.0.0.1:${hostPort}${path}`);
          got.push({ status: res.status, type: res.headers.get('content-type'), body: await res.text() });
        }
      },
    });
    expect(r.typed).toBe(2);
    expect(got.map((g) => g.status)).toEqual([200, 200, 404, 200]);
    expect(got[0]!.body).toContain('<h1>Hello from WasmOS</h1>');
    expect(got[1]!.type).toBe('application/json');
    const status = JSON.parse(got[1]!.body) as { uptime_ms: number; tasks: number; requests: number };
    expect(status.tasks).toBeGreaterThan(5);
    expect(status.requests).toBe(2);
    expect(got[3]!.body.length).toBe(200000);
    expect(got[3]!.body.slice(0, 64)).toBe('abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\n');
  }, 60_000);

  it('boots without a network card: tcpip says so and the shell works', async () => {
    const r = await bootOsOnQemu({ noNet: true, script: ['ifconfig', 'ping 10.0.2.2 1', 'echo still here'] });
    expect(r.out).toContain('tcpip: no network device');
    const parts = r.out.split('shell> ');
    expect(parts[1]).toContain('eth0: no network device');
    expect(parts[2]).toContain('ping: E_IO (I/O error)');
    expect(parts[3]).toContain('still here');
  }, 60_000);
});
