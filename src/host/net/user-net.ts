// The user-mode gateway (like QEMU's slirp and v86's fetch network): the far
// end of the guest's virtio-net cable. It answers ARP for its addresses, ICMP
// echo, DHCP and DNS itself, terminates every TCP connection the guest opens
// and hands it to a TcpConnector (fetch, a socket, a relay), and can open TCP
// connections into the guest (port forwarding).
//
// Frames from the guest arrive in `transmit` (called by the board while the
// guest runs); frames for the guest leave through `deliver`, which normally
// queues them on the machine for its next slice. Timers run only in `tick`.
// A hostile or broken frame is dropped and counted, never thrown.
import { DEFAULT_MAC, parseMac, type NetBackend } from '../../board/devices/virtio/net.ts';
import {
  BROADCAST_IP, BROADCAST_MAC, DNS_IP, GATEWAY_IP, GATEWAY_MAC, GUEST_IP, SUBNET_BROADCAST_IP, isGatewayAddress,
} from './addresses.ts';
import { ARP_REPLY, ARP_REQUEST, buildArp, parseArp } from './arp.ts';
import { ipToString } from './bytes.ts';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT, DhcpServer, parseDhcp } from './dhcp.ts';
import { DNS_PORT, buildDnsAnswer, buildDnsError, parseDnsQuery } from './dns.ts';
import { StaticResolver, type DnsResolver } from './dns-resolver.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, buildEthernet, macEquals, parseEthernet } from './ethernet.ts';
import { ICMP_ECHO_REQUEST, UNREACH_PORT, echoReply, unreachable } from './icmp.ts';
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP, buildIpv4, parseIpv4 } from './ipv4.ts';
import type { PcapWriter } from './pcap.ts';
import { TcpConnection, type TcpStream } from './tcp-connection.ts';
import { ACK, RST, SYN, FIN, buildTcp, parseTcp, type TcpOut, type TcpSegment } from './tcp-segment.ts';
import { buildUdp, parseUdp } from './udp.ts';

export interface TcpTarget {
  /** Dotted quad the guest dialled. */
  ip: string;
  port: number;
}

/** Carries guest TCP connections somewhere (fetch, a socket, a wisp relay). */
export interface TcpConnector {
  /**
   * The guest completed a handshake with `to`. The connector sets a handler on
   * `stream` before returning (data may follow in the same segment).
   */
  open(stream: TcpStream, to: TcpTarget, from: TcpTarget): void;
}

export interface UserNetOptions {
  /** Frames for the guest (normally `f => machine.netReceive(f)`); can be set later. */
  deliver?: (frame: Uint8Array) => void;
  /** Where guest TCP connections go; without one they are refused (RST). */
  connector?: TcpConnector | null;
  /** Name lookups for the DNS server at 10.0.2.3 (default: StaticResolver, i.e. only localhost). */
  resolver?: DnsResolver;
  /** Every frame both ways is recorded here. */
  pcap?: PcapWriter | null;
  /** The guest's MAC until it sends a frame (default QEMU's 52:54:00:12:34:56). */
  guestMac?: string;
  /** Initial sequence numbers (default random). */
  isn?: () => number;
  /** Simultaneous TCP connections (default 256); more SYNs are refused. */
  maxConnections?: number;
}

export type DropReason =
  | 'short' | 'not-for-us' | 'forged-source' | 'ethertype' | 'arp' | 'ip-malformed' | 'ip-checksum' | 'ip-fragment' | 'ip-protocol'
  | 'icmp' | 'icmp-unroutable' | 'udp-malformed' | 'udp-checksum' | 'udp-unreachable' | 'dhcp' | 'dns'
  | 'tcp-malformed' | 'tcp-checksum' | 'tcp-no-connection' | 'tcp-refused';

export interface UserNetStats {
  framesIn: number;
  framesOut: number;
  dropped: Partial<Record<DropReason, number>>;
  /** Exceptions caught while handling a frame (a bug if ever non-zero). */
  errors: number;
  lastError: string | null;
}

