// ICMP (RFC 792): echo replies from the gateway's addresses and the
// destination-unreachable messages the gateway sends for closed UDP ports.
import { checksum, put16 } from './bytes.ts';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const UNREACH_PORT = 3;

/** The reply to an echo request (same id, sequence and data), or null if `b` is not a valid one. */
export function echoReply(b: Uint8Array): Uint8Array | null {
  if (b.length < 8 || b[0] !== ICMP_ECHO_REQUEST || b[1] !== 0 || checksum(b, 0, b.length) !== 0) return null;
  const r = b.slice();
  r[0] = ICMP_ECHO_REPLY;
  put16(r, 2, 0);
  put16(r, 2, checksum(r, 0, r.length));
  return r;
}

/** Destination unreachable quoting the offending IP header and the first 8 bytes after it (RFC 792). */
export function unreachable(code: number, originalIp: Uint8Array): Uint8Array {
  const ihl = (originalIp[0]! & 0x0f) * 4;
  const quote = originalIp.subarray(0, Math.min(originalIp.length, ihl + 8));
  const r = new Uint8Array(8 + quote.length);
  r[0] = ICMP_UNREACHABLE;
  r[1] = code;
  r.set(quote, 8);
  put16(r, 2, checksum(r, 0, r.length));
  return r;
}
