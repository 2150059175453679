// Meaning: names, numbers, ranges and sizes. Every error points at the
// declaration it is about, and all of them are reported in one go.
import { describe, expect, it } from 'vitest';
import { compile, errorLines, inGroup } from './helpers.ts';

describe('IDL checker', () => {
  it('names the reply of an rpc <name>_reply and links the two', () => {
    const s = compile(inGroup('rpc ping = 9 (value: i32) -> 10 (value: i32);\noneway note = 11 ();'));
    expect(s.messages.map((m) => [m.name, m.type, m.kind, m.reply, m.request])).toEqual([
      ['ping', 9, 'rpc', 'ping_reply', undefined],
      ['ping_reply', 10, 'reply', undefined, 'ping'],
      ['note', 11, 'oneway', undefined, undefined],
    ]);
  });

  it.each([
    ['rpc a = 9 () -> 11 ();', "2:17: the reply of 'a' must be type 10 (request type + 1), not 11"],
    ['oneway a = 5 ();\noneway b = 5 ();', "3:12: type 5 of 'b' is already used by 'a' at 2:12"],
    ['rpc a = 5 () -> 6 ();\noneway b = 6 ();', "3:12: type 6 of 'b' is already used by 'a_reply' at 2:17"],
    ['oneway a = 1 ();\noneway a = 2 ();', "3:1: 'a' is already defined at 2:1"],
    ['oneway a_reply = 1 ();\nrpc a = 2 () -> 3 ();', "3:17: 'a_reply' (the reply of rpc 'a') is already defined at 2:1"],
    ['struct a (x: u8);\nconst a = 1;', "3:1: 'a' is already defined at 2:1"],
    ['oneway a = 100 ();', "2:12: type 100 of 'a' is outside group 'g' (messages 1..99)"],
    ['rpc a = 99 () -> 100 ();', "2:18: type 100 of 'a_reply' is outside group 'g' (messages 1..99)"],
    ['error e = 3;', "2:11: error 'e' must have a negative code, not 3"],
    ['error e = -100;', "2:11: error code -100 of 'e' is outside group 'g' (errors -99..-1)"],
    ['error e = -1;\nerror f = -1;', "3:11: error code -1 is already used by 'e' at 2:11"],
    ['const c = -2147483649;', "2:1: const 'c' = -2147483649 does not fit in 32 bits"],
    ['oneway a = 1 (x: u8, x: u16);', "2:22: field 'x' is already defined in message 'a' at 2:15"],
    ['oneway a = 1 (x: float);', "2:18: unknown type 'float' (in message 'a')"],
    ['oneway a = 1 (x: int);', '2:18: say which int: i8, i16 or i32'],
    ['oneway a = 1 (x: uint);', '2:18: say which uint: u8, u16 or u32'],
    ['oneway a = 1 (x: cstr);', '2:18: cstr needs a size: cstr[N]'],
    ['oneway a = 1 (x: bytes);', '2:18: bytes needs a size: bytes[N]'],
    ['oneway a = 1 (x: u8[0]);', '2:18: u8[0]: the count must be 1..1504'],
    ['oneway a = 1 (x: bytes[1501]);', "2:14: message 'a' is 1508 bytes: a payload holds at most 1504 (a message is at most 1512 bytes with its 8-byte header)"],
    ['rpc a = 1 () -> 2 (x: u32[377]);', "2:19: reply of 'a' is 1508 bytes: a payload holds at most 1504 (a message is at most 1512 bytes with its 8-byte header)"],
    ['struct s (x: s);', "2:14: struct 's' contains itself (in struct 's')"],
    ['struct s ();', "2:1: struct 's' has no fields"],
    ['oneway a = 1 (type: i32);', "2:15: field 'type' of 'a' needs the name 'type', which is already a generated member"],
    ['oneway a = 1 (reset: i32);', "2:15: field 'reset' of 'a' needs the name 'reset', which is already a generated member"],
    ['oneway raw = 1 (x: i32);', "2:1: message 'raw' and the message header would both be C struct message member raw in the generated code"],
    ['struct s (a: s2);\nstruct s2 (b: s);', "3:15: struct 's' contains itself (in struct 's2')"],
    ['oneway a = 1 (data: bytes[4], data_len: u32);', "2:31: field 'data_len' of 'a' needs the name 'data_len', which is already field 'data'"],
    ['oneway a = 1 (data: bytes[4], set_data: u8);', "2:31: field 'set_data' of 'a' needs the name 'set_data', which is already field 'data'"],
    ['oneway a = 1 (Value: i32);', "2:15: field 'Value' must be lower_snake_case (a-z, 0-9, single underscores, starting with a letter)"],
    ['oneway a__b = 1 ();', "2:1: name 'a__b' must be lower_snake_case (a-z, 0-9, single underscores, starting with a letter)"],
    ['oneway a = 1 (char: u8);', "2:15: field 'char' is a reserved word in C or TypeScript"],
    ['struct u32 (x: u8);', "2:1: name 'u32' is a reserved word in C or TypeScript"],
    ['oneway a_b1 = 1 ();\noneway a_b_1 = 2 ();', "3:1: message 'a_b_1' and message 'a_b1' would both be AssemblyScript AB1 in the generated code"],
    ['struct ping_fields (x: u8);\noneway ping = 1 ();', "2:1: struct 'ping_fields' and message 'ping' would both be C struct ping_fields in the generated code"],
  ])('refuses %j', (body, expected) => {
    expect(errorLines(inGroup(body))).toContain(expected);
  });

  it('checks group ranges', () => {
    expect(errorLines('group a messages 0..5 errors -5..-1 {}')).toEqual([
      '1:18: message range 0..5 must be positive and ascending (type 0 and negative types are not messages)',
    ]);
    expect(errorLines('group a messages 1..5 errors -1..-5 {}')).toEqual([
      '1:30: error range -1..-5 must be negative and ascending (low..high, e.g. -99..-1)',
    ]);
    expect(errorLines('group a messages 1..5 errors -5..0 {}')).toHaveLength(1);
    expect(errorLines('group a messages 1..50 errors -5..-1 {}\ngroup b messages 50..60 errors -9..-6 {}')).toEqual([
      "2:18: message range 50..60 overlaps group 'a' (1..50)",
    ]);
    expect(errorLines('group a messages 1..5 errors -5..-1 {}\ngroup b messages 6..9 errors -6..-5 {}')).toEqual([
      "2:30: error range -6..-5 overlaps group 'a' (-5..-1)",
    ]);
    expect(errorLines('group a messages 1..5 errors -5..-1 {}\ngroup a messages 6..9 errors -9..-6 {}')).toEqual([
      "2:1: group 'a' is already defined at 1:1",
    ]);
  });

  it('reports every problem at once, in source order', () => {
    const lines = errorLines(inGroup('oneway a = 1 (x: nope);\noneway b = 1 ();\nerror e = 5;\nstruct s (y: huh);'));
    expect(lines).toEqual([
      "2:18: unknown type 'nope' (in message 'a')",
      "3:12: type 1 of 'b' is already used by 'a' at 2:12",
      "4:11: error 'e' must have a negative code, not 5",
      "5:14: unknown type 'huh' (in struct 's')",
    ]);
  });

  it('resolves structs declared after their use, and across groups', () => {
    const s = compile(
      'group a messages 1..9 errors -9..-1 { oneway m = 1 (p: later); }\ngroup b messages 10..19 errors -19..-10 { struct later (x: u16, y: u8); }',
    );
    expect(s.messages[0]!.fields[0]).toMatchObject({ name: 'p', offset: 0, size: 4, align: 2 });
    expect(s.structs.map((x) => [x.name, x.group])).toEqual([['later', 'b']]);
  });

  it('allows a payload of exactly 1504 bytes', () => {
    const s = compile(inGroup('oneway full = 1 (data: bytes[1500]);'));
    expect(s.messages[0]!.size).toBe(1504);
  });
});
