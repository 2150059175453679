// Golden outputs: the three emitters on a fixture that has every field type and
// declaration form. A deliberate change to an emitter is accepted by
// regenerating them: UPDATE_GOLDEN=1 npx vitest run tests/idl/golden.test.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitAs } from '../../src/idl/emit-as.ts';
import { emitC } from '../../src/idl/emit-c.ts';
import { emitTs } from '../../src/idl/emit-ts.ts';
import { IDL_PATH, OUTPUTS, compileIdl, generate } from '../../src/idl/generate.ts';

const FIXTURE = 'tests/idl/fixtures/all-types.idl';
const here = (p: string) => new URL(p, import.meta.url);
const schema = compileIdl(readFileSync(here('./fixtures/all-types.idl'), 'utf8'), FIXTURE);

const goldens = [
  ['C header', 'all-types.h.golden', () => emitC(schema, FIXTURE)],
  ['AssemblyScript', 'all-types.as.golden', () => emitAs(schema, FIXTURE)],
  ['TypeScript', 'all-types.ts.golden', () => emitTs(schema, FIXTURE)],
] as const;

describe('IDL emitters', () => {
  it.each(goldens)('%s output matches its golden file', (_, file, emit) => {
    const text = emit();
    const path = here(`./golden/${file}`);
    if (process.env['UPDATE_GOLDEN']) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
  });

  it('emits C that clang-19 accepts pedantically for wasm32 and riscv32', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idl-c-'));
    try {
      writeFileSync(join(dir, 'fixture.h'), emitC(schema, FIXTURE));
      writeFileSync(join(dir, 'use.c'), '#include "fixture.h"\nint size(void) { return (int)sizeof(struct message); }\n');
      for (const target of ['wasm32', 'riscv32-unknown-elf']) {
        execFileSync('clang-19', [`--target=${target}`, '-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', '-ffreestanding', '-c', '-o', join(dir, 'use.o'), join(dir, 'use.c')], {
          stdio: 'pipe',
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('committed bindings are what servers/idl/messages.idl generates', () => {
    const { files } = generate(readFileSync(here(`../../${IDL_PATH}`), 'utf8'));
    expect([...files.keys()].sort()).toEqual(Object.values(OUTPUTS).sort());
    for (const [path, text] of files) expect(readFileSync(here(`../../${path}`), 'utf8'), path).toBe(text);
  });
});
