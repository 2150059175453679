// Network byte order, the Internet checksum and dotted-quad addresses: the
// helpers every protocol file shares. Packets live in linear memory and are
// read and written in place through raw pointers (no copies, no allocation).

@inline export function get16(p: usize): u16 {
  return bswap<u16>(load<u16>(p));
}
@inline export function put16(p: usize, v: u16): void {
  store<u16>(p, bswap<u16>(v));
}
@inline export function get32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}
@inline export function put32(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}

/**
 * Adds len bytes at p to a running ones'-complement sum of big-endian 16-bit
 * words (RFC 1071). The data is summed as little-endian words in 32-bit
 * arithmetic and byte-swapped once at the end (the sum is byte-order
 * independent, RFC 1071 §2B): i64 and bswap per word cost the rv32 kernel's
 * translation several times more. Good for up to 128 KB at once.
 */
export function sumBytes(sum: u32, p: usize, len: i32): u32 {
  let w: u64 = 0;
  let q = p;
  const end = p + <usize>len;
  // Whole 32-bit words into a 64-bit accumulator, 16 bytes a turn through a
  // moving pointer (constant load offsets are free): the kernel runs Wasm
  // per operation, so the fewer operations per byte the better.
  for (; q + 16 <= end; q += 16) {
    w += <u64>load<u32>(q) + <u64>load<u32>(q, 4) + <u64>load<u32>(q, 8) + <u64>load<u32>(q, 12);
  }
  for (; q + 4 <= end; q += 4) w += <u64>load<u32>(q);
  let s = <u32>(w & 0xffffffff);
  let hi = <u32>(w >>> 32);
  // Fold the 64-bit sum to 16 bits (end-around carries at each step).
  let t = (s & 0xffff) + (s >>> 16) + (hi & 0xffff) + (hi >>> 16);
  for (; q + 2 <= end; q += 2) t += <u32>load<u16>(q);
  if (q < end) t += <u32>load<u8>(q); // the odd byte is a word's high byte, after the swap
  t = (t & 0xffff) + (t >>> 16);
  t = (t & 0xffff) + (t >>> 16);
  t = ((t & 0xff) << 8) | (t >>> 8);
  t += sum;
  t = (t & 0xffff) + (t >>> 16);
  return (t & 0xffff) + (t >>> 16);
}

/** The checksum field value for a running sum. */
export function foldSum(sum: u32): u16 {
  while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
  return <u16>~sum;
}

/** The TCP/UDP pseudo-header's contribution (RFC 793 §3.1). */
export function pseudoSum(src: u32, dst: u32, proto: u8, len: i32): u32 {
  return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + <u32>proto + <u32>len;
}

export function ipString(a: u32): string {
  return (a >> 24).toString() + "." + ((a >> 16) & 255).toString() + "." + ((a >> 8) & 255).toString() + "." + (a & 255).toString();
}

/** A dotted quad ("10.0.2.2") as an address in host byte order, or -1. */
export function parseIp(s: string): i64 {
  let value: u32 = 0;
  let part: i32 = -1;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c == 46) {
      if (part < 0 || parts == 4) return -1;
      value = (value << 8) | <u32>part;
      parts++;
      part = -1;
    } else if (c >= 48 && c <= 57) {
      part = (part < 0 ? 0 : part * 10) + (c - 48);
      if (part > 255) return -1;
    } else {
      return -1;
    }
  }
  return parts == 4 ? <i64>value : -1;
}

/** Wrap-around comparisons of TCP sequence numbers (RFC 1982 style). */
@inline export function seqLt(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}
@inline export function seqLe(a: u32, b: u32): bool {
  return <i32>(a - b) <= 0;
}
