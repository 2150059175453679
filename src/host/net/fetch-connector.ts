// Carries guest TCP connections that speak HTTP/1.x with fetch: requests are
// parsed from the guest's bytes, performed with fetch, and the responses are
// written back as HTTP/1.1, the body streamed as it arrives (chunked when its
// length is unknown). Keep-alive and pipelining work; a request the parser
// refuses gets 400, a failed fetch 502.
//
// Addressing follows QEMU's user networking: 10.0.2.2 is the host, so
// http://10.0.2.2:PORT/ becomes http://127.0.0.1:PORT/. Any other destination
// is named by the Host header (so virtual hosts work), else by the dialled IP.
import { GATEWAY_IP } from './addresses.ts';
import { ipToString } from './bytes.ts';
import { HttpParseError, HttpRequestParser, header, type HttpRequest } from './http-request.ts';
import { HIGH_WATER, type TcpStream } from './tcp-connection.ts';
import type { TcpConnector, TcpTarget } from './user-net.ts';

export interface FetchConnectorOptions {
  fetch?: typeof fetch;
  /** Prefixed to every URL, e.g. "https://proxy.example/?" for a CORS proxy. */
  corsProxy?: string;
  /** Where 10.0.2.2 leads (default 127.0.0.1, like QEMU). */
  hostAddress?: string;
  /** fetch's redirect mode; 'manual' (default) hands 3xx responses to the guest as they are. */
  redirect?: RequestRedirect;
  /**
   * Response bytes held for a guest that reads slowly before fetch is paused
   * (default 32 MiB). Large on purpose: a server that has written its whole
   * response starts its keep-alive timer and may drop the connection while
   * the rest still waits unread in its socket (Node's does after 5 s).
   */
  bufferLimit?: number;
}

/** Request headers fetch must not get (hop-by-hop, or set by fetch itself). */
const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer', 'expect']);
/** Response headers we recompute. */
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'trailer', 'upgrade', 'proxy-connection']);

const enc = new TextEncoder();

export class FetchConnector implements TcpConnector {
  readonly opts: Required<Omit<FetchConnectorOptions, 'corsProxy'>> & { corsProxy: string };
  /** Requests being fetched right now (for pacing and tests). */
  inFlight = 0;

  constructor(opts: FetchConnectorOptions = {}) {
    this.opts = {
      fetch: opts.fetch ?? globalThis.fetch.bind(globalThis), corsProxy: opts.corsProxy ?? '',
      hostAddress: opts.hostAddress ?? '127.0.0.1', redirect: opts.redirect ?? 'manual',
      bufferLimit: opts.bufferLimit ?? 32 * 1024 * 1024,
    };
  }

  open(stream: TcpStream, to: TcpTarget): void {
    new HttpSession(this, stream, to).start();
  }

  /** The URL fetch gets for a request that arrived on a connection to `to`. */
  urlFor(req: HttpRequest, to: TcpTarget): string {
    const toHost = to.ip === ipToString(GATEWAY_IP);
    let url: URL;
    if (/^https?:\/\//i.test(req.target)) {
      url = new URL(req.target);
    } else {
      const host = header(req, 'host');
      const authority = !toHost && host ? host : `${to.ip}${to.port === 80 ? '' : `:${to.port}`}`;
      url = new URL(`http://${authority}${req.target.startsWith('/') ? req.target : `/${req.target}`}`);
    }
    if (toHost || url.hostname === ipToString(GATEWAY_IP)) {
      url.hostname = this.opts.hostAddress;
      if (toHost) url.port = to.port === 80 ? '' : String(to.port);
    }
    return this.opts.corsProxy + url.toString();
  }
}

/** One guest connection: requests in order, one at a time. */
class HttpSession {
  private readonly parser = new HttpRequestParser();
  private readonly queue: HttpRequest[] = [];
  private busy = false;
  private guestEnded = false;
  private closed = false;
  private readonly abort = new AbortController();
  private drainWaiters: Array<() => void> = [];

  constructor(private readonly c: FetchConnector, private readonly s: TcpStream, private readonly to: TcpTarget) {}

  start(): void {
    this.s.setHandler({
      data: (b) => this.onData(b),
      end: () => { this.guestEnded = true; this.pump(); },
      closed: () => { this.closed = true; this.abort.abort(); this.wakeDrain(); },
      drain: () => this.wakeDrain(),
    });
  }

  private onData(b: Uint8Array): void {
    if (this.closed) return;
    try {
      this.queue.push(...this.parser.push(b));
    } catch (e) {
      if (!(e instanceof HttpParseError)) throw e;
      // Nothing after a malformed request can be trusted: answer 400 (after earlier requests) and close.
      this.queue.push({ method: '!error', target: e.message, version: 'HTTP/1.1', headers: [], body: new Uint8Array(0) });
      this.closed = true;
    }
    this.pump();
  }

