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

/** Adds len bytes at p to a running ones'-complement sum of big-endian 16-bit words (RFC 1071). */
export function sumBytes(sum: u32, p: usize, len: i32): u32 {
  let s = <u64>sum;
  let i = 0;
  // Four bytes at a time: two words per load keep the interpreter's work down.
  for (; i + 4 <= len; i += 4) s += <u64>bswap<u32>(load<u32>(p + <usize>i));
  for (; i + 2 <= len; i += 2) s += <u64>get16(p + <usize>i);
  if (i < len) s += <u64>load<u8>(p + <usize>i) << 8;
  while (s >> 16 != 0) s = (s & 0xffff) + (s >> 16);
  return <u32>s;
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
