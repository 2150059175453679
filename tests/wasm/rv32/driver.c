/*
 * Bare-metal rv32 test driver for the kernel's Wasm runtime, for QEMU virt and
 * the board. It runs the same script protocol as tests/wasm/host-driver.c
 * (load, validate, call, mem, unload, limits, quota), read from a script linked
 * into the image, and answers on the UART. Extra commands for benchmarks:
 *   callc <export> <args>   -> like call, plus " n=<retired instructions>"
 *   native <name> <hex arg> -> ok <hex result> n=<retired instructions>
 *   loadc <hex>             -> ok load=<instr> instantiate=<instr> module=<bytes> instance=<bytes>
 * and for the native tier:
 *   jit <threshold>|off     -> ok (before loading: 1 compiles every function at its first call)
 *   fuzz <hex>              -> invalid/unlinkable <msg> | ran <calls> <digest> | leak <bytes>
 */
#include <stddef.h>
#include <stdint.h>

#include "wasm.h"

extern const char script_start[], script_end[];
extern char __heap_start[];

#define UART ((volatile uint8_t *)0x10000000u)
#define RAM_END 0x88000000u /* QEMU -m 128 */

static void out_c(char c) {
  while (!(UART[5] & 0x20)) {
  }
  UART[0] = (uint8_t)c;
}
static void out_s(const char *s) {
  while (*s) out_c(*s++);
}
static void out_n(const char *s, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) out_c(s[i]);
}
static void out_hex(uint64_t v) {
  char tmp[17];
  int i = 0;
  do {
    tmp[i++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (i) out_c(tmp[--i]);
}
static void out_dec(uint64_t v) {
  char tmp[21];
  int i = 0;
  do {
    tmp[i++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (i) out_c(tmp[--i]);
}

static uint64_t instret(void) {
  uint32_t hi, lo, hi2;
  do {
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi));
    __asm__ volatile("csrr %0, minstret" : "=r"(lo));
    __asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
  } while (hi != hi2);
  return (uint64_t)hi << 32 | lo;
}

/* Bump allocator that starts over whenever the runtime has freed everything. */
static uintptr_t bump;
static void *h_alloc(void *ctx, size_t n);
static void h_free(void *ctx, void *p, size_t n) {
  (void)ctx;
  (void)p;
  (void)n;
}
static wasm_heap heap = {h_alloc, h_free, NULL, 96u << 20, 0};
static void *h_alloc(void *ctx, size_t n) {
  (void)ctx;
  if (heap.used == 0) bump = 0;
  uintptr_t base = ((uintptr_t)__heap_start + 7u) & ~(uintptr_t)7u;
  n = (n + 7u) & ~(size_t)7u;
  if (base + bump + n > RAM_END || base + bump + n < base) return NULL;
  void *p = (void *)(base + bump);
  bump += n;
  return p;
}

static wasm_limits limits;
static wasm_module *mod;
static wasm_instance *inst;
static uint8_t module_bytes[4u << 20];
static char err[512];

static wasm_status host_add(wasm_instance *i, void *ctx, uint64_t *s) {
  (void)i;
  (void)ctx;
  s[0] = (uint32_t)((uint32_t)s[0] + (uint32_t)s[1]);
  return WASM_OK;
}
static wasm_status host_fail(wasm_instance *i, void *ctx, uint64_t *s) {
  (void)ctx;
  (void)s;
  wasm_set_trap_message(i, "host.fail was called");
  return WASM_TRAP_HOST;
}
static wasm_status host_nop(wasm_instance *i, void *ctx, uint64_t *s) {
  (void)i;
  (void)ctx;
  (void)s;
  return WASM_OK;
}
static wasm_status host_sum(wasm_instance *i, void *ctx, uint64_t *s) {
  (void)ctx;
  uint32_t size, p = (uint32_t)s[0], n = (uint32_t)s[1];
  uint8_t *m = wasm_memory(i, &size);
  if ((uint64_t)p + n > size) return WASM_TRAP_MEMORY_OOB;
  uint32_t sum = 0;
  for (uint32_t k = 0; k < n; k++) sum += m[p + k];
  s[0] = sum;
  return WASM_OK;
}

static int eq(const char *a, uint32_t n, const char *b) {
  uint32_t i = 0;
  for (; i < n; i++)
    if (a[i] != b[i]) return 0;
  return b[i] == 0;
}

static void set_err(char *e, size_t n, const char *msg) {
  size_t i = 0;
  for (; msg[i] && i + 1 < n; i++) e[i] = msg[i];
  e[i] = 0;
}

static int resolve(void *ctx, const char *module, uint32_t mlen, const char *field, uint32_t flen,
                   const wasm_functype *t, wasm_host_binding *out, char *e, size_t elen) {
  (void)ctx;
  if (!eq(module, mlen, "host")) {
    set_err(e, elen, "unknown import module");
    return 1;
  }
  wasm_host_fn fn = NULL;
  uint32_t np = 0, nr = 0;
  if (eq(field, flen, "add")) fn = host_add, np = 2, nr = 1;
  else if (eq(field, flen, "sum")) fn = host_sum, np = 2, nr = 1;
  else if (eq(field, flen, "fail")) fn = host_fail;
  else if (eq(field, flen, "nop")) fn = host_nop;
  if (!fn) {
    set_err(e, elen, "unknown import");
    return 1;
  }
  int ok = t->nparams == np && t->nresults == nr;
  for (uint32_t i = 0; ok && i < np; i++) ok = t->params[i] == WASM_I32;
  for (uint32_t i = 0; ok && i < nr; i++) ok = t->results[i] == WASM_I32;
  if (!ok) {
    set_err(e, elen, "wrong signature");
    return 1;
  }
  out->fn = fn;
  out->ctx = NULL;
  return 0;
}

/* ---- script parsing ---- */

static const char *sp_;

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Next space-separated word of the current line; returns its length (0 at end of line). */
static uint32_t word(const char **w) {
  while (*sp_ == ' ') sp_++;
  *w = sp_;
  while (sp_ < script_end && *sp_ != ' ' && *sp_ != '\n') sp_++;
  return (uint32_t)(sp_ - *w);
}

static uint64_t parse_hex(const char *w, uint32_t n) {
  uint64_t v = 0;
  for (uint32_t i = 0; i < n; i++) {
    int d = hexval(w[i]);
    if (d < 0) break;
    v = v << 4 | (uint32_t)d;
  }
  return v;
}

static uint32_t parse_dec(const char *w, uint32_t n) {
  uint32_t v = 0;
  for (uint32_t i = 0; i < n && w[i] >= '0' && w[i] <= '9'; i++) v = v * 10 + (uint32_t)(w[i] - '0');
  return v;
}

static uint32_t read_module(void) {
  const char *w;
  uint32_t n = word(&w), len = 0;
  for (uint32_t i = 0; i + 1 < n && len < sizeof module_bytes; i += 2)
    module_bytes[len++] = (uint8_t)(hexval(w[i]) << 4 | hexval(w[i + 1]));
  return len;
}

static void unload(void) {
  if (inst) wasm_instance_free(inst);
  if (mod) wasm_module_free(mod);
  inst = NULL;
  mod = NULL;
}

static const char *type_name(uint8_t t) {
  switch (t) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  default: return "ref";
  }
}

static const char *kind_name(wasm_status s) {
  static const char *names[] = {"ok", "unreachable", "memory_oob", "div_zero", "int_overflow",
                                "invalid_conversion", "table_oob", "null_func", "sig_mismatch",
                                "stack_exhausted", "quota", "host", "exit"};
  return s < WASM_STATUS_COUNT ? names[s] : "unknown";
}

static void cmd_call(int count) {
  const char *w;
  uint32_t n = word(&w);
  int32_t e = mod ? wasm_find_export(mod, w, n) : -1;
  const char *nm;
  uint32_t nl, f;
  uint8_t kind;
  if (e < 0 || wasm_export_info(mod, (uint32_t)e, &nm, &nl, &kind, &f) || kind != WASM_EXTERN_FUNC) {
    out_s("error no such export\n");
    return;
  }
  wasm_functype t;
  wasm_func_type(mod, f, &t);
  static uint64_t args[64], res[64];
  for (uint32_t i = 0; i < t.nparams && i < 64; i++) {
    uint32_t k = word(&w);
    uint32_t c = 0;
    while (c < k && w[c] != ':') c++;
    args[i] = c < k ? parse_hex(w + c + 1, k - c - 1) : parse_hex(w, k);
  }
  uint64_t t0 = instret();
  wasm_status s = wasm_call(inst, f, args, res);
  uint64_t t1 = instret();
  if (s != WASM_OK) {
    out_s("trap ");
    out_s(kind_name(s));
    out_c(' ');
    out_s(wasm_trap_message(inst));
  } else {
    out_s("ok");
    for (uint32_t i = 0; i < t.nresults && i < 64; i++) {
      out_c(' ');
      out_s(type_name(t.results[i]));
      out_c(':');
      out_hex(res[i]);
    }
  }
  if (count) {
    out_s(" n=");
    out_dec(t1 - t0);
  }
  out_c('\n');
}

static void cmd_mem(void) {
  uint32_t size = 0;
  uint8_t *m = inst ? wasm_memory(inst, &size) : NULL;
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < size; i++) h = (h ^ m[i]) * 16777619u;
  out_s("mem ");
  out_dec(size);
  out_c(' ');
  for (int i = 28; i >= 0; i -= 4) out_c("0123456789abcdef"[(h >> i) & 15]);
  out_c('\n');
}

