/*
 * Handler profile of the Wasm interpreter (a development tool, not a test): runs one export of a
 * module natively with the runtime built with -DWASM_PROFILE (trampoline dispatch, a hook before
 * every instruction) and prints, per function, each executed internal instruction with its
 * execution count, internal opcode (ops.h, with the W_IMM/W_AACC/W_DACC flags) and operand words,
 * then the totals per opcode. Build and run:
 *   cc -O1 -DWASM_PROFILE -Ikernel/wasm tests/wasm/bench/profile.c kernel/wasm/[a-z]*.c -o /tmp/wprof
 *   /tmp/wprof bench.wasm bench_crc32 2
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ops.h"

static const wasm_module *prof_mod;
typedef struct hit {
  const wcode *ip;
  unsigned long long n;
} hit;
static hit *hits;
static size_t nhits, caphits;

/* Open addressing on the instruction address. */
void wasm_profile_hook(const wcode *ip) {
  if (nhits * 2 >= caphits) {
    size_t ncap = caphits ? caphits * 2 : 4096;
    hit *nh = calloc(ncap, sizeof *nh);
    for (size_t i = 0; i < caphits; i++)
      if (hits[i].ip) {
        size_t k = ((uintptr_t)hits[i].ip >> 3) % ncap;
        while (nh[k].ip) k = (k + 1) % ncap;
        nh[k] = hits[i];
      }
    free(hits);
    hits = nh;
    caphits = ncap;
  }
  size_t k = ((uintptr_t)ip >> 3) % caphits;
  while (hits[k].ip && hits[k].ip != ip) k = (k + 1) % caphits;
  if (!hits[k].ip) {
    hits[k].ip = ip;
    nhits++;
  }
  hits[k].n++;
}

static int by_ip(const void *a, const void *b) {
  const hit *x = a, *y = b;
  return x->ip < y->ip ? -1 : x->ip > y->ip;
}

static uint32_t op_of(wcode h) {
  for (uint32_t op = 0; op < OP_COUNT; op++)
    if (winterp_handler(op) == h) return op;
  return 0xFFFF;
}

static void *a_alloc(void *c, size_t n) { (void)c; return malloc(n); }
static void a_free(void *c, void *p, size_t n) { (void)c; (void)n; free(p); }

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s module.wasm export i32-arg\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return perror(argv[1]), 1;
  static uint8_t buf[1 << 22];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  wasm_heap heap = {a_alloc, a_free, NULL, 256u << 20, 0};
  char err[256];
  wasm_module *m = wasm_load(&heap, buf, len, "prof", err, sizeof err);
  if (!m) return fprintf(stderr, "%s\n", err), 1;
  prof_mod = m;
  wasm_instance *inst = wasm_instantiate(m, &heap, NULL, NULL, NULL, err, sizeof err);
  if (!inst) return fprintf(stderr, "%s\n", err), 1;
  int32_t e = wasm_find_export(m, argv[2], (uint32_t)strlen(argv[2]));
  uint32_t fi;
  uint8_t kind;
  const char *nm;
  uint32_t nl;
  if (e < 0 || wasm_export_info(m, (uint32_t)e, &nm, &nl, &kind, &fi)) return fprintf(stderr, "no export\n"), 1;
  uint64_t args[1] = {(uint64_t)strtoul(argv[3], NULL, 0)}, res[1];
  wasm_status s = wasm_call(inst, fi, args, res);
  printf("status %d result %llu\n", (int)s, (unsigned long long)res[0]);
  /* Compact, sort by address, attribute to functions. */
  hit *list = malloc(nhits * sizeof *list);
  size_t n = 0;
  unsigned long long total = 0;
  for (size_t i = 0; i < caphits; i++)
    if (hits[i].ip) list[n++] = hits[i], total += hits[i].n;
  qsort(list, n, sizeof *list, by_ip);
  static unsigned long long per_op[OP_COUNT + 1];
  printf("%llu instructions executed\n", total);
  for (uint32_t fx = 0; fx < m->nfuncs; fx++) {
    const wfunc *fn = &m->funcs[fx];
    if (fn->imported) continue;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
      if (list[i].ip < fn->code || list[i].ip >= fn->code + fn->code_len) continue;
      if (!any) printf("function %u %.*s\n", fx, (int)fn->name_len, fn->name ? fn->name : "");
      any = 1;
      uint32_t op = op_of(list[i].ip[0]);
      per_op[op < OP_COUNT ? op : OP_COUNT] += list[i].n;
      const wcode *end = fn->code + fn->code_len;
      if (i + 1 < n && list[i + 1].ip < end) end = list[i + 1].ip;
      printf("  %5u %10llu  op %03x", (unsigned)(list[i].ip - fn->code), list[i].n, op);
      for (const wcode *w = list[i].ip + 1; w < end && w < list[i].ip + 8; w++) printf(" %ld", (long)(intptr_t)*w);
      printf("\n");
    }
  }
  printf("per opcode:\n");
  for (uint32_t op = 0; op <= OP_COUNT; op++)
    if (per_op[op])
      printf("  op %03x %10llu  %5.1f%%  handler %lx\n", op, per_op[op], 100.0 * per_op[op] / total,
             op < OP_COUNT ? (unsigned long)winterp_handler(op) : 0ul);
  return 0;
}
