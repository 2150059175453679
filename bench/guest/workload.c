// CPU benchmark workload for the WasmOS board (and QEMU virt, -bios none).
//
// Each kernel stresses one kind of guest code the board must run fast:
// integer ALU and branches, multiply/divide, memory copies, sorting (loads,
// stores, unpredictable branches), deep recursion (calls, stack traffic),
// CRC32 (table lookups) and atomics (AMOs, LR/SC). Each prints a checksum so
// the runner can check the board computed the same thing as QEMU; the whole
// run is sized for a few hundred million instructions.
//
// Inputs come from a volatile seed so the compiler cannot fold the kernels.

#include <stdint.h>
#include <stddef.h>

#define UART0 0x10000000u
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define SIFIVE_TEST 0x00100000u
#define TEST_PASS 0x5555u
#define TEST_FAIL 0x3333u

static volatile uint32_t seed_source = 0x2545f491u;

// ---- console and power ----------------------------------------------------

static void putc_uart(char c) {
  volatile uint8_t *uart = (volatile uint8_t *)UART0;
  while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {}
  uart[0] = (uint8_t)c;
}

static void puts_uart(const char *s) {
  while (*s) putc_uart(*s++);
}

static void put_hex(uint32_t v) {
  puts_uart("0x");
  for (int i = 28; i >= 0; i -= 4) putc_uart("0123456789abcdef"[(v >> i) & 0xf]);
}

__attribute__((noreturn)) void power_off(int code) {
  volatile uint32_t *test = (volatile uint32_t *)SIFIVE_TEST;
  *test = code == 0 ? TEST_PASS : (((uint32_t)code << 16) | TEST_FAIL);
  for (;;) __asm__ volatile("wfi");
}

void report_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  puts_uart("bench: unexpected trap mcause=");
  put_hex(mcause);
  puts_uart(" mepc=");
  put_hex(mepc);
  puts_uart(" mtval=");
  put_hex(mtval);
  putc_uart('\n');
}

// The compiler may emit calls to these for struct copies and loops.
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)c;
  return dst;
}

