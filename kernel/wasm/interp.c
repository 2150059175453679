/*
 * The interpreter: one switch over the translated code (ops.h). All state is
 * in locals or hangs off the instance, so any number of instances can run
 * interleaved on one hart (the kernel preempts by switching threads). Calls
 * between Wasm functions do not recurse in C: frames live in inst->frames.
 */
#include "internal.h"
#include "numeric.h"
#include "ops.h"

#define R32(o) (((wslot *)(fp + (o)))->i32)
#define R64(o) (((wslot *)(fp + (o)))->i64)
#define F32(o) (((wslot *)(fp + (o)))->f32)
#define F64(o) (((wslot *)(fp + (o)))->f64)

/*
 * Linear memory accesses may be misaligned. On RISC-V they use plain word
 * loads/stores: the hardware or the kernel's trap handler handles misaligned
 * accesses, far faster than byte-wise code (define WASM_STRICT_ALIGN for
 * byte-wise access instead). Elsewhere a fixed-size memcpy compiles to one
 * unaligned move without undefined behaviour.
 */
#if defined(WASM_STRICT_ALIGN)
static inline uint32_t ld32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static inline uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static inline uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline void st32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }
static inline void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v); st32(p + 4, (uint32_t)(v >> 32)); }
static inline void st16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
#elif defined(__riscv)
typedef uint16_t __attribute__((may_alias)) u16a;
typedef uint32_t __attribute__((may_alias)) u32a;
typedef uint64_t __attribute__((may_alias, aligned(4))) u64a;
static inline uint32_t ld32(const uint8_t *p) { return *(const u32a *)(const void *)p; }
static inline uint64_t ld64(const uint8_t *p) { return *(const u64a *)(const void *)p; }
static inline uint16_t ld16(const uint8_t *p) { return *(const u16a *)(const void *)p; }
static inline void st32(uint8_t *p, uint32_t v) { *(u32a *)(void *)p = v; }
static inline void st64(uint8_t *p, uint64_t v) { *(u64a *)(void *)p = v; }
static inline void st16(uint8_t *p, uint16_t v) { *(u16a *)(void *)p = v; }
#else
static inline uint32_t ld32(const uint8_t *p) { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const uint8_t *p) { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
static inline uint16_t ld16(const uint8_t *p) { uint16_t v; __builtin_memcpy(&v, p, 2); return v; }
static inline void st32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void st64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }
static inline void st16(uint8_t *p, uint16_t v) { __builtin_memcpy(p, &v, 2); }
#endif

#define IMM64(i) ((uint64_t)ip[i] | (uint64_t)ip[(i) + 1] << 32)
#define TRAP(s) do { st = (s); goto trap; } while (0)

/* Binary op on i32 slots, with its immediate variant. */
#define BIN32(opc, expr)                                      \
  case opc: {                                                 \
    uint32_t a = R32(ip[2]), b = R32(ip[3]);                  \
    R32(ip[1]) = (expr);                                      \
    ip += 4;                                                  \
    break;                                                    \
  }                                                           \
  case opc | W_IMM: {                                         \
    uint32_t a = R32(ip[2]), b = ip[3];                       \
    R32(ip[1]) = (expr);                                      \
    ip += 4;                                                  \
    break;                                                    \
  }
#define BIN64(opc, expr)                                      \
  case opc: {                                                 \
    uint64_t a = R64(ip[2]), b = R64(ip[3]);                  \
    R64(ip[1]) = (expr);                                      \
    ip += 4;                                                  \
    break;                                                    \
  }                                                           \
  case opc | W_IMM: {                                         \
    uint64_t a = R64(ip[2]), b = IMM64(3);                    \
    R64(ip[1]) = (expr);                                      \
    ip += 5;                                                  \
    break;                                                    \
  }
