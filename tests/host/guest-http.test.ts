// guestHttp against a scripted connection: the request bytes it writes and
// every way a guest server can frame (or break) its answer. The exchange with
// a real server inside the OS is in tests/os/net-browser.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeChunked, encodeRequest, guestHttp, GuestHttpError, MAX_RESPONSE_BYTES, type GuestHttpResponse } from '../../src/host/guest-http.ts';
import type { TcpState, TcpStream, TcpStreamHandler } from '../../src/host/net/index.ts';

const enc = new TextEncoder();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A connection whose far end is this script: it sees what is written and answers with `reply`. */
class ScriptedStream implements TcpStream {
  written: Uint8Array[] = [];
  ended = false;
  aborted = false;
  handler: TcpStreamHandler | null = null;
  readonly buffered = 0;
  readonly state: TcpState = 'ESTABLISHED';
  constructor(private readonly reply: (s: ScriptedStream) => void) {}
  write(data: Uint8Array): boolean {
    this.written.push(data);
    queueMicrotask(() => this.reply(this));
    return true;
  }
  end(): void { this.ended = true; }
  abort(): void { this.aborted = true; }
  setHandler(h: TcpStreamHandler): void { this.handler = h; }
  send(s: string | Uint8Array): void { this.handler!.data(typeof s === 'string' ? enc.encode(s) : s); }
}

const timers = { host: '10.0.2.15', timeoutMs: 1000, setTimer: (ms: number, f: () => void) => { const t = setTimeout(f, ms); return () => clearTimeout(t); } };

function exchange(reply: (s: ScriptedStream) => void, method = 'GET'): { stream: ScriptedStream; answer: Promise<GuestHttpResponse> } {
  const stream = new ScriptedStream(reply);
  return { stream, answer: guestHttp(stream, { method, target: '/index.html' }, timers) };
}

describe('guestHttp', () => {
  it('writes an HTTP/1.1 request that closes the connection, with the guest as Host', () => {
    const bytes = encodeRequest({ method: 'POST', target: '/api?x=1', headers: [['Accept', 'text/html'], ['Connection', 'keep-alive']], body: enc.encode('hi') }, '10.0.2.15');
    expect(text(bytes)).toBe('POST /api?x=1 HTTP/1.1\r\nHost: 10.0.2.15\r\nAccept: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi');
  });

  it('refuses requests that would break the framing', () => {
    expect(() => encodeRequest({ method: 'GET /x', target: '/' }, 'h')).toThrow(GuestHttpError);
    expect(() => encodeRequest({ method: 'GET', target: '/a b' }, 'h')).toThrow(/request target/);
    expect(() => encodeRequest({ method: 'GET', target: 'http://x/' }, 'h')).toThrow(/request target/);
    expect(() => encodeRequest({ method: 'GET', target: '/', headers: [['X', 'a\r\nInjected: 1']] }, 'h')).toThrow(/bad header/);
  });

  it('reads a Content-Length body, in pieces', async () => {
    const { stream, answer } = exchange((s) => {
      s.send('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Len');
      s.send('gth: 11\r\n\r\nhello ');
      s.send('world and more');
    });
    const r = await answer;
    expect(r.status).toBe(200);
    expect(r.statusText).toBe('OK');
    expect(r.headers).toEqual([['Content-Type', 'text/html'], ['Content-Length', '11']]);
    expect(text(r.body)).toBe('hello world');
    expect(stream.ended).toBe(true);
  });

  it('reads a chunked body', async () => {
    const { answer } = exchange((s) => {
      s.send('HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      s.send('6;ext=1\r\n world\r\n0\r\n\r\n');
    });
    const r = await answer;
    expect(r.status).toBe(404);
    expect(text(r.body)).toBe('hello world');
  });

  it('reads to the close when the body has no length', async () => {
    const { answer } = exchange((s) => {
      s.send('HTTP/1.0 200 OK\r\n\r\nall ');
      s.send('of it');
      s.handler!.end();
    });
    expect(text((await answer).body)).toBe('all of it');
  });

  it('a HEAD or 204 answer has no body', async () => {
    const head = exchange((s) => s.send('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'), 'HEAD');
    expect((await head.answer).body.length).toBe(0);
    const empty = exchange((s) => s.send('HTTP/1.1 204 No Content\r\n\r\n'));
    expect((await empty.answer).status).toBe(204);
  });

  it('turns every broken answer into a clear error and resets the connection', async () => {
    const cases: Array<[(s: ScriptedStream) => void, RegExp]> = [
      [(s) => s.handler!.closed('reset'), /connection refused/],
      [(s) => s.handler!.end(), /closed the connection without answering/],
      [(s) => { s.send('HTTP/1.1 200 OK\r\nConte'); s.handler!.end(); }, /middle of the response headers/],
      [(s) => s.send('SSH-2.0-OpenSSH\r\n\r\n'), /not an HTTP response/],
      [(s) => s.send('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'), /bad response header line/],
      [(s) => s.send('HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n'), /bad Content-Length/],
      [(s) => s.send('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), /bad chunk size/],
      [(s) => { s.send('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'); s.handler!.end(); }, /before the end of the body/],
      [(s) => s.handler!.closed('timeout'), /stopped answering/],
      [(s) => { s.send('HTTP/1.1 200 OK\r\n\r\n'); s.send(new Uint8Array(MAX_RESPONSE_BYTES)); }, /larger than/],
    ];
    for (const [reply, message] of cases) {
      const { stream, answer } = exchange(reply);
      await expect(answer).rejects.toThrow(message);
      expect(stream.aborted).toBe(true);
    }
  });

  it('gives up after the timeout when the guest stays silent', async () => {
    const stream = new ScriptedStream(() => {});
    const answer = guestHttp(stream, { method: 'GET', target: '/' }, { ...timers, timeoutMs: 30 });
    await expect(answer).rejects.toThrow(/within 30 ms/);
  });

  it('decodeChunked waits for the rest and refuses garbage', () => {
    expect(decodeChunked(enc.encode('5\r\nhel'))).toBeNull();
    expect(decodeChunked(enc.encode('5\r\nhello\r\n'))).toBeNull();
    expect(text(decodeChunked(enc.encode('0\r\n\r\n'))!)).toBe('');
    expect(() => decodeChunked(enc.encode('123456789\r\n'))).toThrow(/bad chunk size/);
  });
});