static uint32_t xorshift32(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

// ---- kernels ---------------------------------------------------------------

static uint32_t kernel_alu(uint32_t seed) {
  uint32_t x = seed, acc = 0, odd = 0;
  for (uint32_t i = 0; i < 6000000; i++) {
    uint32_t r = xorshift32(&x);
    if (r & 1) {
      acc += (r >> 3) ^ i;
      odd++;
    } else if ((int32_t)r < 0) {
      acc -= r << 2;
    } else {
      acc = (acc << 7) | (acc >> 25);
    }
    acc ^= (r < acc) ? 0x9e3779b9u : (uint32_t)((int32_t)r >> 11);
  }
  return acc ^ odd;
}

static uint32_t kernel_muldiv(uint32_t seed) {
  uint32_t a = seed, b = seed ^ 0xdeadbeefu, acc = 0;
  for (uint32_t i = 0; i < 2800000; i++) {
    a = a * 1103515245u + 12345u;
    b = (uint32_t)(((uint64_t)a * (b | 1)) >> 32) + i;
    int32_t sa = (int32_t)(a ^ b);
    int32_t sd = (int32_t)((i & 0xfff) + 1) * ((i & 1) ? -1 : 1);
    uint32_t q = a / ((b >> 7) | 1);
    uint32_t r = b % ((i & 0xff) + 1);
    acc += q ^ r ^ (uint32_t)(sa / sd) ^ (uint32_t)(sa % sd);
    acc ^= (uint32_t)(((int64_t)sa * (int64_t)(int32_t)acc) >> 32);
  }
  return acc;
}

#define COPY_WORDS (64 * 1024 / 4)
static uint32_t copy_src[COPY_WORDS];
static uint32_t copy_dst[COPY_WORDS + 1];

static void copy_words(uint32_t *restrict d, const uint32_t *restrict s, size_t n) {
  for (size_t i = 0; i < n; i++) d[i] = s[i];
}

static uint32_t kernel_memcpy(uint32_t seed) {
  uint32_t x = seed, acc = 0;
  for (size_t i = 0; i < COPY_WORDS; i++) copy_src[i] = xorshift32(&x);
  for (uint32_t round = 0; round < 750; round++) {
    copy_words(copy_dst, copy_src, COPY_WORDS);
    // A misaligned byte copy too, as memmove-style code does.
    memcpy((uint8_t *)copy_dst + 1 + (round & 2), copy_src, 4096);
    acc += copy_dst[round % COPY_WORDS] ^ copy_dst[(round * 7919) % COPY_WORDS];
    copy_src[round % COPY_WORDS] ^= acc;
  }
  return acc;
}

#define SORT_N (32 * 1024)
static uint32_t sort_buf[SORT_N];

static void insertion_sort(uint32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    uint32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void quick_sort(uint32_t *a, int n) {
  while (n > 16) {
    uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
    uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    int i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      uint32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
    // Recurse into the smaller half so the stack stays shallow.
    if (j + 1 < n - j - 1) {
      quick_sort(a, j + 1);
      a += j + 1;
      n -= j + 1;
    } else {
      quick_sort(a + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  insertion_sort(a, n);
}

static uint32_t kernel_sort(uint32_t seed) {
  uint32_t x = seed, acc = 0;
  for (uint32_t round = 0; round < 20; round++) {
    for (int i = 0; i < SORT_N; i++) sort_buf[i] = xorshift32(&x) % (SORT_N * 4);
    quick_sort(sort_buf, SORT_N);
    for (int i = 1; i < SORT_N; i++) {
      if (sort_buf[i - 1] > sort_buf[i]) return 0xbad00000u | (uint32_t)i;
    }
    for (int i = 0; i < SORT_N; i += 97) acc = acc * 31 + sort_buf[i];
  }
  return acc;
}

static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t ackermann(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static uint32_t kernel_recursion(uint32_t seed) {
  uint32_t base = seed & 1; // 0 or 1, unknown to the compiler
  return fib(29 + base) * 31 + ackermann(2, 300 + base) + ackermann(3, 7 + base);
}

#define CRC_BYTES (128 * 1024)
static uint8_t crc_buf[CRC_BYTES];
static uint32_t crc_table[256];

static void crc32_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint32_t kernel_crc32(uint32_t seed) {
  uint32_t x = seed, crc = 0;
  crc32_init();
  for (size_t i = 0; i < CRC_BYTES; i += 4) {
    uint32_t r = xorshift32(&x);
    crc_buf[i] = (uint8_t)r;
    crc_buf[i + 1] = (uint8_t)(r >> 8);
    crc_buf[i + 2] = (uint8_t)(r >> 16);
    crc_buf[i + 3] = (uint8_t)(r >> 24);
  }
  for (int round = 0; round < 56; round++) {
    crc = crc32(crc_buf, CRC_BYTES, crc);
    crc_buf[round] ^= (uint8_t)crc;
  }
  return crc;
}

static uint32_t atomic_counter;
static uint32_t atomic_bits;
static int32_t atomic_max;

static uint32_t kernel_atomics(uint32_t seed) {
  uint32_t x = seed, acc = 0;
  for (uint32_t i = 0; i < 2200000; i++) {
    uint32_t r = xorshift32(&x);
    acc += __atomic_fetch_add(&atomic_counter, r & 0xff, __ATOMIC_SEQ_CST);
    acc ^= __atomic_fetch_xor(&atomic_bits, r, __ATOMIC_ACQ_REL);
    __atomic_fetch_max(&atomic_max, (int32_t)r >> 8, __ATOMIC_RELAXED);
    // Compare-and-swap compiles to an LR/SC loop.
    uint32_t expected = __atomic_load_n(&atomic_counter, __ATOMIC_ACQUIRE);
    while (!__atomic_compare_exchange_n(&atomic_counter, &expected, expected + (r >> 28), 1, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED)) {
    }
    acc += __atomic_exchange_n(&atomic_bits, atomic_bits + i, __ATOMIC_SEQ_CST);
  }
  return acc ^ atomic_counter ^ (uint32_t)atomic_max;
}

// ---- driver ----------------------------------------------------------------

struct kernel {
  const char *name;
  uint32_t (*run)(uint32_t seed);
};

static const struct kernel kernels[] = {
  {"alu", kernel_alu},
  {"muldiv", kernel_muldiv},
  {"memcpy", kernel_memcpy},
  {"sort", kernel_sort},
  {"recursion", kernel_recursion},
  {"crc32", kernel_crc32},
  {"atomics", kernel_atomics},
};

int main(void) {
  uint32_t seed = seed_source;
  uint32_t total = 0;
  puts_uart("bench: start\n");
  for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
    uint32_t sum = kernels[i].run(seed + (uint32_t)i);
    total = total * 33 ^ sum;
    puts_uart("checksum ");
    puts_uart(kernels[i].name);
    putc_uart(' ');
    put_hex(sum);
    putc_uart('\n');
  }
  puts_uart("checksum total ");
  put_hex(total);
  puts_uart("\nbench: done\n");
  return 0;
}
