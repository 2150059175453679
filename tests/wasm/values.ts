// Interesting operand values for conformance tests, as bit patterns.
import type { Val, ValType } from './harness.ts';

export const I32 = [
  0n, 1n, 2n, 3n, 7n, 31n, 32n, 33n, 100n, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xffffffffn, 0xfffffffen,
  0x12345678n, 0xfedcba98n,
];
export const I64 = [
  0n, 1n, 2n, 7n, 63n, 64n, 65n, 0xffffffffn, 0x100000000n, 1000000007n, 0x7fffffffffffffffn, 0x8000000000000000n,
  0x8000000000000001n, 0xffffffffffffffffn, 0xfffffffffffffffen, 0x123456789abcdef0n, 0xfedcba9876543210n,
];

const dv = new DataView(new ArrayBuffer(8));
export function f32bits(x: number): bigint {
  dv.setFloat32(0, x);
  return BigInt(dv.getUint32(0));
}
export function f64bits(x: number): bigint {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}

export const F32 = [
  0x00000000n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x3f000000n, 0xbf000000n, 0x3fc00000n, 0x40200000n, 0xc0200000n,
  0x40600000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0x7f7fffffn, 0x00000001n, 0x80000001n, 0x4b000000n, 0x4affffffn,
  0x4f000000n, 0xcf000000n, 0x4f800000n, 0x4effffffn, 0x5f000000n, 0xdf000000n, 0x5f800000n, 0x3effffffn, 0x4f7fffffn,
  0xbf7fffffn, f32bits(1e10), f32bits(-1e-10), f32bits(-2147483520), f32bits(123.456),
];
export const F64 = [
  0n, 0x8000000000000000n, f64bits(1), f64bits(-1), f64bits(0.5), f64bits(-0.5), f64bits(1.5), f64bits(2.5),
  f64bits(-2.5), f64bits(3.5), f64bits(Infinity), f64bits(-Infinity), 0x7ff8000000000000n, f64bits(Number.MAX_VALUE),
  1n, 0x8000000000000001n, f64bits(2 ** 52), f64bits(2 ** 52 - 0.5), f64bits(2 ** 53), f64bits(4503599627370495.5),
  f64bits(2147483647.9), f64bits(2147483648), f64bits(-2147483648.9), f64bits(-2147483649), f64bits(4294967295.9),
  f64bits(4294967296), f64bits(2 ** 63), f64bits(-(2 ** 63)), f64bits(2 ** 64), f64bits(-0.9999999999999999),
  f64bits(0.49999999999999994), f64bits(1e300), f64bits(-1e-300), f64bits(123.456),
];

export function valuesOf(t: ValType): bigint[] {
  return t === 'i32' ? I32 : t === 'i64' ? I64 : t === 'f32' ? F32 : F64;
}

export const v = (t: ValType, bits: bigint): Val => ({ t, bits });

export function constText(t: ValType, bits: bigint): string {
  switch (t) {
    case 'i32':
      return `(i32.const ${BigInt.asIntN(32, bits)})`;
    case 'i64':
      return `(i64.const ${BigInt.asIntN(64, bits)})`;
    case 'f32':
      return `(f32.reinterpret_i32 (i32.const ${BigInt.asIntN(32, bits)}))`;
    case 'f64':
      return `(f64.reinterpret_i64 (i64.const ${BigInt.asIntN(64, bits)}))`;
    default:
      return '(ref.null extern)';
  }
}
