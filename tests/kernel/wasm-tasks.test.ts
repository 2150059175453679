// Wasm tasks started from the boot archive: output, arguments, exit codes,
// pointer checks, access control, refusal of unknown imports and invalid
// modules (with section/offset/rule), and memory quotas. Each program also
// runs in V8 against a JS stand-in for the imports, and both must print the same.
import { describe, expect, it } from 'vitest';
import { wat, watUnchecked } from '../wasm/harness.ts';
import { bootQemu, bootTasks, exitOf, hasQemu, memoryFigures } from './wasm-boot.ts';
import { runInV8, wasmosMock } from './wasm-mock.ts';
import { bootArchive } from '../../src/host/boot-archive.ts';
import { prog } from './wasm-programs.ts';

const HELLO = prog('', `
  (data (i32.const 100) "hello from a Wasm task\\0a\\00")
  (func (export "_start") (call $puts (i32.const 100)))`);

/** Prints argc and each argument in brackets. */
const ARGS = prog(`
  (import "wasmos" "arg_count" (func $argc (result i32)))
  (import "wasmos" "arg_get" (func $arg (param i32 i32 i32) (result i32)))`, `
  (data (i32.const 100) "argc=\\00")
  (data (i32.const 110) "[\\00")
  (data (i32.const 120) "]\\00")
  (data (i32.const 130) "\\0a\\00")
  (data (i32.const 140) " len=\\00")
  (func (export "_start") (local $i i32) (local $n i32)
    (call $puts (i32.const 100)) (call $putd (call $argc))
    (loop $l
      (local.set $n (call $arg (local.get $i) (i32.const 1000) (i32.const 200)))
      (call $puts (i32.const 110)) (call $puts (i32.const 1000)) (call $puts (i32.const 120))
      (call $puts (i32.const 140)) (call $putd (local.get $n))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (call $argc))))
    ;; out of range, too small a buffer (truncated, no NUL), bad buffer
    (call $putd (call $arg (call $argc) (i32.const 1000) (i32.const 200)))
    (i32.store (i32.const 2000) (i32.const 0x2e2e2e2e))
    (call $putd (call $arg (i32.const 1) (i32.const 2000) (i32.const 2)))
    (call $print (i32.const 2000) (i32.const 4))
    (call $putd (call $arg (i32.const 1) (i32.const 65535) (i32.const 2)))
    (call $puts (i32.const 130)))`);

const EXIT_MAIN = `(module (func (export "main") (result i32) (i32.const 42)))`;
const EXIT_CALL = `(module (import "wasmos" "exit" (func $exit (param i32)))
  (func (export "_start") (call $exit (i32.const 7)) (unreachable)))`;
const EXIT_NEG = `(module (func (export "main") (result i32) (i32.const -5)))`;

/** Bad pointers give E_BAD_POINTER (-5); a lookup it may not do gives E_DENIED (-8). */
const POINTERS = prog(`
  (import "env" "ipc_call" (func $call (param i32 i32) (result i32)))
  (import "env" "ipc_recv" (func $recv (param i32 i32) (result i32)))
  (import "env" "ipc_lookup" (func $lookup (param i32) (result i32)))`, `
  (data (i32.const 100) "calc\\00")
  (data (i32.const 110) " \\00")
  (data (i32.const 120) "\\0a\\00")
  (func (export "_start")
    (call $putd (call $call (i32.const 1) (i32.const 65000))) (call $puts (i32.const 110))
    (call $putd (call $call (i32.const 1) (i32.const 1026))) (call $puts (i32.const 110))
    (call $putd (call $recv (i32.const -1) (i32.const -4))) (call $puts (i32.const 110))
    (call $putd (call $lookup (i32.const 70000))) (call $puts (i32.const 110))
    (call $putd (call $lookup (i32.const 100))) (call $puts (i32.const 120)))`);

