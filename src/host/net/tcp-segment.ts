// TCP segments (RFC 793/9293): parsing with checksum and option checks, and
// building what the gateway sends (MSS option on SYNs only).
import { checksum, put16, put32, pseudoSum, u16, u32 } from './bytes.ts';
import { PROTO_TCP } from './ipv4.ts';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** The MSS option, when the segment (a SYN) carries a valid one. */
  mss: number | null;
  payload: Uint8Array;
}

export type TcpParse = { ok: true; seg: TcpSegment } | { ok: false; reason: 'malformed' | 'checksum' };

export function parseTcp(b: Uint8Array, src: number, dst: number): TcpParse {
  if (b.length < 20) return { ok: false, reason: 'malformed' };
  const off = (b[12]! >>> 4) * 4;
  if (off < 20 || off > b.length) return { ok: false, reason: 'malformed' };
  if (checksum(b, 0, b.length, pseudoSum(src, dst, PROTO_TCP, b.length)) !== 0) return { ok: false, reason: 'checksum' };
  let mss: number | null = null;
  // Options: malformed ones end option parsing (the segment itself is still fine; RFC 9293 §3.1 says be liberal).
  for (let i = 20; i < off;) {
    const kind = b[i]!;
    if (kind === 0) break;
    if (kind === 1) { i++; continue; }
    if (i + 1 >= off) break;
    const len = b[i + 1]!;
    if (len < 2 || i + len > off) break;
    if (kind === 2 && len === 4) mss = u16(b, i + 2);
    i += len;
  }
  return {
    ok: true,
    seg: {
      srcPort: u16(b, 0), dstPort: u16(b, 2), seq: u32(b, 4), ack: u32(b, 8), flags: b[13]! & 0x3f,
      window: u16(b, 14), mss: mss !== null && mss > 0 ? mss : null, payload: b.subarray(off),
    },
  };
}

export interface TcpOut {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  mss?: number;
  payload?: Uint8Array;
}

export function buildTcp(src: number, dst: number, s: TcpOut): Uint8Array {
  const optLen = s.mss !== undefined ? 4 : 0;
  const payload = s.payload ?? new Uint8Array(0);
  const b = new Uint8Array(20 + optLen + payload.length);
  put16(b, 0, s.srcPort);
  put16(b, 2, s.dstPort);
  put32(b, 4, s.seq);
  put32(b, 8, s.ack);
  b[12] = ((20 + optLen) / 4) << 4;
  b[13] = s.flags;
  put16(b, 14, Math.min(s.window, 0xffff));
  if (s.mss !== undefined) {
    b[20] = 2;
    b[21] = 4;
    put16(b, 22, s.mss);
  }
  b.set(payload, 20 + optLen);
  put16(b, 16, checksum(b, 0, b.length, pseudoSum(src, dst, PROTO_TCP, b.length)));
  return b;
}

/** Sequence-space comparisons (mod 2^32). */
export function seqLt(a: number, b: number): boolean { return ((a - b) | 0) < 0; }
export function seqLe(a: number, b: number): boolean { return ((a - b) | 0) <= 0; }
export function seqAdd(a: number, n: number): number { return (a + n) >>> 0; }
export function seqDiff(a: number, b: number): number { return (a - b) | 0; }
