// Layout: every field type at the offset C's natural-alignment rules give it
// (the same numbers clang uses on wasm32 and riscv32; tests/sdk checks clang).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Field } from '../../src/idl/schema.ts';
import { compile, inGroup } from './helpers.ts';

const fixture = compile(readFileSync(new URL('./fixtures/all-types.idl', import.meta.url), 'utf8'));
const message = (name: string) => fixture.messages.find((m) => m.name === name)!;
const struct = (name: string) => fixture.structs.find((s) => s.name === name)!;
const offsets = (fields: readonly Field[]) =>
  fields.map((f) => (f.lenOffset === undefined ? [f.name, f.offset, f.size] : [f.name, f.offset, f.size, f.lenOffset]));

describe('IDL layout', () => {
  it('places every scalar at a multiple of its size', () => {
    const m = message('scalars');
    expect(offsets(m.fields)).toEqual([
      ['a', 0, 1],
      ['b', 1, 1],
      ['c', 2, 2],
      ['d', 4, 2],
      ['e', 8, 4],
      ['f', 12, 4],
      ['g', 16, 1],
      ['h', 20, 4],
    ]);
    expect([m.size, m.align]).toEqual([24, 4]);
  });

  it('lays out cstr[N] as char[N] and bytes[N] as u8[N] then an aligned u32 length', () => {
    const m = message('strings');
    // tag u8 @0, name char[5] @1..5, blob u8[3] @6..8, blob_len u32 @12 (9 rounded up to 4), after u16 @16.
    expect(offsets(m.fields)).toEqual([
      ['tag', 0, 1],
      ['name', 1, 5],
      ['blob', 6, 3, 12],
      ['after', 16, 2],
    ]);
    expect([m.size, m.align]).toEqual([20, 4]);
    const r = message('strings_reply');
    expect(offsets(r.fields)).toEqual([
      ['ok', 0, 1],
      ['text', 1, 9],
    ]);
    expect([r.size, r.align]).toEqual([10, 1]);
  });

  it('pads structs to their alignment and nests them', () => {
    expect([struct('pair').size, struct('pair').align]).toEqual([8, 4]);
    expect(offsets(struct('pair').fields)).toEqual([
      ['a', 0, 1],
      ['b', 4, 4],
    ]);
    expect(offsets(struct('nest').fields)).toEqual([
      ['tag', 0, 2],
      ['one', 4, 8],
      ['two', 12, 16],
    ]);
    expect(struct('nest').size).toBe(28);
  });

  it('lays out arrays as consecutive elements', () => {
    const m = message('arrays');
    expect(offsets(m.fields)).toEqual([
      ['words', 0, 12],
      ['halves', 12, 6],
      ['flags', 18, 2],
      ['pairs', 20, 16],
      ['nested', 36, 28],
    ]);
    expect(m.fields[3]!.type).toEqual({ kind: 'array', n: 2, element: { kind: 'struct', struct: 'pair' }, stride: 8 });
    expect(m.size).toBe(64);
  });

  it('gives an empty payload size 0 and tail-pads others', () => {
    expect(message('empty').size).toBe(0);
    expect(message('arrays_reply').size).toBe(0);
    const s = compile(inGroup('oneway a = 1 (x: u32, y: u8);\noneway b = 2 (y: u8, z: u16, w: u8);'));
    expect(s.messages.map((m) => m.size)).toEqual([8, 6]);
  });

  it('keeps docs, groups and constants', () => {
    expect(fixture.groups.map((g) => [g.name, g.messages, g.errors])).toEqual([
      ['demo', [1, 49], [-9, -1]],
      ['other', [100, 199], [-199, -100]],
    ]);
    expect(message('scalars').fields[0]!.doc).toBe('Signed byte.');
    expect(fixture.consts.map((c) => [c.name, c.value])).toEqual([
      ['flag_a', 1],
      ['big', 0xffffffff],
      ['negative', -7],
    ]);
    expect(fixture.errors.map((e) => [e.name, e.code, e.group])).toEqual([
      ['broken', -1, 'demo'],
      ['busy', -2, 'demo'],
      ['other_error', -100, 'other'],
    ]);
  });
});
