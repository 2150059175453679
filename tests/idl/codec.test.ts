// The TypeScript codec: exact round trips for every field type, and decoding
// that never throws on cut or garbage payloads (the IPC trace sees both).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MessageCodec, formatMessage } from '../../src/idl/codec.ts';
import { SCHEMA, decodeMessage, decodeWire, encodeMessage, encodePayload, messageName } from '../../src/idl/generated/messages.ts';
import { compile } from './helpers.ts';

const codec = new MessageCodec(compile(readFileSync(new URL('./fixtures/all-types.idl', import.meta.url), 'utf8')));
const enc = (s: string) => new TextEncoder().encode(s);

/** xorshift32: deterministic garbage. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const SCALARS = { a: -128, b: 255, c: -32768, d: 65535, e: -2147483648, f: 4294967295, g: true, h: 42 };
const ARRAYS = {
  words: [1, 0xffffffff, 3],
  halves: [-1, 2, -3],
  flags: [true, false],
  pairs: [
    { a: 1, b: -1 },
    { a: 255, b: 2147483647 },
  ],
  nested: { tag: 7, one: { a: 2, b: 3 }, two: [{ a: 4, b: 5 }, { a: 6, b: 7 }] },
};

describe('message codec', () => {
  it('round-trips every scalar at its offset, little-endian', () => {
    const p = codec.encodePayload('scalars', SCALARS);
    expect(Array.from(p)).toEqual([
      0x80, 0xff, 0x00, 0x80, 0xff, 0xff, 0, 0, 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0, 42, 0, 0, 0,
    ]);
    const d = codec.decode(1, p);
    expect(d).toMatchObject({ name: 'scalars', kind: 'oneway', group: 'demo', truncated: false, missing: [], anomalies: [] });
    expect(d.fields).toEqual(SCALARS);
  });

  it('round-trips strings, bytes, arrays and structs', () => {
    const p = codec.encodePayload('strings', { tag: 9, name: 'abcde', blob: Uint8Array.of(1, 2), after: 513 });
    expect(Array.from(p)).toEqual([9, 97, 98, 99, 100, 101, 1, 2, 0, 0, 0, 0, 2, 0, 0, 0, 1, 2, 0, 0]);
    expect(codec.decode(2, p).fields).toEqual({ tag: 9, name: 'abcde', blob: Uint8Array.of(1, 2), after: 513 });
    const a = codec.encodePayload('arrays', ARRAYS);
    expect(a.length).toBe(64);
    expect(codec.decode(4, a).fields).toEqual(ARRAYS);
    expect(codec.decode(3, codec.encodePayload('strings_reply', { ok: true, text: 'héllo' })).fields).toEqual({ ok: true, text: 'héllo' });
  });

  it('encodes whole messages with their header, absent fields zero', () => {
    const m = codec.encodeMessage('strings', { name: 'x' }, 7);
    expect(Array.from(m.subarray(0, 10))).toEqual([2, 0, 0, 0, 7, 0, 0, 0, 0, 120]);
    expect(m.length).toBe(8 + 20);
    const w = codec.decodeWire(m);
    expect(w).toMatchObject({ type: 2, src: 7, name: 'strings', fields: { tag: 0, name: 'x', blob: new Uint8Array(0), after: 0 } });
  });

  it('refuses values that do not fit', () => {
    expect(() => codec.encodePayload('scalars', { a: 128 })).toThrow('scalars.a: expected an integer in -128..127 (i8), got 128');
    expect(() => codec.encodePayload('scalars', { f: -1 })).toThrow(RangeError);
    expect(() => codec.encodePayload('scalars', { e: 1.5 })).toThrow(RangeError);
    expect(() => codec.encodePayload('scalars', { g: 1 as unknown as boolean })).toThrow('expected a boolean');
    expect(() => codec.encodePayload('strings', { name: 'abcdef' })).toThrow('6 UTF-8 bytes do not fit in cstr[5]');
    expect(() => codec.encodePayload('strings', { blob: Uint8Array.of(1, 2, 3, 4) })).toThrow('4 bytes do not fit in bytes[3]');
    expect(() => codec.encodePayload('arrays', { words: [1, 2, 3, 4] })).toThrow('4 elements do not fit in [3]');
    expect(() => codec.encodePayload('arrays', { pairs: [{ a: 1, c: 2 }] })).toThrow("arrays.pairs[0]: no field 'c'");
    expect(() => codec.encodePayload('scalars', { zz: 1 })).toThrow("scalars: no field 'zz'");
    expect(() => codec.encodePayload('nope', {})).toThrow("unknown message 'nope'");
  });

  it('decodes what a cut payload covers and names the rest', () => {
    const p = codec.encodePayload('scalars', SCALARS);
    const d = codec.decode(1, p.subarray(0, 10));
    expect(d.fields).toEqual({ a: -128, b: 255, c: -32768, d: 65535 });
    expect(d.missing).toEqual(['e', 'f', 'g', 'h']);
    expect(d.truncated).toBe(true);
    expect(formatMessage(d)).toBe('scalars { a: -128, b: 255, c: -32768, d: 65535, … }');
  });

  it('treats a cstr as complete when its NUL is inside the cut, partial otherwise', () => {
    const p = codec.encodePayload('strings_reply', { ok: true, text: 'ab' });
    expect(codec.decode(3, p.subarray(0, 4))).toMatchObject({ fields: { ok: true, text: 'ab' }, missing: [], truncated: true });
    const q = codec.encodePayload('strings_reply', { ok: true, text: 'abcdefg' });
    expect(codec.decode(3, q.subarray(0, 4))).toMatchObject({ fields: { ok: true, text: 'abc' }, missing: ['text'] });
    // A cstr filling its whole field has no NUL.
    const full = codec.encodePayload('strings_reply', { text: 'abcdefghi' });
    expect(codec.decode(3, full).fields['text']).toBe('abcdefghi');
  });

  it('shows the captured prefix of bytes whose length was cut off', () => {
    const p = codec.encodePayload('strings', { blob: Uint8Array.of(7, 8, 9) });
    const d = codec.decode(2, p.subarray(0, 8));
    expect(d.fields['blob']).toEqual(Uint8Array.of(7, 8));
    expect(d.missing).toEqual(['blob', 'after']);
  });

  it('flags values no well-behaved sender writes', () => {
    const p = codec.encodePayload('strings', { blob: Uint8Array.of(1, 2, 3) });
    p[12] = 200; // blob_len
    const d = codec.decode(2, p);
    expect(d.anomalies).toEqual(['blob: length 200 is beyond its capacity 3']);
    expect(d.fields['blob']).toEqual(Uint8Array.of(1, 2, 3));
    const s = codec.encodePayload('scalars', {});
    s[16] = 2;
    expect(codec.decode(1, s)).toMatchObject({ fields: { g: true }, anomalies: ['g: bool is 2'] });
  });

  it('names errors and unknown types', () => {
    expect(codec.decode(-2, new Uint8Array(0))).toMatchObject({ name: 'E_BUSY', kind: 'error' });
    expect(codec.decode(-50, new Uint8Array(0))).toMatchObject({ name: 'error -50', kind: 'error' });
    expect(codec.decode(77, Uint8Array.of(1, 2))).toMatchObject({ name: 'type 77', kind: 'unknown', fields: {} });
    expect(codec.decodeWire(Uint8Array.of(1, 2, 3))).toMatchObject({ kind: 'unknown', truncated: true });
    expect(formatMessage(codec.decode(-1, new Uint8Array(0)))).toBe('E_BROKEN');
  });

  it('never throws on cut payloads, at every length, for every message', () => {
    for (const m of SCHEMA.messages) {
      // No zero bytes, so no cstr ends early: every field is cut until its last byte is in.
      const full = new Uint8Array(m.size).map((_, i) => (i % 255) + 1);
      const end = Math.max(0, ...m.fields.map((f) => (f.lenOffset ?? f.offset + f.size - 4) + 4));
      for (let len = 0; len <= m.size; len++) {
        const d = decodeMessage(m.type, full.subarray(0, len));
        expect(d.name).toBe(m.name);
        expect(d.truncated).toBe(len < m.size);
        expect(d.missing.length > 0).toBe(len < end);
        expect(typeof formatMessage(d)).toBe('string');
      }
    }
  });

  it('never throws on garbage', () => {
    const next = rng(12345);
    const types = [...SCHEMA.messages.map((m) => m.type), -1, -5000, 0, 1000, 0x7fffffff, -0x80000000];
    for (let i = 0; i < 3000; i++) {
      const len = next() % 1520;
      const bytes = new Uint8Array(len).map(() => next() & 0xff);
      const type = types[next() % types.length]!;
      const d = decodeMessage(type, bytes);
      expect(typeof formatMessage(d)).toBe('string');
      const view = new Uint8Array(bytes.buffer, Math.min(3, len), Math.max(0, len - 3)); // unaligned view
      expect(typeof formatMessage(decodeWire(view))).toBe('string');
    }
  });
});

describe('generated TypeScript module', () => {
  it('encodes and decodes the WasmOS messages', () => {
    const m = encodeMessage('tcpip_write', { sock: 3, data: enc('hello') }, 5);
    expect(m.length).toBe(8 + 1032);
    const view = new DataView(m.buffer);
    expect([view.getInt32(0, true), view.getInt32(4, true), view.getInt32(8, true), view.getUint32(8 + 1028, true)]).toEqual([57, 5, 3, 5]);
    expect(formatMessage(decodeWire(m))).toBe('tcpip_write { sock: 3, data: "hello" }');
    expect(formatMessage(decodeMessage(16, encodePayload('service_lookup_reply', { task: 4 })))).toBe('service_lookup_reply { task: 4 }');
    expect(formatMessage(decodeMessage(18, new Uint8Array(0)))).toBe('service_register_reply');
    expect(messageName(-11)).toBe('E_NOT_FOUND');
    expect(messageName(65)).toBe('echo');
  });

  it('shows a 32-byte trace capture of a large message sensibly', () => {
    const m = encodePayload('echo', { data: enc('hi there') }).subarray(0, 32);
    expect(formatMessage(decodeMessage(65, m))).toBe('echo { data: "hi there"… }');
    const n = encodePayload('notify', { bits: 4, n_exited: 1, exited: [{ task: 3, reason: -4 }] }).subarray(0, 32);
    expect(formatMessage(decodeMessage(1, n))).toBe(
      'notify { bits: 4, irqs: [0, 0, 0], n_exited: 1, exited: [{ task: 3, reason: -4 }, { task: 0, … }, …] }',
    );
  });
});