static uint32_t fnv(uint32_t h, const void *p, uint32_t n) {
  const uint8_t *b = p;
  for (uint32_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
  return h;
}

/*
 * fuzz <hex>: everything a hostile module can make the runtime do, as the native driver's fuzz
 * (without a sandbox: the test only sends modules that end): load, instantiate, call up to 16
 * exported functions with zero arguments, then unload. Answers invalid/unlinkable <message>, or
 * ran <calls> <digest of every status, result and trap message, and the memory>, or leak <bytes>.
 */
static void cmd_fuzz(void) {
  uint32_t len = read_module();
  unload();
  mod = wasm_load(&heap, module_bytes, len, "fuzz", err, sizeof err);
  if (!mod) {
    out_s("invalid ");
    out_s(err);
    out_c('\n');
    return;
  }
  inst = wasm_instantiate(mod, &heap, &limits, resolve, NULL, err, sizeof err);
  if (!inst) {
    unload();
    out_s("unlinkable ");
    out_s(err);
    out_c('\n');
    return;
  }
  uint32_t count = wasm_export_count(mod), ran = 0, h = 2166136261u;
  for (uint32_t i = 0; i < count && ran < 16; i++) {
    const char *nm;
    uint32_t nl, idx;
    uint8_t kind;
    wasm_export_info(mod, i, &nm, &nl, &kind, &idx);
    if (kind != WASM_EXTERN_FUNC) continue;
    static uint64_t args[1024], res[1024];
    wasm_functype t;
    wasm_func_type(mod, idx, &t);
    if (t.nparams > 1024 || t.nresults > 1024) continue;
    for (uint32_t k = 0; k < t.nparams; k++) args[k] = 0;
    wasm_status st = wasm_call(inst, idx, args, res);
    h = fnv(h, &st, sizeof st);
    if (st == WASM_OK) h = fnv(h, res, t.nresults * 8u);
    else h = fnv(h, wasm_trap_message(inst), (uint32_t)__builtin_strlen(wasm_trap_message(inst)));
    ran++;
  }
  uint32_t size = 0;
  uint8_t *m = wasm_memory(inst, &size);
  h = fnv(h, m, size);
  unload();
  if (heap.used) {
    out_s("leak ");
    out_dec(heap.used);
    out_c('\n');
    return;
  }
  out_s("ran ");
  out_dec(ran);
  out_c(' ');
  out_hex(h);
  out_c('\n');
}

/* Natively compiled benchmarks (bench.c), looked up by name. */
typedef uint32_t (*native_fn)(uint32_t);
extern const struct native_bench {
  const char *name;
  native_fn fn;
} native_benches[];

static void cmd_native(void) {
  const char *w;
  uint32_t n = word(&w);
  const struct native_bench *b = native_benches;
  while (b->name && !eq(w, n, b->name)) b++;
  if (!b->name) {
    out_s("error no such native benchmark\n");
    return;
  }
  uint32_t k = word(&w);
  uint32_t arg = (uint32_t)parse_hex(w, k);
  uint64_t t0 = instret();
  uint32_t r = b->fn(arg);
  uint64_t t1 = instret();
  out_s("ok ");
  out_hex(r);
  out_s(" n=");
  out_dec(t1 - t0);
  out_c('\n');
}

/* Native code from the same bump heap (the runtime charges it to heap.used); bare metal, no
   paging: it runs where it is written. */
void *wasm_code_alloc(size_t n, void **exec) {
  void *p = h_alloc(NULL, n);
  *exec = p;
  return p;
}
void wasm_code_free(void *p, size_t n) { h_free(NULL, p, n); }

int main(void) {
  sp_ = script_start;
  while (sp_ < script_end) {
    const char *w;
    uint32_t n = word(&w);
    if (n == 0) {
      /* empty line */
    } else if (eq(w, n, "load") || eq(w, n, "validate")) {
      int validate_only = eq(w, n, "validate");
      uint32_t len = read_module();
      unload();
      uint64_t t0 = instret();
      mod = wasm_load(&heap, module_bytes, len, "test", err, sizeof err);
      if (mod && validate_only) {
        unload();
        out_s("ok\n");
      } else if (mod) {
        inst = wasm_instantiate(mod, &heap, &limits, resolve, NULL, err, sizeof err);
        if (!inst) {
          wasm_module_free(mod);
          mod = NULL;
          out_s("error ");
          out_s(err);
          out_c('\n');
        } else {
          (void)t0;
          out_s("ok\n");
        }
      } else {
        out_s("error ");
        out_s(err);
        out_c('\n');
      }
    } else if (eq(w, n, "loadc")) {
      /* Cost of decoding + validation + translation, then of instantiation, and the heap each holds. */
      uint32_t len = read_module();
      unload();
      uint64_t t0 = instret();
      mod = wasm_load(&heap, module_bytes, len, "test", err, sizeof err);
      uint64_t t1 = instret();
      size_t module_heap = heap.used;
      if (mod) inst = wasm_instantiate(mod, &heap, &limits, resolve, NULL, err, sizeof err);
      uint64_t t2 = instret();
      if (!inst) {
        out_s("error ");
        out_s(err);
      } else {
        out_s("ok load=");
        out_dec(t1 - t0);
        out_s(" instantiate=");
        out_dec(t2 - t1);
        out_s(" module=");
        out_dec(module_heap);
        out_s(" instance=");
        out_dec(heap.used - module_heap);
      }
      out_c('\n');
    } else if (eq(w, n, "call")) {
      cmd_call(0);
    } else if (eq(w, n, "callc")) {
      cmd_call(1);
    } else if (eq(w, n, "native")) {
      cmd_native();
    } else if (eq(w, n, "mem")) {
      cmd_mem();
    } else if (eq(w, n, "unload")) {
      unload();
      out_s("used ");
      out_dec(heap.used);
      out_c('\n');
    } else if (eq(w, n, "quota")) {
      uint32_t k = word(&w);
      heap.quota = parse_dec(w, k);
      out_s("ok\n");
    } else if (eq(w, n, "fuzz")) {
      cmd_fuzz();
    } else if (eq(w, n, "jit")) {
      /* jit <threshold>|off: when the native tier compiles a function (before loading modules). */
      uint32_t k = word(&w);
      wasm_set_jit_threshold(eq(w, k, "off") ? WASM_JIT_OFF : parse_dec(w, k));
      out_s("ok\n");
    } else if (eq(w, n, "limits")) {
      uint32_t k = word(&w);
      limits.value_stack_bytes = parse_dec(w, k);
      k = word(&w);
      limits.call_depth = parse_dec(w, k);
      k = word(&w);
      limits.max_memory_pages = parse_dec(w, k);
      out_s("ok\n");
    } else {
      out_s("error unknown command ");
      out_n(w, n);
      out_c('\n');
    }
    while (sp_ < script_end && *sp_ != '\n') sp_++;
    if (sp_ < script_end) sp_++;
  }
  unload();
  return 0;
}
