// Self-modifying code: stores over instructions that already ran (and so are
// in any translation cache), then fence.i, then running them again must show
// the new behaviour. Also code copied into data memory, 32-bit instructions
// replaced by pairs of 16-bit ones, and a rewrite through another virtual
// mapping of the same page.
#include "runtime.h"

extern char smc_page[];
extern u32 smc_ret(void);
extern u32 smc_inline(u32 insn);
extern u32 smc_mixed(void);
extern u32 smc_loop(void);
extern const u32 tmpl_li2, tmpl_add100, tmpl_li0, tmpl_li7, tmpl_c_pair;
extern const char tmpl_fn[], tmpl_fn_end[];

static void fence_i(void) {
  __asm__ volatile("fence.i" : : : "memory");
}

static void patch(void *at, u32 insn) {
  *(volatile u32 *)at = insn;
  fence_i();
}

static void basic(void) {
  section("rewrite, fence.i, run again");
  check("smc_ret before", smc_ret(), 1);
  check("smc_ret before (again)", smc_ret(), 1);
  patch((void *)smc_ret, tmpl_li2);
  check("smc_ret after", smc_ret(), 2);
  check("smc_inline, slot rewritten just before it runs", smc_inline(tmpl_add100), 100);
  check("smc_inline with the original back", smc_inline(0x00150513), 1);  // addi a0, a0, 1
  check("smc_inline, rewritten again", smc_inline(tmpl_add100), 100);
}

static void loop(void) {
  section("rewrite in a loop");
  u32 base = tmpl_li0 & 0x000fffff;
  for (u32 i = 0; i < 6; i++) {
    patch((void *)smc_loop, base | (i * 3) << 20);
    puts_("iteration ");
    put_dec(i);
    show("", smc_loop());
  }
  u32 sum = 0;
  for (u32 i = 0; i < 50; i++) {
    patch((void *)smc_loop, base | i << 20);
    sum += smc_loop();
  }
  check("50 rewrites, sum of results", sum, 50 * 5 + 49 * 50 / 2);
}

static void mixed(void) {
  section("16/32-bit rewrites");
  check("smc_mixed 32-bit", smc_mixed(), 7);
  patch((void *)smc_mixed, tmpl_c_pair);
  check("smc_mixed as two 16-bit instructions", smc_mixed(), 10);
  // Only the second half-word changes: c.addi a0, 1 -> c.addi a0, 5.
  *(volatile uint16_t *)((char *)smc_mixed + 2) = 0x0515;
  fence_i();
  check("smc_mixed, second half-word rewritten", smc_mixed(), 14);
  patch((void *)smc_mixed, tmpl_li7);
  check("smc_mixed back to 32-bit", smc_mixed(), 7);
}

static u32 buffer[64] __attribute__((aligned(64)));

static void copied(void) {
  section("code copied into data");
  u32 n = (u32)(tmpl_fn_end - tmpl_fn);
  memcpy(buffer, tmpl_fn, n);
  fence_i();
  u32 (*fn)(void) = (u32(*)(void))buffer;
  check("copied function", fn(), 0x12345);
  buffer[0] = (buffer[0] & 0xfff) | (0x654u << 12);       // lui a0, 0x654
  buffer[1] = (buffer[1] & 0x000fffff) | (0x123u << 20);  // addi a0, a0, 0x123
  fence_i();
  check("copied function after rewriting both immediates", fn(), 0x654123);
  memset(buffer, 0, sizeof buffer);
  memcpy(buffer + 8, tmpl_fn, n);
  fence_i();
  check("copied elsewhere in the same buffer", ((u32(*)(void))(buffer + 8))(), 0x12345);
}

// ---------------------------------------------------------------- through an alias

static volatile u32 root[1024] __attribute__((aligned(4096)));
static volatile u32 l0[1024] __attribute__((aligned(4096)));
#define EXEC_VA 0x40000000u
#define WRITE_VA 0x40001000u

static u32 s_rewrite_via_alias(u32 insn) {
  u32 (*exec)(void) = (u32(*)(void))(EXEC_VA + ((u32)smc_ret - (u32)smc_page));
  u32 before = exec();
  *(volatile u32 *)(WRITE_VA + ((u32)smc_ret - (u32)smc_page)) = insn;
  __asm__ volatile("fence.i" : : : "memory");
  return before << 16 | exec();
}

static void alias(void) {
  section("rewrite through another mapping");
  root[0x80000000u >> 22] = (0x80000000u >> 12) << 10 | 0xcf;  // identity, RWX AD
  root[0x10000000u >> 22] = (0x10000000u >> 12) << 10 | 0xc7;
  root[EXEC_VA >> 22] = ((u32)l0 >> 12) << 10 | 1;
  l0[0] = ((u32)smc_page >> 12) << 10 | 0x4b;  // R X A
  l0[1] = ((u32)smc_page >> 12) << 10 | 0xc7;  // R W A D
  csr_write(satp, 0x80000000u | ((u32)root >> 12));
  __asm__ volatile("sfence.vma" : : : "memory");
  u32 r = run_in_mode(PRV_S, s_rewrite_via_alias, tmpl_li7);
  show("S: before << 16 | after", r);
  check("M sees the new instruction too", smc_ret(), 7);
  csr_write(satp, 0);
  __asm__ volatile("sfence.vma" : : : "memory");
}

int main(void) {
  basic();
  loop();
  mixed();
  copied();
  alias();
  return finish();
}
