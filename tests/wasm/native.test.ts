// The native tier's own paths on rv32 (QEMU), each checked against V8 and against the
// interpreter alone (same script, `jit off`): functions too big for B-type branches, tier-up in
// the middle of a running loop (the loop probe, default threshold), a quota too small for the
// compiler (the function stays interpreted), and the call stack running out under native code.
import { describe, expect, it } from 'vitest';
import { differential, hex, wat, type DiffCase } from './harness.ts';
import { runRv32, rv32Available } from './rv32.ts';
import { v } from './values.ts';

/** Runs lines with the native tier (threshold jit) and without; returns both answers. */
function both(lines: string[], jit: string | undefined): { native: string[]; interp: string[] } {
  return { native: runRv32(lines, { jit }), interp: runRv32(lines, { jit: 'off' }) };
}

/** A loop whose body is `n` memory and arithmetic steps: native code far beyond 4 KiB. */
function bigLoop(n: number): string {
  const steps: string[] = [];
  for (let i = 0; i < n; i++) {
    steps.push(`(local.set $a (i32.add (local.get $a) (i32.load offset=${(i * 4) % 256} (local.get $p))))`);
    steps.push(`(i32.store offset=${(i * 8) % 256} (local.get $p) (i32.xor (local.get $a) (i32.const ${i * 7919})))`);
  }
  return `(module (memory (export "memory") 1)
    (func (export "big") (param $p i32) (param $k i32) (result i32) (local $a i32)
      (loop $l
        ${steps.join('\n        ')}
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if $l (i32.gt_s (local.get $k) (i32.const 0))))
      (local.get $a)))`;
}

describe.skipIf(!rv32Available)('the native tier on rv32', () => {
  it('compiles functions whose branches and trap stubs are out of B-type reach (far branches), traps included', async () => {
    const bytes = await wat(bigLoop(400));
    const c: DiffCase = {
      name: 'big loop',
      bytes,
      calls: [
        { fn: 'big', args: [v('i32', 0n), v('i32', 3n)] },
        { fn: 'big', args: [v('i32', 1000n), v('i32', 5n)] },
        { fn: 'big', args: [v('i32', 65300n), v('i32', 2n)] }, // the first load past the end traps
        { fn: 'big', args: [v('i32', 0xfffffff0n), v('i32', 1n)] }, // the address wraps past 4 GiB
      ],
      checkMemory: true,
    };
    const diffs: string[] = [];
    const { mismatches } = differential([c], (lines) => {
      const { native, interp } = both(lines, '1');
      native.forEach((l, i) => { if (l !== interp[i]) diffs.push(`${lines[i].slice(0, 40)}: native ${l}, interpreter ${interp[i]}`); });
      return native;
    });
    expect(mismatches).toEqual([]);
    expect(diffs).toEqual([]);
  }, 300_000);

  it('tiers up in the middle of a running loop at the default threshold, and the result is the interpreter\'s', async () => {
    const bytes = await wat(`(module
      (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
        (loop $l
          (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $s)))`);
    const lines = [`load ${hex(bytes)}`, 'callc sum i32:30000', 'callc sum i32:30000'];
    const native = runRv32(lines); // the runtime's default threshold
    const interp = runRv32(lines, { jit: 'off' });
    const count = (l: string) => Number(/ n=(\d+)/.exec(l)![1]);
    expect(native[1].replace(/ n=\d+/, '')).toBe(interp[1].replace(/ n=\d+/, ''));
    expect(native[2].replace(/ n=\d+/, '')).toBe(interp[2].replace(/ n=\d+/, ''));
    // The first call is compiled after a few dozen iterations (loop probe), the second runs native from its entry.
    expect(count(native[1])).toBeLessThan(count(interp[1]) * 0.6);
    expect(count(native[2])).toBeLessThan(count(native[1]));
  }, 300_000);

  it('leaves a function interpreted when the quota has no room for compiling it, with the same results', async () => {
    const bytes = await wat(bigLoop(400));
    // Enough for the module and its instance, not for the compiler's scratch and code.
    const probe = runRv32(['quota 100000000', `loadc ${hex(bytes)}`]);
    const m = /module=(\d+) instance=(\d+)/.exec(probe[1])!;
    const quota = Number(m[1]) + Number(m[2]) + 2000;
    const lines = [`quota ${quota}`, `load ${hex(bytes)}`, 'call big i32:0 i32:3', 'mem', 'unload'];
    const { native, interp } = both(lines, '1');
    expect(native[1]).toBe('ok');
    expect(native).toEqual(interp);
    expect(native[4]).toBe('used 0');
  }, 300_000);

  it('runs out of call stack in native code with the interpreter\'s trap and message', async () => {
    const bytes = await wat(`(module
      (func $deep (export "deep") (param $n i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n)) (then (i32.const 0))
          (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1))))))))`);
    // Arguments are hexadecimal: 64 calls, then 100 000 (past the 200-frame limit), then 16.
    const lines = ['limits 65536 200 1', `load ${hex(bytes)}`, 'call deep i32:40', 'call deep i32:186a0', 'call deep i32:10'];
    const { native, interp } = both(lines, '1');
    expect(native[2]).toBe('ok i32:40');
    expect(native[3]).toMatch(/^trap stack_exhausted .*function 'deep'/);
    expect(native[4]).toBe('ok i32:10');
    expect(native).toEqual(interp);
  }, 300_000);
});
