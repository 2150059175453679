// The C header's layouts, as clang-19 compiles them for wasm32, against the
// IDL's: a generated probe exports sizeof/offsetof of every struct and member
// (the header's own _Static_asserts say the same at compile time; this checks
// the numbers from outside).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitC } from '../../src/idl/emit-c.ts';
import { compileIdl } from '../../src/idl/generate.ts';
import { cLenMember, cPayloadStruct } from '../../src/idl/naming.ts';
import { MSG_HEADER, MSG_MAX, type Field, type Schema } from '../../src/idl/schema.ts';
import { SCHEMA } from '../../src/idl/generated/messages.ts';
import { buildC, readRepo } from './helpers.ts';

interface Probe {
  readonly source: string;
  /** What each table entry is, and the IDL's value for it. */
  readonly expected: readonly (readonly [string, number])[];
}

/** C source exporting layout_at(i) = the i-th sizeof/offsetof of `schema`'s types. */
function probeFor(schema: Schema, include: string): Probe {
  const expected: [string, number][] = [];
  const exprs: string[] = [];
  const add = (what: string, expr: string, value: number) => {
    expected.push([what, value]);
    exprs.push(expr);
  };
  add('sizeof(struct message)', 'sizeof(struct message)', MSG_MAX);
  add('offsetof(struct message, raw)', 'offsetof(struct message, raw)', MSG_HEADER);
  const members = (tag: string, size: number, fields: readonly Field[]) => {
    add(`sizeof(struct ${tag})`, `sizeof(struct ${tag})`, size);
    for (const f of fields) {
      add(`${tag}.${f.name}`, `offsetof(struct ${tag}, ${f.name})`, f.offset);
      add(`sizeof ${tag}.${f.name}`, `sizeof(((struct ${tag} *)0)->${f.name})`, f.size);
      if (f.lenOffset !== undefined) add(`${tag}.${cLenMember(f.name)}`, `offsetof(struct ${tag}, ${cLenMember(f.name)})`, f.lenOffset);
    }
  };
  for (const s of schema.structs) members(s.name, s.size, s.fields);
  for (const m of schema.messages) {
    if (m.fields.length === 0) continue;
    members(cPayloadStruct(m.name), m.size, m.fields);
    add(`union member ${m.name}`, `offsetof(struct message, ${m.name})`, MSG_HEADER);
  }
  const source = [
    `#include ${include}`,
    `static const int32_t table[] = {\n${exprs.map((e) => `\t(int32_t)${e},`).join('\n')}\n};`,
    '__attribute__((export_name("layout_count"))) int32_t layout_count(void) { return (int32_t)(sizeof table / sizeof table[0]); }',
    '__attribute__((export_name("layout_at"))) int32_t layout_at(int32_t i) { return table[i]; }',
    'int main(void) { return 0; }',
  ].join('\n');
  return { source, expected };
}

function measure(wasm: Uint8Array<ArrayBuffer>): number[] {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const count = (instance.exports['layout_count'] as () => number)();
  const at = instance.exports['layout_at'] as (i: number) => number;
  return Array.from({ length: count }, (_, i) => at(i));
}

const pairs = (p: Probe, got: number[]) => got.map((v, i) => [p.expected[i]![0], v]);

describe('C header layouts (clang-19, wasm32)', () => {
  it('match the IDL for every WasmOS and playground message', () => {
    const probe = probeFor(SCHEMA, '<wasmos.h>');
    const got = measure(buildC(probe.source));
    expect(got.length).toBe(probe.expected.length);
    expect(pairs(probe, got)).toEqual(probe.expected);
  });

  it('match the IDL for every field type of the fixture', () => {
    const file = 'tests/idl/fixtures/all-types.idl';
    const schema = compileIdl(readFileSync(new URL('../idl/fixtures/all-types.idl', import.meta.url), 'utf8'), file);
    const probe = probeFor(schema, '"fixture.h"');
    const got = measure(buildC(probe.source, { 'fixture.h': emitC(schema, file) }));
    expect(pairs(probe, got)).toEqual(probe.expected);
  });

  it('agree with the kernel on the notification payload', () => {
    // kernel/include/wasmos/msg.h: struct notify_payload, received whole with 92 bytes.
    const msgH = readRepo('kernel/include/wasmos/msg.h');
    expect(msgH).toMatch(/struct notify_payload \{\s*uint32_t bits;\s*uint32_t irqs\[3\];[^}]*uint32_t n_exited;[^}]*int32_t task;\s*int32_t reason;\s*\} exited\[NOTIFY_MAX_EXITED\];/);
    expect(msgH).toMatch(/#define NOTIFY_MAX_EXITED 8/);
    const notify = SCHEMA.messages.find((m) => m.name === 'notify')!;
    expect(MSG_HEADER + notify.size).toBe(92);
  });
});
