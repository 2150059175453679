// Guest HTTP through the gateway's fetch connector to a real HTTP server on
// loopback: status, headers and bodies (content-length and chunked),
// keep-alive, request bodies, errors; and the request parser on its own.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchConnector } from '../../../src/host/net/fetch-connector.ts';
import { HttpParseError, HttpRequestParser } from '../../../src/host/net/http-request.ts';
import { GuestStack } from './guest-stack.ts';

let server: Server;
let port = 0;
const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/fixed') {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-test': 'yes', 'content-length': '11' });
        res.end('hello world');
      } else if (req.url === '/chunked') {
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.write('part one, ');
        setTimeout(() => res.end('part two'), 5);
      } else if (req.url === '/big') {
        const big = Buffer.alloc(300_000, 'x');
        res.writeHead(200, { 'content-length': String(big.length) });
        res.end(big);
      } else if (req.url === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, body }));
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/fixed' });
        res.end();
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function parseResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  let body = raw.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    for (;;) {
      const nl = body.indexOf('\r\n');
      const n = parseInt(body.slice(0, nl), 16);
      if (n === 0) break;
      out += body.slice(nl + 2, nl + 2 + n);
      body = body.slice(nl + 2 + n + 2);
    }
    body = out;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

describe('fetch connector against a loopback server', () => {
  it('GETs with content-length: status, headers, body; 10.0.2.2 maps to 127.0.0.1', async () => {
    const g = new GuestStack({ connector: new FetchConnector() });
    const c = g.connect('10.0.2.2', port);
    c.send(`GET /fixed HTTP/1.1\r\nHost: 10.0.2.2:${port}\r\nUser-Agent: wasmos-test\r\nConnection: close\r\n\r\n`);
    await c.until(() => c.finished);
    const r = parseResponse(c.text());
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('11');
    expect(r.headers['x-test']).toBe('yes');
    expect(r.headers.connection).toBe('close');
    expect(r.body).toBe('hello world');
    expect(seen.at(-1)!.headers['user-agent']).toBe('wasmos-test');
  });

  it('streams a body of unknown length back chunked, and keeps the connection for the next request', async () => {
    const g = new GuestStack({ connector: new FetchConnector() });
    const c = g.connect('10.0.2.2', port);
    c.send('GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.until(() => c.text().includes('0\r\n\r\n'));
    const r = parseResponse(c.text());
    expect(r.status).toBe(201);
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.body).toBe('part one, part two');
    expect(c.finished).toBe(false);
    c.received = [];
    // Pipelined: two requests in one segment, answered in order; then the guest closes.
    c.send('GET /nothing HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n');
    c.close();
    await c.until(() => c.finished);
    const both = c.text();
    const second = both.indexOf('HTTP/1.1 200');
    expect(parseResponse(both.slice(0, second)).status).toBe(404);
    expect(JSON.parse(parseResponse(both.slice(second)).body)).toEqual({ method: 'POST', body: 'hello world' });
  });

  it('honours a small guest window for a large body (300 KB arrives whole, fetch paused and resumed)', async () => {
    // bufferLimit 0: the body waits for the guest whenever more than the high-water mark is unacknowledged.
    const g = new GuestStack({ connector: new FetchConnector({ bufferLimit: 0 }) });
    const c = g.connect('10.0.2.2', port, 4096);
    c.send('GET /big HTTP/1.0\r\n\r\n');
    await c.until(() => c.finished, 15000);
    const r = parseResponse(c.text());
    expect(r.headers['content-length']).toBe('300000');
    expect(r.body.length).toBe(300000);
    expect(/^x+$/.test(r.body)).toBe(true);
  });

  it('passes redirects through, answers 400 to garbage and 502 when nothing listens', async () => {
    const g = new GuestStack({ connector: new FetchConnector() });
    const a = g.connect('10.0.2.2', port);
    a.send('GET /redirect HTTP/1.1\r\nConnection: close\r\n\r\n');
    await a.until(() => a.finished);
    const ra = parseResponse(a.text());
    expect([ra.status, ra.headers.location]).toEqual([302, '/fixed']);
    const b = g.connect('10.0.2.2', port);
    b.send('\x16\x03\x01 not http at all\r\n\r\n');
    await b.until(() => b.finished);
    expect(parseResponse(b.text()).status).toBe(400);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const d = g.connect('10.0.2.2', deadPort);
    d.send('GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    await d.until(() => d.finished);
    expect(parseResponse(d.text()).status).toBe(502);
  });

  it('uses the Host header for other destinations and prefixes a CORS proxy', () => {
    const f = new FetchConnector({ corsProxy: 'https://proxy.test/?' });
    const req = { method: 'GET', target: '/a?b=1', version: 'HTTP/1.1', headers: [['Host', 'example.com'] as [string, string]], body: new Uint8Array(0) };
    expect(f.urlFor(req, { ip: '93.184.216.34', port: 80 })).toBe('https://proxy.test/?http://example.com/a?b=1');
    expect(new FetchConnector().urlFor({ ...req, headers: [] }, { ip: '93.184.216.34', port: 8080 })).toBe('http://93.184.216.34:8080/a?b=1');
    expect(new FetchConnector().urlFor({ ...req, target: 'http://10.0.2.2:9000/x' }, { ip: '10.0.2.2', port: 9000 })).toBe('http://127.0.0.1:9000/x');
  });
});

describe('HTTP request parser', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('assembles requests split at every byte', () => {
    const raw = 'POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET /q HTTP/1.0\r\n\r\n';
    const p = new HttpRequestParser();
    const out = [];
    for (const ch of raw) out.push(...p.push(enc(ch)));
    expect(out.map((r) => [r.method, r.target, r.version, new TextDecoder().decode(r.body)])).toEqual([
      ['POST', '/p', 'HTTP/1.1', 'abc'], ['GET', '/q', 'HTTP/1.0', ''],
    ]);
    expect(p.idle).toBe(true);
  });

  it('refuses malformed requests with HttpParseError', () => {
    for (const bad of [
      'GET /\r\n\r\n', 'GET / HTTP/2.0\r\n\r\n', 'GET / HTTP/1.1\r\nno colon\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      expect(() => new HttpRequestParser().push(enc(bad)), bad).toThrow(HttpParseError);
    }
    expect(() => new HttpRequestParser().push(new Uint8Array(70_000).fill(65))).toThrow(HttpParseError);
  });
});
