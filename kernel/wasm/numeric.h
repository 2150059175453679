/*
 * Numeric operations that need care to be exact to the WebAssembly spec
 * without a libm or compiler-rt: rounding, min/max, float<->int conversions,
 * 64-bit division on 32-bit targets, bit counting.
 */
#ifndef WASMOS_WASM_NUMERIC_H
#define WASMOS_WASM_NUMERIC_H

#include <stdint.h>

uint32_t wn_clz32(uint32_t x);
uint32_t wn_ctz32(uint32_t x);
uint32_t wn_popcnt32(uint32_t x);
uint64_t wn_clz64(uint64_t x);
uint64_t wn_ctz64(uint64_t x);
uint64_t wn_popcnt64(uint64_t x);

/* Unsigned 64-bit division/remainder (divisor non-zero). */
uint64_t wn_udiv64(uint64_t a, uint64_t b, uint64_t *rem);

float wn_sqrt32(float x);
double wn_sqrt64(double x);

/* ceil/floor/trunc/nearest on bit patterns; NaN inputs come back quieted. */
uint32_t wn_round32(uint32_t bits, int mode);
uint64_t wn_round64(uint64_t bits, int mode);
enum { WN_CEIL, WN_FLOOR, WN_TRUNC, WN_NEAREST };

uint32_t wn_min32(uint32_t a, uint32_t b);
uint32_t wn_max32(uint32_t a, uint32_t b);
uint64_t wn_min64(uint64_t a, uint64_t b);
uint64_t wn_max64(uint64_t a, uint64_t b);

/* Integer -> float with round-to-nearest-even, from any width. */
uint32_t wn_u64_to_f32(uint64_t v);
uint32_t wn_s64_to_f32(int64_t v);
uint64_t wn_u64_to_f64(uint64_t v);
uint64_t wn_s64_to_f64(int64_t v);

/*
 * Float -> integer truncation. `bits`/`is64` describe the source; `dst`
 * selects the target. Returns 0 on success, 1 for NaN, 2 for out of range.
 * The _sat variant never fails (NaN -> 0, clamps).
 */
enum { WN_I32S, WN_I32U, WN_I64S, WN_I64U };
int wn_trunc(uint64_t bits, int is64, int dst, uint64_t *out);
uint64_t wn_trunc_sat(uint64_t bits, int is64, int dst);

#endif
