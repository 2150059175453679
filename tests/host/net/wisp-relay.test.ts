// The wisp relay (src/cli/relay.ts) with the gateway's WispConnector, through
// real WebSockets and real TCP servers on loopback: a round trip, a transfer
// larger than the relay's packet grant (flow control), a server that closes
// first, a refused port, and a malformed CONNECT.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startRelay, type Relay } from '../../../src/cli/relay.ts';
import { WispConnector, type WebSocketLike } from '../../../src/host/net/wisp-connector.ts';
import { decodeWisp, encodeWisp, parseConnect, connectPayload, WISP_CONNECT } from '../../../src/host/net/wisp.ts';
import { GuestStack } from './guest-stack.ts';

let relay: Relay;
let echo: Server;
let banner: Server;
const ports = { echo: 0, banner: 0, closed: 0 };
let echoed = 0;

beforeAll(async () => {
  relay = await startRelay({ port: 0 });
  echo = createServer((s) => s.on('data', (d) => { echoed += d.length; s.write(d); }).on('end', () => s.end()));
  banner = createServer((s) => s.end('+OK hello from the server\r\n'));
  const listen = (s: Server): Promise<number> => new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  ports.echo = await listen(echo);
  ports.banner = await listen(banner);
  const dead = createServer();
  ports.closed = await listen(dead);
  await new Promise((r) => dead.close(r));
});

afterAll(async () => {
  await relay.close();
  await Promise.all([echo, banner].map((s) => new Promise((r) => s.close(r))));
});

function stack(): { g: GuestStack; wisp: WispConnector } {
  const wisp = new WispConnector({ url: `ws://127.0.0.1:${relay.port}/`, WebSocket: WebSocket as unknown as new (url: string) => WebSocketLike });
  return { g: new GuestStack({ connector: wisp }), wisp };
}

describe('wisp packets', () => {
  it('encode and decode (little-endian stream ids, CONNECT payload)', () => {
    const p = encodeWisp(WISP_CONNECT, 0x01020304, connectPayload(8080, 'example.com'));
    expect(Array.from(p.subarray(0, 8))).toEqual([1, 4, 3, 2, 1, 1, 0x90, 0x1f]);
    const d = decodeWisp(p)!;
    expect(d.stream).toBe(0x01020304);
    expect(parseConnect(d.payload)).toEqual({ type: 1, port: 8080, host: 'example.com' });
    expect(decodeWisp(new Uint8Array(4))).toBeNull();
  });
});

describe('wisp relay round trips', () => {
  it('carries a guest TCP connection to a real server and back, beyond the packet grant', async () => {
    const { g, wisp } = stack();
    const c = g.connect('10.0.2.2', ports.echo);
    c.send('hello over wisp');
    await c.until(() => c.text() === 'hello over wisp');
    // 400 KB in 1460-byte segments: far more DATA packets than one CONTINUE grants.
    const big = new Uint8Array(400_000).map((_, i) => (i * 7) & 0xff);
    c.received = [];
    c.receivedBytes = 0;
    c.send(big);
    await c.until(() => c.receivedBytes === big.length, 20_000);
    const back = new Uint8Array(big.length);
    let o = 0;
    for (const part of c.received) { back.set(part, o); o += part.length; }
    expect(back.every((v, i) => v === big[i])).toBe(true);
    wisp.close();
  });

  it('ends the guest connection when the server closes, and resets it for a refused port', async () => {
    const { g, wisp } = stack();
    const b = g.connect('10.0.2.2', ports.banner);
    await b.until(() => b.finished);
    expect(b.text()).toBe('+OK hello from the server\r\n');
    expect(b.reset).toBe(false);
    const d = g.connect('10.0.2.2', ports.closed);
    d.send('x');
    await d.until(() => d.finished);
    expect(d.reset).toBe(true);
    wisp.close();
  });

  it('refuses malformed CONNECTs with CLOSE 0x41', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${relay.port}/`);
    const got: number[][] = [];
    await new Promise<void>((resolve) => {
      ws.on('message', (m: Buffer) => {
        const p = decodeWisp(new Uint8Array(m))!;
        got.push([p.type, p.stream, ...p.payload]);
        if (got.length === 1) ws.send(encodeWisp(WISP_CONNECT, 5, Uint8Array.of(2, 80, 0, 0x61))); // UDP
        if (got.length === 2) resolve();
      });
    });
    ws.close();
    expect(got[0]!.slice(0, 2)).toEqual([3, 0]); // the initial CONTINUE
    expect(got[1]).toEqual([4, 5, 0x41]);
  });
});