#define CMP64(opc, expr)                                      \
  case opc: {                                                 \
    uint64_t a = R64(ip[2]), b = R64(ip[3]);                  \
    R32(ip[1]) = (expr);                                      \
    ip += 4;                                                  \
    break;                                                    \
  }                                                           \
  case opc | W_IMM: {                                         \
    uint64_t a = R64(ip[2]), b = IMM64(3);                    \
    R32(ip[1]) = (expr);                                      \
    ip += 5;                                                  \
    break;                                                    \
  }
#define FBIN(opc, T, R, RES, expr)                            \
  case opc: {                                                 \
    T a = R(ip[2]), b = R(ip[3]);                             \
    RES(ip[1]) = (expr);                                      \
    ip += 4;                                                  \
    break;                                                    \
  }
#define UN(opc, IN, OUT, expr)                                \
  case opc: {                                                 \
    OUT(ip[1]) = (expr(IN(ip[2])));                           \
    ip += 3;                                                  \
    break;                                                    \
  }
/* Fused compare-and-branch on i32 slots. */
#define BRCMP(idx, cond)                                      \
  case OP_BR_CMP + idx: {                                     \
    uint32_t a = R32(ip[2]), b = R32(ip[3]);                  \
    ip += (cond) ? (int32_t)ip[1] : 4;                        \
    break;                                                    \
  }                                                           \
  case OP_BR_CMP_IMM + idx: {                                 \
    uint32_t a = R32(ip[2]), b = ip[3];                       \
    ip += (cond) ? (int32_t)ip[1] : 4;                        \
    break;                                                    \
  }

/* Effective address check: `n` bytes at addr + offset must lie inside memory. */
#define EA(addr, n)                                                  \
  uint64_t ea = (uint64_t)(addr) + ip[3];                            \
  if (W_UNLIKELY(ea + (n) > memsize)) TRAP(WASM_TRAP_MEMORY_OOB);
#define LOAD(opc, n, dst, expr)                                      \
  case opc: {                                                        \
    EA(R32(ip[2]), n);                                               \
    const uint8_t *p = mem + (uint32_t)ea;                           \
    dst(ip[1]) = (expr);                                             \
    ip += 4;                                                         \
    break;                                                           \
  }
#define STORE(opc, n, stmt)                                          \
  case opc: {                                                        \
    EA(R32(ip[1]), n);                                               \
    uint8_t *p = mem + (uint32_t)ea;                                 \
    stmt;                                                            \
    ip += 4;                                                         \
    break;                                                           \
  }