  private pump(): void {
    if (this.busy) return;
    const req = this.queue.shift();
    if (req === undefined) {
      if (this.guestEnded && this.parser.idle) this.s.end();
      return;
    }
    this.busy = true;
    void this.serve(req).finally(() => { this.busy = false; this.pump(); });
  }

  private async serve(req: HttpRequest): Promise<void> {
    if (req.method === '!error') {
      this.writeSimple(400, 'Bad Request', `bad request: ${req.target}\n`, true);
      return;
    }
    const keepAlive = wantsKeepAlive(req);
    let res: Response;
    this.c.inFlight++;
    try {
      const headers = new Headers();
      for (const [k, v] of req.headers) if (!DROP_REQUEST.has(k.toLowerCase())) headers.append(k, v);
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      res = await this.c.opts.fetch(this.c.urlFor(req, this.to), {
        method: req.method, headers, body: hasBody ? new Uint8Array(req.body) : undefined, redirect: this.c.opts.redirect, signal: this.abort.signal,
      });
    } catch (e) {
      this.c.inFlight--;
      if (!this.closed) this.writeSimple(502, 'Bad Gateway', `fetch failed: ${(e as Error).message}\n`, !keepAlive);
      return;
    }
    try {
      await this.relay(req, res, keepAlive);
    } finally {
      this.c.inFlight--;
    }
  }

  private async relay(req: HttpRequest, res: Response, keepAlive: boolean): Promise<void> {
    const http10 = req.version === 'HTTP/1.0';
    const noBody = req.method === 'HEAD' || res.status === 204 || res.status === 304 || res.status < 200;
    const encoded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
    const declared = res.headers.get('content-length');
    // fetch has already decoded a compressed body, so its length is unknown then.
    const length = !encoded && declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
    const chunked = !noBody && length === null && !http10;
    // An HTTP/1.0 client without a length can only learn the end from the close.
    const close = !keepAlive || (!noBody && length === null && http10);
    let head = `HTTP/1.1 ${res.status} ${res.statusText || reason(res.status)}\r\n`;
    res.headers.forEach((v, k) => {
      if (DROP_RESPONSE.has(k) || k === 'set-cookie') return;
      head += `${k}: ${v}\r\n`;
    });
    for (const c of res.headers.getSetCookie?.() ?? []) head += `set-cookie: ${c}\r\n`;
    if (length !== null) head += `content-length: ${length}\r\n`;
    else if (noBody && declared !== null && !encoded) head += `content-length: ${declared}\r\n`;
    if (chunked) head += 'transfer-encoding: chunked\r\n';
    head += `connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
    if (!this.s.write(enc.encode(head))) return;
    if (!noBody && res.body) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done || this.closed) break;
          if (value.length === 0) continue;
          if (chunked) this.s.write(enc.encode(`${value.length.toString(16)}\r\n`));
          this.s.write(value);
          if (chunked) this.s.write(enc.encode('\r\n'));
          await this.room();
        }
      } catch {
        // The body broke off midway: the guest sees a truncated response and the close.
        this.s.abort();
        this.closed = true;
        return;
      } finally {
        reader.releaseLock();
      }
    } else {
      await res.body?.cancel().catch(() => {});
    }
    if (chunked) this.s.write(enc.encode('0\r\n\r\n'));
    if (close) { this.closed = true; this.s.end(); }
  }

  private writeSimple(status: number, text: string, body: string, close: boolean): void {
    const b = enc.encode(body);
    this.s.write(enc.encode(`HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain\r\ncontent-length: ${b.length}\r\nconnection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`));
    this.s.write(b);
    if (close) { this.closed = true; this.s.end(); }
  }

  /** Waits while the guest has much unacknowledged data (it reads slower than fetch delivers). */
  private async room(): Promise<void> {
    while (!this.closed && this.s.buffered > Math.max(this.c.opts.bufferLimit, HIGH_WATER)) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  private wakeDrain(): void {
    const w = this.drainWaiters;
    this.drainWaiters = [];
    for (const f of w) f();
  }
}

function wantsKeepAlive(req: HttpRequest): boolean {
  const c = (header(req, 'connection') ?? '').toLowerCase();
  if (/\bclose\b/.test(c)) return false;
  return req.version === 'HTTP/1.1' || /\bkeep-alive\b/.test(c);
}

function reason(status: number): string {
  return ({ 200: 'OK', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway' } as Record<number, string>)[status] ?? 'Status';
}
