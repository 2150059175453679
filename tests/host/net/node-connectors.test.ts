// The Node connectors against real loopback servers: the sniffing connector
// sends HTTP to fetch and other protocols (client-first and server-first) to
// real sockets; a refused port resets the guest's connection; a port forward
// joins a real TCP client to a connection into the guest.
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchConnector } from '../../../src/host/net/fetch-connector.ts';
import { listenForward, parseForward } from '../../../src/host/net/node-forward.ts';
import { SocketConnector } from '../../../src/host/net/node-socket.ts';
import { SniffingConnector, httpVerdict } from '../../../src/host/net/sniff-connector.ts';
import { ACK, FIN, PSH, SYN } from '../../../src/host/net/tcp-segment.ts';
import { Guest, text } from './guest.ts';
import { GuestStack } from './guest-stack.ts';

let http: HttpServer;
let echo: Server;
let banner: Server;
const ports = { http: 0, echo: 0, banner: 0, closed: 0 };

const listen = async (s: Server | HttpServer): Promise<number> => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

beforeAll(async () => {
  http = createHttp((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(`http saw ${req.url}`); });
  echo = createServer((s) => s.on('data', (d) => s.write(`echo:${d.toString()}`)).on('end', () => s.end()));
  banner = createServer((s) => { s.end('220 banner first\r\n'); });
  ports.http = await listen(http);
  ports.echo = await listen(echo);
  ports.banner = await listen(banner);
  const dead = createServer();
  ports.closed = await listen(dead);
  await new Promise((r) => dead.close(r));
});

afterAll(async () => {
  http.closeAllConnections();
  await Promise.all([http, echo, banner].map((s) => new Promise((r) => s.close(r))));
});

const sniffing = (): SniffingConnector => new SniffingConnector(new FetchConnector(), new SocketConnector(), 200);

describe('sniffing connector', () => {
  it('classifies first bytes', () => {
    expect(httpVerdict('GET / HTTP/1.1')).toBe('http');
    expect(httpVerdict('POST http://x/')).toBe('http');
    expect(httpVerdict('GE')).toBe('unknown');
    expect(httpVerdict('GET ')).toBe('unknown');
    expect(httpVerdict('\x16\x03\x01')).toBe('other');
    expect(httpVerdict('hello world')).toBe('other');
    expect(httpVerdict('SSH-2.0')).toBe('other');
  });

  it('sends HTTP through fetch and other bytes to a real socket on the host', async () => {
    const g = new GuestStack({ connector: sniffing() });
    const h = g.connect('10.0.2.2', ports.http);
    h.send('GET /x HTTP/1.1\r\nConnection: close\r\n\r\n');
    const e = g.connect('10.0.2.2', ports.echo);
    e.send('ping');
    await e.until(() => e.text() === 'echo:ping');
    e.send(' again');
    await e.until(() => e.text() === 'echo:pingecho: again');
    e.close();
    await Promise.all([h.until(() => h.finished), e.until(() => e.finished)]);
    // The server sent no length (writeHead, then end): the guest gets it chunked.
    expect(h.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*transfer-encoding: chunked\r\n[^]*\r\n\r\nb\r\nhttp saw \/x\r\n0\r\n\r\n$/);
  });

  it('lets the server speak first (silence from the guest goes to the socket) and resets refused ports', async () => {
    const g = new GuestStack({ connector: sniffing() });
    const b = g.connect('10.0.2.2', ports.banner);
    await b.until(() => b.finished);
    expect(b.text()).toBe('220 banner first\r\n');
    expect(b.reset).toBe(false);
    const d = g.connect('10.0.2.2', ports.closed);
    d.send('anything');
    await d.until(() => d.finished);
    expect(d.reset).toBe(true);
  });
});

describe('port forwarding', () => {
  it('parses HOST:GUEST and refuses nonsense', () => {
    expect(parseForward('8080:80')).toEqual({ hostPort: 8080, guestPort: 80 });
    for (const bad of ['80', '1:0', '70000:80', 'a:b', '8080:80:1']) expect(() => parseForward(bad)).toThrow(/HOSTPORT:GUESTPORT/);
  });

  it('joins a real TCP client to a connection into the guest, both directions and the close', async () => {
    const g = new Guest();
    const fwd = await listenForward(g.net, { hostPort: 0, guestPort: 80 });
    try {
      const client = connect(fwd.port, '127.0.0.1');
      let got = '';
      const ended = new Promise<void>((r) => client.on('end', r));
      client.on('data', (d) => { got += d.toString(); });
      client.write('request from the host');
      // Play the guest's side: wait for the SYN, accept, read, answer, close.
      const syn = await waitSeg(g, (s) => (s.flags & SYN) !== 0);
      expect(syn.dstPort).toBe(80);
      g.tcp('10.0.2.2', { srcPort: 80, dstPort: syn.srcPort, seq: 100, ack: syn.seq + 1, flags: SYN | ACK, window: 65535, mss: 1460 });
      const data = await waitSeg(g, (s) => s.payload.length > 0);
      expect(text(data.payload)).toBe('request from the host');
      const ack = data.seq + data.payload.length;
      g.tcp('10.0.2.2', { srcPort: 80, dstPort: syn.srcPort, seq: 101, ack, flags: ACK | PSH | FIN, window: 65535, payload: new TextEncoder().encode('answer from the guest') });
      await ended;
      expect(got).toBe('answer from the guest');
      client.end();
      const fin = await waitSeg(g, (s) => (s.flags & FIN) !== 0);
      expect(fin.ack).toBe(101 + 21 + 1);
    } finally {
      await fwd.close();
    }
  });
});

/** Polls the guest's inbox (filled by the gateway as host events arrive) for a matching segment. */
async function waitSeg(g: Guest, pred: (s: ReturnType<Guest['takeTcp']>[number]) => boolean): Promise<ReturnType<Guest['takeTcp']>[number]> {
  const seen: ReturnType<Guest['takeTcp']> = [];
  for (let i = 0; i < 500; i++) {
    seen.push(...g.takeTcp());
    const hit = seen.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('no such segment from the gateway');
}
