// A scripted guest for the gateway tests: builds the frames a guest stack would
// send and decodes what the gateway sends back.
import { expect } from 'vitest';
import { GATEWAY_MAC, GUEST_IP } from '../../../src/host/net/addresses.ts';
import { ip, u16 } from '../../../src/host/net/bytes.ts';
import { ETHERTYPE_IPV4, buildEthernet, parseEthernet } from '../../../src/host/net/ethernet.ts';
import { PROTO_TCP, PROTO_UDP, buildIpv4, parseIpv4, type Ipv4Packet } from '../../../src/host/net/ipv4.ts';
import { buildTcp, parseTcp, type TcpOut, type TcpSegment } from '../../../src/host/net/tcp-segment.ts';
import { buildUdp, parseUdp } from '../../../src/host/net/udp.ts';
import { UserNet, type UserNetOptions } from '../../../src/host/net/user-net.ts';

export const GUEST_MAC = Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56);

export class Guest {
  readonly net: UserNet;
  readonly inbox: Uint8Array[] = [];
  ip = GUEST_IP;

  constructor(opts: UserNetOptions = {}) {
    this.net = new UserNet({ isn: () => 1000, ...opts, deliver: (f) => this.inbox.push(f) });
  }

  /** Frames received since the last call. */
  take(): Uint8Array[] {
    return this.inbox.splice(0);
  }

  send(frame: Uint8Array): void {
    this.net.transmit(frame);
  }

  ipFrame(dst: string | number, proto: number, payload: Uint8Array, src = this.ip): Uint8Array {
    const d = typeof dst === 'string' ? ip(dst) : dst;
    return buildEthernet(GATEWAY_MAC, GUEST_MAC, ETHERTYPE_IPV4, buildIpv4(src, d, proto, payload));
  }

  udp(dst: string, srcPort: number, dstPort: number, payload: Uint8Array, src = this.ip): void {
    const d = ip(dst);
    this.send(this.ipFrame(d, PROTO_UDP, buildUdp(src, d, srcPort, dstPort, payload), src));
  }

  tcp(dst: string, s: TcpOut): void {
    const d = ip(dst);
    this.send(this.ipFrame(d, PROTO_TCP, buildTcp(this.ip, d, s)));
  }

  /** Decoded IPv4 packets among the frames received since the last take. */
  takeIp(): Ipv4Packet[] {
    return this.take().map((f) => {
      const eth = parseEthernet(f)!;
      expect(eth.type).toBe(ETHERTYPE_IPV4);
      const r = parseIpv4(eth.payload);
      if (!r.ok) throw new Error(`gateway sent a bad IP packet: ${r.reason}`);
      return r.packet;
    });
  }

  takeUdp(): Array<{ src: number; dst: number; srcPort: number; dstPort: number; payload: Uint8Array }> {
    return this.takeIp().map((p) => {
      expect(p.proto).toBe(PROTO_UDP);
      const r = parseUdp(p.payload, p.src, p.dst);
      if (!r.ok) throw new Error(`gateway sent a bad UDP datagram: ${r.reason}`);
      return { src: p.src, dst: p.dst, ...r.datagram };
    });
  }

  takeTcp(): TcpSegment[] {
    return this.takeIp().map((p) => {
      expect(p.proto).toBe(PROTO_TCP);
      const r = parseTcp(p.payload, p.src, p.dst);
      if (!r.ok) throw new Error(`gateway sent a bad TCP segment: ${r.reason}`);
      return r.seg;
    });
  }
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

export { u16 };