const FIRST_EPHEMERAL = 49152;

export class UserNet implements NetBackend {
  deliver: (frame: Uint8Array) => void;
  connector: TcpConnector | null;
  readonly resolver: DnsResolver;
  readonly dhcp = new DhcpServer();
  readonly stats: UserNetStats = { framesIn: 0, framesOut: 0, dropped: {}, errors: 0, lastError: null };
  private readonly pcap: PcapWriter | null;
  private guestMac: Uint8Array;
  private guestIp = GUEST_IP;
  private readonly isn: () => number;
  private readonly maxConnections: number;
  private readonly conns = new Map<string, TcpConnection>();
  private nowMs = 0;
  private nextPort = FIRST_EPHEMERAL;
  /** DNS lookups still running. */
  private lookups = 0;

  constructor(opts: UserNetOptions = {}) {
    this.deliver = opts.deliver ?? (() => {});
    this.connector = opts.connector ?? null;
    this.resolver = opts.resolver ?? new StaticResolver();
    this.pcap = opts.pcap ?? null;
    this.guestMac = parseMac(opts.guestMac ?? DEFAULT_MAC);
    this.isn = opts.isn ?? (() => Math.floor(Math.random() * 0x1_0000_0000));
    this.maxConnections = opts.maxConnections ?? 256;
  }

  /** The time the last tick gave (ms); TCP timers are measured in it. */
  get now(): number { return this.nowMs; }

  /** Open TCP connections (any state but CLOSED). */
  get connections(): number {
    for (const [k, c] of this.conns) if (c.finished) this.conns.delete(k);
    return this.conns.size;
  }

  /** Host work in flight that will produce frames later (DNS lookups). */
  get pending(): number { return this.lookups; }

  /** Something may still arrive from the host side: a DNS lookup or an open TCP connection. */
  get busy(): boolean { return this.lookups > 0 || this.connections > 0; }

  /** Advances the gateway's clock and runs due TCP timers. */
  tick(nowMs: number): void {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    for (const [key, c] of this.conns) {
      c.tick();
      if (c.finished) this.conns.delete(key);
    }
  }

  /** A frame from the guest (NetBackend). */
  transmit(frame: Uint8Array): void {
    this.stats.framesIn++;
    this.pcap?.write(frame);
    try {
      this.handleFrame(frame);
    } catch (e) {
      // A parser bug must not take the board down with it; it is counted instead.
      this.stats.errors++;
      this.stats.lastError = (e as Error).stack ?? String(e);
    }
  }

