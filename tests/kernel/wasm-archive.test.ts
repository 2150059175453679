// The kernel's boot archive and manifest readers against hostile input: broken
// archives are refused with the reason (power-off code 1, never a panic), bad
// manifest lines are reported and skipped, and randomly damaged archives and
// modules never bring the kernel down.
import { describe, expect, it } from 'vitest';
import { Rng, wat } from '../wasm/harness.ts';
import { ENTRY_SIZE, HEADER_SIZE, NAME_MAX, bootArchive, writeBootArchive } from '../../src/host/boot-archive.ts';
import { bootBoard, exitOf } from './wasm-boot.ts';
import { prog } from './wasm-programs.ts';

const HELLO = prog('', `(data (i32.const 100) "hello\\0a\\00") (func (export "_start") (call $puts (i32.const 100)))`);
const ALIVE = prog('', `(data (i32.const 100) "fuzz: alive\\0a\\00") (func (export "_start") (call $puts (i32.const 100)))`);

function damaged(archive: Uint8Array, f: (dv: DataView, b: Uint8Array) => void): Uint8Array {
  const b = archive.slice();
  f(new DataView(b.buffer), b);
  return b;
}

describe('boot archive and manifest in the kernel', () => {
  it('refuses broken archives with the reason and powers off with code 1', async () => {
    const good = bootArchive({ 'hello.wasm': await wat(HELLO) }, [{ module: 'hello.wasm' }]);
    const e1 = HEADER_SIZE + ENTRY_SIZE;
    const cases: [Uint8Array, RegExp][] = [
      [damaged(good, (dv) => dv.setUint32(0, 0x464c457f, true)), /bad magic 0x464c457f/],
      [damaged(good, (dv) => dv.setUint32(4, 9, true)), /version 9/],
      [damaged(good, (dv) => dv.setUint32(12, good.length + 64, true)), /does not fit the \d+ bytes loaded/],
      [damaged(good, (dv) => dv.setUint32(8, 0x10000000, true)), /file table of 268435456 entries/],
      [damaged(good, (_, b) => b.fill(0x41, e1, e1 + NAME_MAX)), /entry 1 .*not terminated/],
      [damaged(good, (dv) => dv.setUint32(e1 + NAME_MAX, 2, true)), /entry 1 .*aligned/],
      [damaged(good, (dv) => dv.setUint32(e1 + NAME_MAX + 4, 0xfffffff0, true)), /entry 1 .*outside the archive/],
      [damaged(good, (_, b) => b.set(new TextEncoder().encode('manifest\0'), e1)), /entry 1 .*duplicate name/],
      [good.subarray(0, 8), /too short/],
    ];
    for (const [archive, why] of cases) {
      const { out, code } = bootBoard(archive);
      expect(out).toMatch(new RegExp(`^boot archive refused: .*${why.source}`, 'm'));
      expect(out).not.toMatch(/PANIC/);
      expect(code).toBe(1);
    }
    // No archive at all is not an error: there is just nothing to run.
    const none = bootBoard(new Uint8Array(0));
    expect(none.out).toContain('no init task (E_NOT_FOUND)');
    expect(none.code).toBe(0);
  });

  it('reports bad manifest lines, ignores unknown keys and directives, and starts the good lines', async () => {
    const manifest = [
      '# a comment', '',
      'task hello.wasm name=first',
      'start hello.wasm',
      'task hello.wasm name=second colour=blue',
      'task missing.wasm',
      'task hello.wasm quota=12X',
      'task hello.wasm priority=0',
      'task hello.wasm arg="unterminated',
      'task hello.wasm name=a-name-that-is-much-too-long-for-a-task',
      'task',
      `task hello.wasm arg=${'x'.repeat(5000)}`,
      'task hello.wasm uses=calc provides="*" name=third priority=3 quota=1M arg="a \\"b\\" c"',
      'task hello.wasm name=fourth\r',
    ].join('\n');
    const archive = writeBootArchive([{ name: 'manifest', data: new TextEncoder().encode(manifest) }, { name: 'hello.wasm', data: await wat(HELLO) }]);
    const { out, code } = bootBoard(archive);
    expect(code, out).toBe(0);
    expect(out).toContain('boot manifest line 4: unknown directive "start" ignored');
    expect(out).toContain('boot manifest line 5: unknown key "colour" ignored');
    expect(out).toContain('boot: manifest line 6: no file "missing.wasm" in the boot archive');
    expect(out).toContain('boot: manifest line 7: bad value for quota: "12X"');
    expect(out).toContain('boot: manifest line 8: bad value for priority: "0"');
    expect(out).toMatch(/^boot: manifest line 9: "arg": expected key=value/m);
    expect(out).toMatch(/^boot: manifest line 10: bad value for name/m);
    expect(out).toMatch(/^boot: manifest line 11: "task" needs a module file name/m);
    expect(out).toMatch(/^boot: manifest line 12: "arg": expected key=value/m);
    for (const n of ['first', 'second', 'third', 'fourth']) expect(exitOf(out, n), n).toBe('0');
    expect(out.match(/^hello$/gm)).toHaveLength(4);
  });

  it('survives randomly damaged archives and modules', async () => {
    const rng = new Rng(20260101);
    const hello = await wat(HELLO);
    const good = bootArchive({ 'hello.wasm': hello }, [{ module: 'hello.wasm' }, { module: 'hello.wasm', name: 'again', args: ['x'] }]);
    for (let i = 0; i < 25; i++) {
      const b = good.slice();
      for (let k = 0, n = 1 + rng.int(6); k < n; k++) b[rng.int(b.length)] = rng.int(256);
      const { out, code } = bootBoard(b, { maxCycles: 100_000_000 });
      expect(out, `mutation ${i}`).not.toMatch(/PANIC/);
      expect([0, 1, null], `mutation ${i}`).toContain(code);
    }
    // Mutated modules in one archive: each is refused, traps or runs; the last task still runs.
    const bases = [hello, await wat(ALIVE), await wat(`(module (memory 1) (table 2 funcref) (global (mut i32) (i32.const 5))
      (func $f (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func (export "_start") (drop (call $f (i32.load (i32.const 8)))) (drop (i32.div_u (i32.const 9) (global.get 0)))))`)];
    const modules: Record<string, Uint8Array> = { 'alive.wasm': bases[1]! };
    const tasks = [];
    for (let i = 0; i < 120; i++) {
      const m = bases[i % bases.length]!.slice();
      for (let k = 0, n = 1 + rng.int(4); k < n; k++) m[8 + rng.int(m.length - 8)] = rng.int(256);
      modules[`m${i}.wasm`] = m;
      tasks.push({ module: `m${i}.wasm`, quota: 1 << 20 });
    }
    tasks.push({ module: 'alive.wasm', name: 'last' });
    const { out } = bootBoard(bootArchive(modules, tasks), { until: (o) => o.includes('(last) exited'), maxCycles: 1_500_000_000 });
    expect(out).not.toMatch(/PANIC/);
    expect(exitOf(out, 'last')).toBe('0');
    const refused = out.match(/^spawn "m\d+\.wasm": E_BAD_MODULE: .+ at offset 0x[0-9a-f]+: .+$/gm) ?? [];
    expect(refused.length).toBeGreaterThan(30);
  }, 300_000);
});
