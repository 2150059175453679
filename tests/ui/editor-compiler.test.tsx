// The editor's compiler front ends in Node, against the real assemblyscript
// and wabt packages: every example of the gallery builds to the very bytes
// the repository's own toolchain (servers/sdk/tools/compile-as.ts, used by
// `npm run build:servers`) makes, V8 validates it, and it imports only what
// the kernel offers; broken sources give errors with lines and columns.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileAs } from '../../servers/sdk/tools/compile-as.ts';
import { compileSource } from '../../src/ui/editor/compiler/compile.ts';
import { parseWabtErrors } from '../../src/ui/editor/compiler/compile-wat.ts';
import { EXAMPLES, exampleById } from '../../src/ui/editor/examples.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

function importsOf(wasm: Uint8Array<ArrayBuffer>): string[] {
  return WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => `${i.module}.${i.name}`);
}

describe('the editor compiles like build:servers', () => {
  it('the gallery has hello, the IPC pair, the trap demo, the busy loop and WAT hello', () => {
    expect(EXAMPLES.map((e) => `${e.id}:${e.language}`)).toEqual([
      'hello:assemblyscript', 'echo-service:assemblyscript', 'echo-client:assemblyscript', 'trap:assemblyscript',
      'busy-loop:assemblyscript', 'hello-wat:wat',
    ]);
  });

  for (const x of EXAMPLES.filter((e) => e.language === 'assemblyscript')) {
    it(`${x.id}: the same module as the repository's toolchain, importing only env and wasmos`, async () => {
      const phases: string[] = [];
      const [mine, repo] = await Promise.all([
        compileSource({ language: x.language, path: x.path, source: x.source, flags: x.flags }, (p) => phases.push(p)),
        compileAs(x.path, REPO_ROOT, new Map(), x.flags),
      ]);
      expect(mine.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(phases).toEqual(['loading', 'compiling']);
      expect(mine.wasm).not.toBeNull();
      expect(Buffer.from(mine.wasm!).equals(Buffer.from(repo.wasm!))).toBe(true);
      expect(WebAssembly.validate(mine.wasm!)).toBe(true);
      const imports = importsOf(mine.wasm!);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((i) => !i.startsWith('env.') && !i.startsWith('wasmos.'))).toEqual([]);
      expect(WebAssembly.Module.exports(new WebAssembly.Module(mine.wasm!)).map((e) => e.name)).toContain('main');
    });
  }

  it('hello-wat: wabt builds a valid module with _start that imports wasmos.debug_print', async () => {
    const x = exampleById('hello-wat')!;
    const r = await compileSource({ language: 'wat', path: x.path, source: x.source });
    expect(r.diagnostics).toEqual([]);
    expect(WebAssembly.validate(r.wasm!)).toBe(true);
    expect(importsOf(r.wasm!)).toEqual(['wasmos.debug_print']);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(r.wasm!)).map((e) => e.name).sort()).toEqual(['_start', 'memory']);
  });
});

describe('compile errors carry lines and columns', () => {
  const hello = exampleById('hello')!;

  it('an AssemblyScript syntax error', async () => {
    const source = `${hello.source}let broken = ;\n`;
    const r = await compileSource({ language: 'assemblyscript', path: hello.path, source });
    expect(r.wasm).toBeNull();
    const line = source.split('\n').length - 1;
    expect(r.diagnostics).toContainEqual({
      severity: 'error', message: 'Expression expected.', code: 'AS1109', file: hello.path, line, column: 14, endLine: line, endColumn: 15,
    });
  });

  it('an unknown name, underlined whole', async () => {
    const source = hello.source.replace('  return 0;', '  printn("x");\n  return 0;');
    const r = await compileSource({ language: 'assemblyscript', path: hello.path, source });
    expect(r.wasm).toBeNull();
    const line = source.split('\n').findIndex((l) => l.includes('printn')) + 1;
    expect(r.diagnostics).toEqual([{
      severity: 'error', message: "Cannot find name 'printn'.", code: 'AS2304', file: hello.path, line, column: 3, endLine: line, endColumn: 9,
    }]);
  });

  it('a WAT parse error and a WAT type error', async () => {
    const path = 'servers/examples/hello-wat/main.wat';
    const parse = await compileSource({ language: 'wat', path, source: '(module\n  (func (result i32)\n    i32.const 1\n    i32.frobnicate))' });
    expect(parse.wasm).toBeNull();
    expect(parse.diagnostics).toEqual([{
      severity: 'error', message: 'unexpected token i32.frobnicate, expected ).', file: path, line: 4, column: 5, endLine: 4, endColumn: 19,
    }]);
    const types = await compileSource({ language: 'wat', path, source: '(module\n  (func (result i32)\n    i64.const 1))' });
    expect(types.wasm).toBeNull();
    expect(types.diagnostics).toHaveLength(1);
    expect(types.diagnostics[0]).toMatchObject({ line: 3, column: 5, endColumn: 14 });
    expect(types.diagnostics[0]!.message).toMatch(/type mismatch/);
  });

  it('wabt text it cannot place still becomes an error', () => {
    expect(parseWabtErrors('validate failed:\nsomething odd', 'a.wat')).toEqual([
      { severity: 'error', message: 'something odd', file: 'a.wat', line: 1, column: 1, endLine: 1, endColumn: 1 },
    ]);
  });
});
