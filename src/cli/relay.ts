// `npm run relay` (node --import tsx src/cli/relay.ts [--port N] [--host H]):
// a small wisp relay (src/host/net/wisp.ts) for local use. The playground's
// gateway carries guest TCP that is not HTTP through it (WispConnector):
// every CONNECT becomes a real TCP connection from this machine. It listens
// on 127.0.0.1 by default; anyone who can reach it can open connections from
// this host, so do not expose it.
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLOSE_INVALID, CLOSE_NETWORK_ERROR, CLOSE_REFUSED, CLOSE_TIMEOUT, CLOSE_UNREACHABLE, CLOSE_VOLUNTARY, STREAM_TCP,
  WISP_CLOSE, WISP_CONNECT, WISP_CONTINUE, WISP_DATA, decodeWisp, encodeWisp, parseConnect, u32Payload,
} from '../host/net/wisp.ts';

/** DATA packets a stream may have in flight to us before a CONTINUE. */
const BUFFER_PACKETS = 128;
/** Socket output is paused while the WebSocket has this much unsent. */
const WS_HIGH_WATER = 1 << 20;

export interface Relay {
  port: number;
  close(): Promise<void>;
}

interface RelayStream {
  sock: Socket;
  received: number;
}

function reasonFor(err: NodeJS.ErrnoException): number {
  switch (err.code) {
    case 'ECONNREFUSED': return CLOSE_REFUSED;
    case 'ENOTFOUND': case 'EAI_AGAIN': case 'EHOSTUNREACH': case 'ENETUNREACH': return CLOSE_UNREACHABLE;
    case 'ETIMEDOUT': return CLOSE_TIMEOUT;
    default: return CLOSE_NETWORK_ERROR;
  }
}

function serve(ws: WebSocket): void {
  const streams = new Map<number, RelayStream>();
  const send = (type: number, id: number, payload?: Uint8Array): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeWisp(type, id, payload));
  };
  const closeStream = (id: number, reason: number | null): void => {
    const s = streams.get(id);
    if (!s) return;
    streams.delete(id);
    s.sock.destroy();
    if (reason !== null) send(WISP_CLOSE, id, Uint8Array.of(reason));
  };
  send(WISP_CONTINUE, 0, u32Payload(BUFFER_PACKETS));
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const p = isBinary ? decodeWisp(new Uint8Array(data.buffer, data.byteOffset, data.length)) : null;
    if (p === null || p.stream === 0) return;
    if (p.type === WISP_CONNECT) {
      const c = parseConnect(p.payload);
      if (streams.has(p.stream) || c === null || c.type !== STREAM_TCP || c.port === 0 || c.host === '') {
        send(WISP_CLOSE, p.stream, Uint8Array.of(CLOSE_INVALID));
        return;
      }
      const sock = connect({ host: c.host, port: c.port });
      sock.setNoDelay(true);
      const s: RelayStream = { sock, received: 0 };
      streams.set(p.stream, s);
      const id = p.stream;
      sock.on('data', (b: Buffer) => {
        send(WISP_DATA, id, b);
        if (ws.bufferedAmount > WS_HIGH_WATER) {
          sock.pause();
          const resume = setInterval(() => {
            if (ws.readyState !== ws.OPEN || ws.bufferedAmount <= WS_HIGH_WATER / 2) { clearInterval(resume); sock.resume(); }
          }, 10);
        }
      });
      sock.on('end', () => closeStream(id, CLOSE_VOLUNTARY));
      sock.on('error', (e: NodeJS.ErrnoException) => closeStream(id, reasonFor(e)));
      sock.on('close', () => closeStream(id, CLOSE_VOLUNTARY));
    } else if (p.type === WISP_DATA) {
      const s = streams.get(p.stream);
      if (!s) return;
      s.sock.write(p.payload.slice());
      // Grant a new buffer once half of it is used (the spec's "regularly, before it runs out").
      if (++s.received >= BUFFER_PACKETS / 2) {
        s.received = 0;
        send(WISP_CONTINUE, p.stream, u32Payload(BUFFER_PACKETS));
      }
    } else if (p.type === WISP_CLOSE) {
      closeStream(p.stream, null);
    }
  });
  ws.on('close', () => { for (const id of [...streams.keys()]) closeStream(id, null); });
  ws.on('error', () => {});
}

export async function startRelay(opts: { port?: number; host?: string } = {}): Promise<Relay> {
  const wss = new WebSocketServer({ port: opts.port ?? 8021, host: opts.host ?? '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  wss.on('connection', serve);
  return {
    port: (wss.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => resolve());
    }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8021' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a port number, not "${values.port}"`);
  const relay = await startRelay({ port, host: values.host });
  console.log(`wisp relay on ws://${values.host}:${relay.port}/ (Ctrl-C stops it)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => { console.error(`relay: ${(e as Error).message}`); process.exit(1); });
}
