// The Internet checksum (RFC 1071) over big-endian 16-bit words, and the checks
// virtio-net's checksum offloads need: a NIC validates a received TCP/UDP
// checksum and completes a partial one the driver left for it. The host's
// network stack (src/host/net) uses the same functions.

/** One's-complement sum of 16-bit words, folded, starting from `initial` (unfolded partial sums are fine; an odd last byte is a high byte). */
export function onesSum(b: Uint8Array, off: number, len: number, initial = 0): number {
  let sum = initial;
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  if (i < end) sum += b[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of a range (with its checksum field zero, or to verify: 0 means valid). */
export function checksum(b: Uint8Array, off: number, len: number, initial = 0): number {
  return ~onesSum(b, off, len, initial) & 0xffff;
}

/** The TCP/UDP pseudo-header sum (RFC 793 / 768) to start a transport checksum with. */
export function pseudoSum(src: number, dst: number, proto: number, len: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
}

const ETH_HLEN = 14;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

const be16 = (f: Uint8Array, o: number): number => (f[o]! << 8) | f[o + 1]!;
const be32 = (f: Uint8Array, o: number): number => ((f[o]! << 24) | (f[o + 1]! << 16) | (f[o + 2]! << 8) | f[o + 3]!) >>> 0;

/**
 * Whether an Ethernet frame carries a whole IPv4 TCP or UDP packet whose
 * transport checksum is right (what virtio's DATA_VALID promises). False for
 * anything else: other protocols, fragments, truncated packets, UDP without a
 * checksum, or a wrong checksum (the driver then checks, and drops, itself).
 */
export function transportChecksumValid(f: Uint8Array): boolean {
  if (f.length < ETH_HLEN + 20 || be16(f, 12) !== 0x0800) return false;
  const vihl = f[ETH_HLEN]!;
  const ihl = (vihl & 15) * 4;
  const total = be16(f, ETH_HLEN + 2);
  if (vihl >> 4 !== 4 || ihl < 20 || total < ihl || ETH_HLEN + total > f.length) return false;
  if ((be16(f, ETH_HLEN + 6) & 0x3fff) !== 0) return false;
  const proto = f[ETH_HLEN + 9]!;
  const l4 = ETH_HLEN + ihl;
  const len = total - ihl;
  if (proto === PROTO_TCP ? len < 20 : proto !== PROTO_UDP || len < 8 || be16(f, l4 + 6) === 0) return false;
  const initial = pseudoSum(be32(f, ETH_HLEN + 12), be32(f, ETH_HLEN + 16), proto, len);
  return checksum(f, l4, len, initial) === 0;
}
