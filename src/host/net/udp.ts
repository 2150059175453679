// UDP (RFC 768) datagrams with the pseudo-header checksum.
import { checksum, put16, pseudoSum, u16 } from './bytes.ts';
import { PROTO_UDP } from './ipv4.ts';

export interface UdpDatagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export type UdpResult = { ok: true; datagram: UdpDatagram } | { ok: false; reason: 'malformed' | 'checksum' };

export function parseUdp(b: Uint8Array, src: number, dst: number): UdpResult {
  if (b.length < 8) return { ok: false, reason: 'malformed' };
  const len = u16(b, 4);
  if (len < 8 || len > b.length) return { ok: false, reason: 'malformed' };
  // A zero checksum means the sender did not compute one.
  if (u16(b, 6) !== 0 && checksum(b, 0, len, pseudoSum(src, dst, PROTO_UDP, len)) !== 0) return { ok: false, reason: 'checksum' };
  return { ok: true, datagram: { srcPort: u16(b, 0), dstPort: u16(b, 2), payload: b.subarray(8, len) } };
}

export function buildUdp(src: number, dst: number, srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  put16(b, 0, srcPort);
  put16(b, 2, dstPort);
  put16(b, 4, b.length);
  b.set(payload, 8);
  const c = checksum(b, 0, b.length, pseudoSum(src, dst, PROTO_UDP, b.length));
  put16(b, 6, c === 0 ? 0xffff : c);
  return b;
}
