// One HTTP/1.1 exchange with a server inside the guest, over a TCP connection
// the gateway opens into it (UserNet.connectToGuest). The Browser pane's
// Service Worker path and tests use it: the request goes out with
// "Connection: close", and the response is read to the end of the body
// (Content-Length, chunked, or the server closing the connection).
import type { CloseReason, TcpStream } from './net/index.ts';

export interface GuestHttpRequest {
  method: string;
  /** Origin-form target: "/path?query". */
  target: string;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
}

export interface GuestHttpResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export class GuestHttpError extends Error {}

/** Responses larger than this are cut off with an error (the page holds them whole). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const enc = new TextEncoder();

/** The request's bytes; throws GuestHttpError for a method, target or header that would break the framing. */
export function encodeRequest(req: GuestHttpRequest, hostHeader: string): Uint8Array {
  if (!TOKEN.test(req.method)) throw new GuestHttpError(`bad method "${req.method}"`);
  if (!req.target.startsWith('/') || /[\s\x00-\x1f\x7f]/.test(req.target)) throw new GuestHttpError(`bad request target "${req.target}"`);
  const body = req.body ?? new Uint8Array(0);
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `Host: ${hostHeader}`];
  for (const [name, value] of req.headers ?? []) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name) || /[\r\n\x00]/.test(value)) throw new GuestHttpError(`bad header "${name}"`);
    if (['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(lower)) continue;
    lines.push(`${name}: ${value}`);
  }
  if (body.length > 0 || !['GET', 'HEAD'].includes(req.method)) lines.push(`Content-Length: ${body.length}`);
  lines.push('Connection: close', '', '');
  const head = enc.encode(lines.join('\r\n'));
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function indexOfCrlfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  return -1;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * A chunked body decoded as it arrives: each call goes on from the last
 * whole chunk, so a long answer is not decoded again on every arrival.
 */
export class ChunkedBody {
  private at = 0;
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  private readonly dec = new TextDecoder('latin1');

  /** `b` is everything received so far: the body once complete, null while incomplete; throws on a malformed one. */
  next(b: Uint8Array): Uint8Array | null {
    for (;;) {
      let eol = -1;
      for (let i = this.at; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) { eol = i; break; }
      if (eol < 0) return null;
      const sizeText = this.dec.decode(b.subarray(this.at, eol)).split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new GuestHttpError(`bad chunk size "${sizeText.slice(0, 20)}"`);
      const size = parseInt(sizeText, 16);
      const data = eol + 2;
      if (size === 0) return concat(this.parts, this.size); // trailers, if any, are ignored
      if (data + size + 2 > b.length) return null;
      this.parts.push(b.subarray(data, data + size));
      this.size += size;
      this.at = data + size + 2;
    }
  }
}

/** Decodes a whole chunked body; null while incomplete; throws on a malformed one. */
export function decodeChunked(b: Uint8Array): Uint8Array | null {
  return new ChunkedBody().next(b);
}

interface Head {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  bodyStart: number;
  /** Set for a chunked body. */
  chunks: ChunkedBody | null;
}

const get = (h: Array<[string, string]>, name: string): string | undefined =>
  h.find(([k]) => k.toLowerCase() === name)?.[1];

function parseHead(b: Uint8Array, end: number): Head {
  const lines = new TextDecoder('latin1').decode(b.subarray(0, end)).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]!);
  if (!m) throw new GuestHttpError(`not an HTTP response: "${lines[0]!.slice(0, 60)}"`);
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new GuestHttpError(`bad response header line "${line.slice(0, 60)}"`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const chunked = !!get(headers, 'transfer-encoding')?.toLowerCase().includes('chunked');
  return { status: Number(m[1]), statusText: m[2] ?? '', headers, bodyStart: end + 4, chunks: chunked ? new ChunkedBody() : null };
}

/** The body once complete (by length or chunking); null to wait for more or for the close. */
function completeBody(head: Head, body: Uint8Array, method: string): Uint8Array | null {
  if (method === 'HEAD' || head.status === 204 || head.status === 304 || (head.status >= 100 && head.status < 200)) {
    return new Uint8Array(0);
  }
  if (head.chunks) return head.chunks.next(body);
  const length = get(head.headers, 'content-length');
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw new GuestHttpError(`bad Content-Length "${length}"`);
    const n = Number(length);
    return body.length >= n ? body.subarray(0, n) : null;
  }
  return null;
}

/**
 * Sends `req` on `stream` (a fresh connection into the guest) and resolves
 * with the response; rejects with GuestHttpError when the guest refuses,
 * resets, answers garbage or stays silent for `timeoutMs` of wall time.
 */
export function guestHttp(
  stream: TcpStream, req: GuestHttpRequest, opts: { host: string; timeoutMs: number; setTimer: (ms: number, f: () => void) => () => void },
): Promise<GuestHttpResponse> {
  return new Promise((resolve, reject) => {
    // One buffer grown by doubling: each arrival is copied once, not the whole answer again.
    let buf = new Uint8Array(4096);
    let total = 0;
    let head: Head | null = null;
    let done = false;
    const finish = (r: GuestHttpResponse | Error): void => {
      if (done) return;
      done = true;
      cancel();
      if (r instanceof Error) {
        stream.abort();
        reject(r);
      } else {
        stream.end();
        resolve(r);
      }
    };
    const cancel = opts.setTimer(opts.timeoutMs, () => finish(new GuestHttpError(`no complete answer from the guest within ${opts.timeoutMs} ms`)));
    const tryComplete = (closed: boolean): void => {
      try {
        const all = buf.subarray(0, total);
        if (!head) {
          const end = indexOfCrlfCrlf(all);
          if (end < 0) {
            if (closed) finish(new GuestHttpError(total === 0 ? 'the guest closed the connection without answering' : 'the guest closed the connection in the middle of the response headers'));
            return;
          }
          head = parseHead(all, end);
        }
        const bodyBytes = all.subarray(head.bodyStart);
        const body = completeBody(head, bodyBytes, req.method);
        if (body) finish({ status: head.status, statusText: head.statusText, headers: head.headers, body: body.slice() });
        else if (closed) {
          const framed = get(head.headers, 'content-length') !== undefined || get(head.headers, 'transfer-encoding') !== undefined;
          if (framed) finish(new GuestHttpError('the guest closed the connection before the end of the body'));
          else finish({ status: head.status, statusText: head.statusText, headers: head.headers, body: bodyBytes.slice() });
        }
      } catch (e) {
        finish(e instanceof GuestHttpError ? e : new GuestHttpError((e as Error).message));
      }
    };
    stream.setHandler({
      data(bytes) {
        total += bytes.length;
        if (total > MAX_RESPONSE_BYTES) return finish(new GuestHttpError(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`));
        if (total > buf.length) {
          const grown = new Uint8Array(Math.max(total, buf.length * 2));
          grown.set(buf.subarray(0, total - bytes.length));
          buf = grown;
        }
        buf.set(bytes, total - bytes.length);
        tryComplete(false);
      },
      end() { tryComplete(true); },
      closed(reason: CloseReason) {
        if (reason === 'reset' && total === 0) finish(new GuestHttpError('connection refused: nothing listens on that port in the guest'));
        else if (reason === 'timeout') finish(new GuestHttpError('the guest stopped answering'));
        else tryComplete(true);
      },
    });
    try {
      stream.write(encodeRequest(req, opts.host));
    } catch (e) {
      finish(e as Error);
    }
  });
}
