/*
 * FPU differential test, guest side: runs every vector of the table in
 * vectors.bin and prints, one line each, the 64-bit f0, the integer t3 and
 * fflags in hex over the UART. The host compares them with its own FPU.
 */
#include <stdint.h>

struct vec {
  uint32_t insn, frm, xs1, xrd;   /* xrd: initial t3, to see whether it was written */
  uint32_t f[6];                  /* f1..f3 as (lo, hi) pairs */
};
struct result { uint32_t flo, fhi, x, flags; };

extern const struct vec vectors[], vectors_end[];
void run_vec(const struct vec *v, struct result *out, void (*tramp)(void));
void poweroff(void);

#define UART ((volatile uint8_t *)0x10000000)

static void putc_(char c) {
  while ((UART[5] & 0x20) == 0) {}
  UART[0] = (uint8_t)c;
}
static void puts_(const char *s) { while (*s) putc_(*s++); }
static void hex(uint32_t v, int digits) {
  for (int i = digits - 1; i >= 0; i--) putc_("0123456789abcdef"[(v >> (4 * i)) & 15]);
}

/* The instruction under test followed by `ret`; rewritten for every vector. */
uint32_t tramp[2] __attribute__((aligned(8)));
/* Set by the trap handler when the instruction under test was illegal. */
volatile uint32_t trapped;

void trap_report(uint32_t cause, uint32_t epc) {
  puts_("TRAP ");
  hex(cause, 8);
  putc_(' ');
  hex(epc, 8);
  putc_('\n');
}

int main(void) {
  uint32_t n = (uint32_t)(vectors_end - vectors);
  puts_("BEGIN ");
  hex(n, 8);
  putc_('\n');
  for (uint32_t i = 0; i < n; i++) {
    struct result r;
    tramp[0] = vectors[i].insn;
    tramp[1] = 0x00008067; /* jalr x0, 0(ra) */
    trapped = 0;
    __asm__ volatile("fence.i" ::: "memory");
    run_vec(&vectors[i], &r, (void (*)(void))tramp);
    if (trapped) {
      puts_("ILLEGAL\n");
      continue;
    }
    hex(r.fhi, 8);
    hex(r.flo, 8);
    putc_(' ');
    hex(r.x, 8);
    putc_(' ');
    hex(r.flags, 2);
    putc_('\n');
  }
  puts_("END\n");
  return 0;
}
