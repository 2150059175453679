/*
 * Native test driver for the kernel's Wasm runtime (kernel/wasm). Reads a
 * script on stdin, one command per line, and answers each with one line:
 *
 *   quota <bytes>             -> ok                 heap quota for later loads
 *   limits <stack> <depth> <pages> -> ok           wasm_limits for later loads
 *   load <hex>                -> ok | error <msg>   load + instantiate (replaces current)
 *   validate <hex>            -> ok | error <msg>   load only
 *   call <export> <arg>...    -> ok <res>... | trap <kind> <msg>
 *                                args/results: i32:<hex> i64:<hex> f32:<hex bits> f64:<hex bits> ref:<hex>
 *   mem                       -> mem <bytes> <fnv1a-32 hex>
 *   global <export>           -> ok <value> | error <msg>
 *   unload                    -> used <bytes still held by the runtime>
 *   fuzz <hex>                -> invalid <msg> | unlinkable <msg> | ran <n> | leak <n> | timeout | crash <signal>
 *                                (timeout: the module's code ran too long; timeout-loading: validation did)
 *                                (in a forked child: load, instantiate, call every
 *                                export with zero arguments)
 *   bench <hex> <export> <i32 arg> -> ok <result> <nanoseconds>
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../kernel/wasm/wasm.h"

static void *h_alloc(void *ctx, size_t n) {
  (void)ctx;
  return malloc(n);
}
static void h_free(void *ctx, void *p, size_t n) {
  (void)ctx;
  (void)n;
  free(p);
}

static wasm_heap heap = {h_alloc, h_free, NULL, 256u << 20, 0};
static wasm_limits limits = {0, 0, 0};
static wasm_module *mod;
static wasm_instance *inst;

/* ---- host functions offered to test modules (module "host") ---- */

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

/* sum(ptr, len): adds the bytes of a range of linear memory, checking the range. */
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

static int sig_is(const wasm_functype *t, const char *params, const char *results) {
  size_t np = strlen(params), nr = strlen(results);
  if (t->nparams != np || t->nresults != nr) return 0;
  for (size_t i = 0; i < np; i++)
    if (t->params[i] != (params[i] == 'i' ? WASM_I32 : WASM_I64)) return 0;
  for (size_t i = 0; i < nr; i++)
    if (t->results[i] != (results[i] == 'i' ? WASM_I32 : WASM_I64)) return 0;
  return 1;
}

static int resolve(void *ctx, const char *module, uint32_t mlen, const char *field, uint32_t flen,
                   const wasm_functype *type, wasm_host_binding *out, char *err, size_t errlen) {
  (void)ctx;
  if (mlen != 4 || memcmp(module, "host", 4) != 0) {
    snprintf(err, errlen, "unknown import module");
    return 1;
  }
  struct { const char *name, *p, *r; wasm_host_fn fn; } table[] = {
      {"add", "ii", "i", host_add}, {"fail", "", "", host_fail},
      {"nop", "", "", host_nop},    {"sum", "ii", "i", host_sum},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (strlen(table[i].name) != flen || memcmp(table[i].name, field, flen) != 0) continue;
    if (!sig_is(type, table[i].p, table[i].r)) {
      snprintf(err, errlen, "wrong signature");
      return 1;
    }
    out->fn = table[i].fn;
    out->ctx = NULL;
    return 0;
  }
  snprintf(err, errlen, "unknown import");
  return 1;
}

/* ---- helpers ---- */

static int hexdigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

static uint8_t *unhex(const char *s, size_t *len) {
  size_t n = strlen(s) / 2;
  uint8_t *b = malloc(n ? n : 1);
  for (size_t i = 0; i < n; i++) b[i] = (uint8_t)(hexdigit(s[2 * i]) << 4 | hexdigit(s[2 * i + 1]));
  *len = n;
  return b;
}

