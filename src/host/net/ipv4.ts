// IPv4 (RFC 791) headers: strict parsing of what the guest sends, building of
// what the gateway sends (no options, DF set, TTL 64).
import { checksum, put16, put32, u16, u32 } from './bytes.ts';

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
const IP_HEADER = 20;

export interface Ipv4Packet {
  src: number;
  dst: number;
  proto: number;
  ttl: number;
  id: number;
  /** Transport payload, cut to the header's total length (Ethernet padding removed). */
  payload: Uint8Array;
}

export type Ipv4Result = { ok: true; packet: Ipv4Packet } | { ok: false; reason: 'malformed' | 'checksum' | 'fragment' };

export function parseIpv4(b: Uint8Array): Ipv4Result {
  if (b.length < IP_HEADER) return { ok: false, reason: 'malformed' };
  const version = b[0]! >>> 4;
  const ihl = (b[0]! & 0x0f) * 4;
  const total = u16(b, 2);
  if (version !== 4 || ihl < IP_HEADER || total < ihl || total > b.length) return { ok: false, reason: 'malformed' };
  if (checksum(b, 0, ihl) !== 0) return { ok: false, reason: 'checksum' };
  const frag = u16(b, 6);
  // More-fragments set or a non-zero offset: reassembly is not offered (a guest with DF-sized packets never needs it).
  if ((frag & 0x2000) !== 0 || (frag & 0x1fff) !== 0) return { ok: false, reason: 'fragment' };
  return {
    ok: true,
    packet: { src: u32(b, 12), dst: u32(b, 16), proto: b[9]!, ttl: b[8]!, id: u16(b, 4), payload: b.subarray(ihl, total) },
  };
}

let nextId = 1;

export function buildIpv4(src: number, dst: number, proto: number, payload: Uint8Array): Uint8Array {
  const p = new Uint8Array(IP_HEADER + payload.length);
  p[0] = 0x45;
  put16(p, 2, p.length);
  put16(p, 4, nextId);
  nextId = (nextId + 1) & 0xffff;
  put16(p, 6, 0x4000); // DF
  p[8] = 64;
  p[9] = proto;
  put32(p, 12, src);
  put32(p, 16, dst);
  put16(p, 10, checksum(p, 0, IP_HEADER));
  p.set(payload, IP_HEADER);
  return p;
}
