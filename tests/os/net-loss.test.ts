// TCP's retransmission in the guest, on the board: the cable between the
// guest and the user-mode gateway drops frames both ways (deterministically:
// every 7th frame to the guest, every 9th from it). A 256 KB download through
// the fetch path and an upload from the guest's web server must still arrive
// intact, and a malformed-frame storm must not hurt the stack.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bootOsAsync } from '../../src/cli/os-session.ts';
import { FetchConnector, UserNet } from '../../src/host/net/index.ts';
import type { Machine } from '../../src/board/machine.ts';
import { fnv1a } from '../helpers/fnv1a.ts';

const BIG = 256 * 1024;
const big = Buffer.alloc(BIG);
for (let i = 0; i < BIG; i++) big[i] = (i * 31 + (i >> 9)) & 0xff;

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': BIG });
    res.end(big);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Hostile and truncated frames for the guest: every layer's length fields lie. */
function junk(): Uint8Array[] {
  const mac = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
  const eth = (type: number, body: number[]) => Uint8Array.from([...mac, 0x52, 0x55, 10, 0, 2, 2, type >> 8, type & 255, ...body]);
  const ip = (proto: number, total: number, rest: number[]) =>
    [0x45, 0, total >> 8, total & 255, 0, 0, 0, 0, 64, proto, 0, 0, 10, 0, 2, 2, 10, 0, 2, 15, ...rest];
  return [
    new Uint8Array(0), new Uint8Array(5), eth(0x0800, []), eth(0x0806, [0, 1]),
    eth(0x0800, ip(6, 2000, [0, 80, 0, 80])), // total length past the frame
    eth(0x0800, [0x4f, ...new Array(30).fill(0)]), // IHL 60 past the frame
    eth(0x0800, ip(6, 24, [0, 80, 0, 80])), // TCP shorter than its header
    eth(0x0800, ip(17, 28, [0, 53, 0xc0, 1, 0xff, 0xff, 0, 0])), // UDP length lies
    eth(0x0800, ip(1, 21, [8])), // ICMP of one byte
    eth(0x0806, new Array(28).fill(0xff)),
  ];
}

it('downloads and uploads intact through a lossy cable; junk frames are ignored', async () => {
  let net: UserNet | null = null;
  let toGuest = 0;
  let fromGuest = 0;
  const connector = new FetchConnector();
  let upload: Buffer[] = [];
  let uploadDone = false;
  let started = false;
  let junked = false;
  const r = await bootOsAsync({
    net: (deliver) => {
      net = new UserNet({ deliver: (f) => { if (++toGuest % 7 !== 0) deliver(f); }, connector });
      const transmit = net.transmit.bind(net);
      net.transmit = (f) => { if (++fromGuest % 9 !== 0) transmit(f); };
      return net;
    },
    afterSlice: (m: Machine) => {
      net!.tick(m.clock.nanos() / 1e6);
      if (!junked && m.clock.nanos() > 5e8) {
        junked = true;
        for (const f of junk()) m.netReceive(f);
      }
      // Once the download is done (line 2 typed), fetch 200 KB from the guest's web server.
      if (!started && m.clock.nanos() > 2e9 && toGuest > 200) {
        started = true;
        const s = net!.connectToGuest(80);
        s.setHandler({ data: (b) => upload.push(Buffer.from(b)), end: () => s.end(), closed: () => { uploadDone = true; } });
        s.write(new TextEncoder().encode('GET /api/bytes/200000 HTTP/1.1\r\nHost: g\r\n\r\n'));
      }
    },
    pace: () => new Promise<void>((res) => setTimeout(res, connector.inFlight > 0 ? 5 : 0)),
    maxCycles: 30e9, // guest time: retransmission waits are real waits
    script: ['start webserver', `http -s http://10.0.2.2:${port}/`, 'ping 10.0.2.2 6', 'ifconfig'],
  });
  const parts = r.out.split('shell> ');
  expect(r.typed).toBe(4);
  expect(parts[2]).toContain(`-- ${BIG} body bytes (first 65536 shown), fnv1a ${fnv1a(big)}`);
  expect(uploadDone).toBe(true);
  const all = Buffer.concat(upload).toString('latin1');
  expect(all).toMatch(/^HTTP\/1\.1 200 OK/);
  expect(all.length - all.indexOf('\r\n\r\n') - 4).toBe(200000);
  expect(parts[4]).toContain('inet 10.0.2.15');
  expect(net!.stats.errors).toBe(0);
}, 60_000);
