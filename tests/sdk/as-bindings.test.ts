// The generated AssemblyScript views, for every field type: compiled with asc
// from the fixture IDL and run in V8, they must write exactly the bytes the
// TypeScript encoder writes and read back what it wrote.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MessageCodec } from '../../src/idl/codec.ts';
import { emitAs } from '../../src/idl/emit-as.ts';
import { compileIdl } from '../../src/idl/generate.ts';
import { buildAs } from './helpers.ts';

const FIXTURE = 'tests/idl/fixtures/all-types.idl';
const schema = compileIdl(readFileSync(new URL('../idl/fixtures/all-types.idl', import.meta.url), 'utf8'), FIXTURE);
const codec = new MessageCodec(schema);
const enc = (s: string) => new TextEncoder().encode(s);

type Probe = Record<string, (...a: number[]) => number> & { memory: WebAssembly.Memory };
let probe: Probe;
let printed = '';

function message(name: string): Uint8Array {
  const at = probe['buffer']!();
  return new Uint8Array(probe.memory.buffer, at, 8 + codec.message(name)!.size).slice();
}

function put(bytes: Uint8Array): void {
  new Uint8Array(probe.memory.buffer).set(bytes, probe['buffer']!());
}

beforeAll(async () => {
  const overlay = new Map([
    ['servers/sdk/assembly/fixture-messages.ts', emitAs(schema, FIXTURE)],
    ['servers/sdk/assembly/fixture-probe.ts', readFileSync(new URL('./programs/fixture-probe.as', import.meta.url), 'utf8')],
  ]);
  const wasm = await buildAs('servers/sdk/assembly/fixture-probe.ts', overlay);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    wasmos: {
      debug_print: (p: number, n: number) => {
        printed += new TextDecoder().decode(new Uint8Array(probe.memory.buffer, p, n));
      },
      clock_ns: () => 0n,
    },
  });
  probe = instance.exports as unknown as Probe;
});

describe('generated AssemblyScript views', () => {
  it('write scalars as the encoder does, and read them back', () => {
    probe['fill_scalars']!();
    const want = { a: -128, b: 255, c: -32768, d: 65535, e: -2147483648, f: 4294967295, g: true, h: 42 };
    expect(message('scalars')).toEqual(codec.encodeMessage('scalars', want));
    put(codec.encodeMessage('scalars', want, 7));
    expect(probe['check_scalars']!()).toBe(0);
  });

  it('write cstr and bytes fields, and read them back', () => {
    probe['fill_strings']!();
    const want = { tag: 9, name: 'abcde', blob: Uint8Array.of(1, 2), after: 513 };
    expect(message('strings')).toEqual(codec.encodeMessage('strings', want));
    put(codec.encodeMessage('strings', want));
    expect(probe['check_strings']!()).toBe(0);
    probe['fill_reply']!();
    expect(message('strings_reply')).toEqual(codec.encodeMessage('strings_reply', { ok: true, text: 'héllo' }));
    put(codec.encodeMessage('strings_reply', { ok: true, text: 'héllo' }));
    expect(probe['check_reply']!()).toBe(0);
  });

  it('cut text that does not fit at a character boundary', () => {
    probe['fill_strings_cut']!();
    expect(codec.decode(2, message('strings').subarray(8)).fields).toMatchObject({ name: 'h€l', blob: enc('a') });
  });

  it('write arrays of scalars and structs and nested structs, and read them back', () => {
    probe['fill_arrays']!();
    const want = {
      words: [1, 0xffffffff, 3],
      halves: [-1, 2, -3],
      flags: [true, false],
      pairs: [
        { a: 1, b: -1 },
        { a: 255, b: 2147483647 },
      ],
      nested: { tag: 7, one: { a: 2, b: 3 }, two: [{ a: 4, b: 5 }, { a: 6, b: 7 }] },
    };
    expect(message('arrays')).toEqual(codec.encodeMessage('arrays', want));
    put(codec.encodeMessage('arrays', want));
    expect(probe['check_arrays']!()).toBe(0);
  });

  it('init an empty message: type set, src cleared', () => {
    put(codec.encodeMessage('scalars', { a: 1 }, 99));
    probe['fill_empty']!();
    expect(message('empty')).toEqual(codec.encodeMessage('empty', {}));
  });

  it('export the constants with their types', () => {
    expect(probe['constants']!()).toBe(1);
  });

  it('refuse an array index out of range with an abort naming the field', () => {
    printed = '';
    expect(() => probe['bad_index']!()).toThrow(WebAssembly.RuntimeError);
    expect(printed).toMatch(/^abort: words: index out of range at servers\/sdk\/assembly\/fixture-messages\.ts:\d+:\d+\n$/);
  });
});