static const char *kind_name(wasm_status s) {
  static const char *names[] = {"ok", "unreachable", "memory_oob", "div_zero", "int_overflow",
                                "invalid_conversion", "table_oob", "null_func", "sig_mismatch",
                                "stack_exhausted", "quota", "host", "exit"};
  return s < WASM_STATUS_COUNT ? names[s] : "unknown";
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

static void unload(void) {
  if (inst) wasm_instance_free(inst);
  if (mod) wasm_module_free(mod);
  inst = NULL;
  mod = NULL;
}

static int load(const uint8_t *b, size_t n, char *err, size_t errlen) {
  unload();
  mod = wasm_load(&heap, b, n, "test", err, errlen);
  if (!mod) return 0;
  inst = wasm_instantiate(mod, &heap, &limits, resolve, NULL, err, errlen);
  if (!inst) {
    wasm_module_free(mod);
    mod = NULL;
    return 0;
  }
  return 1;
}

static int find_func(const char *name, uint32_t *func) {
  int32_t e = wasm_find_export(mod, name, (uint32_t)strlen(name));
  if (e < 0) return 0;
  const char *n;
  uint32_t nl, idx;
  uint8_t kind;
  wasm_export_info(mod, (uint32_t)e, &n, &nl, &kind, &idx);
  if (kind != WASM_EXTERN_FUNC) return 0;
  *func = idx;
  return 1;
}

static void cmd_call(char *rest) {
  if (!inst) {
    puts("error no instance");
    return;
  }
  char *save;
  char *name = strtok_r(rest, " ", &save);
  uint32_t f;
  if (!name || !find_func(name, &f)) {
    puts("error no such export");
    return;
  }
  wasm_functype t;
  wasm_func_type(mod, f, &t);
  uint64_t args[64] = {0}, res[64] = {0};
  for (uint32_t i = 0; i < t.nparams && i < 64; i++) {
    char *a = strtok_r(NULL, " ", &save);
    if (!a) break;
    char *colon = strchr(a, ':');
    args[i] = strtoull(colon ? colon + 1 : a, NULL, 16);
  }
  wasm_status s = wasm_call(inst, f, args, res);
  if (s != WASM_OK) {
    printf("trap %s %s\n", kind_name(s), wasm_trap_message(inst));
    return;
  }
  fputs("ok", stdout);
  for (uint32_t i = 0; i < t.nresults && i < 64; i++) printf(" %s:%llx", type_name(t.results[i]), (unsigned long long)res[i]);
  putchar('\n');
}

static void cmd_mem(void) {
  uint32_t size = 0;
  uint8_t *m = inst ? wasm_memory(inst, &size) : NULL;
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < size; i++) h = (h ^ m[i]) * 16777619u;
  printf("mem %u %08x\n", size, h);
}

static void cmd_global(char *name) {
  int32_t e = inst ? wasm_find_export(mod, name, (uint32_t)strlen(name)) : -1;
  const char *n;
  uint32_t nl, idx;
  uint8_t kind;
  uint64_t v;
  if (e < 0 || wasm_export_info(mod, (uint32_t)e, &n, &nl, &kind, &idx) || kind != WASM_EXTERN_GLOBAL ||
      wasm_global_get(inst, idx, &v)) {
    puts("error no such global");
    return;
  }
  printf("ok %llx\n", (unsigned long long)v);
}

/* Runs in a forked child: everything a hostile module can make the runtime do. */
static int fuzz_child(const uint8_t *b, size_t n, int fd) {
  char err[512];
  char line[600];
  int len;
  unload();
  mod = wasm_load(&heap, b, n, "fuzz", err, sizeof err);
  /* Tell the parent validation is over, so a timeout is known to be in the module's own code. */
  if (mod && write(fd, "V", 1) != 1) return 1;
  if (mod) {
    inst = wasm_instantiate(mod, &heap, &limits, resolve, NULL, err, sizeof err);
    if (!inst) {
      wasm_module_free(mod);
      mod = NULL;
      len = snprintf(line, sizeof line, "unlinkable %s\n", err);
    } else {
      uint32_t count = wasm_export_count(mod), ran = 0;
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
        wasm_call(inst, idx, args, res);
        ran++;
      }
      len = snprintf(line, sizeof line, "ran %u\n", ran);
    }
  } else {
    len = snprintf(line, sizeof line, "invalid %s\n", err);
  }
  unload();
  if (heap.used != 0) len = snprintf(line, sizeof line, "leak %zu\n", heap.used);
  if (write(fd, line, (size_t)len) < 0) return 1;
  return 0;
}

