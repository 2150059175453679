// Drives the AssemblyScript views generated from tests/idl/fixtures/all-types.idl
// (compiled as servers/sdk/assembly/fixture-messages.ts by as-bindings.test.ts):
// fill_* write every field through the setters, check_* read a buffer the
// TypeScript encoder wrote and return 0 or the number of the first mismatch.
import { Message } from "./message";
import { Arrays, Scalars, Strings, StringsReply, Empty, MSG_ARRAYS, E_BUSY, BIG, NEGATIVE } from "./fixture-messages";

const m = Message.alloc();

export function buffer(): usize {
  return changetype<usize>(m);
}

export function fill_scalars(): void {
  const s = Scalars.init(m);
  s.a = -128;
  s.b = 255;
  s.c = -32768;
  s.d = 65535;
  s.e = -2147483648;
  s.f = 4294967295;
  s.g = true;
  s.h = 42;
}

export function check_scalars(): i32 {
  const s = Scalars.at(m);
  if (s.type != Scalars.TYPE) return 1;
  if (s.a != -128) return 2;
  if (s.b != 255) return 3;
  if (s.c != -32768) return 4;
  if (s.d != 65535) return 5;
  if (s.e != -2147483648) return 6;
  if (s.f != 4294967295) return 7;
  if (!s.g) return 8;
  if (s.h != 42) return 9;
  if (s.src != 7) return 10;
  return 0;
}

export function fill_strings(): void {
  const s = Strings.init(m);
  s.tag = 9;
  s.name = "abcde";
  const blob = new Uint8Array(2);
  blob[0] = 1;
  blob[1] = 2;
  s.set_blob(blob);
  s.after = 513;
}

export function check_strings(): i32 {
  const s = Strings.at(m);
  if (s.tag != 9) return 1;
  if (s.name != "abcde") return 2;
  if (s.blob_len != 2) return 3;
  const b = s.blob_bytes();
  if (b.length != 2 || b[0] != 1 || b[1] != 2) return 4;
  if (s.after != 513) return 5;
  if (load<u8>(s.name_ptr()) != 0x61) return 6;
  if (load<u8>(s.blob_ptr() + 1) != 2) return 7;
  return 0;
}

/** Text longer than its field is cut at a character boundary: "h€llo" is h + 3 bytes of € + ... */
export function fill_strings_cut(): void {
  const s = Strings.init(m);
  s.name = "h€llo"; // 7 bytes: cstr[5] keeps "h€l"
  s.set_blob_string("a€"); // 4 bytes: bytes[3] keeps "a" (the € would be split)
}

export function fill_reply(): void {
  const r = StringsReply.init(m);
  r.ok = true;
  r.text = "héllo";
}

export function check_reply(): i32 {
  const r = StringsReply.at(m);
  if (!r.ok) return 1;
  if (r.text != "héllo") return 2;
  return 0;
}

export function fill_arrays(): void {
  const a = Arrays.init(m);
  a.set_words(0, 1);
  a.set_words(1, 0xffffffff);
  a.set_words(2, 3);
  a.set_halves(0, -1);
  a.set_halves(1, 2);
  a.set_halves(2, -3);
  a.set_flags(0, true);
  a.set_flags(1, false);
  a.pairs(0).a = 1;
  a.pairs(0).b = -1;
  a.pairs(1).a = 255;
  a.pairs(1).b = 2147483647;
  a.nested.tag = 7;
  a.nested.one.a = 2;
  a.nested.one.b = 3;
  a.nested.two(0).a = 4;
  a.nested.two(0).b = 5;
  a.nested.two(1).a = 6;
  a.nested.two(1).b = 7;
}

export function check_arrays(): i32 {
  const a = Arrays.at(m);
  if (a.type != MSG_ARRAYS) return 1;
  if (a.words(0) != 1 || a.words(1) != 0xffffffff || a.words(2) != 3) return 2;
  if (a.halves(0) != -1 || a.halves(1) != 2 || a.halves(2) != -3) return 3;
  if (!a.flags(0) || a.flags(1)) return 4;
  if (a.pairs(0).a != 1 || a.pairs(0).b != -1 || a.pairs(1).a != 255 || a.pairs(1).b != 2147483647) return 5;
  const n = a.nested;
  if (n.tag != 7 || n.one.a != 2 || n.one.b != 3) return 6;
  if (n.two(0).a != 4 || n.two(0).b != 5 || n.two(1).a != 6 || n.two(1).b != 7) return 7;
  return 0;
}

export function fill_empty(): void {
  Empty.init(m);
}

export function constants(): i32 {
  return E_BUSY == -2 && BIG == 4294967295 && NEGATIVE == -7 && Arrays.SIZE == 64 && Scalars.SIZE == 24 ? 1 : 0;
}

/** Index 3 of words[3]: the view refuses it (abort, then a trap). */
export function bad_index(): u32 {
  return Arrays.at(m).words(3);
}
