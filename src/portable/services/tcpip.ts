// The tcpip service (messages 51-64 of the IDL) on Node sockets, with the
// behaviour of the OS's tcpip server (docs/tcpip.md): a socket belongs to the
// task that connected or listened (others: E_DENIED, unknown: E_NOT_FOUND);
// data and the peer's close reach that task as tcpip_data(sock) /
// tcpip_closed(sock) oneway messages from the tcpip task, at most one
// tcpip_data outstanding per socket; a listener's connections are new
// sockets of the same owner, announced by their first tcpip_data (or
// tcpip_closed); tcpip_read gives what arrived (possibly nothing), E_END once
// the peer closed and all is read, E_RESET after a reset. When the owner is
// gone, its sockets are closed.
import { lookup as dnsLookup } from 'node:dns/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import {
  E_DENIED,
  E_END,
  E_EXISTS,
  E_IO,
  E_NOT_FOUND,
  E_REFUSED,
  E_RESET,
  E_UNREACHABLE,
  E_UNSUPPORTED,
} from '../../idl/generated/messages.ts';
import type { PortableKernel } from '../kernel.ts';
import { message, type Service, startService } from './service.ts';

const CHUNK = 1024;

interface Sock {
  owner: number;
  socket?: Socket;
  server?: Server;
  inbox: Buffer;
  /** A tcpip_data is on its way and not yet followed by a read. */
  notified: boolean;
  peerClosed: boolean;
  reset: boolean;
}

const NET_ERRORS: Record<string, number> = {
  ECONNREFUSED: E_REFUSED,
  ECONNRESET: E_RESET,
  EPIPE: E_RESET,
  EHOSTUNREACH: E_UNREACHABLE,
  ENETUNREACH: E_UNREACHABLE,
  ETIMEDOUT: E_UNREACHABLE,
  EADDRINUSE: E_EXISTS,
  ENOTFOUND: E_NOT_FOUND,
  EAI_AGAIN: E_UNREACHABLE,
};

const netError = (e: unknown): number => NET_ERRORS[(e as NodeJS.ErrnoException).code ?? ''] ?? E_IO;

