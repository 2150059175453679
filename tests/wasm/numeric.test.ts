// Every numeric opcode of WebAssembly 2.0, run in V8 and in the kernel's runtime on the same
// operands (register, immediate and constant operand forms), comparing results and traps.
import { describe, expect, it } from 'vitest';
import { compiler, differential, wat, type Call, type DiffCase, type ValType } from './harness.ts';
import { constText, v, valuesOf } from './values.ts';

interface Op {
  name: string;
  a: ValType;
  b?: ValType;
  r: ValType;
}

const bin = (ty: ValType, names: string[], r: ValType = ty): Op[] => names.map((n) => ({ name: `${ty}.${n}`, a: ty, b: ty, r }));
const un = (ty: ValType, names: string[], r: ValType = ty): Op[] => names.map((n) => ({ name: `${ty}.${n}`, a: ty, r }));

const INT_BIN = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const INT_CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const F_BIN = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
const F_CMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const F_UN = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];

export const OPS: Op[] = [
  ...bin('i32', INT_BIN),
  ...bin('i32', INT_CMP, 'i32'),
  ...un('i32', ['clz', 'ctz', 'popcnt', 'eqz', 'extend8_s', 'extend16_s']),
  ...bin('i64', INT_BIN),
  ...bin('i64', INT_CMP, 'i32'),
  ...un('i64', ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s']),
  { name: 'i64.eqz', a: 'i64', r: 'i32' },
  ...bin('f32', F_BIN),
  ...bin('f32', F_CMP, 'i32'),
  ...un('f32', F_UN),
  ...bin('f64', F_BIN),
  ...bin('f64', F_CMP, 'i32'),
  ...un('f64', F_UN),
  { name: 'i32.wrap_i64', a: 'i64', r: 'i32' },
  { name: 'i64.extend_i32_s', a: 'i32', r: 'i64' },
  { name: 'i64.extend_i32_u', a: 'i32', r: 'i64' },
  ...(['f32', 'f64'] as const).flatMap((f) =>
    (['i32', 'i64'] as const).flatMap((i) =>
      ['trunc', 'trunc_sat'].flatMap((k) => ['s', 'u'].map((s) => ({ name: `${i}.${k}_${f}_${s}`, a: f as ValType, r: i as ValType }))),
    ),
  ),
  ...(['f32', 'f64'] as const).flatMap((f) =>
    (['i32', 'i64'] as const).flatMap((i) => ['s', 'u'].map((s) => ({ name: `${f}.convert_${i}_${s}`, a: i as ValType, r: f as ValType }))),
  ),
  { name: 'f32.demote_f64', a: 'f64', r: 'f32' },
  { name: 'f64.promote_f32', a: 'f32', r: 'f64' },
  { name: 'i32.reinterpret_f32', a: 'f32', r: 'i32' },
  { name: 'i64.reinterpret_f64', a: 'f64', r: 'i64' },
  { name: 'f32.reinterpret_i32', a: 'i32', r: 'f32' },
  { name: 'f64.reinterpret_i64', a: 'i64', r: 'f64' },
];

// Values whose i64 -> float conversion needs correct rounding of bits below the significand.
const ROUNDING_I64 = [0x7fffff4000000001n, 0x8000004000000001n, 0x20000000000001n, 0x20000000000003n, 0xffffffffffffffffn,
  0x7ffffffffffffdffn, 0x7ffffffffffffe00n, 0x1000000n + 1n, 0xfffffe8000000000n, 0x8000008000000000n];

const safe = (s: string) => s.replace(/\./g, '_');

/** One module per opcode: register form, and (binary ops) immediate forms with a constant operand. */
function opCase(op: Op): DiffCase {
  const fns: string[] = [];
  const calls: Call[] = [];
  const A = valuesOf(op.a).concat(op.a === 'i64' ? ROUNDING_I64 : []);
  if (!op.b) {
    fns.push(`(func (export "r") (param ${op.a}) (result ${op.r}) (${op.name} (local.get 0)))`);
    // Result stored through a local (exercises result retargeting) and read back.
    fns.push(`(func (export "l") (param ${op.a}) (result ${op.r}) (local ${op.r}) (local.set 1 (${op.name} (local.get 0))) (local.get 1))`);
    A.forEach((x, i) => {
      calls.push({ fn: 'r', args: [v(op.a, x)] });
      calls.push({ fn: 'l', args: [v(op.a, x)] });
      if (i < 12) {
        fns.push(`(func (export "c${i}") (result ${op.r}) (${op.name} ${constText(op.a, x)}))`);
        calls.push({ fn: `c${i}`, args: [] });
      }
    });
    return { name: op.name, bytes: new Uint8Array(), calls, fnsText: fns } as DiffCase & { fnsText: string[] };
  }
  const B = valuesOf(op.b);
  fns.push(`(func (export "r") (param ${op.a} ${op.b}) (result ${op.r}) (${op.name} (local.get 0) (local.get 1)))`);
  for (const x of A) for (const y of B) calls.push({ fn: 'r', args: [v(op.a, x), v(op.b, y)] });
  // Immediate right operand, and constant left operand (swapped for commutative ops).
  B.forEach((y, j) => {
    if (j % 3 !== 0) return;
    fns.push(`(func (export "ri${j}") (param ${op.a}) (result ${op.r}) (${op.name} (local.get 0) ${constText(op.b!, y)}))`);
    fns.push(`(func (export "ir${j}") (param ${op.a}) (result ${op.r}) (${op.name} ${constText(op.b!, y)} (local.get 0)))`);
    for (const x of A) {
      calls.push({ fn: `ri${j}`, args: [v(op.a, x)] });
      calls.push({ fn: `ir${j}`, args: [v(op.a, x)] });
    }
  });
  return { name: op.name, bytes: new Uint8Array(), calls, fnsText: fns } as DiffCase & { fnsText: string[] };
}

describe.skipIf(!compiler)('numeric opcodes (differential against V8)', () => {
  it('every numeric opcode agrees with V8 on edge-case operands', async () => {
    const cases: DiffCase[] = [];
    for (const op of OPS) {
      const c = opCase(op) as DiffCase & { fnsText: string[] };
      c.bytes = await wat(`(module ${c.fnsText.join('\n')})`);
      cases.push(c);
    }
    const { mismatches, calls } = differential(cases);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(calls).toBeGreaterThan(20000);
  });

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
  });

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
  });
});
