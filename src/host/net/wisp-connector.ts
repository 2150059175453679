// Guest TCP connections carried over a wisp relay (wisp.ts) when fetch cannot
// carry them (non-HTTP ports in the browser). One WebSocket for all streams,
// opened on first use and reopened after it drops. Flow control follows wisp:
// the relay grants a number of DATA packets (CONTINUE); guest data waits
// while the grant is used up.
//
// wisp v1 has no half-close: a guest FIN is not forwarded (request/response
// protocols still get their answer); the stream ends when the far side
// closes (CLOSE) or the guest resets.
import { GATEWAY_IP } from './addresses.ts';
import { ipToString } from './bytes.ts';
import type { TcpStream } from './tcp-connection.ts';
import type { TcpConnector, TcpTarget } from './user-net.ts';
import {
  CLOSE_VOLUNTARY, WISP_CLOSE, WISP_CONNECT, WISP_CONTINUE, WISP_DATA, connectPayload, decodeWisp, encodeWisp, readU32,
} from './wisp.ts';

/** The part of the WebSocket API used (the browser's, or the `ws` package's in Node). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WispConnectorOptions {
  /** ws:// or wss:// URL of the relay, ending in "/". */
  url: string;
  /** Default: globalThis.WebSocket. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Where 10.0.2.2 leads (default 127.0.0.1, as the relay sees it). */
  hostAddress?: string;
  /** Largest DATA payload sent (default 16 KiB). */
  maxPacket?: number;
}

interface Stream {
  tcp: TcpStream;
  queue: Uint8Array[];
}

const OPEN = 1;

export class WispConnector implements TcpConnector {
  private ws: WebSocketLike | null = null;
  private ready = false;
  /** Packets the relay will take (shared by every stream: its CONTINUE for stream 0 sets it, per-stream ones refill it). */
  private credit = new Map<number, number>();
  private initialCredit = 0;
  private readonly streams = new Map<number, Stream>();
  private nextId = 1;
  private pending: Uint8Array[] = [];
  private readonly opts: Required<Omit<WispConnectorOptions, 'WebSocket'>> & { WebSocket: new (url: string) => WebSocketLike };

  constructor(opts: WispConnectorOptions) {
    const Ctor = opts.WebSocket ?? (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
    if (!Ctor) throw new Error('no WebSocket implementation for the wisp connector');
    this.opts = { url: opts.url, WebSocket: Ctor, hostAddress: opts.hostAddress ?? '127.0.0.1', maxPacket: opts.maxPacket ?? 16384 };
  }

  /** Streams open now. */
  get streamCount(): number { return this.streams.size; }

  open(stream: TcpStream, to: TcpTarget): void {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    const s: Stream = { tcp: stream, queue: [] };
    this.streams.set(id, s);
    const host = to.ip === ipToString(GATEWAY_IP) ? this.opts.hostAddress : to.ip;
    this.sendRaw(encodeWisp(WISP_CONNECT, id, connectPayload(to.port, host)));
    stream.setHandler({
      data: (b) => {
        for (let o = 0; o < b.length; o += this.opts.maxPacket) s.queue.push(b.subarray(o, o + this.opts.maxPacket));
        this.flush(id);
      },
      end: () => {},
      closed: () => {
        // Gone on the guest's side (both FINs, a reset, a timeout): the relay closes its socket.
        if (!this.streams.delete(id)) return;
        this.credit.delete(id);
        this.sendRaw(encodeWisp(WISP_CLOSE, id, Uint8Array.of(CLOSE_VOLUNTARY)));
      },
    });
  }

  /** Closes the WebSocket (open streams are reset). */
  close(): void {
    this.ws?.close();
  }

  private socket(): WebSocketLike {
    if (this.ws !== null) return this.ws;
    const ws = new this.opts.WebSocket(this.opts.url);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = () => this.dropped();
    ws.onerror = () => {};
    ws.onopen = () => {};
    this.ws = ws;
    this.ready = false;
    return ws;
  }

  private sendRaw(packet: Uint8Array): void {
    const ws = this.socket();
    if (this.ready && ws.readyState === OPEN) ws.send(packet);
    else this.pending.push(packet);
  }

  private flush(id: number): void {
    const s = this.streams.get(id);
    if (!s || !this.ready) return;
    let credit = this.credit.get(id) ?? this.initialCredit;
    while (s.queue.length > 0 && credit > 0) {
      this.ws!.send(encodeWisp(WISP_DATA, id, s.queue.shift()!));
      credit--;
    }
    this.credit.set(id, credit);
  }

  private onMessage(data: unknown): void {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    const p = bytes ? decodeWisp(bytes) : null;
    if (p === null) return;
    if (p.type === WISP_CONTINUE) {
      const n = readU32(p.payload);
      if (n === null) return;
      if (p.stream === 0) {
        // The handshake: the relay is ready and grants this many packets per stream.
        this.initialCredit = n;
        this.ready = true;
        const queued = this.pending;
        this.pending = [];
        for (const q of queued) this.ws!.send(q);
        for (const id of this.streams.keys()) this.flush(id);
      } else if (this.streams.has(p.stream)) {
        this.credit.set(p.stream, n);
        this.flush(p.stream);
      }
      return;
    }
    const s = this.streams.get(p.stream);
    if (!s) return;
    if (p.type === WISP_DATA) {
      s.tcp.write(p.payload.slice());
    } else if (p.type === WISP_CLOSE) {
      this.streams.delete(p.stream);
      this.credit.delete(p.stream);
      // A voluntary close is the far side's end of stream; anything else (refused, unreachable) is a reset.
      if (p.payload[0] === CLOSE_VOLUNTARY) s.tcp.end();
      else s.tcp.abort();
    }
  }

  private dropped(): void {
    this.ws = null;
    this.ready = false;
    this.pending = [];
    const all = [...this.streams.values()];
    this.streams.clear();
    this.credit.clear();
    for (const s of all) s.tcp.abort();
  }
}
