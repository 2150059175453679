// FNV-1a (32-bit) of a byte string, in the form the shell's `http` prints it
// (lower-case hex, no prefix): the tests compare a large body the guest
// received with what the server sent.
export function fnv1a(b: Uint8Array): string {
  let h = 2166136261;
  for (const x of b) h = Math.imul(h ^ x, 16777619) >>> 0;
  return h.toString(16);
}