/** IPv4 in host byte order (as the IDL carries it) <-> dotted. */
export const dotted = (a: number): string => [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
const fromDotted = (s: string): number => s.split('.').reduce((a, p) => a * 256 + Number(p), 0) >>> 0;

export interface TcpipOptions {
  /** tcpip_listen(GUEST) listens on host port forward.get(GUEST) (default: GUEST itself). */
  forward?: ReadonlyMap<number, number>;
  /** The address listeners bind (default 127.0.0.1). */
  bindAddress?: string;
}

export class TcpipService {
  private readonly socks = new Map<number, Sock>();
  private nextSock = 1;
  service!: Service;

  constructor(
    private readonly k: PortableKernel,
    private readonly opts: TcpipOptions = {},
  ) {}

  start(): Service {
    this.service = startService(this.k, 'tcpip', (m) => this.handle(m.name, m.fields as Record<string, unknown>, m.src));
    return this.service;
  }

  /** Closes every socket and listener (the host is shutting down). */
  closeAll(): void {
    for (const s of this.socks.values()) {
      s.socket?.destroy();
      s.server?.close();
    }
    this.socks.clear();
  }

  private async handle(name: string, f: Record<string, unknown>, from: number): Promise<Uint8Array | number> {
    switch (name) {
      case 'tcpip_connect':
        return this.connect(dotted(f.dst_addr as number), f.dst_port as number, from);
      case 'tcpip_listen':
        return this.listen(f.listen_port as number, from);
      case 'tcpip_write': {
        const s = this.own(f.sock as number, from);
        if (typeof s === 'number') return s;
        if (!s.socket || s.reset || s.socket.destroyed) return E_RESET;
        const data = f.data as Uint8Array;
        const socket = s.socket;
        const r = await new Promise<number>((done) => socket.write(data, (e) => done(e ? netError(e) : 0)));
        return r < 0 ? r : message('tcpip_write_reply');
      }
      case 'tcpip_read': {
        const id = f.sock as number;
        const s = this.own(id, from);
        if (typeof s === 'number') return s;
        if (s.reset) return E_RESET;
        if (s.inbox.length === 0 && s.peerClosed) return E_END;
        const data = s.inbox.subarray(0, CHUNK);
        s.inbox = s.inbox.subarray(data.length);
        s.notified = false;
        s.socket?.resume();
        if (s.inbox.length > 0) this.tell(id, s, 'data');
        return message('tcpip_read_reply', { data: new Uint8Array(data) });
      }
      case 'tcpip_destroy': {
        const id = f.sock as number;
        const s = this.own(id, from);
        if (typeof s === 'number') return s;
        // A connection ends with FIN after the data written so far (unread data is dropped).
        s.socket?.end();
        s.server?.close();
        this.socks.delete(id);
        return message('tcpip_destroy_reply');
      }
      case 'tcpip_dns_resolve':
        try {
          const r = await dnsLookup(f.hostname as string, { family: 4 });
          return message('tcpip_dns_resolve_reply', { addr: fromDotted(r.address) });
        } catch (e) {
          return netError(e);
        }
      case 'ping':
        return message('ping_reply', { value: f.value as number });
      default:
        return E_UNSUPPORTED;
    }
  }

  private own(id: number, from: number): Sock | number {
    const s = this.socks.get(id);
    if (!s) return E_NOT_FOUND;
    return s.owner === from ? s : E_DENIED;
  }

  private add(s: Sock): number {
    const id = this.nextSock++;
    this.socks.set(id, s);
    return id;
  }

  /** Wires a connected socket: data is kept until read, the owner is told. */
  private attach(socket: Socket, owner: number): number {
    const s: Sock = { owner, socket, inbox: Buffer.alloc(0), notified: false, peerClosed: false, reset: false };
    const id = this.add(s);
    socket.on('data', (d: Buffer) => {
      s.inbox = Buffer.concat([s.inbox, d]);
      // Backpressure: stop reading from the host while the app has not caught up.
      if (s.inbox.length >= 64 * 1024) socket.pause();
      if (!s.notified) this.tell(id, s, 'data');
    });
    socket.on('end', () => {
      s.peerClosed = true;
      this.tell(id, s, 'closed');
    });
    socket.on('error', () => {
      s.reset = true;
      if (!s.peerClosed) {
        s.peerClosed = true;
        this.tell(id, s, 'closed');
      }
    });
    return id;
  }

  private tell(id: number, s: Sock, what: 'data' | 'closed'): void {
    if (!this.socks.has(id)) return;
    if (what === 'data') s.notified = true;
    const m = what === 'data' ? message('tcpip_data', { sock: id }) : message('tcpip_closed', { sock: id });
    this.k.sendDetached(this.service.task, s.owner, m, (r) => {
      if (r < 0) this.dropOwner(s.owner);
    });
  }

  /** The owner exited: its connections are reset, its listeners closed. */
  private dropOwner(owner: number): void {
    for (const [id, s] of this.socks) {
      if (s.owner !== owner) continue;
      s.socket?.destroy();
      s.server?.close();
      this.socks.delete(id);
    }
  }

  private connect(host: string, port: number, from: number): Promise<Uint8Array | number> {
    return new Promise((done) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        done(message('tcpip_connect_reply', { sock: this.attach(socket, from) }));
      });
      socket.once('error', (e) => done(netError(e)));
    });
  }

  private listen(port: number, from: number): Promise<Uint8Array | number> {
    const hostPort = this.opts.forward?.get(port) ?? port;
    return new Promise((done) => {
      const s: Sock = { owner: from, inbox: Buffer.alloc(0), notified: false, peerClosed: false, reset: false };
      const server = createServer((socket) => {
        if (this.socks.has(id)) this.attach(socket, from);
        else socket.destroy();
      });
      s.server = server;
      let id = 0;
      server.once('error', (e) => done(netError(e)));
      server.listen(hostPort, this.opts.bindAddress ?? '127.0.0.1', () => {
        id = this.add(s);
        done(message('tcpip_listen_reply', { sock: id }));
      });
    });
  }
}

export function startTcpip(k: PortableKernel, opts: TcpipOptions = {}): { service: Service; tcpip: TcpipService } {
  const tcpip = new TcpipService(k, opts);
  return { service: tcpip.start(), tcpip };
}
