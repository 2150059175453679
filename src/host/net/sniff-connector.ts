// Chooses a connector per connection by what the guest says first: bytes that
// start like an HTTP/1.x request line go to the HTTP connector (fetch), any
// other first bytes, or silence for `waitMs` (protocols where the server
// speaks first), go to the fallback (a socket, a wisp relay). Without a
// fallback such connections are reset.
import type { TcpStream, TcpStreamHandler } from './tcp-connection.ts';
import type { TcpConnector, TcpTarget } from './user-net.ts';

/** "GET /", "POST http://..." etc.: a method token, a space, a target start. */
const HTTP_START = /^[A-Z]{3,12} [/*h]/;

export class SniffingConnector implements TcpConnector {
  constructor(
    private readonly http: TcpConnector,
    private readonly fallback: TcpConnector | null,
    private readonly waitMs = 500,
  ) {}

  open(stream: TcpStream, to: TcpTarget, from: TcpTarget): void {
    const early: Uint8Array[] = [];
    let ended = false;
    let decided = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const decide = (connector: TcpConnector | null): void => {
      if (decided) return;
      decided = true;
      if (timer !== null) clearTimeout(timer);
      if (connector === null) { stream.abort(); return; }
      let handler: TcpStreamHandler | null = null;
      // The chosen connector installs its handler through this view; then it gets what came so far.
      const view: TcpStream = {
        write: (d) => stream.write(d), end: () => stream.end(), abort: () => stream.abort(),
        get buffered() { return stream.buffered; }, get state() { return stream.state; },
        setHandler: (h) => { handler = h; stream.setHandler(h); },
      };
      connector.open(view, to, from);
      const h = handler as TcpStreamHandler | null;
      if (h === null) return;
      for (const d of early) h.data(d);
      if (ended) h.end();
    };
    stream.setHandler({
      data: (d) => {
        early.push(d);
        const v = httpVerdict(new TextDecoder('latin1').decode(concatHead(early)));
        if (v === 'http') decide(this.http);
        else if (v === 'other') decide(this.fallback);
      },
      end: () => { ended = true; decide(this.fallback); },
      closed: () => { decided = true; if (timer !== null) clearTimeout(timer); },
    });
    timer = setTimeout(() => decide(this.fallback), this.waitMs);
  }
}

/** Whether the first bytes of a connection are (the start of) an HTTP request line. */
export function httpVerdict(head: string): 'http' | 'other' | 'unknown' {
  if (HTTP_START.test(head)) return 'http';
  const sp = head.indexOf(' ');
  if (sp < 0) return /^[A-Z]{0,12}$/.test(head) ? 'unknown' : 'other';
  return /^[A-Z]{3,12}$/.test(head.slice(0, sp)) && head.length === sp + 1 ? 'unknown' : 'other';
}

function concatHead(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(16);
  let o = 0;
  for (const p of parts) {
    const n = Math.min(p.length, 16 - o);
    out.set(p.subarray(0, n), o);
    o += n;
    if (o === 16) break;
  }
  return out.subarray(0, o);
}
