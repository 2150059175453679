/* See numeric.h. Everything here is integer bit manipulation or single hardware float ops. */
#include <stdbool.h>
#include "numeric.h"

uint32_t wn_clz32(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  if (!(x & 0xFFFF0000u)) { n += 16; x <<= 16; }
  if (!(x & 0xFF000000u)) { n += 8; x <<= 8; }
  if (!(x & 0xF0000000u)) { n += 4; x <<= 4; }
  if (!(x & 0xC0000000u)) { n += 2; x <<= 2; }
  if (!(x & 0x80000000u)) { n += 1; }
  return n;
}

uint32_t wn_ctz32(uint32_t x) {
  if (!x) return 32;
  uint32_t n = 0;
  if (!(x & 0xFFFFu)) { n += 16; x >>= 16; }
  if (!(x & 0xFFu)) { n += 8; x >>= 8; }
  if (!(x & 0xFu)) { n += 4; x >>= 4; }
  if (!(x & 0x3u)) { n += 2; x >>= 2; }
  if (!(x & 0x1u)) { n += 1; }
  return n;
}

uint32_t wn_popcnt32(uint32_t x) {
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0Fu;
  return (x * 0x01010101u) >> 24;
}

uint64_t wn_clz64(uint64_t x) {
  uint32_t hi = (uint32_t)(x >> 32);
  return hi ? wn_clz32(hi) : 32 + wn_clz32((uint32_t)x);
}

uint64_t wn_ctz64(uint64_t x) {
  uint32_t lo = (uint32_t)x;
  return lo ? wn_ctz32(lo) : 32 + wn_ctz32((uint32_t)(x >> 32));
}

uint64_t wn_popcnt64(uint64_t x) { return wn_popcnt32((uint32_t)x) + wn_popcnt32((uint32_t)(x >> 32)); }

uint64_t wn_udiv64(uint64_t a, uint64_t b, uint64_t *rem) {
  if ((a >> 32) == 0 && (b >> 32) == 0) {
    uint32_t x = (uint32_t)a, y = (uint32_t)b;
    *rem = x % y;
    return x / y;
  }
  if (b > a) {
    *rem = a;
    return 0;
  }
  /* Shift-subtract long division, starting at the divisor's aligned position. */
  uint32_t shift = (uint32_t)(wn_clz64(b) - wn_clz64(a));
  uint64_t d = b << shift, q = 0;
  for (uint32_t i = 0; i <= shift; i++) {
    q <<= 1;
    if (a >= d) {
      a -= d;
      q |= 1;
    }
    d >>= 1;
  }
  *rem = a;
  return q;
}

float wn_sqrt32(float x) {
#if defined(__riscv)
  float r;
  __asm__("fsqrt.s %0, %1" : "=f"(r) : "f"(x));
  return r;
#elif defined(__x86_64__)
  float r;
  __asm__("sqrtss %1, %0" : "=x"(r) : "x"(x));
  return r;
#else
  return __builtin_sqrtf(x);
#endif
}

