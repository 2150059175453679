// Strings and byte arrays inside messages: `cstr[N]` (char[N], NUL-terminated
// when shorter) and `bytes[N]` (u8[N] then a u32 length). Text is UTF-8 on the
// wire; a string too long for its field is cut at a character boundary, never
// in the middle of one.

/** Reads a cstr[n] at p. */
export function cstrGet(p: usize, n: i32): string {
  let len = 0;
  while (len < n && load<u8>(p + <usize>len) != 0) len++;
  return String.UTF8.decodeUnsafe(p, <usize>len);
}

/** Writes s into a cstr[n] at p: at most n bytes, the rest zero. */
export function cstrSet(p: usize, n: i32, s: string): void {
  const len = bytesEncode(p, n, s);
  memory.fill(p + <usize>len, 0, <usize>(n - len));
}

/** A copy of len bytes at p. */
export function bytesCopyOut(p: usize, len: u32): Uint8Array {
  const out = new Uint8Array(<i32>len);
  memory.copy(out.dataStart, p, <usize>len);
  return out;
}

/** Copies at most n bytes of src to p; returns how many. */
export function bytesCopyIn(p: usize, n: i32, src: Uint8Array): u32 {
  const len = min(src.length, n);
  memory.copy(p, src.dataStart, <usize>len);
  return <u32>len;
}

/** The len bytes at p as UTF-8 text. */
export function bytesDecode(p: usize, len: u32): string {
  return String.UTF8.decodeUnsafe(p, <usize>len);
}

/** Writes s as UTF-8 to p, at most n bytes (cut at a character boundary); returns how many. */
export function bytesEncode(p: usize, n: i32, s: string): u32 {
  const full = String.UTF8.byteLength(s);
  if (full <= n) {
    String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, p);
    return <u32>full;
  }
  const buf = String.UTF8.encode(s);
  const b = changetype<usize>(buf);
  let len = n;
  // Back off over continuation bytes (10xxxxxx) so no character is split.
  while (len > 0 && (load<u8>(b + <usize>len) & 0xc0) == 0x80) len--;
  memory.copy(p, b, <usize>len);
  return <u32>len;
}