static inline uint32_t rotl32(uint32_t a, uint32_t b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }
static inline uint32_t rotr32(uint32_t a, uint32_t b) { b &= 31; return b ? (a >> b) | (a << (32 - b)) : a; }
static inline uint64_t rotl64(uint64_t a, uint64_t b) { b &= 63; return b ? (a << b) | (a >> (64 - b)) : a; }
static inline uint64_t rotr64(uint64_t a, uint64_t b) { b &= 63; return b ? (a >> b) | (a << (64 - b)) : a; }
static inline uint32_t fabs32(uint32_t a) { return a & 0x7FFFFFFFu; }
static inline uint32_t fneg32(uint32_t a) { return a ^ 0x80000000u; }
static inline uint64_t fabs64(uint64_t a) { return a & 0x7FFFFFFFFFFFFFFFull; }
static inline uint64_t fneg64(uint64_t a) { return a ^ 0x8000000000000000ull; }
static inline uint32_t ceil32(uint32_t a) { return wn_round32(a, WN_CEIL); }
static inline uint32_t floor32(uint32_t a) { return wn_round32(a, WN_FLOOR); }
static inline uint32_t trunc32(uint32_t a) { return wn_round32(a, WN_TRUNC); }
static inline uint32_t nearest32(uint32_t a) { return wn_round32(a, WN_NEAREST); }
static inline uint64_t ceil64(uint64_t a) { return wn_round64(a, WN_CEIL); }
static inline uint64_t floor64(uint64_t a) { return wn_round64(a, WN_FLOOR); }
static inline uint64_t trunc64(uint64_t a) { return wn_round64(a, WN_TRUNC); }
static inline uint64_t nearest64(uint64_t a) { return wn_round64(a, WN_NEAREST); }
static inline uint32_t eqz32(uint32_t a) { return a == 0; }
static inline uint32_t eqz64(uint64_t a) { return a == 0; }
static inline uint32_t ext8_32(uint32_t a) { return (uint32_t)(int32_t)(int8_t)a; }
static inline uint32_t ext16_32(uint32_t a) { return (uint32_t)(int32_t)(int16_t)a; }
static inline uint64_t ext8_64(uint64_t a) { return (uint64_t)(int64_t)(int8_t)a; }
static inline uint64_t ext16_64(uint64_t a) { return (uint64_t)(int64_t)(int16_t)a; }
static inline uint64_t ext32_64(uint64_t a) { return (uint64_t)(int64_t)(int32_t)a; }
static inline uint64_t ext_s(uint32_t a) { return (uint64_t)(int64_t)(int32_t)a; }
static inline uint64_t ext_u(uint32_t a) { return a; }
static inline float cvt_f32_s32(uint32_t a) { return (float)(int32_t)a; }
static inline float cvt_f32_u32(uint32_t a) { return (float)a; }
static inline double cvt_f64_s32(uint32_t a) { return (double)(int32_t)a; }
static inline double cvt_f64_u32(uint32_t a) { return (double)a; }
static inline uint32_t cvt_f32_s64(uint64_t a) { return wn_s64_to_f32((int64_t)a); }
static inline uint64_t cvt_f64_s64(uint64_t a) { return wn_s64_to_f64((int64_t)a); }
static inline float demote(double a) { return (float)a; }
static inline double promote(float a) { return (double)a; }
static inline uint32_t copysign32(uint32_t a, uint32_t b) { return (a & 0x7FFFFFFFu) | (b & 0x80000000u); }
static inline uint64_t copysign64(uint64_t a, uint64_t b) { return (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull); }
static inline uint64_t udiv64(uint64_t a, uint64_t b) { uint64_t r; return wn_udiv64(a, b, &r); }
static inline uint64_t urem64(uint64_t a, uint64_t b) { uint64_t r; wn_udiv64(a, b, &r); return r; }
static inline uint64_t sdiv64(uint64_t a, uint64_t b) {
  bool na = (int64_t)a < 0, nb = (int64_t)b < 0;
  uint64_t q = udiv64(na ? 0 - a : a, nb ? 0 - b : b);
  return na != nb ? 0 - q : q;
}
static inline uint64_t srem64(uint64_t a, uint64_t b) {
  bool na = (int64_t)a < 0, nb = (int64_t)b < 0;
  uint64_t r = urem64(na ? 0 - a : a, nb ? 0 - b : b);
  return na ? 0 - r : r;
}

static inline void zero_locals(uint8_t *fp, const wfunc *fn) {
  uint64_t *s = (uint64_t *)(void *)fp;
  for (uint32_t i = fn->nparams; i < fn->nlocals; i++) s[i] = 0;
}

static bool table_item(const wasm_instance *inst, const welem *e, uint32_t k, uint64_t *out) {
  return wconst_eval(inst, &e->items[k], out);
}

