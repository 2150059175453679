// A minimal guest TCP client for tests against real host servers: it opens
// connections through a UserNet, ACKs everything in order at once and
// collects what arrives. Frames from the gateway are handled on a microtask,
// as a real guest would see them on its next slice, never re-entrantly.
import { GATEWAY_MAC, GUEST_IP } from '../../../src/host/net/addresses.ts';
import { ip } from '../../../src/host/net/bytes.ts';
import { ETHERTYPE_IPV4, buildEthernet, parseEthernet } from '../../../src/host/net/ethernet.ts';
import { PROTO_TCP, buildIpv4, parseIpv4 } from '../../../src/host/net/ipv4.ts';
import { ACK, FIN, PSH, RST, SYN, buildTcp, parseTcp, type TcpSegment } from '../../../src/host/net/tcp-segment.ts';
import { UserNet, type UserNetOptions } from '../../../src/host/net/user-net.ts';
import { GUEST_MAC } from './guest.ts';

export class GuestConn {
  received: Uint8Array[] = [];
  receivedBytes = 0;
  finished = false;
  reset = false;
  private snd = 7000;
  private rcv = 0;
  private waiters: Array<() => void> = [];
  private established = false;
  /** Sends made before the handshake completed. */
  private early: Array<() => void> = [];

  constructor(private readonly stack: GuestStack, readonly dst: number, readonly dstPort: number, readonly port: number, readonly window: number) {}

  open(): void {
    this.stack.out(this, { seq: this.snd, ack: 0, flags: SYN, mss: 1460 });
    this.snd++;
  }

  send(data: Uint8Array | string): void {
    if (!this.established) { this.early.push(() => this.send(data)); return; }
    const b = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (let o = 0; o < b.length; o += 1460) {
      const part = b.subarray(o, o + 1460);
      this.stack.out(this, { seq: this.snd, ack: this.rcv, flags: ACK | PSH, payload: part });
      this.snd += part.length;
    }
  }

  close(): void {
    if (!this.established) { this.early.push(() => this.close()); return; }
    this.stack.out(this, { seq: this.snd, ack: this.rcv, flags: FIN | ACK });
    this.snd++;
  }

  text(): string {
    return new TextDecoder().decode(concat(this.received));
  }

  /** Resolves when `pred` holds (checked after every segment). */
  until(pred: () => boolean, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(this.text().slice(0, 400))}`)), ms);
      const check = (): void => {
        if (pred()) { clearTimeout(t); resolve(); } else this.waiters.push(check);
      };
      check();
    });
  }

  segment(s: TcpSegment): void {
    if (s.flags & RST) { this.reset = true; this.finished = true; }
    else if (s.flags & SYN) {
      this.rcv = (s.seq + 1) >>> 0;
      this.stack.out(this, { seq: this.snd, ack: this.rcv, flags: ACK });
      this.established = true;
      for (const f of this.early.splice(0)) f();
    }
    else if (s.seq === this.rcv) {
      if (s.payload.length > 0) { this.received.push(s.payload.slice()); this.receivedBytes += s.payload.length; }
      this.rcv = (this.rcv + s.payload.length + (s.flags & FIN ? 1 : 0)) >>> 0;
      if (s.flags & FIN) this.finished = true;
      if (s.payload.length > 0 || (s.flags & FIN)) this.stack.out(this, { seq: this.snd, ack: this.rcv, flags: ACK });
    }
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export class GuestStack {
  readonly net: UserNet;
  private readonly conns = new Map<number, GuestConn>();
  private nextPort = 30000;

  constructor(opts: UserNetOptions = {}) {
    this.net = new UserNet({ ...opts, deliver: (f) => queueMicrotask(() => this.receive(f)) });
  }

  connect(dst: string, port: number, window = 65535): GuestConn {
    const c = new GuestConn(this, ip(dst), port, this.nextPort++, window);
    this.conns.set(c.port, c);
    c.open();
    return c;
  }

  out(c: GuestConn, s: { seq: number; ack: number; flags: number; payload?: Uint8Array; mss?: number }): void {
    const tcp = buildTcp(GUEST_IP, c.dst, { srcPort: c.port, dstPort: c.dstPort, window: c.window, ...s });
    this.net.transmit(buildEthernet(GATEWAY_MAC, GUEST_MAC, ETHERTYPE_IPV4, buildIpv4(GUEST_IP, c.dst, PROTO_TCP, tcp)));
  }

  private receive(f: Uint8Array): void {
    const e = parseEthernet(f);
    if (!e || e.type !== ETHERTYPE_IPV4) return;
    const p = parseIpv4(e.payload);
    if (!p.ok || p.packet.proto !== PROTO_TCP) return;
    const t = parseTcp(p.packet.payload, p.packet.src, p.packet.dst);
    if (!t.ok) throw new Error('gateway sent a bad TCP segment');
    this.conns.get(t.seg.dstPort)?.segment(t.seg);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