double wn_sqrt64(double x) {
#if defined(__riscv)
  double r;
  __asm__("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
  return r;
#elif defined(__x86_64__)
  double r;
  __asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
  return r;
#else
  return __builtin_sqrt(x);
#endif
}

/*
 * Generic rounding on an IEEE format with `mbits` fraction bits and `ebits`
 * exponent bits, done entirely on the integer bit pattern.
 */
static uint64_t round_bits(uint64_t bits, int mode, unsigned mbits, unsigned ebits) {
  uint64_t sign = bits & ((uint64_t)1 << (mbits + ebits));
  uint64_t emask = ((uint64_t)1 << ebits) - 1;
  int64_t bias = (int64_t)(emask >> 1);
  uint64_t mag = bits & ~sign;
  int64_t e = (int64_t)(mag >> mbits) - bias;
  uint64_t one = (uint64_t)bias << mbits; /* bit pattern of 1.0 */
  if ((mag >> mbits) == emask) {
    if (mag & (((uint64_t)1 << mbits) - 1)) return bits | ((uint64_t)1 << (mbits - 1)); /* quiet NaN */
    return bits; /* infinity */
  }
  if (e >= (int64_t)mbits) return bits; /* already integral */
  if (e < 0) {
    if (mag == 0) return bits;
    /* 0 < |x| < 1 */
    bool up;
    switch (mode) {
    case WN_CEIL: up = !sign; break;
    case WN_FLOOR: up = sign != 0; break;
    case WN_TRUNC: up = false; break;
    default: up = e == -1 && mag != ((uint64_t)(bias - 1) << mbits); break; /* > 0.5 */
    }
    return sign | (up ? one : 0);
  }
  uint64_t fmask = ((uint64_t)1 << (mbits - (unsigned)e)) - 1;
  uint64_t frac = mag & fmask;
  if (!frac) return bits;
  uint64_t t = mag & ~fmask; /* truncated magnitude */
  bool up;
  switch (mode) {
  case WN_CEIL: up = !sign; break;
  case WN_FLOOR: up = sign != 0; break;
  case WN_TRUNC: up = false; break;
  default: {
    uint64_t half = (fmask + 1) >> 1;
    up = frac > half || (frac == half && (t & (fmask + 1)));
    break;
  }
  }
  /*
   * Adding one unit in the last integral place: the increment carries into
   * the exponent correctly when the mantissa overflows (e.g. 1.5 -> 2.0).
   */
  if (up) t += fmask + 1;
  return sign | t;
}

uint32_t wn_round32(uint32_t bits, int mode) { return (uint32_t)round_bits(bits, mode, 23, 8); }
uint64_t wn_round64(uint64_t bits, int mode) { return round_bits(bits, mode, 52, 11); }

static bool nan32(uint32_t a) { return (a & 0x7FFFFFFFu) > 0x7F800000u; }
static bool nan64(uint64_t a) { return (a & 0x7FFFFFFFFFFFFFFFull) > 0x7FF0000000000000ull; }

/* Orders non-NaN floats by bit pattern: returns <0, 0, >0 like a - b, with -0 < +0. */
static int cmp_bits(uint64_t a, uint64_t b, unsigned signbit) {
  uint64_t s = (uint64_t)1 << signbit;
  uint64_t ka = (a & s) ? ~a & ((s << 1) - 1) : a | s;
  uint64_t kb = (b & s) ? ~b & ((s << 1) - 1) : b | s;
  return ka < kb ? -1 : ka > kb;
}

uint32_t wn_min32(uint32_t a, uint32_t b) {
  if (nan32(a)) return a | 0x00400000u;
  if (nan32(b)) return b | 0x00400000u;
  return cmp_bits(a, b, 31) <= 0 ? a : b;
}
uint32_t wn_max32(uint32_t a, uint32_t b) {
  if (nan32(a)) return a | 0x00400000u;
  if (nan32(b)) return b | 0x00400000u;
  return cmp_bits(a, b, 31) >= 0 ? a : b;
}
uint64_t wn_min64(uint64_t a, uint64_t b) {
  if (nan64(a)) return a | 0x0008000000000000ull;
  if (nan64(b)) return b | 0x0008000000000000ull;
  return cmp_bits(a, b, 63) <= 0 ? a : b;
}
uint64_t wn_max64(uint64_t a, uint64_t b) {
  if (nan64(a)) return a | 0x0008000000000000ull;
  if (nan64(b)) return b | 0x0008000000000000ull;
  return cmp_bits(a, b, 63) >= 0 ? a : b;
}

/* Magnitude -> IEEE bits with `p` significant bits (incl. implicit), round to nearest even. */
static uint64_t u64_to_float_bits(uint64_t v, unsigned p, unsigned ebits) {
  if (!v) return 0;
  unsigned msb = 63u - (unsigned)wn_clz64(v);
  uint64_t m;
  if (msb < p) {
    m = v << (p - 1 - msb);
  } else {
    unsigned shift = msb - (p - 1);
    m = v >> shift;
    uint64_t rem = v & (((uint64_t)1 << shift) - 1);
    uint64_t half = (uint64_t)1 << (shift - 1);
    if (rem > half || (rem == half && (m & 1))) {
      m++;
      if (m >> p) {
        m >>= 1;
        msb++;
      }
    }
  }
  uint64_t bias = ((uint64_t)1 << (ebits - 1)) - 1;
  return ((msb + bias) << (p - 1)) | (m & (((uint64_t)1 << (p - 1)) - 1));
}

uint32_t wn_u64_to_f32(uint64_t v) { return (uint32_t)u64_to_float_bits(v, 24, 8); }
uint64_t wn_u64_to_f64(uint64_t v) { return u64_to_float_bits(v, 53, 11); }
uint32_t wn_s64_to_f32(int64_t v) {
  if (v >= 0) return wn_u64_to_f32((uint64_t)v);
  return 0x80000000u | wn_u64_to_f32(0 - (uint64_t)v);
}
uint64_t wn_s64_to_f64(int64_t v) {
  if (v >= 0) return wn_u64_to_f64((uint64_t)v);
  return 0x8000000000000000ull | wn_u64_to_f64(0 - (uint64_t)v);
}

/*
 * Splits a float into sign and the integer part of its magnitude. Sets *big
 * when the integer part is >= 2^64 (or infinite). NaN is reported by caller.
 */
static uint64_t int_part(uint64_t bits, int is64, bool *neg, bool *big, bool *nonzero_frac) {
  unsigned mbits = is64 ? 52 : 23;
  int64_t bias = is64 ? 1023 : 127;
  uint64_t emask = is64 ? 0x7FF : 0xFF;
  *neg = (bits >> (is64 ? 63 : 31)) & 1;
  int64_t e = (int64_t)((bits >> mbits) & emask) - bias;
  uint64_t frac = bits & (((uint64_t)1 << mbits) - 1);
  *big = false;
  *nonzero_frac = false;
  if (e < 0) {
    *nonzero_frac = ((bits >> mbits) & emask) != 0 || frac != 0;
    return 0;
  }
  if (e >= 64) {
    *big = true;
    return 0;
  }
  uint64_t m = frac | ((uint64_t)1 << mbits);
  if (e >= (int64_t)mbits) return m << (e - (int64_t)mbits);
  return m >> ((int64_t)mbits - e);
}

static bool is_nan_bits(uint64_t bits, int is64) { return is64 ? nan64(bits) : nan32((uint32_t)bits); }

int wn_trunc(uint64_t bits, int is64, int dst, uint64_t *out) {
  if (is_nan_bits(bits, is64)) return 1;
  bool neg, big, fr;
  uint64_t v = int_part(bits, is64, &neg, &big, &fr);
  if (big) return 2;
  switch (dst) {
  case WN_I32S:
    if (neg ? v > 0x80000000ull : v > 0x7FFFFFFFull) return 2;
    *out = (uint32_t)(neg ? 0 - (uint32_t)v : (uint32_t)v);
    return 0;
  case WN_I32U:
    if ((neg && v) || v > 0xFFFFFFFFull) return 2;
    *out = (uint32_t)v;
    return 0;
  case WN_I64S:
    if (neg ? v > 0x8000000000000000ull : v > 0x7FFFFFFFFFFFFFFFull) return 2;
    *out = neg ? 0 - v : v;
    return 0;
  default:
    if (neg && v) return 2;
    *out = v;
    return 0;
  }
}

uint64_t wn_trunc_sat(uint64_t bits, int is64, int dst) {
  uint64_t out;
  int r = wn_trunc(bits, is64, dst, &out);
  if (r == 0) return out;
  if (r == 1) return 0;
  bool neg = (bits >> (is64 ? 63 : 31)) & 1;
  switch (dst) {
  case WN_I32S: return neg ? 0x80000000u : 0x7FFFFFFFu;
  case WN_I32U: return neg ? 0 : 0xFFFFFFFFu;
  case WN_I64S: return neg ? 0x8000000000000000ull : 0x7FFFFFFFFFFFFFFFull;
  default: return neg ? 0 : 0xFFFFFFFFFFFFFFFFull;
  }
}