wasm_status winterp_run(wasm_instance *inst, const wfunc *fn) {
  const wasm_module *m = inst->mod;
  uint8_t *fp = inst->stack;
  uint8_t *const stack_end = inst->stack + inst->stack_bytes;
  wframe *const frames = inst->frames;
  const uint32_t max_depth = inst->max_depth;
  uint32_t depth = 0;
  uint8_t *mem = inst->mem;
  uint64_t memsize = inst->mem_size;
  uint64_t *const globals = inst->globals;
  const uint32_t *ip = fn->code;
  wasm_status st;

  if (fn->frame_bytes > inst->stack_bytes) TRAP(WASM_TRAP_STACK_EXHAUSTED);
  zero_locals(fp, fn);

  for (;;) {
    switch (ip[0]) {
    case OP_UNREACHABLE: TRAP(WASM_TRAP_UNREACHABLE);
    case OP_BR: ip += (int32_t)ip[1]; break;
    case OP_BR_IF: ip += R32(ip[2]) ? (int32_t)ip[1] : 3; break;
    case OP_BR_UNLESS: ip += R32(ip[2]) ? 3 : (int32_t)ip[1]; break;
    case OP_BR_TABLE: {
      uint32_t i = R32(ip[1]), n = ip[2];
      if (i > n) i = n;
      ip += (int32_t)ip[3 + i];
      break;
    }
    case OP_RETURN:
      if (depth == 0) return WASM_OK;
      depth--;
      ip = frames[depth].ret_ip;
      fp = frames[depth].fp;
      fn = frames[depth].fn;
      break;
    case OP_CALL:
    case OP_CALL_INDIRECT: {
      const wfunc *callee;
      uint8_t *nfp;
      const uint32_t *next;
      if (ip[0] == OP_CALL) {
        callee = &m->funcs[ip[1]];
        nfp = fp + ip[2];
        next = ip + 3;
      } else {
        const wtable_inst *t = &inst->tables[ip[2]];
        uint32_t i = R32(ip[4]);
        if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
        uint64_t e = t->elems[i];
        if (!e) TRAP(WASM_TRAP_NULL_FUNC);
        callee = &m->funcs[e - 1];
        if (callee->canon != ip[1]) TRAP(WASM_TRAP_SIG_MISMATCH);
        nfp = fp + ip[3];
        next = ip + 5;
      }
      if (callee->imported) {
        const wasm_host_binding *h = &inst->hosts[callee->import_index];
        inst->trap[0] = 0;
        wasm_status s = h->fn(inst, h->ctx, (uint64_t *)(void *)nfp);
        if (s != WASM_OK) TRAP(s);
        mem = inst->mem;
        memsize = inst->mem_size;
        ip = next;
        break;
      }
      if (W_UNLIKELY(depth >= max_depth || callee->frame_bytes > (uint32_t)(stack_end - nfp)))
        TRAP(WASM_TRAP_STACK_EXHAUSTED);
      frames[depth].ret_ip = next;
      frames[depth].fp = fp;
      frames[depth].fn = fn;
      depth++;
      fp = nfp;
      fn = callee;
      ip = callee->code;
      zero_locals(fp, fn);
      break;
    }
    case OP_SELECT32: R32(ip[1]) = R32(ip[4]) ? R32(ip[2]) : R32(ip[3]); ip += 5; break;
    case OP_SELECT64: R64(ip[1]) = R32(ip[4]) ? R64(ip[2]) : R64(ip[3]); ip += 5; break;
    case OP_COPY32: R32(ip[1]) = R32(ip[2]); ip += 3; break;
    case OP_COPY64: R64(ip[1]) = R64(ip[2]); ip += 3; break;
    case OP_CONST32: R32(ip[1]) = ip[2]; ip += 3; break;
    case OP_CONST64: R64(ip[1]) = IMM64(2); ip += 4; break;
    case OP_GLOBAL_GET32: R32(ip[1]) = (uint32_t)globals[ip[2]]; ip += 3; break;
    case OP_GLOBAL_GET64: R64(ip[1]) = globals[ip[2]]; ip += 3; break;
    case OP_GLOBAL_SET32: globals[ip[1]] = R32(ip[2]); ip += 3; break;
    case OP_GLOBAL_SET64: globals[ip[1]] = R64(ip[2]); ip += 3; break;

    LOAD(0x28, 4, R32, ld32(p))
    LOAD(0x29, 8, R64, ld64(p))
    LOAD(0x2A, 4, R32, ld32(p))
    LOAD(0x2B, 8, R64, ld64(p))
    LOAD(0x2C, 1, R32, (uint32_t)(int32_t)(int8_t)p[0])
    LOAD(0x2D, 1, R32, p[0])
    LOAD(0x2E, 2, R32, (uint32_t)(int32_t)(int16_t)ld16(p))
    LOAD(0x2F, 2, R32, ld16(p))
    LOAD(0x30, 1, R64, (uint64_t)(int64_t)(int8_t)p[0])
    LOAD(0x31, 1, R64, p[0])
    LOAD(0x32, 2, R64, (uint64_t)(int64_t)(int16_t)ld16(p))
    LOAD(0x33, 2, R64, ld16(p))
    LOAD(0x34, 4, R64, (uint64_t)(int64_t)(int32_t)ld32(p))
    LOAD(0x35, 4, R64, ld32(p))
    STORE(0x36, 4, st32(p, R32(ip[2])))
    STORE(0x37, 8, st64(p, R64(ip[2])))
    STORE(0x38, 4, st32(p, R32(ip[2])))
    STORE(0x39, 8, st64(p, R64(ip[2])))
    STORE(0x3A, 1, p[0] = (uint8_t)R32(ip[2]))
    STORE(0x3B, 2, st16(p, (uint16_t)R32(ip[2])))
    STORE(0x3C, 1, p[0] = (uint8_t)R64(ip[2]))
    STORE(0x3D, 2, st16(p, (uint16_t)R64(ip[2])))
    STORE(0x3E, 4, st32(p, (uint32_t)R64(ip[2])))
    case OP_MEMORY_SIZE: R32(ip[1]) = (uint32_t)(memsize / W_PAGE); ip += 2; break;
    case OP_MEMORY_GROW:
      R32(ip[1]) = (uint32_t)winst_memory_grow(inst, R32(ip[2]));
      mem = inst->mem;
      memsize = inst->mem_size;
      ip += 3;
      break;

    UN(0x45, R32, R32, eqz32)
    BIN32(0x46, a == b)
    BIN32(0x47, a != b)
    BIN32(0x48, (int32_t)a < (int32_t)b)
    BIN32(0x49, a < b)
    BIN32(0x4A, (int32_t)a > (int32_t)b)
    BIN32(0x4B, a > b)
    BIN32(0x4C, (int32_t)a <= (int32_t)b)
    BIN32(0x4D, a <= b)
    BIN32(0x4E, (int32_t)a >= (int32_t)b)
    BIN32(0x4F, a >= b)
    UN(0x50, R64, R32, eqz64)
    CMP64(0x51, a == b)
    CMP64(0x52, a != b)
    CMP64(0x53, (int64_t)a < (int64_t)b)
    CMP64(0x54, a < b)
    CMP64(0x55, (int64_t)a > (int64_t)b)
    CMP64(0x56, a > b)
    CMP64(0x57, (int64_t)a <= (int64_t)b)
    CMP64(0x58, a <= b)
    CMP64(0x59, (int64_t)a >= (int64_t)b)
    CMP64(0x5A, a >= b)
    FBIN(0x5B, float, F32, R32, a == b)
    FBIN(0x5C, float, F32, R32, a != b)
    FBIN(0x5D, float, F32, R32, a < b)
    FBIN(0x5E, float, F32, R32, a > b)
    FBIN(0x5F, float, F32, R32, a <= b)
    FBIN(0x60, float, F32, R32, a >= b)
    FBIN(0x61, double, F64, R32, a == b)
    FBIN(0x62, double, F64, R32, a != b)
    FBIN(0x63, double, F64, R32, a < b)
    FBIN(0x64, double, F64, R32, a > b)
    FBIN(0x65, double, F64, R32, a <= b)
    FBIN(0x66, double, F64, R32, a >= b)
    UN(0x67, R32, R32, wn_clz32)
    UN(0x68, R32, R32, wn_ctz32)
    UN(0x69, R32, R32, wn_popcnt32)
    BIN32(0x6A, a + b)
    BIN32(0x6B, a - b)
    BIN32(0x6C, a * b)
    case 0x6D: {
      uint32_t a = R32(ip[2]), b = R32(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      if (a == 0x80000000u && b == 0xFFFFFFFFu) TRAP(WASM_TRAP_INT_OVERFLOW);
      R32(ip[1]) = (uint32_t)((int32_t)a / (int32_t)b);
      ip += 4;
      break;
    }
    case 0x6E: {
      uint32_t a = R32(ip[2]), b = R32(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R32(ip[1]) = a / b;
      ip += 4;
      break;
    }
    case 0x6F: {
      uint32_t a = R32(ip[2]), b = R32(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R32(ip[1]) = b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b);
      ip += 4;
      break;
    }
    case 0x70: {
      uint32_t a = R32(ip[2]), b = R32(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R32(ip[1]) = a % b;
      ip += 4;
      break;
    }
    BIN32(0x71, a & b)
    BIN32(0x72, a | b)
    BIN32(0x73, a ^ b)
    BIN32(0x74, a << (b & 31))
    BIN32(0x75, (uint32_t)((int32_t)a >> (b & 31)))
    BIN32(0x76, a >> (b & 31))
    BIN32(0x77, rotl32(a, b))
    BIN32(0x78, rotr32(a, b))
    UN(0x79, R64, R64, wn_clz64)
    UN(0x7A, R64, R64, wn_ctz64)
    UN(0x7B, R64, R64, wn_popcnt64)
    BIN64(0x7C, a + b)
    BIN64(0x7D, a - b)
    BIN64(0x7E, a * b)
    case 0x7F: {
      uint64_t a = R64(ip[2]), b = R64(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      if (a == 0x8000000000000000ull && b == ~0ull) TRAP(WASM_TRAP_INT_OVERFLOW);
      R64(ip[1]) = sdiv64(a, b);
      ip += 4;
      break;
    }
    case 0x80: {
      uint64_t a = R64(ip[2]), b = R64(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R64(ip[1]) = udiv64(a, b);
      ip += 4;
      break;
    }
    case 0x81: {
      uint64_t a = R64(ip[2]), b = R64(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R64(ip[1]) = srem64(a, b);
      ip += 4;
      break;
    }
    case 0x82: {
      uint64_t a = R64(ip[2]), b = R64(ip[3]);
      if (!b) TRAP(WASM_TRAP_DIV_ZERO);
      R64(ip[1]) = urem64(a, b);
      ip += 4;
      break;
    }
    BIN64(0x83, a & b)
    BIN64(0x84, a | b)
    BIN64(0x85, a ^ b)
    BIN64(0x86, a << (b & 63))
    BIN64(0x87, (uint64_t)((int64_t)a >> (b & 63)))
    BIN64(0x88, a >> (b & 63))
    BIN64(0x89, rotl64(a, b))
    BIN64(0x8A, rotr64(a, b))
    UN(0x8B, R32, R32, fabs32)
    UN(0x8C, R32, R32, fneg32)
    UN(0x8D, R32, R32, ceil32)
    UN(0x8E, R32, R32, floor32)
    UN(0x8F, R32, R32, trunc32)
    UN(0x90, R32, R32, nearest32)
    UN(0x91, F32, F32, wn_sqrt32)
    FBIN(0x92, float, F32, F32, a + b)
    FBIN(0x93, float, F32, F32, a - b)
    FBIN(0x94, float, F32, F32, a * b)
    FBIN(0x95, float, F32, F32, a / b)
    FBIN(0x96, uint32_t, R32, R32, wn_min32(a, b))
    FBIN(0x97, uint32_t, R32, R32, wn_max32(a, b))
    FBIN(0x98, uint32_t, R32, R32, copysign32(a, b))
    UN(0x99, R64, R64, fabs64)
    UN(0x9A, R64, R64, fneg64)
    UN(0x9B, R64, R64, ceil64)
    UN(0x9C, R64, R64, floor64)
    UN(0x9D, R64, R64, trunc64)
    UN(0x9E, R64, R64, nearest64)
    UN(0x9F, F64, F64, wn_sqrt64)
    FBIN(0xA0, double, F64, F64, a + b)
    FBIN(0xA1, double, F64, F64, a - b)
    FBIN(0xA2, double, F64, F64, a * b)
    FBIN(0xA3, double, F64, F64, a / b)
    FBIN(0xA4, uint64_t, R64, R64, wn_min64(a, b))
    FBIN(0xA5, uint64_t, R64, R64, wn_max64(a, b))
    FBIN(0xA6, uint64_t, R64, R64, copysign64(a, b))
    case 0xA8: case 0xA9: case 0xAA: case 0xAB:
    case 0xAE: case 0xAF: case 0xB0: case 0xB1: {
      /* Trapping float -> int: 0xA8.. i32 from f32 s/u, f64 s/u; 0xAE.. the same to i64. */
      uint32_t k = ip[0] < 0xAE ? ip[0] - 0xA8 : ip[0] - 0xAE;
      bool to64 = ip[0] >= 0xAE;
      bool from64 = k >= 2;
      int dst = (to64 ? WN_I64S : WN_I32S) + (int)(k & 1);
      uint64_t out;
      int r = wn_trunc(from64 ? R64(ip[2]) : R32(ip[2]), from64, dst, &out);
      if (r == 1) TRAP(WASM_TRAP_INVALID_CONVERSION);
      if (r == 2) TRAP(WASM_TRAP_INT_OVERFLOW);
      if (to64) R64(ip[1]) = out;
      else R32(ip[1]) = (uint32_t)out;
      ip += 3;
      break;
    }
    UN(0xAC, R32, R64, ext_s)
    UN(0xAD, R32, R64, ext_u)
    UN(0xB2, R32, F32, cvt_f32_s32)
    UN(0xB3, R32, F32, cvt_f32_u32)
    UN(0xB4, R64, R32, cvt_f32_s64)
    UN(0xB5, R64, R32, wn_u64_to_f32)
    UN(0xB6, F64, F32, demote)
    UN(0xB7, R32, F64, cvt_f64_s32)
    UN(0xB8, R32, F64, cvt_f64_u32)
    UN(0xB9, R64, R64, cvt_f64_s64)
    UN(0xBA, R64, R64, wn_u64_to_f64)
    UN(0xBB, F32, F64, promote)
    UN(0xC0, R32, R32, ext8_32)
    UN(0xC1, R32, R32, ext16_32)
    UN(0xC2, R64, R64, ext8_64)
    UN(0xC3, R64, R64, ext16_64)
    UN(0xC4, R64, R64, ext32_64)
    case 0xC5: case 0xC6: case 0xC7: case 0xC8:
    case 0xC9: case 0xCA: case 0xCB: case 0xCC: {
      uint32_t k = ip[0] - 0xC5; /* i32 f32 s/u, i32 f64 s/u, i64 f32 s/u, i64 f64 s/u */
      bool to64 = k >= 4, from64 = (k & 2) != 0;
      int dst = (to64 ? WN_I64S : WN_I32S) + (int)(k & 1);
      uint64_t out = wn_trunc_sat(from64 ? R64(ip[2]) : R32(ip[2]), from64, dst);
      if (to64) R64(ip[1]) = out;
      else R32(ip[1]) = (uint32_t)out;
      ip += 3;
      break;
    }
    case OP_REF_IS_NULL: R32(ip[1]) = R64(ip[2]) == 0; ip += 3; break;
    case OP_TABLE_GET: {
      const wtable_inst *t = &inst->tables[ip[3]];
      uint32_t i = R32(ip[2]);
      if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
      R64(ip[1]) = t->elems[i];
      ip += 4;
      break;
    }
    case OP_TABLE_SET: {
      wtable_inst *t = &inst->tables[ip[1]];
      uint32_t i = R32(ip[2]);
      if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
      t->elems[i] = R64(ip[3]);
      ip += 4;
      break;
    }
    case OP_MEMORY_INIT: {
      const wdata *d = &m->datas[ip[1]];
      uint32_t dst = R32(ip[2]), src = R32(ip[3]), n = R32(ip[4]);
      uint32_t len = inst->data_dropped[ip[1]] ? 0 : d->len;
      if ((uint64_t)src + n > len || (uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
      wu_memcpy(mem + dst, d->bytes + src, n);
      ip += 5;
      break;
    }
    case OP_DATA_DROP: inst->data_dropped[ip[1]] = 1; ip += 2; break;
    case OP_MEMORY_COPY: {
      uint32_t dst = R32(ip[1]), src = R32(ip[2]), n = R32(ip[3]);
      if ((uint64_t)src + n > memsize || (uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
      wu_memmove(mem + dst, mem + src, n);
      ip += 4;
      break;
    }
    case OP_MEMORY_FILL: {
      uint32_t dst = R32(ip[1]), v = R32(ip[2]), n = R32(ip[3]);
      if ((uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
      wu_memset(mem + dst, (int)(uint8_t)v, n);
      ip += 4;
      break;
    }
    case OP_TABLE_INIT: {
      wtable_inst *t = &inst->tables[ip[1]];
      const welem *e = &m->elems[ip[2]];
      uint32_t dst = R32(ip[3]), src = R32(ip[4]), n = R32(ip[5]);
      uint32_t len = inst->elem_dropped[ip[2]] ? 0 : e->count;
      if ((uint64_t)src + n > len || (uint64_t)dst + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
      for (uint32_t k = 0; k < n; k++) table_item(inst, e, src + k, &t->elems[dst + k]);
      ip += 6;
      break;
    }
    case OP_ELEM_DROP: inst->elem_dropped[ip[1]] = 1; ip += 2; break;
    case OP_TABLE_COPY: {
      wtable_inst *td = &inst->tables[ip[1]];
      const wtable_inst *ts = &inst->tables[ip[2]];
      uint32_t dst = R32(ip[3]), src = R32(ip[4]), n = R32(ip[5]);
      if ((uint64_t)src + n > ts->size || (uint64_t)dst + n > td->size) TRAP(WASM_TRAP_TABLE_OOB);
      if (n) wu_memmove(td->elems + dst, ts->elems + src, (size_t)n * 8u);
      ip += 6;
      break;
    }
    case OP_TABLE_GROW:
      R32(ip[1]) = (uint32_t)winst_table_grow(inst, ip[2], R64(ip[3]), R32(ip[4]));
      ip += 5;
      break;
    case OP_TABLE_SIZE: R32(ip[1]) = inst->tables[ip[2]].size; ip += 3; break;
    case OP_TABLE_FILL: {
      wtable_inst *t = &inst->tables[ip[1]];
      uint32_t i = R32(ip[2]), n = R32(ip[4]);
      uint64_t v = R64(ip[3]);
      if ((uint64_t)i + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
      for (uint32_t k = 0; k < n; k++) t->elems[i + k] = v;
      ip += 5;
      break;
    }
    BRCMP(0, a == b)
    BRCMP(1, a != b)
    BRCMP(2, (int32_t)a < (int32_t)b)
    BRCMP(3, a < b)
    BRCMP(4, (int32_t)a > (int32_t)b)
    BRCMP(5, a > b)
    BRCMP(6, (int32_t)a <= (int32_t)b)
    BRCMP(7, a <= b)
    BRCMP(8, (int32_t)a >= (int32_t)b)
    BRCMP(9, a >= b)
    default:
      /* Unreachable for translated code; refuse rather than run off. */
      TRAP(WASM_TRAP_UNREACHABLE);
    }
  }

trap:
  winst_trap_message(inst, st, fn, (uint32_t)(ip - fn->code));
  return st;
}