  /**
   * Opens a TCP connection from the gateway (10.0.2.2) to `port` on the guest;
   * the stream works at once (writes wait for the handshake). A closed port
   * shows as closed('reset').
   */
  connectToGuest(port: number): TcpStream {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad guest port ${port}`);
    let local = 0;
    for (let i = 0; i < 16384; i++) {
      const p = this.nextPort;
      this.nextPort = p >= 65535 ? FIRST_EPHEMERAL : p + 1;
      if (!this.conns.has(key(this.guestIp, port, GATEWAY_IP, p))) { local = p; break; }
    }
    if (local === 0) throw new Error('no free local port for a connection into the guest');
    const remote = { ip: this.guestIp, port };
    const c = new TcpConnection({
      local: { ip: GATEWAY_IP, port: local }, remote, output: (s) => this.sendTcp(GATEWAY_IP, remote.ip, s),
      now: () => this.nowMs, iss: this.isn(),
    }, 'active');
    this.conns.set(key(remote.ip, port, GATEWAY_IP, local), c);
    return c;
  }

  // ------------------------------------------------------------ dispatch

  private drop(reason: DropReason): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
  }

  private handleFrame(frame: Uint8Array): void {
    const eth = parseEthernet(frame);
    if (eth === null) { this.drop('short'); return; }
    if (!macEquals(eth.dst, GATEWAY_MAC) && !macEquals(eth.dst, BROADCAST_MAC)) { this.drop('not-for-us'); return; }
    // Multicast or broadcast source addresses are forged; ignore.
    if ((eth.src[0]! & 1) !== 0) { this.drop('forged-source'); return; }
    if (eth.type === ETHERTYPE_ARP) { this.handleArp(eth.payload, eth.src); return; }
    if (eth.type !== ETHERTYPE_IPV4) { this.drop('ethertype'); return; }
    const r = parseIpv4(eth.payload);
    if (!r.ok) { this.drop(r.reason === 'malformed' ? 'ip-malformed' : r.reason === 'checksum' ? 'ip-checksum' : 'ip-fragment'); return; }
    this.guestMac = eth.src.slice();
    const p = r.packet;
    if (p.src !== 0 && p.src !== BROADCAST_IP) this.guestIp = p.src;
    switch (p.proto) {
      case PROTO_ICMP: this.handleIcmp(p.src, p.dst, p.payload); return;
      case PROTO_UDP: this.handleUdp(p.src, p.dst, p.payload, eth.payload); return;
      case PROTO_TCP: this.handleTcp(p.src, p.dst, p.payload); return;
      default: this.drop('ip-protocol');
    }
  }

  private handleArp(b: Uint8Array, src: Uint8Array): void {
    const a = parseArp(b);
    if (a === null || !macEquals(a.senderMac, src)) { this.drop('arp'); return; }
    this.guestMac = a.senderMac.slice();
    if (a.op !== ARP_REQUEST || !isGatewayAddress(a.targetIp)) return;
    const reply = buildArp({ op: ARP_REPLY, senderMac: GATEWAY_MAC, senderIp: a.targetIp, targetMac: a.senderMac, targetIp: a.senderIp });
    this.send(buildEthernet(a.senderMac, GATEWAY_MAC, ETHERTYPE_ARP, reply));
  }

  private handleIcmp(src: number, dst: number, b: Uint8Array): void {
    if (b.length > 0 && b[0] === ICMP_ECHO_REQUEST && !isGatewayAddress(dst)) { this.drop('icmp-unroutable'); return; }
    const reply = isGatewayAddress(dst) ? echoReply(b) : null;
    if (reply === null) { this.drop('icmp'); return; }
    this.sendIp(dst, src, PROTO_ICMP, reply);
  }

  private handleUdp(src: number, dst: number, b: Uint8Array, ipPacket: Uint8Array): void {
    const r = parseUdp(b, src, dst);
    if (!r.ok) { this.drop(r.reason === 'checksum' ? 'udp-checksum' : 'udp-malformed'); return; }
    const d = r.datagram;
    const toServer = dst === BROADCAST_IP || dst === SUBNET_BROADCAST_IP || dst === GATEWAY_IP;
    if (d.dstPort === DHCP_SERVER_PORT && toServer) { this.handleDhcp(d.payload); return; }
    if (dst === DNS_IP && d.dstPort === DNS_PORT) { this.handleDns(src, d.srcPort, d.payload); return; }
    this.drop('udp-unreachable');
    // Broadcasts never get ICMP errors (RFC 1122 §3.2.2).
    if (dst === BROADCAST_IP || dst === SUBNET_BROADCAST_IP) return;
    this.sendIp(dst, src, PROTO_ICMP, unreachable(UNREACH_PORT, ipPacket));
  }

  private handleDhcp(b: Uint8Array): void {
    const m = parseDhcp(b);
    const reply = m === null ? null : this.dhcp.handle(m);
    if (m === null) { this.drop('dhcp'); return; }
    if (reply === null) return;
    const dstIp = reply.broadcast ? BROADCAST_IP : reply.to;
    const dstMac = reply.broadcast ? BROADCAST_MAC : m.chaddr;
    const udp = buildUdp(GATEWAY_IP, dstIp, DHCP_SERVER_PORT, DHCP_CLIENT_PORT, reply.payload);
    this.send(buildEthernet(dstMac, GATEWAY_MAC, ETHERTYPE_IPV4, buildIpv4(GATEWAY_IP, dstIp, PROTO_UDP, udp)));
  }

  private handleDns(src: number, srcPort: number, b: Uint8Array): void {
    const answer = (payload: Uint8Array): void => this.sendIp(DNS_IP, src, PROTO_UDP, buildUdp(DNS_IP, src, DNS_PORT, srcPort, payload));
    const q = parseDnsQuery(b);
    if (!q.ok) {
      this.drop('dns');
      if (q.id !== null) answer(buildDnsError(q.id, q.flags));
      return;
    }
    let result: Promise<string[]> | string[];
    try {
      result = this.resolver.resolveA(q.q.name);
    } catch {
      answer(buildDnsAnswer(q.q, null));
      return;
    }
    if (Array.isArray(result)) { answer(buildDnsAnswer(q.q, result)); return; }
    this.lookups++;
    result.then(
      (addrs) => answer(buildDnsAnswer(q.q, addrs)),
      () => answer(buildDnsAnswer(q.q, null)),
    ).finally(() => { this.lookups--; });
  }

  private handleTcp(src: number, dst: number, b: Uint8Array): void {
    const r = parseTcp(b, src, dst);
    if (!r.ok) { this.drop(r.reason === 'checksum' ? 'tcp-checksum' : 'tcp-malformed'); return; }
    const s = r.seg;
    const k = key(src, s.srcPort, dst, s.dstPort);
    const existing = this.conns.get(k);
    if (existing !== undefined) {
      existing.segment(s);
      if (existing.finished) this.conns.delete(k);
      return;
    }
    if ((s.flags & (SYN | ACK | RST | FIN)) === SYN && dst !== BROADCAST_IP && dst !== SUBNET_BROADCAST_IP && (dst >>> 28) !== 0xe) {
      if (this.connector === null || this.connections >= this.maxConnections) {
        this.drop('tcp-refused');
        this.resetFor(src, dst, s);
        return;
      }
      this.accept(src, dst, s, k);
      return;
    }
    this.drop('tcp-no-connection');
    this.resetFor(src, dst, s);
  }

  private accept(src: number, dst: number, s: TcpSegment, k: string): void {
    const connector = this.connector!;
    const remote = { ip: src, port: s.srcPort };
    const local = { ip: dst, port: s.dstPort };
    const c = new TcpConnection({
      local, remote, output: (o) => this.sendTcp(dst, src, o), now: () => this.nowMs, iss: this.isn(),
      established: (conn) => {
        connector.open(conn, { ip: ipToString(dst), port: s.dstPort }, { ip: ipToString(src), port: s.srcPort });
      },
    }, 'passive', s);
    this.conns.set(k, c);
  }

  /** RFC 9293 §3.10.7.1: a segment for no connection gets a RST (unless it is one). */
  private resetFor(src: number, dst: number, s: TcpSegment): void {
    if (s.flags & RST) return;
    const len = s.payload.length + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
    const base = { srcPort: s.dstPort, dstPort: s.srcPort, window: 0 };
    if (s.flags & ACK) this.sendTcp(dst, src, { ...base, seq: s.ack, ack: 0, flags: RST });
    else this.sendTcp(dst, src, { ...base, seq: 0, ack: (s.seq + len) >>> 0, flags: RST | ACK });
  }

  // ------------------------------------------------------------ output

  private sendTcp(src: number, dst: number, o: TcpOut): void {
    this.sendIp(src, dst, PROTO_TCP, buildTcp(src, dst, o));
  }

  private sendIp(src: number, dst: number, proto: number, payload: Uint8Array): void {
    this.send(buildEthernet(this.guestMac, GATEWAY_MAC, ETHERTYPE_IPV4, buildIpv4(src, dst, proto, payload)));
  }

  private send(frame: Uint8Array): void {
    this.stats.framesOut++;
    this.pcap?.write(frame);
    this.deliver(frame);
  }
}

function key(guestIp: number, guestPort: number, otherIp: number, otherPort: number): string {
  return `${guestIp}:${guestPort}>${otherIp}:${otherPort}`;
}
