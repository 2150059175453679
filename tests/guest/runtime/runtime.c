// Console output, transcript helpers and the C half of trap handling.
#include "runtime.h"

#define UART_THR ((volatile uint8_t *)0x10000000)
#define UART_LSR ((volatile uint8_t *)0x10000005)
#define LSR_THRE 0x20
#define TEST_DEVICE ((volatile u32 *)0x00100000)

u32 boot_hartid, boot_fdt;
u32 failures;
volatile trap_fn m_trap_hook = trap_unexpected;
volatile trap_fn s_trap_hook = trap_unexpected;
volatile struct trap_record last_trap;
volatile u32 trap_resume;

extern char m_trap_stack_top[], s_trap_stack_top[];
_Noreturn void mode_return(u32 value);
_Noreturn void s_forward_exit(u32 value);

void putch(char c) {
  while ((*UART_LSR & LSR_THRE) == 0) {
  }
  *UART_THR = (uint8_t)c;
}

void puts_(const char *s) {
  while (*s) putch(*s++);
}

void put_hex(u32 v) {
  for (int i = 28; i >= 0; i -= 4) putch("0123456789abcdef"[(v >> i) & 15]);
}

void put_dec(u32 v) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putch(buf[--n]);
}

void show(const char *label, u32 v) {
  puts_(label);
  puts_(": ");
  put_hex(v);
  putch('\n');
}

void check(const char *label, u32 got, u32 want) {
  puts_(label);
  puts_(": ");
  put_hex(got);
  if (got != want) {
    puts_(" FAIL, expected ");
    put_hex(want);
    failures++;
  }
  putch('\n');
}

void section(const char *name) {
  puts_("== ");
  puts_(name);
  putch('\n');
}

int finish(void) {
  if (failures == 0) {
    puts_("PASS\n");
    return 0;
  }
  puts_("FAIL ");
  put_dec(failures);
  putch('\n');
  return (int)failures;
}

_Noreturn void exit_(u32 code) {
  *TEST_DEVICE = code == 0 ? 0x5555 : ((code & 0xffff) << 16) | 0x3333;
  for (;;) __asm__ volatile("wfi");
}

void *memset(void *d, int c, unsigned n) {
  volatile uint8_t *p = d;
  while (n--) *p++ = (uint8_t)c;
  return d;
}

void *memcpy(void *d, const void *s, unsigned n) {
  volatile uint8_t *p = d;
  const volatile uint8_t *q = s;
  while (n--) *p++ = *q++;
  return d;
}

void pmp_open_all(void) {
  csr_write(pmpaddr0, 0xffffffff);
  csr_write(pmpcfg0, 0x1f);  // R W X, NAPOT
}

u32 insn_len(u32 pc) {
  return (*(volatile uint16_t *)pc & 3) == 3 ? 4 : 2;
}

// ---------------------------------------------------------------- traps

static const char *mode_name(u32 m) {
  return m == PRV_M ? "M" : m == PRV_S ? "S" : m == PRV_U ? "U" : "?";
}

void m_trap_dispatch(struct frame *f) {
  u32 c = f->cause;
  if ((c == 8 || c == 9 || c == 11) && f->x[17] == MODE_EXIT_MAGIC) {
    csr_write(mscratch, (u32)m_trap_stack_top);
    mode_return(f->x[10]);
  }
  m_trap_hook(f);
}

void s_trap_dispatch(struct frame *f) {
  if (f->cause == 8 && f->x[17] == MODE_EXIT_MAGIC) {
    csr_write(sscratch, (u32)s_trap_stack_top);
    s_forward_exit(f->x[10]);
  }
  s_trap_hook(f);
}

static u32 prev_mode(const struct frame *f) {
  return f->mode == PRV_M ? (f->status >> 11) & 3 : (f->status >> 8) & 1;
}

void trap_unexpected(struct frame *f) {
  puts_("unexpected trap in ");
  puts_(mode_name(f->mode));
  puts_(" from ");
  puts_(mode_name(prev_mode(f)));
  puts_(": cause=");
  put_hex(f->cause);
  puts_(" epc=");
  put_hex(f->epc);
  puts_(" tval=");
  put_hex(f->tval);
  putch('\n');
  exit_(0x7f);
}

// The trapped instruction may sit at a virtual address (S/U code under
// translation, possibly in a U or execute-only page): read it the way the
// trapped mode saw it, with SUM and MXR so the read itself cannot fault.
static u32 trapped_insn_len(const struct frame *f) {
  uint16_t half;
  u32 old;
  if (f->mode == PRV_S) {
    __asm__ volatile("csrr %1, sstatus\n\tcsrs sstatus, %3\n\tlhu %0, 0(%2)\n\tcsrw sstatus, %1"
                     : "=&r"(half), "=&r"(old) : "r"(f->epc), "r"(MSTATUS_SUM | MSTATUS_MXR) : "memory");
  } else if (prev_mode(f) != PRV_M) {
    // MPRV makes this one load use the translation of the mode in MPP.
    __asm__ volatile("csrr %1, mstatus\n\tcsrs mstatus, %3\n\tlhu %0, 0(%2)\n\tcsrw mstatus, %1"
                     : "=&r"(half), "=&r"(old)
                     : "r"(f->epc), "r"(MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR) : "memory");
  } else {
    half = *(volatile uint16_t *)f->epc;
  }
  return (half & 3) == 3 ? 4 : 2;
}

void trap_skip(struct frame *f) {
  last_trap.count++;
  last_trap.cause = f->cause;
  last_trap.epc = f->epc;
  last_trap.tval = f->tval;
  last_trap.mode = f->mode;
  last_trap.prev = prev_mode(f);
  if (f->cause & INTERRUPT) return;
  if (trap_resume) {
    f->epc = trap_resume;
    trap_resume = 0;
  } else if (f->cause == 0 || f->cause == 1 || f->cause == 12) {
    // A fetch fault: the bad target came from a call, so go back to the caller.
    f->epc = f->x[1];
  } else {
    f->epc += trapped_insn_len(f);
  }
}

void clear_trap(void) {
  last_trap.count = 0;
  last_trap.cause = last_trap.epc = last_trap.tval = 0;
  last_trap.mode = last_trap.prev = 0;
  trap_resume = 0;
}

void expect_traps(void) {
  clear_trap();
  m_trap_hook = trap_skip;
  s_trap_hook = trap_skip;
}

void forbid_traps(void) {
  m_trap_hook = trap_unexpected;
  s_trap_hook = trap_unexpected;
}

static void show_trap_at(const char *label, u32 base) {
  puts_(label);
  if (last_trap.count == 0) {
    puts_(": no trap\n");
    return;
  }
  puts_(": traps=");
  put_dec(last_trap.count);
  puts_(" cause=");
  put_hex(last_trap.cause);
  puts_(" tval=");
  put_hex(last_trap.tval);
  puts_(" epc=");
  put_hex(last_trap.epc - base);
  puts_(" to ");
  puts_(mode_name(last_trap.mode));
  puts_(" from ");
  puts_(mode_name(last_trap.prev));
  putch('\n');
}

void show_trap(const char *label) {
  show_trap_at(label, 0);
  clear_trap();
}

void show_trap_rel(const char *label, u32 base) {
  show_trap_at(label, base);
  clear_trap();
}
