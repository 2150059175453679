// fclass.s / fclass.d: the one-hot class mask, computed from the bits
// (a number cannot tell a signalling NaN from a quiet one).

function classMask(neg: boolean, expMax: boolean, expZero: boolean, fracZero: boolean, quietBit: boolean): number {
  if (expMax) {
    if (fracZero) return neg ? 1 << 0 : 1 << 7;
    return quietBit ? 1 << 9 : 1 << 8;
  }
  if (expZero) {
    if (fracZero) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}

export function fclassS(bits: number): number {
  const e = (bits >>> 23) & 0xff;
  return classMask((bits >>> 31) === 1, e === 0xff, e === 0, (bits & 0x7fffff) === 0, (bits & 0x400000) !== 0);
}

export function fclassD(hi: number, lo: number): number {
  const e = (hi >>> 20) & 0x7ff;
  return classMask((hi >>> 31) === 1, e === 0x7ff, e === 0, ((hi & 0xfffff) | lo) === 0, (hi & 0x80000) !== 0);
}
