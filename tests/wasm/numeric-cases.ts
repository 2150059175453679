// Operand-edge-case modules for every numeric opcode (register, immediate and constant forms).
import { wat, type Call, type DiffCase, type ValType } from './harness.ts';
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

/** One differential case per numeric opcode. */
export async function numericCases(): Promise<DiffCase[]> {
  const out: DiffCase[] = [];
  for (const op of OPS) {
    const c = opCase(op) as DiffCase & { fnsText: string[] };
    c.bytes = await wat(`(module ${c.fnsText.join('\n')})`);
    out.push(c);
  }
  return out;
}
