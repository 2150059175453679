/*
 * CPU benchmarks compiled twice with clang-19: natively for rv32 and to
 * wasm32, so the guest instructions of both on the same board can be compared
 * (the ratio is the interpreter's overhead). Each takes a size and returns a
 * checksum, so the two builds can be checked against each other.
 * Freestanding: no libc.
 */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name))) uint32_t name(uint32_t n)
#ifndef __wasm__
#undef EXPORT
#define EXPORT(name) uint32_t name(uint32_t n)
#endif

static uint32_t rng_state;
static uint32_t rng(void) {
  uint32_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng_state = x;
}

/* Bitwise CRC-32 over a pseudo-random buffer: shifts, xors, tight loops. */
static uint8_t buf[16384];
EXPORT(bench_crc32) {
  rng_state = 12345;
  for (uint32_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rng();
  uint32_t crc = 0xFFFFFFFFu;
  for (uint32_t r = 0; r < n; r++) {
    for (uint32_t i = 0; i < sizeof buf; i++) {
      crc ^= buf[i];
      for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
    }
  }
  return ~crc;
}

/* Sieve of Eratosthenes: byte stores and strided loops. */
static uint8_t sieve[65536];
EXPORT(bench_sieve) {
  uint32_t count = 0;
  for (uint32_t r = 0; r < n; r++) {
    count = 0;
    for (uint32_t i = 0; i < sizeof sieve; i++) sieve[i] = 1;
    for (uint32_t i = 2; i < sizeof sieve; i++) {
      if (!sieve[i]) continue;
      count++;
      for (uint32_t j = i * 2; j < sizeof sieve; j += i) sieve[j] = 0;
    }
  }
  return count;
}

/* Integer matrix multiply: loads, multiplies, 2-D indexing. */
#define M 48
static int32_t ma[M][M], mb[M][M], mc[M][M];
EXPORT(bench_matmul) {
  rng_state = 777;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) {
      ma[i][j] = (int32_t)(rng() & 255) - 128;
      mb[i][j] = (int32_t)(rng() & 255) - 128;
    }
  uint32_t sum = 0;
  for (uint32_t r = 0; r < n; r++) {
    for (int i = 0; i < M; i++)
      for (int j = 0; j < M; j++) {
        int32_t s = 0;
        for (int k = 0; k < M; k++) s += ma[i][k] * mb[k][j];
        mc[i][j] = s;
      }
    sum += (uint32_t)mc[r % M][(r * 7) % M];
  }
  return sum;
}

/* Recursive Fibonacci: call and return overhead. */
static uint32_t fib(uint32_t x) { return x < 2 ? x : fib(x - 1) + fib(x - 2); }
EXPORT(bench_fib) { return fib(n); }

/* Quicksort of pseudo-random words: compares, swaps, recursion. */
static uint32_t arr[8192];
static void quicksort(uint32_t *a, int lo, int hi) {
  while (lo < hi) {
    uint32_t p = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        uint32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}
EXPORT(bench_sort) {
  uint32_t h = 0;
  rng_state = 4242;
  for (uint32_t r = 0; r < n; r++) {
    for (uint32_t i = 0; i < 8192; i++) arr[i] = rng();
    quicksort(arr, 0, 8191);
    for (uint32_t i = 0; i < 8192; i += 97) h = h * 31 + arr[i];
  }
  return h;
}

/* Mandelbrot in double precision: floating-point arithmetic and compares. */
EXPORT(bench_mandel) {
  uint32_t total = 0;
  for (uint32_t r = 0; r < n; r++) {
    for (int y = 0; y < 48; y++)
      for (int x = 0; x < 64; x++) {
        double cr = -2.0 + x * (3.0 / 64), ci = -1.2 + y * (2.4 / 48);
        double zr = 0, zi = 0;
        int it = 0;
        while (it < 100 && zr * zr + zi * zi < 4.0) {
          double t = zr * zr - zi * zi + cr;
          zi = 2 * zr * zi + ci;
          zr = t;
          it++;
        }
        total += (uint32_t)it;
      }
  }
  return total;
}

#ifndef __wasm__
typedef uint32_t (*native_fn)(uint32_t);
const struct native_bench {
  const char *name;
  native_fn fn;
} native_benches[] = {
    {"bench_crc32", bench_crc32}, {"bench_sieve", bench_sieve}, {"bench_matmul", bench_matmul},
    {"bench_fib", bench_fib},     {"bench_sort", bench_sort},   {"bench_mandel", bench_mandel},
    {0, 0},
};
#endif
