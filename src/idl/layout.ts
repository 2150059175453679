// C struct layout with natural alignment, the rules clang uses for wasm32 and
// riscv32 alike: each member at the next multiple of its alignment, the struct
// aligned to its largest member and padded to a multiple of that.
import type { ScalarType } from './schema.ts';

export const SCALAR_SIZE: Readonly<Record<ScalarType, number>> = {
  i8: 1,
  u8: 1,
  bool: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  task: 4,
};

export const isScalar = (name: string): name is ScalarType => Object.hasOwn(SCALAR_SIZE, name);

export const alignUp = (n: number, align: number): number => Math.ceil(n / align) * align;
