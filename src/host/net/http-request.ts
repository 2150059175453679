// An incremental HTTP/1.x request parser for the bytes a guest sends over a
// TCP connection: request line, headers, and a body framed by Content-Length
// or chunked transfer coding (RFC 9112). Requests come out whole, in order;
// pipelined requests are fine.

export interface HttpRequest {
  method: string;
  target: string;
  /** "HTTP/1.0" or "HTTP/1.1". */
  version: string;
  /** In order, names as sent. */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export class HttpParseError extends Error {}

/** Limits that keep a hostile guest from making the host buffer without end. */
const MAX_HEAD = 64 * 1024;
const MAX_BODY = 64 * 1024 * 1024;

type Phase =
  | { kind: 'head' }
  | { kind: 'length'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'chunk-crlf' }
  | { kind: 'trailers' };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function header(req: Pick<HttpRequest, 'headers'>, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export class HttpRequestParser {
  private buf = new Uint8Array(0);
  private phase: Phase = { kind: 'head' };
  private current: Omit<HttpRequest, 'body'> | null = null;
  private body: Uint8Array[] = [];
  private bodyLen = 0;

  /** Feeds bytes; returns the requests completed by them. Throws HttpParseError on a malformed request. */
  push(data: Uint8Array): HttpRequest[] {
    const merged = new Uint8Array(this.buf.length + data.length);
    merged.set(this.buf);
    merged.set(data, this.buf.length);
    this.buf = merged;
    const done: HttpRequest[] = [];
    for (;;) {
      const r = this.step();
      if (r === 'more') break;
      if (r !== 'continue') done.push(r);
    }
    return done;
  }

  /** True when no request is partly received. */
  get idle(): boolean {
    return this.phase.kind === 'head' && this.buf.length === 0;
  }

  private line(): string | null {
    const i = indexOfCrlf(this.buf);
    if (i < 0) {
      if (this.buf.length > MAX_HEAD) throw new HttpParseError('header line too long');
      return null;
    }
    const s = latin1(this.buf.subarray(0, i));
    this.buf = this.buf.subarray(i + 2);
    return s;
  }

  private step(): HttpRequest | 'more' | 'continue' {
    const p = this.phase;
    switch (p.kind) {
      case 'head': {
        const end = indexOfHeadEnd(this.buf);
        if (end < 0) {
          if (this.buf.length > MAX_HEAD) throw new HttpParseError('request head too large');
          return 'more';
        }
        const lines = latin1(this.buf.subarray(0, end)).split('\r\n');
        this.buf = this.buf.subarray(end + 4);
        // RFC 9112 §2.2: ignore empty lines before a request line.
        while (lines.length > 0 && lines[0] === '') lines.shift();
        if (lines.length === 0) return 'continue';
        const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/.exec(lines[0]!);
        if (!m) throw new HttpParseError(`bad request line "${lines[0]!.slice(0, 80)}"`);
        const headers: Array<[string, string]> = [];
        for (const l of lines.slice(1)) {
          const c = l.indexOf(':');
          if (c <= 0 || !TOKEN.test(l.slice(0, c))) throw new HttpParseError(`bad header line "${l.slice(0, 80)}"`);
          headers.push([l.slice(0, c), l.slice(c + 1).trim()]);
        }
        this.current = { method: m[1]!, target: m[2]!, version: m[3]!, headers };
        this.body = [];
        this.bodyLen = 0;
        const te = header(this.current, 'transfer-encoding');
        const cl = header(this.current, 'content-length');
        if (te !== undefined) {
          if (!/(^|,)\s*chunked\s*$/i.test(te)) throw new HttpParseError(`unsupported transfer-encoding "${te}"`);
          this.phase = { kind: 'chunk-size' };
        } else if (cl !== undefined) {
          if (!/^\d{1,15}$/.test(cl)) throw new HttpParseError(`bad content-length "${cl}"`);
          const n = Number(cl);
          if (n > MAX_BODY) throw new HttpParseError('request body too large');
          this.phase = { kind: 'length', left: n };
        } else {
          return this.finish();
        }
        return 'continue';
      }
      case 'length': {
        if (p.left === 0) return this.finish();
        if (this.buf.length === 0) return 'more';
        const n = Math.min(p.left, this.buf.length);
        this.take(n);
        p.left -= n;
        return 'continue';
      }
      case 'chunk-size': {
        const l = this.line();
        if (l === null) return 'more';
        const m = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(l.trim());
        if (!m) throw new HttpParseError(`bad chunk size "${l.slice(0, 40)}"`);
        const n = parseInt(m[1]!, 16);
        if (this.bodyLen + n > MAX_BODY) throw new HttpParseError('request body too large');
        this.phase = n === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', left: n };
        return 'continue';
      }
      case 'chunk-data': {
        if (this.buf.length === 0) return 'more';
        const n = Math.min(p.left, this.buf.length);
        this.take(n);
        p.left -= n;
        if (p.left === 0) this.phase = { kind: 'chunk-crlf' };
        return 'continue';
      }
      case 'chunk-crlf': {
        const l = this.line();
        if (l === null) return 'more';
        if (l !== '') throw new HttpParseError('chunk not followed by CRLF');
        this.phase = { kind: 'chunk-size' };
        return 'continue';
      }
      case 'trailers': {
        const l = this.line();
        if (l === null) return 'more';
        return l === '' ? this.finish() : 'continue';
      }
    }
  }

  private take(n: number): void {
    this.body.push(this.buf.slice(0, n));
    this.bodyLen += n;
    this.buf = this.buf.subarray(n);
  }

  private finish(): HttpRequest {
    const body = new Uint8Array(this.bodyLen);
    let o = 0;
    for (const c of this.body) { body.set(c, o); o += c.length; }
    const req = { ...this.current!, body };
    this.current = null;
    this.body = [];
    this.bodyLen = 0;
    this.phase = { kind: 'head' };
    return req;
  }
}

function indexOfCrlf(b: Uint8Array): number {
  for (let i = 0; i + 1 < b.length; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

function indexOfHeadEnd(b: Uint8Array): number {
  for (let i = 0; i + 3 < b.length; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i;
  }
  // A bare CRLF before a request line (RFC 9112 §2.2) would otherwise never end.
  return -1;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}
