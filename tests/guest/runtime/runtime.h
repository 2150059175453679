// The guest programs' tiny runtime: console output on the ns16550a, a
// transcript helper, CSR access and trap plumbing.
//
// Every program prints a transcript that must be byte-identical on QEMU and
// on the board, so nothing here (or in a program) may print a cycle, time or
// instret value: only relations between them.
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

/** a7 value of the ECALL that ends a run_in_mode callee (usable from assembly). */
#define MODE_EXIT_MAGIC 0x6d6f6465

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef uint32_t u32;
typedef int32_t i32;
typedef uint64_t u64;

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE (1u << 1)
#define MSTATUS_MIE (1u << 3)
#define MSTATUS_SPIE (1u << 5)
#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_SPP (1u << 8)
#define MSTATUS_MPP (3u << 11)
#define MSTATUS_FS (3u << 13)
#define MSTATUS_MPRV (1u << 17)
#define MSTATUS_SUM (1u << 18)
#define MSTATUS_MXR (1u << 19)
#define MSTATUS_TVM (1u << 20)
#define MSTATUS_TW (1u << 21)
#define MSTATUS_TSR (1u << 22)
#define MSTATUS_SD (1u << 31)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define INTERRUPT (1u << 31)

#define CLINT_MSIP ((volatile u32 *)0x02000000)
#define CLINT_MTIMECMP ((volatile u32 *)0x02004000)
#define CLINT_MTIME ((volatile u32 *)0x0200bff8)

#define STR_(x) #x
#define STR(x) STR_(x)

#define csr_read(csr) ({ u32 v_; __asm__ volatile("csrr %0, " STR(csr) : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " STR(csr) ", %0" :: "r"((u32)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " STR(csr) ", %0" :: "r"((u32)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " STR(csr) ", %0" :: "r"((u32)(v)) : "memory")
#define csr_swap(csr, v) ({ u32 v_; __asm__ volatile("csrrw %0, " STR(csr) ", %1" : "=r"(v_) : "r"((u32)(v)) : "memory"); v_; })

// ---------------------------------------------------------------- console

void putch(char c);
void puts_(const char *s);
void put_hex(u32 v);      // always 8 lower-case digits
void put_dec(u32 v);
/** "label: xxxxxxxx\n" */
void show(const char *label, u32 v);
/** Like show, and counts a failure when the value is not the one the spec fixes. */
void check(const char *label, u32 got, u32 want);
/** A section heading: "== name\n". */
void section(const char *name);
/** Prints PASS (or FAIL n) and returns the exit code for main. */
int finish(void);
extern u32 failures;

_Noreturn void exit_(u32 code);

void *memset(void *d, int c, unsigned n);
void *memcpy(void *d, const void *s, unsigned n);

// ---------------------------------------------------------------- traps

/** What the trap entries save; handlers may change x[] and epc. */
struct frame {
  u32 x[32];
  u32 cause;
  u32 epc;
  u32 tval;
  u32 status;  // mstatus or sstatus at entry
  u32 mode;    // privilege the trap was taken into
};

typedef void (*trap_fn)(struct frame *f);
/** Called for every M-mode trap except the run_in_mode exit call. */
extern volatile trap_fn m_trap_hook;
/** Called for every trap delegated to S-mode. */
extern volatile trap_fn s_trap_hook;

/** The last trap recorded by trap_skip (or a program's own handler). */
struct trap_record {
  u32 count;
  u32 cause;
  u32 epc;
  u32 tval;
  u32 mode;  // privilege the trap was taken into (PRV_M or PRV_S)
  u32 prev;  // privilege the trap came from
};
extern volatile struct trap_record last_trap;
/** When non-zero, trap_skip resumes here (once) instead of after the trapping instruction. */
extern volatile u32 trap_resume;

/** Default hook: reports an unexpected trap and powers off with a failure. */
void trap_unexpected(struct frame *f);
/** Records the trap in last_trap and resumes after the trapping instruction (or at trap_resume). */
void trap_skip(struct frame *f);
/** Both hooks := trap_skip; clears last_trap. */
void expect_traps(void);
/** Both hooks := trap_unexpected. */
void forbid_traps(void);
void clear_trap(void);
/** Prints "label: count=.. cause=.. tval=.. epc=.. mode=.. from=..", or "label: no trap". */
void show_trap(const char *label);
/** Prints the trap with epc given relative to `base` (for code copied around). */
void show_trap_rel(const char *label, u32 base);

/**
 * Runs fn(arg) in privilege `mode` (PRV_U, PRV_S or PRV_M) on the current
 * stack and returns its result. The callee returns through an ECALL that the
 * runtime recognises, so the M-mode trap hook never sees it. mstatus.MPIE is
 * cleared first so an M-mode callee starts with interrupts off.
 */
u32 run_in_mode(u32 mode, u32 (*fn)(u32), u32 arg);

/** Opens every physical address to S and U mode (QEMU denies them when no PMP entry exists). */
void pmp_open_all(void);

/** Length of the instruction at a physical address (2 or 4). */
u32 insn_len(u32 pc);

extern u32 boot_hartid, boot_fdt;

#endif  // __ASSEMBLER__
#endif
