/*
 * Ordinary C compiled by clang-19 to wasm32 for differential testing of the runtime against V8:
 * the shapes real WasmOS tasks contain (switch tables, function pointers, 64-bit arithmetic,
 * floats, strings, recursion, struct copies). Freestanding: no libc.
 */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))

typedef unsigned long size_t;
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

static char heap[65536];

/* A small tokenizer driven by a switch (br_table) over character classes. */
EXPORT(tokens) int32_t tokens(int32_t seed) {
  char *text = heap;
  uint32_t x = (uint32_t)seed * 2654435761u + 1;
  for (int i = 0; i < 400; i++) {
    x = x * 1103515245u + 12345u;
    static const char alphabet[] = "abc 123 +-*/ (xyz) \"q\" \n\t;,.";
    text[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
  }
  text[400] = 0;
  int32_t counts[8] = {0};
  int state = 0;
  for (const char *p = text; *p; p++) {
    switch (*p) {
    case 'a': case 'b': case 'c': case 'x': case 'y': case 'z': case 'q':
      if (state != 1) counts[1]++;
      state = 1;
      break;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
      if (state != 2) counts[2]++;
      state = 2;
      break;
    case '+': case '-': case '*': case '/': counts[3]++; state = 0; break;
    case '(': case ')': counts[4]++; state = 0; break;
    case '"': counts[5]++; state = 0; break;
    case '\n': case ';': counts[6]++; state = 0; break;
    default: counts[7]++; state = 0; break;
    }
  }
  int32_t h = 0;
  for (int i = 0; i < 8; i++) h = h * 31 + counts[i];
  return h;
}

/* Sorting with a comparator through a function pointer (call_indirect). */
typedef int (*cmp_fn)(const void *, const void *);
static int cmp_up(const void *a, const void *b) { return *(const int32_t *)a - *(const int32_t *)b; }
static int cmp_down(const void *a, const void *b) { return *(const int32_t *)b - *(const int32_t *)a; }
static int cmp_abs(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x < 0 ? -x : x) - (y < 0 ? -y : y);
}
static cmp_fn comparators[] = {cmp_up, cmp_down, cmp_abs};

static void isort(int32_t *v, int n, cmp_fn cmp) {
  for (int i = 1; i < n; i++) {
    int32_t t = v[i];
    int j = i - 1;
    while (j >= 0 && cmp(&v[j], &t) > 0) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = t;
  }
}

EXPORT(sort_with) int32_t sort_with(int32_t which, int32_t seed) {
  int32_t v[64];
  uint32_t x = (uint32_t)seed | 1;
  for (int i = 0; i < 64; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v[i] = (int32_t)(x % 2001) - 1000;
  }
  isort(v, 64, comparators[(uint32_t)which % 3]);
  int32_t h = 0;
  for (int i = 0; i < 64; i++) h = h * 17 + v[i];
  return h;
}

/* 64-bit arithmetic: division, remainder, shifts, multiplication overflow. */
EXPORT(i64_mix) int64_t i64_mix(int64_t a, int64_t b) {
  int64_t r = 0;
  for (int i = 0; i < 20; i++) {
    int64_t d = b == 0 ? 7 : b;
    if (d == -1) d = 3;
    r += a / d + a % d;
    r ^= (int64_t)((uint64_t)a >> (i & 63)) * 0x9E3779B97F4A7C15LL;
    a = a * 6364136223846793005LL + 1442695040888963407LL;
    b = (b << 3) - (b >> 2) + i;
  }
  return r;
}

EXPORT(u64_divs) uint64_t u64_divs(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  for (int i = 0; i < 16; i++) {
    uint64_t d = b | 1;
    r += a / d + (a % d) * 3;
    a = (a << 7) | (a >> 57);
    b = b * 5 + (uint64_t)i;
  }
  return r;
}

/* Floating point: series, conversions, comparisons, rounding by casts. */
EXPORT(float_mix) double float_mix(double x, int32_t n) {
  double s = 0, t = x;
  float f = (float)x;
  for (int i = 1; i <= (n & 31) + 1; i++) {
    s += t / i;
    t *= -x * 0.5;
    f = f * 1.0001f + (float)i / 3.0f;
    if (s > 1e9 || s < -1e9) s = 0;
  }
  int64_t as_int = (int64_t)(s * 1000.0);
  int32_t small = (int32_t)f;
  return s + (double)as_int * 1e-6 + (double)small + (double)(float)(s * 0.25);
}

/* Strings: copy, reverse, compare, search; struct copies (memcpy / bulk memory). */
struct rec {
  int32_t id;
  char name[24];
  double score;
};

static size_t slen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

EXPORT(strings) int32_t strings(int32_t seed) {
  char *a = heap + 1000, *b = heap + 2000;
  const char *words[] = {"wasm", "kernel", "task", "ipc", "board", "playground"};
  int pos = 0;
  for (int i = 0; i < 12; i++) {
    const char *w = words[((uint32_t)seed + (uint32_t)i * 7) % 6];
    for (size_t k = 0; k < slen(w); k++) a[pos++] = w[k];
    a[pos++] = i % 3 ? ' ' : ',';
  }
  a[pos] = 0;
  size_t n = slen(a);
  for (size_t i = 0; i < n; i++) b[i] = a[n - 1 - i];
  b[n] = 0;
  int32_t diff = 0;
  for (size_t i = 0; i < n; i++) diff += (a[i] > b[i]) - (a[i] < b[i]);
  struct rec recs[4];
  memset(recs, 0, sizeof recs);
  for (int i = 0; i < 4; i++) {
    recs[i].id = seed + i;
    memcpy(recs[i].name, a + i * 5, 20);
    recs[i].score = (double)(seed % 100) / (i + 1);
  }
  struct rec copy = recs[(uint32_t)seed % 4];
  int32_t h = (int32_t)n * 131 + diff + copy.id + (int32_t)copy.score;
  for (int i = 0; i < 20; i++) h = h * 33 + copy.name[i];
  return h;
}

/* Recursion with several results threaded through memory: Ackermann (bounded), GCD. */
static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
static uint32_t gcd(uint32_t a, uint32_t b) { return b ? gcd(b, a % b) : a; }

EXPORT(recursion) int32_t recursion(int32_t m, int32_t n) {
  return (int32_t)(ack((uint32_t)m % 3, (uint32_t)n % 6) * 1000 + gcd((uint32_t)m * 7 + 1, (uint32_t)n * 5 + 3));
}

/* A fault on purpose: out-of-bounds and division traps reached from C. */
EXPORT(faulty) int32_t faulty(int32_t k) {
  volatile int32_t *p = (volatile int32_t *)(uintptr_t)(uint32_t)k;
  if (k & 1) return 100 / (k - 1 - (k & ~1));
  return *p;
}