describe('Wasm tasks', () => {
  it('print, read their arguments and end with exit codes, as in V8', async () => {
    const modules = {
      'hello.wasm': await wat(HELLO), 'args.wasm': await wat(ARGS), 'main42.wasm': await wat(EXIT_MAIN),
      'exit7.wasm': await wat(EXIT_CALL), 'neg.wasm': await wat(EXIT_NEG), 'ptr.wasm': await wat(POINTERS),
    };
    const args = ['one', 'two words', ''];
    const { out, code } = bootTasks(modules, [
      { module: 'hello.wasm' },
      { module: 'args.wasm', name: 'argtask', args },
      { module: 'main42.wasm' }, { module: 'exit7.wasm' }, { module: 'neg.wasm' },
      { module: 'ptr.wasm', uses: ['other'] },
    ]);
    expect(code, out).toBe(0);
    expect(out).toContain('hello from a Wasm task\n');
    expect(exitOf(out, 'hello.wasm')).toBe('0');
    const argLine = /^argc=.*$/m.exec(out)![0];
    expect(argLine).toBe('argc=4[argtask] len=7[one] len=3[two words] len=9[] len=0-103on..-5');
    expect(runInV8(modules['args.wasm'], wasmosMock({ argv: ['argtask', ...args] })).output).toBe(`${argLine}\n`);
    expect(runInV8(modules['hello.wasm'], wasmosMock()).output).toBe('hello from a Wasm task\n');
    expect(exitOf(out, 'main42.wasm')).toBe('42');
    expect(exitOf(out, 'exit7.wasm')).toBe('7');
    expect(exitOf(out, 'neg.wasm')).toBe('1');
    expect(out).toMatch(/^-5 -5 -5 -5 -8$/m);
    expect(runInV8(modules['ptr.wasm'], wasmosMock({ lookup: () => -8 })).output).toBe('-5 -5 -5 -5 -8\n');
    const mem = memoryFigures(out);
    expect(mem!.end).toEqual(mem!.start);
  });

  it.skipIf(!hasQemu)('run the same way under QEMU', async () => {
    const archive = bootArchive({ 'hello.wasm': await wat(HELLO), 'main42.wasm': await wat(EXIT_MAIN) },
      [{ module: 'hello.wasm' }, { module: 'main42.wasm' }]);
    const { out, status } = bootQemu(archive);
    expect(status, out).toBe(0);
    expect(out).toContain('hello from a Wasm task\n');
    expect(exitOf(out, 'main42.wasm')).toBe('42');
  });

  it('are refused at spawn for unknown imports, wrong signatures and missing entry points', async () => {
    const mods: Record<string, string> = {
      'unknown.wasm': '(module (import "env" "foo" (func)) (func (export "_start")))',
      'module.wasm': '(module (import "posix" "open" (func (param i32) (result i32))) (func (export "_start")))',
      'sig.wasm': '(module (import "env" "ipc_call" (func (param i32) (result i32))) (func (export "_start")))',
      'sig64.wasm': '(module (import "wasmos" "clock_ms" (func (result i32))) (func (export "_start")))',
      'memimport.wasm': '(module (import "env" "memory" (memory 1)) (func (export "_start")))',
      'noentry.wasm': '(module (func (export "run")))',
      'badentry.wasm': '(module (func (export "main") (param i32)))',
      'ok.wasm': '(module (func (export "_start")))',
    };
    const modules: Record<string, Uint8Array> = {};
    for (const [n, t] of Object.entries(mods)) modules[n] = await wat(t);
    const { out, code } = bootTasks(modules, Object.keys(mods).map((m) => ({ module: m })));
    expect(code, out).toBe(0);
    expect(out).toContain('spawn "unknown.wasm": E_BAD_MODULE: import env.foo refused: unknown import\n');
    expect(out).toContain('spawn "module.wasm": E_BAD_MODULE: import posix.open refused: unknown import module (WasmOS provides env, wasmos and wasi_snapshot_preview1)\n');
    expect(out).toContain('spawn "sig.wasm": E_BAD_MODULE: import env.ipc_call refused: wrong signature: expected (i32, i32) -> i32, got (i32) -> i32\n');
    expect(out).toContain('spawn "sig64.wasm": E_BAD_MODULE: import wasmos.clock_ms refused: wrong signature: expected () -> i64, got () -> i32\n');
    expect(out).toContain('spawn "memimport.wasm": E_BAD_MODULE: import env.memory refused: only functions can be imported\n');
    expect(out).toContain('spawn "noentry.wasm": E_BAD_MODULE: no exported function _start or main\n');
    expect(out).toContain('spawn "badentry.wasm": E_BAD_MODULE: entry point main must take no parameters and return nothing or an i32\n');
    expect(exitOf(out, 'ok.wasm')).toBe('0');
    for (const n of Object.keys(mods).filter((m) => m !== 'ok.wasm')) expect(out).not.toContain(`started "${n}"`);
    const mem = memoryFigures(out);
    expect(mem!.end).toEqual(mem!.start);
  });

  it('refuses invalid modules naming section, offset and rule, as V8 refuses them', async () => {
    const bad: Record<string, Uint8Array> = {
      'type.wasm': await watUnchecked('(module (func (export "_start") (result i32) (f32.const 1)))'),
      'truncated.wasm': (await wat('(module (func (export "_start")))')).subarray(0, 20),
      'magic.wasm': new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]),
      'empty.wasm': new Uint8Array(0),
      'text.wasm': new TextEncoder().encode('(module (func (export "_start")))'),
    };
    for (const [n, b] of Object.entries(bad)) expect(WebAssembly.validate(new Uint8Array(b)), n).toBe(false);
    const { out, code } = bootTasks({ ...bad, 'ok.wasm': await wat('(module (func (export "_start")))') },
      [...Object.keys(bad).map((m) => ({ module: m })), { module: 'ok.wasm' }]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^spawn "type\.wasm": E_BAD_MODULE: code section at offset 0x[0-9a-f]+: .*type mismatch.*$/m);
    expect(out).toMatch(/^spawn "truncated\.wasm": E_BAD_MODULE: .*section.* at offset 0x[0-9a-f]+: .+$/m);
    expect(out).toMatch(/^spawn "magic\.wasm": E_BAD_MODULE: .*offset 0x0.*magic.*$/mi);
    expect(out).toMatch(/^spawn "empty\.wasm": E_BAD_MODULE: not a WebAssembly module \(0 bytes\)$/m);
    expect(out).toMatch(/^spawn "text\.wasm": E_BAD_MODULE: .*offset 0x0.*$/m);
    expect(exitOf(out, 'ok.wasm')).toBe('0');
  });

  it('stay within their memory quota: refused at spawn, memory.grow fails, other tasks unharmed', async () => {
    const grow = await wat(prog('', `
      (data (i32.const 100) "pages=\\00") (data (i32.const 110) "\\0a\\00")
      (func (export "_start") (local $n i32)
        (block $full (loop $l (br_if $full (i32.lt_s (memory.grow (i32.const 1)) (i32.const 0)))
          (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l)))
        (call $puts (i32.const 100)) (call $putd (memory.size)) (call $puts (i32.const 110)))`));
    const big = await wat('(module (memory 64) (func (export "_start")))');
    const { out, code } = bootTasks({ 'grow.wasm': grow, 'big.wasm': big, 'hello.wasm': await wat(HELLO) }, [
      { module: 'big.wasm', quota: 1 << 20 },
      { module: 'grow.wasm', quota: 1 << 20 },
      { module: 'hello.wasm' },
    ]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^spawn "big\.wasm": E_NO_MEMORY: .*initial memory \(64 pages\).*out of memory.*$/m);
    const pages = Number(/^pages=(\d+)$/m.exec(out)![1]);
    expect(pages).toBeGreaterThan(4);
    expect(pages).toBeLessThan(16); // 1 MiB holds the module, stacks and < 16 pages
    expect(exitOf(out, 'grow.wasm')).toBe('0');
    expect(out).toContain('hello from a Wasm task\n');
    const mem = memoryFigures(out);
    expect(mem!.end).toEqual(mem!.start);
  });
});
