// Every numeric opcode of WebAssembly 2.0, run in V8 and in the kernel's runtime on the same
// operands (register, immediate and constant operand forms), comparing results and traps.
import { describe, expect, it } from 'vitest';
import { compiler, differential, wat, type Call } from './harness.ts';
import { numericCases } from './numeric-cases.ts';
import { v } from './values.ts';

describe.skipIf(!compiler)('numeric opcodes (differential against V8)', () => {
  it('every numeric opcode agrees with V8 on edge-case operands', async () => {
    const { mismatches, calls } = differential(await numericCases());
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThan(20000);
  }, 900_000);

  it('preserves NaN payloads exactly in neg/abs/copysign/reinterpret/select/load/store', async () => {
    const bytes = await wat(`(module (memory 1)
      (func (export "neg32") (param i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
      (func (export "abs32") (param i32) (result i32) (i32.reinterpret_f32 (f32.abs (f32.reinterpret_i32 (local.get 0)))))
      (func (export "cps32") (param i32 i32) (result i32)
        (i32.reinterpret_f32 (f32.copysign (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
      (func (export "neg64") (param i64) (result i64) (i64.reinterpret_f64 (f64.neg (f64.reinterpret_i64 (local.get 0)))))
      (func (export "abs64") (param i64) (result i64) (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get 0)))))
      (func (export "cps64") (param i64 i64) (result i64)
        (i64.reinterpret_f64 (f64.copysign (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
      (func (export "sel") (param i32 i32 i32) (result i32)
        (i32.reinterpret_f32 (select (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)) (local.get 2))))
      (func (export "mem32") (param i32) (result i32)
        (f32.store (i32.const 3) (f32.reinterpret_i32 (local.get 0))) (i32.reinterpret_f32 (f32.load (i32.const 3))))
      (func (export "mem64") (param i64) (result i64)
        (f64.store (i32.const 5) (f64.reinterpret_i64 (local.get 0))) (i64.reinterpret_f64 (f64.load (i32.const 5)))))`);
    const n32 = [0x7fa00001n, 0xffc00005n, 0x7f800001n, 0x7fffffffn, 0x3f800000n];
    const n64 = [0x7ff4000000000001n, 0xfff8000000000123n, 0x7ff0000000000001n, 0x3ff0000000000000n];
    const calls: Call[] = [];
    for (const x of n32) {
      calls.push({ fn: 'neg32', args: [v('i32', x)] }, { fn: 'abs32', args: [v('i32', x)] }, { fn: 'mem32', args: [v('i32', x)] });
      for (const y of n32) calls.push({ fn: 'cps32', args: [v('i32', x), v('i32', y)] }, { fn: 'sel', args: [v('i32', x), v('i32', y), v('i32', x & 1n)] });
    }
    for (const x of n64) {
      calls.push({ fn: 'neg64', args: [v('i64', x)] }, { fn: 'abs64', args: [v('i64', x)] }, { fn: 'mem64', args: [v('i64', x)] });
      for (const y of n64) calls.push({ fn: 'cps64', args: [v('i64', x), v('i64', y)] });
    }
    const { mismatches } = differential([{ name: 'nan-bits', bytes, calls }]);
    expect(mismatches).toEqual([]);
  }, 900_000);

  it('arithmetic on NaN yields a quiet (arithmetic) NaN', async () => {
    // A signalling NaN through an arithmetic op must come out with the quiet bit set.
    const bytes = await wat(`(module
      (func (export "q32") (param i32 i32) (result i32)
        (i32.and (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))) (i32.const 0x7fc00000)))
      (func (export "r32") (param i32) (result i32)
        (i32.and (i32.reinterpret_f32 (f32.nearest (f32.reinterpret_i32 (local.get 0)))) (i32.const 0x7fc00000)))
      (func (export "m64") (param i64 i64) (result i64)
        (i64.and (i64.reinterpret_f64 (f64.min (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))) (i64.const 0x7ff8000000000000))))`);
    const calls: Call[] = [
      { fn: 'q32', args: [v('i32', 0x7fa00001n), v('i32', 0x3f800000n)] },
      { fn: 'q32', args: [v('i32', 0x3f800000n), v('i32', 0xff800001n)] },
      { fn: 'r32', args: [v('i32', 0x7f800001n)] },
      { fn: 'm64', args: [v('i64', 0x7ff0000000000001n), v('i64', 0n)] },
      { fn: 'm64', args: [v('i64', 0n), v('i64', 0xfff0000000000001n)] },
    ];
    const { mismatches } = differential([{ name: 'quiet-nan', bytes, calls }]);
    expect(mismatches).toEqual([]);
  }, 900_000);
});
