// feq/flt/fle and fmin/fmax. Operands are numbers (any NaN as NaN) plus
// whether either was a signalling NaN, which a number cannot carry.

import { signBit, NV, type FlagSink } from './fpu-format.ts';

export const FLE = 0;
export const FLT = 1;
export const FEQ = 2;

/** feq is quiet (NV only for sNaN); flt and fle signal on any NaN. Returns 0 or 1. */
export function fcompare(kind: number, a: number, b: number, snan: boolean, sink: FlagSink): number {
  if (a !== a || b !== b) {
    if (kind !== FEQ || snan) sink.fflags |= NV;
    return 0;
  }
  if (kind === FEQ) return a === b ? 1 : 0;
  if (kind === FLT) return a < b ? 1 : 0;
  return a <= b ? 1 : 0;
}

/**
 * fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber, as the F spec since
 * 2.2 requires): -0 < +0, a single NaN operand yields the other operand, two
 * NaNs yield NaN (canonical when written), any sNaN raises NV.
 */
export function fminmax(isMax: boolean, a: number, b: number, snan: boolean, sink: FlagSink): number {
  if (snan) sink.fflags |= NV;
  if (a !== a) return b;
  if (b !== b) return a;
  if (a === b) {
    if (a !== 0) return a;
    return signBit(a) !== isMax ? a : b;
  }
  return (a > b) === isMax ? a : b;
}
