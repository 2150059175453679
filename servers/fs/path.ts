// Path parsing for every fs request. Paths are absolute UTF-8 strings of at
// most 255 bytes; "." and empty names (repeated slashes) are skipped, ".."
// removes the previous name (and stays at "/"), so the result is lexical: the
// mounts below never see a "." or "..". A trailing slash means the path must
// name a directory.
import { E_INVALID, E_NAME_TOO_LONG } from "../sdk/assembly";

/** Longest path in bytes (the message field holds 256: a full field has no NUL). */
export const PATH_MAX: i32 = 255;
/** Longest name in bytes. */
export const NAME_MAX: i32 = 63;

export class Path {
  /** The names from the root, e.g. ["tmp", "a", "b"]; empty for "/". */
  parts: string[] = [];
  /** The path ended with "/": it must be a directory. */
  dirOnly: bool = false;

  /** The names below the mount point (parts without the first). */
  rest(): string[] {
    return this.parts.slice(1);
  }
}

/** The parse result: 0 with `parsed` set, or an error code. */
export let parsed: Path = new Path();

/**
 * Parses the cstr[cap] field at p. Returns 0 (the result is in `parsed`),
 * E_NAME_TOO_LONG (a path over PATH_MAX or a name over NAME_MAX bytes) or
 * E_INVALID (empty, or not starting with "/").
 */
export function parsePath(p: usize, cap: i32): i32 {
  let len = 0;
  while (len < cap && load<u8>(p + <usize>len) != 0) len++;
  if (len > PATH_MAX) return E_NAME_TOO_LONG;
  if (len == 0 || load<u8>(p) != 0x2f) return E_INVALID;
  const out = new Path();
  let start = 1;
  for (let i = 1; i <= len; i++) {
    if (i < len && load<u8>(p + <usize>i) != 0x2f) continue;
    const n = i - start;
    if (n > NAME_MAX) return E_NAME_TOO_LONG;
    if (n == 0 || (n == 1 && load<u8>(p + <usize>start) == 0x2e)) {
      // "//" or "/./": nothing to add
    } else if (n == 2 && load<u8>(p + <usize>start) == 0x2e && load<u8>(p + <usize>start + 1) == 0x2e) {
      if (out.parts.length > 0) out.parts.pop();
    } else {
      out.parts.push(String.UTF8.decodeUnsafe(p + <usize>start, <usize>n));
    }
    start = i + 1;
  }
  out.dirOnly = load<u8>(p + <usize>(len - 1)) == 0x2f && len > 1;
  parsed = out;
  return 0;
}