static void cmd_fuzz(const char *hex) {
  size_t n;
  uint8_t *b = unhex(hex, &n);
  int fds[2];
  if (pipe(fds) != 0) {
    puts("error pipe");
    free(b);
    return;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(2); /* infinite loops are legal Wasm: the kernel preempts them, the driver times out */
    _exit(fuzz_child(b, n, fds[1]));
  }
  close(fds[1]);
  char buf[600];
  ssize_t got = 0, r;
  while ((r = read(fds[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0) got += r;
  buf[got] = 0;
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  free(b);
  const char *text = buf[0] == 'V' ? buf + 1 : buf;
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM) puts(buf[0] == 'V' ? "timeout" : "timeout-loading");
    else printf("crash %d\n", WTERMSIG(status));
    return;
  }
  if (WEXITSTATUS(status) != 0 || !*text) {
    printf("crash exit %d\n", WEXITSTATUS(status));
    return;
  }
  fputs(text, stdout);
}

static void cmd_bench(char *rest) {
  char *save;
  char *hex = strtok_r(rest, " ", &save);
  char *name = strtok_r(NULL, " ", &save);
  char *arg = strtok_r(NULL, " ", &save);
  size_t n;
  uint8_t *b = unhex(hex, &n);
  char err[512];
  uint32_t f;
  if (!load(b, n, err, sizeof err) || !find_func(name, &f)) {
    printf("error %s\n", err);
    free(b);
    return;
  }
  free(b);
  uint64_t args[1] = {strtoull(arg, NULL, 16)}, res[1] = {0};
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  wasm_status s = wasm_call(inst, f, args, res);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  if (s != WASM_OK) printf("trap %s %s\n", kind_name(s), wasm_trap_message(inst));
  else printf("ok %llx %lld\n", (unsigned long long)res[0], ns);
}

int main(void) {
  static char line[1 << 24];
  static char err[512];
  while (fgets(line, sizeof line, stdin)) {
    size_t l = strlen(line);
    while (l && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = 0;
    char *sp = strchr(line, ' ');
    char *rest = sp ? sp + 1 : line + l;
    if (sp) *sp = 0;
    if (!strcmp(line, "load") || !strcmp(line, "validate")) {
      size_t n;
      uint8_t *b = unhex(rest, &n);
      if (!strcmp(line, "load")) {
        if (load(b, n, err, sizeof err)) puts("ok");
        else printf("error %s\n", err);
      } else {
        unload();
        wasm_module *m = wasm_load(&heap, b, n, "test", err, sizeof err);
        if (m) {
          wasm_module_free(m);
          puts("ok");
        } else {
          printf("error %s\n", err);
        }
      }
      free(b);
    } else if (!strcmp(line, "call")) {
      cmd_call(rest);
    } else if (!strcmp(line, "mem")) {
      cmd_mem();
    } else if (!strcmp(line, "global")) {
      cmd_global(rest);
    } else if (!strcmp(line, "unload")) {
      unload();
      printf("used %zu\n", heap.used);
    } else if (!strcmp(line, "quota")) {
      heap.quota = strtoull(rest, NULL, 10);
      puts("ok");
    } else if (!strcmp(line, "limits")) {
      unsigned a = 0, b = 0, c = 0;
      sscanf(rest, "%u %u %u", &a, &b, &c);
      limits.value_stack_bytes = a;
      limits.call_depth = b;
      limits.max_memory_pages = c;
      puts("ok");
    } else if (!strcmp(line, "fuzz")) {
      cmd_fuzz(rest);
    } else if (!strcmp(line, "bench")) {
      cmd_bench(rest);
    } else {
      puts("error unknown command");
    }
    fflush(stdout);
  }
  unload();
  return 0;
}
