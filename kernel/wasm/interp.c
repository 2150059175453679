/*
 * The interpreter, as tail-call threaded code. Each translated instruction
 * starts with the address of its handler; a handler does its work and ends by
 * jumping to the next instruction's handler with a guaranteed tail call
 * (clang's musttail), so dispatch is a load and an indirect jump, and the
 * interpreter state (ip, fp, memory base and size) stays in argument
 * registers. Compilers without musttail get the same handlers driven by a
 * trampoline loop instead.
 *
 * All state is in registers or hangs off the instance, so any number of
 * instances can run interleaved on one hart (the kernel preempts by switching
 * threads). Calls between Wasm functions do not grow the C stack: frames live
 * in inst->frames.
 */
#include "internal.h"
#include "numeric.h"
#include "ops.h"

#if defined(__has_attribute) && !defined(WASM_PROFILE)
#if __has_attribute(musttail)
#define W_THREADED 1
#endif
#endif
/* Profiling builds (tests/wasm/bench/profile.c) use the trampoline and see every instruction. */
#ifdef WASM_PROFILE
void wasm_profile_hook(const wcode *ip);
#define PROFILE_HOOK(ip) wasm_profile_hook(ip)
#else
#define PROFILE_HOOK(ip) ((void)0)
#endif

#define W_CONTINUE ((wasm_status)0x7fff)

typedef wasm_status (*whandler)(const wcode *ip, uint8_t *fp, uint8_t *mem, uint32_t memsize, wrun *r, uint32_t acc,
                                double facc);

#define H(name)                                                                                          \
  static wasm_status name(const wcode *ip, uint8_t *fp, uint8_t *mem, uint32_t memsize, wrun *r, uint32_t acc, \
                          double facc)
#define W(i) ((uint32_t)ip[i])
#define R32(o) (((wslot *)(void *)(fp + (o)))->i32)
#define R64(o) (((wslot *)(void *)(fp + (o)))->i64)
#define F32(o) (((wslot *)(void *)(fp + (o)))->f32)
#define F64(o) (((wslot *)(void *)(fp + (o)))->f64)
#define IMM64(i) ((uint64_t)W(i) | (uint64_t)W((i) + 1) << 32)
#define TRAP(s)       \
  do {                \
    r->trap_ip = ip;  \
    return (s);       \
  } while (0)
#ifdef W_THREADED
#define JUMP(target)                                                              \
  do {                                                                            \
    const wcode *next_ = (target);                                                \
    __attribute__((musttail)) return ((whandler)next_[0])(next_, fp, mem, memsize, r, acc, facc); \
  } while (0)
#else
#define JUMP(target)     \
  do {                   \
    r->ip = (target);    \
    r->fp = fp;          \
    r->mem = mem;        \
    r->memsize = memsize; \
    r->acc = acc;        \
    r->facc = facc;      \
    return W_CONTINUE;   \
  } while (0)
#endif
#define NEXT(n) JUMP(ip + (n))
/* Branch target: displacements are in bytes, so no scaling at run time. */
#define BRANCH(i) ((const wcode *)(const void *)((const char *)ip + (intptr_t)ip[i]))

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
  for (uint64_t *p = s + fn->nparams, *e = s + fn->nlocals; p < e; p++) *p = 0;
}

/* ---- control ---- */

H(h_bad) {
  (void)fp, (void)mem, (void)memsize, (void)acc, (void)facc;
  TRAP(WASM_TRAP_UNREACHABLE);
}
H(h_unreachable) {
  (void)fp, (void)mem, (void)memsize, (void)acc, (void)facc;
  TRAP(WASM_TRAP_UNREACHABLE);
}
H(h_mem_trap) {
  (void)fp, (void)mem, (void)memsize, (void)acc, (void)facc;
  TRAP(WASM_TRAP_MEMORY_OOB);
}
H(h_br) { JUMP(BRANCH(1)); }
H(h_br_if) {
  if (R32(W(2))) JUMP(BRANCH(1));
  NEXT(3);
}
H(h_br_unless) {
  if (!R32(W(2))) JUMP(BRANCH(1));
  NEXT(3);
}
H(h_br_if_acc) {
  if (acc) JUMP(BRANCH(1));
  NEXT(2);
}
H(h_br_unless_acc) {
  if (!acc) JUMP(BRANCH(1));
  NEXT(2);
}
H(h_br_table) {
  uint32_t i = R32(W(1)), n = W(2);
  if (i > n) i = n;
  JUMP(BRANCH(3 + i));
}
H(h_return) {
  (void)ip;
  wframe *f = r->fsp;
  if (f == r->frames) return WASM_OK;
  r->fsp = --f;
  fp = f->fp;
  JUMP(f->ret_ip);
}

/*
 * A host function, out of line so that the Wasm-to-Wasm call path needs no saved registers.
 * Returns the status; the memory may have moved or grown.
 */
static __attribute__((noinline)) wasm_status call_host(wrun *r, const wfunc *callee, uint8_t *nfp) {
  wasm_instance *inst = r->inst;
  const wasm_host_binding *hb = &inst->hosts[callee->import_index];
  inst->trap[0] = 0;
  return hb->fn(inst, hb->ctx, (uint64_t *)(void *)nfp);
}

/* Enters `callee` with its frame at nfp; `next` is the caller's continuation. */
#define ENTER(callee, nfp, next)                                                              \
  do {                                                                                        \
    if ((callee)->imported) {                                                                 \
      wasm_status s_ = call_host(r, (callee), (nfp));                                         \
      if (s_ != WASM_OK) TRAP(s_);                                                            \
      mem = r->inst->mem;                                                                     \
      memsize = r->inst->mem_size;                                                            \
      JUMP(next);                                                                             \
    }                                                                                         \
    ENTER_WASM(callee, nfp, next);                                                            \
  } while (0)
/* The frame record holds only the continuation and the caller's frame; locals past the parameters start at 0. */
#define ENTER_WASM(callee, nfp, next)                                                         \
  do {                                                                                        \
    wframe *f_ = r->fsp;                                                                      \
    if (W_UNLIKELY(f_ == r->fend || (callee)->frame_bytes > (uint32_t)(r->stack_end - (nfp)))) \
      TRAP(WASM_TRAP_STACK_EXHAUSTED);                                                        \
    f_->ret_ip = (next);                                                                      \
    f_->fp = fp;                                                                              \
    r->fsp = f_ + 1;                                                                          \
    fp = (nfp);                                                                               \
    zero_locals(fp, (callee));                                                                \
    JUMP((callee)->code);                                                                     \
  } while (0)

H(h_call) {
  const wfunc *callee = (const wfunc *)ip[1];
  uint8_t *nfp = fp + W(2);
  ENTER_WASM(callee, nfp, ip + 3);
}
H(h_call_host) {
  wasm_status s = call_host(r, (const wfunc *)ip[1], fp + W(2));
  if (s != WASM_OK) TRAP(s);
  mem = r->inst->mem;
  memsize = r->inst->mem_size;
  NEXT(3);
}
H(h_call_indirect) {
  const wtable_inst *t = &r->inst->tables[W(2)];
  uint32_t i = R32(W(4));
  if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
  uint64_t e = t->elems[i];
  if (!e) TRAP(WASM_TRAP_NULL_FUNC);
  const wfunc *callee = &r->m->funcs[e - 1];
  if (callee->canon != W(1)) TRAP(WASM_TRAP_SIG_MISMATCH);
  uint8_t *nfp = fp + W(3);
  ENTER(callee, nfp, ip + 5);
}

/* Fused i32 compare-and-branch: [op rel a b] / [op rel a imm]. */
#define BRCMP(X)              \
  X(0, eq, a == b)            \
  X(1, ne, a != b)            \
  X(2, lt_s, (int32_t)a < (int32_t)b) \
  X(3, lt_u, a < b)           \
  X(4, gt_s, (int32_t)a > (int32_t)b) \
  X(5, gt_u, a > b)           \
  X(6, le_s, (int32_t)a <= (int32_t)b) \
  X(7, le_u, a <= b)          \
  X(8, ge_s, (int32_t)a >= (int32_t)b) \
  X(9, ge_u, a >= b)
/* Operand sources: slot, accumulator, immediate. */
#define SRC_s(i) R32(W(i))
#define SRC_a(i) acc
#define SRC_i(i) W(i)
#define DEF_BRCMP1(name, A, B, cond)                  \
  H(h_br_##name##_##A##B) {                           \
    uint32_t a = SRC_##A(2), b = SRC_##B(3);          \
    if (cond) JUMP(BRANCH(1));                      \
    NEXT(4);                                          \
  }
#define DEF_BRCMP(idx, name, cond) \
  DEF_BRCMP1(name, s, s, cond) DEF_BRCMP1(name, s, i, cond) DEF_BRCMP1(name, a, s, cond) DEF_BRCMP1(name, a, i, cond)
BRCMP(DEF_BRCMP)

/* Loop latch [op rel x a b c]: x = a + b; branch when x cmp c. */
#define DEF_BRADD1(name, B, C, cond)                  \
  H(h_bra_##name##_##B##C) {                          \
    uint32_t a = R32(W(3)) + SRC_##B(4);              \
    R32(W(2)) = a;                                    \
    uint32_t b = SRC_##C(5);                          \
    if (cond) JUMP(BRANCH(1));                        \
    NEXT(6);                                          \
  }
#define DEF_BRADD(idx, name, cond) \
  DEF_BRADD1(name, s, s, cond) DEF_BRADD1(name, i, s, cond) DEF_BRADD1(name, s, i, cond) DEF_BRADD1(name, i, i, cond)
BRCMP(DEF_BRADD)

/* f64 compare-and-branch [op rel a b]: A = slot or f64 accumulator, B = slot or immediate. */
#define BRF64(X)                         \
  X(0, eq, a == b)                       \
  X(1, ne, a != b)                       \
  X(2, lt, a < b)                        \
  X(3, gt, a > b)                        \
  X(4, le, a <= b)                       \
  X(5, ge, a >= b)
#define FSRC_s(i) F64(W(i))
#define FSRC_a(i) facc
#define FSRC_i(i) (*(const double *)(const void *)ip[i]) /* f64 immediates: address of an aligned copy */
#define FLEN_s 4
#define FLEN_i 4
#define DEF_BRF1(name, A, B, cond)                            \
  H(h_brf_##name##_##A##B) {                                  \
    double a = FSRC_##A(2), b = FSRC_##B(3);                  \
    if (cond) JUMP(BRANCH(1));                                \
    NEXT(FLEN_##B);                                           \
  }                                                           \
  H(h_brf_not_##name##_##A##B) {                              \
    double a = FSRC_##A(2), b = FSRC_##B(3);                  \
    if (!(cond)) JUMP(BRANCH(1));                             \
    NEXT(FLEN_##B);                                           \
  }
#define DEF_BRF(idx, name, cond) \
  DEF_BRF1(name, s, s, cond) DEF_BRF1(name, s, i, cond) DEF_BRF1(name, a, s, cond) DEF_BRF1(name, a, i, cond)
BRF64(DEF_BRF)

/* ---- parametric, variables ---- */

H(h_select32) {
  R32(W(1)) = R32(W(4)) ? R32(W(2)) : R32(W(3));
  NEXT(5);
}
H(h_select64) {
  R64(W(1)) = R32(W(4)) ? R64(W(2)) : R64(W(3));
  NEXT(5);
}
H(h_copy32) {
  R32(W(1)) = R32(W(2));
  NEXT(3);
}
H(h_copy64) {
  R64(W(1)) = R64(W(2));
  NEXT(3);
}
H(h_const32) {
  R32(W(1)) = W(2);
  NEXT(3);
}
H(h_const64) {
  R64(W(1)) = IMM64(2);
  NEXT(4);
}
H(h_global_get32) {
  R32(W(1)) = (uint32_t)r->globals[W(2)];
  NEXT(3);
}
H(h_global_get64) {
  R64(W(1)) = r->globals[W(2)];
  NEXT(3);
}
H(h_global_set32) {
  r->globals[W(1)] = R32(W(2));
  NEXT(3);
}
H(h_global_set64) {
  r->globals[W(1)] = R64(W(2));
  NEXT(3);
}

/* ---- memory ----
 * The translator folds the access size into the offset operand: W(3) = offset + size,
 * so one overflow test and one compare bound the whole access. */
#define EA(addr, n)                                              \
  uint32_t a_ = (addr), end_ = a_ + W(3);                        \
  if (W_UNLIKELY(end_ < a_ || end_ > memsize)) TRAP(WASM_TRAP_MEMORY_OOB); \
  uint8_t *p = mem + (end_ - (n));
#define LOADS(X)                                                   \
  X(0x28, i32_load, 4, R32, ld32(p))                               \
  X(0x29, i64_load, 8, R64, ld64(p))                               \
  X(0x2A, f32_load, 4, R32, ld32(p))                               \
  X(0x2B, f64_load, 8, R64, ld64(p))                               \
  X(0x2C, i32_load8_s, 1, R32, (uint32_t)(int32_t)(int8_t)p[0])    \
  X(0x2D, i32_load8_u, 1, R32, p[0])                               \
  X(0x2E, i32_load16_s, 2, R32, (uint32_t)(int32_t)(int16_t)ld16(p)) \
  X(0x2F, i32_load16_u, 2, R32, ld16(p))                           \
  X(0x30, i64_load8_s, 1, R64, (uint64_t)(int64_t)(int8_t)p[0])    \
  X(0x31, i64_load8_u, 1, R64, p[0])                               \
  X(0x32, i64_load16_s, 2, R64, (uint64_t)(int64_t)(int16_t)ld16(p)) \
  X(0x33, i64_load16_u, 2, R64, ld16(p))                           \
  X(0x34, i64_load32_s, 4, R64, (uint64_t)(int64_t)(int32_t)ld32(p)) \
  X(0x35, i64_load32_u, 4, R64, ld32(p))
/* Results: to a slot (through the type's accessor) or to the accumulator. */
#define PUT_s(DST, v) DST(W(1)) = (v)
#define PUT_a(DST, v) acc = (uint32_t)(v)
/* Address modes: slot, accumulator, or slot + constant (a folded i32.add, extra word at the end). */
#define LADDR_s R32(W(2))
#define LADDR_a acc
#define LADDR_b (R32(W(2)) + W(4))
#define SADDR_s R32(W(1))
#define SADDR_a acc
#define SADDR_b (R32(W(1)) + W(4))
#define ALEN_s 4
#define ALEN_a 4
#define ALEN_b 5
#define DEF_LOAD1(name, A, D, n, DST, expr) \
  H(h_##name##_##A##D) {                    \
    EA(LADDR_##A, n);                       \
    PUT_##D(DST, expr);                     \
    NEXT(ALEN_##A);                         \
  }
#define DEF_LOAD(opc, name, n, DST, expr)                                   \
  DEF_LOAD1(name, s, s, n, DST, expr) DEF_LOAD1(name, a, s, n, DST, expr) \
  DEF_LOAD1(name, b, s, n, DST, expr) DEF_LOAD1(name, s, a, n, DST, expr) \
  DEF_LOAD1(name, a, a, n, DST, expr) DEF_LOAD1(name, b, a, n, DST, expr)
LOADS(DEF_LOAD)

/* Load with pointer update [op dst x a b end]: x = a + b; dst = load(x). */
#define LOADS_UPD(X)                                                   \
  X(OP_LOAD_UPD_I32, i32_load, 4, R32, ld32(p))                        \
  X(OP_LOAD_UPD_I64, i64_load, 8, R64, ld64(p))                        \
  X(OP_LOAD_UPD_F64, f64_load, 8, R64, ld64(p))                        \
  X(OP_LOAD_UPD_I32_8S, i32_load8_s, 1, R32, (uint32_t)(int32_t)(int8_t)p[0]) \
  X(OP_LOAD_UPD_I32_8U, i32_load8_u, 1, R32, p[0])                     \
  X(OP_LOAD_UPD_I32_16U, i32_load16_u, 2, R32, ld16(p))
#define DEF_LOAD_UPD1(name, B, D, n, DST, expr)                              \
  H(h_upd_##name##_##B##D) {                                                 \
    uint32_t x_ = R32(W(3)) + SRC_##B(4);                                    \
    R32(W(2)) = x_;                                                          \
    uint32_t end_ = x_ + W(5);                                               \
    if (W_UNLIKELY(end_ < x_ || end_ > memsize)) TRAP(WASM_TRAP_MEMORY_OOB); \
    uint8_t *p = mem + (end_ - (n));                                         \
    PUT_##D(DST, expr);                                                      \
    NEXT(6);                                                                 \
  }
#define DEF_LOAD_UPD(opc, name, n, DST, expr)                                         \
  DEF_LOAD_UPD1(name, s, s, n, DST, expr) DEF_LOAD_UPD1(name, i, s, n, DST, expr)    \
  DEF_LOAD_UPD1(name, s, a, n, DST, expr) DEF_LOAD_UPD1(name, i, a, n, DST, expr)
LOADS_UPD(DEF_LOAD_UPD)
/* i32.mul of two loads [op dst baseA endA kA baseB endB kB]; the second load's trap site is ip + 1. */
#define DEF_MUL_LOADS(D)                                                    \
  H(h_mul_loads_##D) {                                                      \
    uint32_t xa = R32(W(2)) + W(4), ea = xa + W(3);                         \
    if (W_UNLIKELY(ea < xa || ea > memsize)) TRAP(WASM_TRAP_MEMORY_OOB);    \
    uint32_t va = ld32(mem + (ea - 4));                                     \
    uint32_t xb = R32(W(5)) + W(7), eb = xb + W(6);                         \
    if (W_UNLIKELY(eb < xb || eb > memsize)) {                              \
      r->trap_ip = ip + 1;                                                  \
      return WASM_TRAP_MEMORY_OOB;                                          \
    }                                                                       \
    PUT_##D(R32, va * ld32(mem + (eb - 4)));                                \
    NEXT(8);                                                                \
  }
DEF_MUL_LOADS(s)
DEF_MUL_LOADS(a)

/* (opcode, name, size, value reader, store). Variants: address or (i32) value from the accumulator. */
#define STORES(X)                                        \
  X(0x36, i32_store, 4, R32, st32(p, v))                 \
  X(0x37, i64_store, 8, R64, st64(p, v))                 \
  X(0x38, f32_store, 4, R32, st32(p, v))                 \
  X(0x39, f64_store, 8, R64, st64(p, v))                 \
  X(0x3A, i32_store8, 1, R32, p[0] = (uint8_t)v)         \
  X(0x3B, i32_store16, 2, R32, st16(p, (uint16_t)v))     \
  X(0x3C, i64_store8, 1, R64, p[0] = (uint8_t)v)         \
  X(0x3D, i64_store16, 2, R64, st16(p, (uint16_t)v))     \
  X(0x3E, i64_store32, 4, R64, st32(p, (uint32_t)v))
/* Stored value: slot, accumulator, or immediate (stores of at most 4 bytes). */
#define SVAL_s(VAL) VAL(W(2))
#define SVAL_a(VAL) acc
#define SVAL_i(VAL) W(2)
#define DEF_STORE1(name, A, V, n, VAL, stmt)                 \
  H(h_##name##_##A##V) {                                     \
    __typeof__(VAL(0)) v = (__typeof__(VAL(0)))SVAL_##V(VAL); \
    EA(SADDR_##A, n);                                        \
    stmt;                                                    \
    NEXT(ALEN_##A);                                          \
  }
#define DEF_STORE(opc, name, n, VAL, stmt)                                                            \
  DEF_STORE1(name, s, s, n, VAL, stmt) DEF_STORE1(name, a, s, n, VAL, stmt) DEF_STORE1(name, b, s, n, VAL, stmt) \
  DEF_STORE1(name, s, a, n, VAL, stmt) DEF_STORE1(name, b, a, n, VAL, stmt)                          \
  DEF_STORE1(name, s, i, n, VAL, stmt) DEF_STORE1(name, a, i, n, VAL, stmt) DEF_STORE1(name, b, i, n, VAL, stmt)
STORES(DEF_STORE)

H(h_memory_size) {
  R32(W(1)) = memsize / W_PAGE;
  NEXT(2);
}
H(h_memory_grow) {
  R32(W(1)) = (uint32_t)winst_memory_grow(r->inst, R32(W(2)));
  mem = r->inst->mem;
  memsize = r->inst->mem_size;
  NEXT(3);
}
H(h_memory_init) {
  const wdata *d = &r->m->datas[W(1)];
  uint32_t dst = R32(W(2)), src = R32(W(3)), n = R32(W(4));
  uint32_t len = r->inst->data_dropped[W(1)] ? 0 : d->len;
  if ((uint64_t)src + n > len || (uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
  wu_memcpy(mem + dst, d->bytes + src, n);
  NEXT(5);
}
H(h_data_drop) {
  r->inst->data_dropped[W(1)] = 1;
  NEXT(2);
}
H(h_memory_copy) {
  uint32_t dst = R32(W(1)), src = R32(W(2)), n = R32(W(3));
  if ((uint64_t)src + n > memsize || (uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
  wu_memmove(mem + dst, mem + src, n);
  NEXT(4);
}
H(h_memory_fill) {
  uint32_t dst = R32(W(1)), v = R32(W(2)), n = R32(W(3));
  if ((uint64_t)dst + n > memsize) TRAP(WASM_TRAP_MEMORY_OOB);
  wu_memset(mem + dst, (int)(uint8_t)v, n);
  NEXT(4);
}

/* ---- tables and references ---- */

H(h_ref_is_null) {
  R32(W(1)) = R64(W(2)) == 0;
  NEXT(3);
}
H(h_table_get) {
  const wtable_inst *t = &r->inst->tables[W(3)];
  uint32_t i = R32(W(2));
  if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
  R64(W(1)) = t->elems[i];
  NEXT(4);
}
H(h_table_set) {
  wtable_inst *t = &r->inst->tables[W(1)];
  uint32_t i = R32(W(2));
  if (i >= t->size) TRAP(WASM_TRAP_TABLE_OOB);
  t->elems[i] = R64(W(3));
  NEXT(4);
}
H(h_table_init) {
  wtable_inst *t = &r->inst->tables[W(1)];
  const welem *e = &r->m->elems[W(2)];
  uint32_t dst = R32(W(3)), src = R32(W(4)), n = R32(W(5));
  uint32_t len = r->inst->elem_dropped[W(2)] ? 0 : e->count;
  if ((uint64_t)src + n > len || (uint64_t)dst + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
  for (uint32_t k = 0; k < n; k++) wconst_eval(r->inst, &e->items[src + k], &t->elems[dst + k]);
  NEXT(6);
}
H(h_elem_drop) {
  r->inst->elem_dropped[W(1)] = 1;
  NEXT(2);
}
H(h_table_copy) {
  wtable_inst *td = &r->inst->tables[W(1)];
  const wtable_inst *ts = &r->inst->tables[W(2)];
  uint32_t dst = R32(W(3)), src = R32(W(4)), n = R32(W(5));
  if ((uint64_t)src + n > ts->size || (uint64_t)dst + n > td->size) TRAP(WASM_TRAP_TABLE_OOB);
  if (n) wu_memmove(td->elems + dst, ts->elems + src, (size_t)n * 8u);
  NEXT(6);
}
H(h_table_grow) {
  R32(W(1)) = (uint32_t)winst_table_grow(r->inst, W(2), R64(W(3)), R32(W(4)));
  NEXT(5);
}
H(h_table_size) {
  R32(W(1)) = r->inst->tables[W(2)].size;
  NEXT(3);
}
H(h_table_fill) {
  wtable_inst *t = &r->inst->tables[W(1)];
  uint32_t i = R32(W(2)), n = R32(W(4));
  uint64_t v = R64(W(3));
  if ((uint64_t)i + n > t->size) TRAP(WASM_TRAP_TABLE_OOB);
  for (uint32_t k = 0; k < n; k++) t->elems[i + k] = v;
  NEXT(5);
}

/* ---- numeric ---- */

/* Binary ops with an immediate variant (right operand in the code). */
#define I32_BIN(X)                              \
  X(0x46, i32_eq, a == b)                       \
  X(0x47, i32_ne, a != b)                       \
  X(0x48, i32_lt_s, (int32_t)a < (int32_t)b)    \
  X(0x49, i32_lt_u, a < b)                      \
  X(0x4A, i32_gt_s, (int32_t)a > (int32_t)b)    \
  X(0x4B, i32_gt_u, a > b)                      \
  X(0x4C, i32_le_s, (int32_t)a <= (int32_t)b)   \
  X(0x4D, i32_le_u, a <= b)                     \
  X(0x4E, i32_ge_s, (int32_t)a >= (int32_t)b)   \
  X(0x4F, i32_ge_u, a >= b)                     \
  X(0x6A, i32_add, a + b)                       \
  X(0x6B, i32_sub, a - b)                       \
  X(OP_I32_RSUB, i32_rsub, b - a)               \
  X(0x6C, i32_mul, a * b)                       \
  X(0x71, i32_and, a & b)                       \
  X(0x72, i32_or, a | b)                        \
  X(0x73, i32_xor, a ^ b)                       \
  X(0x74, i32_shl, a << (b & 31))               \
  X(0x75, i32_shr_s, (uint32_t)((int32_t)a >> (b & 31))) \
  X(0x76, i32_shr_u, a >> (b & 31))             \
  X(0x77, i32_rotl, rotl32(a, b))               \
  X(0x78, i32_rotr, rotr32(a, b))
#define DEF_I32_BIN1(name, A, B, D, expr)       \
  H(h_##name##_##A##B##D) {                     \
    uint32_t a = SRC_##A(2), b = SRC_##B(3);    \
    PUT_##D(R32, expr);                         \
    NEXT(4);                                    \
  }
#define DEF_I32_BIN(opc, name, expr)                                                        \
  DEF_I32_BIN1(name, s, s, s, expr) DEF_I32_BIN1(name, s, i, s, expr)                       \
  DEF_I32_BIN1(name, a, s, s, expr) DEF_I32_BIN1(name, a, i, s, expr)                       \
  DEF_I32_BIN1(name, s, s, a, expr) DEF_I32_BIN1(name, s, i, a, expr)                       \
  DEF_I32_BIN1(name, a, s, a, expr) DEF_I32_BIN1(name, a, i, a, expr)
I32_BIN(DEF_I32_BIN)

/* Pairs of i32 operations with immediates (OP_FUSE2): every (op1, op2) of this list. */
#define FUSE_B(X, i1, n1, e1)                                            \
  X(i1, n1, e1, 0, shl, a << (b & 31))                                    \
  X(i1, n1, e1, 1, shr_s, (uint32_t)((int32_t)a >> (b & 31)))             \
  X(i1, n1, e1, 2, shr_u, a >> (b & 31))                                  \
  X(i1, n1, e1, 3, and, a & b)                                            \
  X(i1, n1, e1, 4, xor, a ^ b)                                            \
  X(i1, n1, e1, 5, add, a + b)                                            \
  X(i1, n1, e1, 6, or, a | b)                                             \
  X(i1, n1, e1, 7, rsub, b - a)
#define FUSE_A(X)                                                        \
  FUSE_B(X, 0, shl, a << (b & 31))                                        \
  FUSE_B(X, 1, shr_s, (uint32_t)((int32_t)a >> (b & 31)))                 \
  FUSE_B(X, 2, shr_u, a >> (b & 31))                                      \
  FUSE_B(X, 3, and, a & b)                                                \
  FUSE_B(X, 4, xor, a ^ b)                                                \
  FUSE_B(X, 5, add, a + b)                                                \
  FUSE_B(X, 6, or, a | b)                                                 \
  FUSE_B(X, 7, rsub, b - a)
#define DEF_FUSE1(n1, e1, n2, e2, A, D)                   \
  H(h_fuse_##n1##_##n2##_##A##D) {                        \
    uint32_t t_;                                          \
    {                                                     \
      uint32_t a = SRC_##A(2), b = W(3);                  \
      t_ = (e1);                                          \
    }                                                     \
    {                                                     \
      uint32_t a = t_, b = W(4);                          \
      PUT_##D(R32, e2);                                   \
    }                                                     \
    NEXT(5);                                              \
  }
#define DEF_FUSE(i1, n1, e1, i2, n2, e2) \
  DEF_FUSE1(n1, e1, n2, e2, s, s) DEF_FUSE1(n1, e1, n2, e2, a, s) DEF_FUSE1(n1, e1, n2, e2, s, a) DEF_FUSE1(n1, e1, n2, e2, a, a)
FUSE_A(DEF_FUSE)

#define I64_BIN(X)                              \
  X(0x7C, i64_add, a + b)                       \
  X(0x7D, i64_sub, a - b)                       \
  X(0x7E, i64_mul, a * b)                       \
  X(0x83, i64_and, a & b)                       \
  X(0x84, i64_or, a | b)                        \
  X(0x85, i64_xor, a ^ b)                       \
  X(0x86, i64_shl, a << (b & 63))               \
  X(0x87, i64_shr_s, (uint64_t)((int64_t)a >> (b & 63))) \
  X(0x88, i64_shr_u, a >> (b & 63))             \
  X(0x89, i64_rotl, rotl64(a, b))               \
  X(0x8A, i64_rotr, rotr64(a, b))
#define DEF_I64_BIN(opc, name, expr)            \
  H(h_##name) {                                 \
    uint64_t a = R64(W(2)), b = R64(W(3));      \
    R64(W(1)) = (expr);                         \
    NEXT(4);                                    \
  }                                             \
  H(h_##name##_i) {                             \
    uint64_t a = R64(W(2)), b = IMM64(3);       \
    R64(W(1)) = (expr);                         \
    NEXT(5);                                    \
  }
I64_BIN(DEF_I64_BIN)

#define I64_CMP(X)                              \
  X(0x51, i64_eq, a == b)                       \
  X(0x52, i64_ne, a != b)                       \
  X(0x53, i64_lt_s, (int64_t)a < (int64_t)b)    \
  X(0x54, i64_lt_u, a < b)                      \
  X(0x55, i64_gt_s, (int64_t)a > (int64_t)b)    \
  X(0x56, i64_gt_u, a > b)                      \
  X(0x57, i64_le_s, (int64_t)a <= (int64_t)b)   \
  X(0x58, i64_le_u, a <= b)                     \
  X(0x59, i64_ge_s, (int64_t)a >= (int64_t)b)   \
  X(0x5A, i64_ge_u, a >= b)
#define DEF_I64_CMP(opc, name, expr)            \
  H(h_##name) {                                 \
    uint64_t a = R64(W(2)), b = R64(W(3));      \
    R32(W(1)) = (expr);                         \
    NEXT(4);                                    \
  }                                             \
  H(h_##name##_i) {                             \
    uint64_t a = R64(W(2)), b = IMM64(3);       \
    R32(W(1)) = (expr);                         \
    NEXT(5);                                    \
  }
I64_CMP(DEF_I64_CMP)

/* Binary ops without immediate forms: (opcode, name, operand type, reader, result writer, expr). */
#define FBIN(X)                                                   \
  X(0x5B, f32_eq, float, F32, R32, a == b)                        \
  X(0x5C, f32_ne, float, F32, R32, a != b)                        \
  X(0x5D, f32_lt, float, F32, R32, a < b)                         \
  X(0x5E, f32_gt, float, F32, R32, a > b)                         \
  X(0x5F, f32_le, float, F32, R32, a <= b)                        \
  X(0x60, f32_ge, float, F32, R32, a >= b)                        \
  X(0x92, f32_add, float, F32, F32, a + b)                        \
  X(0x93, f32_sub, float, F32, F32, a - b)                        \
  X(0x94, f32_mul, float, F32, F32, a * b)                        \
  X(0x95, f32_div, float, F32, F32, a / b)                        \
  X(0x96, f32_min, uint32_t, R32, R32, wn_min32(a, b))            \
  X(0x97, f32_max, uint32_t, R32, R32, wn_max32(a, b))            \
  X(0x98, f32_copysign, uint32_t, R32, R32, copysign32(a, b))     \
  X(0xA4, f64_min, uint64_t, R64, R64, wn_min64(a, b))            \
  X(0xA5, f64_max, uint64_t, R64, R64, wn_max64(a, b))            \
  X(0xA6, f64_copysign, uint64_t, R64, R64, copysign64(a, b))
/* Immediate right operands: f32 bits in one word, f64 bits in two. */
static inline float imm_f32(uint32_t w) {
  wslot s;
  s.i32 = w;
  return s.f32;
}
#define IMM_F32(i) imm_f32(W(i))
#define IMM_R32(i) W(i)
#define IMM_R64(i) IMM64(i)
#define IMMW_F32 1
#define IMMW_R32 1
#define IMMW_F64 2
#define IMMW_R64 2
#define DEF_FBIN(opc, name, T, IN, OUT, expr)   \
  H(h_##name) {                                 \
    T a = IN(W(2)), b = IN(W(3));               \
    OUT(W(1)) = (expr);                         \
    NEXT(4);                                    \
  }                                             \
  H(h_##name##_i) {                             \
    T a = IN(W(2)), b = IMM_##IN(3);            \
    OUT(W(1)) = (expr);                         \
    NEXT(3 + IMMW_##IN);                        \
  }
FBIN(DEF_FBIN)

/*
 * f64 arithmetic and compares, with the f64 accumulator (facc): A = left operand from a slot or
 * facc, B = right operand from a slot or an immediate, D = result to a slot or the accumulator
 * (facc for arithmetic, the i32 accumulator for compares).
 */
#define FPUT_s(v) F64(W(1)) = (v)
#define FPUT_a(v) facc = (v)
#define IPUT_s(v) R32(W(1)) = (v)
#define IPUT_a(v) acc = (v)
#define F64_ARITH(X)          \
  X(0xA0, f64_add, a + b)     \
  X(0xA1, f64_sub, a - b)     \
  X(0xA2, f64_mul, a * b)     \
  X(0xA3, f64_div, a / b)
#define F64_CMP(X)            \
  X(0x61, f64_eq, a == b)     \
  X(0x62, f64_ne, a != b)     \
  X(0x63, f64_lt, a < b)      \
  X(0x64, f64_gt, a > b)      \
  X(0x65, f64_le, a <= b)     \
  X(0x66, f64_ge, a >= b)
#define DEF_F64_1(name, PUT, A, B, D, expr)       \
  H(h_##name##_##A##B##D) {                       \
    double a = FSRC_##A(2), b = FSRC_##B(3);      \
    PUT##_##D(expr);                              \
    NEXT(FLEN_##B);                               \
  }
#define DEF_F64_ALL(name, PUT, expr)                                                         \
  DEF_F64_1(name, PUT, s, s, s, expr) DEF_F64_1(name, PUT, s, i, s, expr)                    \
  DEF_F64_1(name, PUT, a, s, s, expr) DEF_F64_1(name, PUT, a, i, s, expr)                    \
  DEF_F64_1(name, PUT, s, s, a, expr) DEF_F64_1(name, PUT, s, i, a, expr)                    \
  DEF_F64_1(name, PUT, a, s, a, expr) DEF_F64_1(name, PUT, a, i, a, expr)
#define DEF_F64_ARITH(opc, name, expr) DEF_F64_ALL(name, FPUT, expr)
#define DEF_F64_CMP(opc, name, expr) DEF_F64_ALL(name, IPUT, expr)
F64_ARITH(DEF_F64_ARITH)
F64_CMP(DEF_F64_CMP)

/* Trapping integer division: (opcode, name, type, reader, signed overflow test, expr). */
#define IDIV(X)                                                                        \
  X(0x6D, i32_div_s, uint32_t, R32, a == 0x80000000u && b == 0xFFFFFFFFu, (uint32_t)((int32_t)a / (int32_t)b)) \
  X(0x6E, i32_div_u, uint32_t, R32, 0, a / b)                                          \
  X(0x6F, i32_rem_s, uint32_t, R32, 0, b == 0xFFFFFFFFu ? 0 : (uint32_t)((int32_t)a % (int32_t)b)) \
  X(0x70, i32_rem_u, uint32_t, R32, 0, a % b)                                          \
  X(0x7F, i64_div_s, uint64_t, R64, a == 0x8000000000000000ull && b == ~0ull, sdiv64(a, b)) \
  X(0x80, i64_div_u, uint64_t, R64, 0, udiv64(a, b))                                   \
  X(0x81, i64_rem_s, uint64_t, R64, 0, srem64(a, b))                                   \
  X(0x82, i64_rem_u, uint64_t, R64, 0, urem64(a, b))
#define DEF_IDIV(opc, name, T, IN, ovf, expr)   \
  H(h_##name) {                                 \
    T a = IN(W(2)), b = IN(W(3));               \
    if (!b) TRAP(WASM_TRAP_DIV_ZERO);           \
    if (ovf) TRAP(WASM_TRAP_INT_OVERFLOW);      \
    IN(W(1)) = (expr);                          \
    NEXT(4);                                    \
  }
IDIV(DEF_IDIV)

/* Unary: (opcode, name, reader, writer, function). */
#define UNARY(X)                                   \
  X(0x45, i32_eqz, R32, R32, eqz32)                \
  X(0x50, i64_eqz, R64, R32, eqz64)                \
  X(0x67, i32_clz, R32, R32, wn_clz32)             \
  X(0x68, i32_ctz, R32, R32, wn_ctz32)             \
  X(0x69, i32_popcnt, R32, R32, wn_popcnt32)       \
  X(0x79, i64_clz, R64, R64, wn_clz64)             \
  X(0x7A, i64_ctz, R64, R64, wn_ctz64)             \
  X(0x7B, i64_popcnt, R64, R64, wn_popcnt64)       \
  X(0x8B, f32_abs, R32, R32, fabs32)               \
  X(0x8C, f32_neg, R32, R32, fneg32)               \
  X(0x8D, f32_ceil, R32, R32, ceil32)              \
  X(0x8E, f32_floor, R32, R32, floor32)            \
  X(0x8F, f32_trunc, R32, R32, trunc32)            \
  X(0x90, f32_nearest, R32, R32, nearest32)        \
  X(0x91, f32_sqrt, F32, F32, wn_sqrt32)           \
  X(0x99, f64_abs, R64, R64, fabs64)               \
  X(0x9A, f64_neg, R64, R64, fneg64)               \
  X(0x9B, f64_ceil, R64, R64, ceil64)              \
  X(0x9C, f64_floor, R64, R64, floor64)            \
  X(0x9D, f64_trunc, R64, R64, trunc64)            \
  X(0x9E, f64_nearest, R64, R64, nearest64)        \
  X(0x9F, f64_sqrt, F64, F64, wn_sqrt64)           \
  X(0xAC, i64_extend_i32_s, R32, R64, ext_s)       \
  X(0xAD, i64_extend_i32_u, R32, R64, ext_u)       \
  X(0xB2, f32_convert_i32_s, R32, F32, cvt_f32_s32) \
  X(0xB3, f32_convert_i32_u, R32, F32, cvt_f32_u32) \
  X(0xB4, f32_convert_i64_s, R64, R32, cvt_f32_s64) \
  X(0xB5, f32_convert_i64_u, R64, R32, wn_u64_to_f32) \
  X(0xB6, f32_demote_f64, F64, F32, demote)        \
  X(0xB7, f64_convert_i32_s, R32, F64, cvt_f64_s32) \
  X(0xB8, f64_convert_i32_u, R32, F64, cvt_f64_u32) \
  X(0xB9, f64_convert_i64_s, R64, R64, cvt_f64_s64) \
  X(0xBA, f64_convert_i64_u, R64, R64, wn_u64_to_f64) \
  X(0xBB, f64_promote_f32, F32, F64, promote)      \
  X(0xC0, i32_extend8_s, R32, R32, ext8_32)        \
  X(0xC1, i32_extend16_s, R32, R32, ext16_32)      \
  X(0xC2, i64_extend8_s, R64, R64, ext8_64)        \
  X(0xC3, i64_extend16_s, R64, R64, ext16_64)      \
  X(0xC4, i64_extend32_s, R64, R64, ext32_64)
#define DEF_UNARY(opc, name, IN, OUT, fn) \
  H(h_##name) {                           \
    OUT(W(1)) = fn(IN(W(2)));             \
    NEXT(3);                              \
  }
UNARY(DEF_UNARY)

/* Float -> integer: (opcode, name, source is f64, target, trapping). trunc_sat are renumbered 0xC5... */
#define TRUNC(X)                                  \
  X(0xA8, i32_trunc_f32_s, 0, WN_I32S, 1)         \
  X(0xA9, i32_trunc_f32_u, 0, WN_I32U, 1)         \
  X(0xAA, i32_trunc_f64_s, 1, WN_I32S, 1)         \
  X(0xAB, i32_trunc_f64_u, 1, WN_I32U, 1)         \
  X(0xAE, i64_trunc_f32_s, 0, WN_I64S, 1)         \
  X(0xAF, i64_trunc_f32_u, 0, WN_I64U, 1)         \
  X(0xB0, i64_trunc_f64_s, 1, WN_I64S, 1)         \
  X(0xB1, i64_trunc_f64_u, 1, WN_I64U, 1)         \
  X(0xC5, i32_trunc_sat_f32_s, 0, WN_I32S, 0)     \
  X(0xC6, i32_trunc_sat_f32_u, 0, WN_I32U, 0)     \
  X(0xC7, i32_trunc_sat_f64_s, 1, WN_I32S, 0)     \
  X(0xC8, i32_trunc_sat_f64_u, 1, WN_I32U, 0)     \
  X(0xC9, i64_trunc_sat_f32_s, 0, WN_I64S, 0)     \
  X(0xCA, i64_trunc_sat_f32_u, 0, WN_I64U, 0)     \
  X(0xCB, i64_trunc_sat_f64_s, 1, WN_I64S, 0)     \
  X(0xCC, i64_trunc_sat_f64_u, 1, WN_I64U, 0)
#define DEF_TRUNC(opc, name, from64, dst, trapping)                 \
  H(h_##name) {                                                     \
    uint64_t in = (from64) ? R64(W(2)) : R32(W(2)), out;            \
    if (trapping) {                                                 \
      int e = wn_trunc(in, (from64), (dst), &out);                  \
      if (e == 1) TRAP(WASM_TRAP_INVALID_CONVERSION);               \
      if (e == 2) TRAP(WASM_TRAP_INT_OVERFLOW);                     \
    } else {                                                        \
      out = wn_trunc_sat(in, (from64), (dst));                      \
    }                                                               \
    if ((dst) == WN_I64S || (dst) == WN_I64U) R64(W(1)) = out;      \
    else R32(W(1)) = (uint32_t)out;                                 \
    NEXT(3);                                                        \
  }
TRUNC(DEF_TRUNC)

/* ---- forms chosen by peephole.c (same layout as the instruction they replace) ---- */

/* Loop latch with x == a [op rel x x b c]: the counter is read and written through one address. */
#define DEF_BRAX1(name, B, C, cond)                   \
  H(h_brax_##name##_##B##C) {                         \
    uint32_t *x_ = &R32(W(2));                        \
    uint32_t a = *x_ + SRC_##B(4);                    \
    *x_ = a;                                          \
    uint32_t b = SRC_##C(5);                          \
    if (cond) JUMP(BRANCH(1));                        \
    NEXT(6);                                          \
  }
#define DEF_BRAX(idx, name, cond) \
  DEF_BRAX1(name, s, s, cond) DEF_BRAX1(name, i, s, cond) DEF_BRAX1(name, s, i, cond) DEF_BRAX1(name, i, i, cond)
BRCMP(DEF_BRAX)

/* i32 `x = x op K` [op x x K] and `x = x op y` [op x x y]. */
#define INPLACE(X)                                        \
  X(0x6A, add, a + b)                                     \
  X(0x6B, sub, a - b)                                     \
  X(0x6C, mul, a * b)                                     \
  X(0x71, and, a & b)                                     \
  X(0x72, or, a | b)                                      \
  X(0x73, xor, a ^ b)                                     \
  X(0x74, shl, a << (b & 31))                             \
  X(0x75, shr_s, (uint32_t)((int32_t)a >> (b & 31)))      \
  X(0x76, shr_u, a >> (b & 31))
#define DEF_INPLACE(opc, name, expr)                      \
  H(h_inplace_##name##_i) {                               \
    uint32_t *x_ = &R32(W(1));                            \
    uint32_t a = *x_, b = W(3);                           \
    *x_ = (expr);                                         \
    NEXT(4);                                              \
  }                                                       \
  H(h_inplace_##name##_s) {                               \
    uint32_t *x_ = &R32(W(1));                            \
    uint32_t a = *x_, b = R32(W(3));                      \
    *x_ = (expr);                                         \
    NEXT(4);                                              \
  }                                                       \
  H(h_inplace_##name##_a) {                               \
    uint32_t *x_ = &R32(W(1));                            \
    uint32_t a = acc, b = *x_;                            \
    *x_ = (expr);                                         \
    NEXT(4);                                              \
  }
INPLACE(DEF_INPLACE)

/* Load with pointer update where x == a [op dst x x b end]: `x += b; dst = load(x)`. */
#define DEF_UPDX1(name, B, D, n, DST, expr)                                  \
  H(h_updx_##name##_##B##D) {                                                \
    uint32_t *xp_ = &R32(W(2));                                              \
    uint32_t x_ = *xp_ + SRC_##B(4);                                         \
    *xp_ = x_;                                                               \
    uint32_t end_ = x_ + W(5);                                               \
    if (W_UNLIKELY(end_ < x_ || end_ > memsize)) TRAP(WASM_TRAP_MEMORY_OOB); \
    uint8_t *p = mem + (end_ - (n));                                         \
    PUT_##D(DST, expr);                                                      \
    NEXT(6);                                                                 \
  }
#define DEF_UPDX(opc, name, n, DST, expr)                                     \
  DEF_UPDX1(name, s, s, n, DST, expr) DEF_UPDX1(name, i, s, n, DST, expr)    \
  DEF_UPDX1(name, s, a, n, DST, expr) DEF_UPDX1(name, i, a, n, DST, expr)
LOADS_UPD(DEF_UPDX)

/* f64.mul of a slot by itself [op dst a a]: one operand fetch. */
H(h_f64_sq_s) {
  double a = F64(W(2));
  F64(W(1)) = a * a;
  NEXT(4);
}
H(h_f64_sq_a) {
  double a = F64(W(2));
  facc = a * a;
  NEXT(4);
}

/* f64.add of a slot to itself [op dst a a] (`2 * x`). */
H(h_f64_dbl_s) {
  double a = F64(W(2));
  F64(W(1)) = a + a;
  NEXT(4);
}
H(h_f64_dbl_a) {
  double a = F64(W(2));
  facc = a + a;
  NEXT(4);
}

/* `i32.add d1, a, K` + `copy32 d2, d1` [op d1 a K | op d2 d1]: `d2 = d1 = a + K` (a pointer bump kept in two locals). */
H(h_add_copy) {
  uint32_t v = R32(W(2)) + W(3);
  R32(W(1)) = v;
  R32(W(5)) = v;
  NEXT(7);
}
/* An OP_FUSE2 pair (slot to accumulator) then `i32.and K` to a slot [op - a k1 k2 | op dst2 - K]. */
#define DEF_FUSE_AND(i1, n1, e1, i2, n2, e2)               \
  H(h_fuse_and_##n1##_##n2) {                              \
    uint32_t t_;                                           \
    {                                                      \
      uint32_t a = R32(W(2)), b = W(3);                    \
      t_ = (e1);                                           \
    }                                                      \
    {                                                      \
      uint32_t a = t_, b = W(4);                           \
      t_ = (e2);                                           \
    }                                                      \
    R32(W(6)) = t_ & W(8);                                 \
    NEXT(9);                                               \
  }
FUSE_A(DEF_FUSE_AND)

/* Two copy32 [op d1 s1 | op d2 s2], in order (s2 may be d1). */
H(h_copy2) {
  R32(W(1)) = R32(W(2));
  R32(W(4)) = R32(W(5));
  NEXT(6);
}

/*
 * An i32 load into a slot, then a compare-and-branch of that slot ([load .. | op rel dst b], ops.h
 * OP_LOAD_BR): the load's words are read as its kind lays them out (LB_k: address, end operand,
 * length), the loaded value is stored and tested from the register. b is read after the store,
 * so it may name the same slot. The branch displacement is relative to the pair's first word
 * (peephole.c adjusts it).
 */
#define LB_0 uint32_t x_ = R32(W(2)), e_ = W(3);
#define LB_1 uint32_t x_ = R32(W(2)) + W(4), e_ = W(3);
#define LB_2 uint32_t x_ = R32(W(3)) + R32(W(4)), e_ = W(5); R32(W(2)) = x_;
#define LB_3 uint32_t x_ = R32(W(3)) + W(4), e_ = W(5); R32(W(2)) = x_;
#define DEF_LOADBR1(k, L, name, B, cond)                                    \
  H(h_ldbr##k##_##name##_##B) {                                             \
    LB_##k                                                                  \
    uint32_t end_ = x_ + e_;                                                \
    if (W_UNLIKELY(end_ < x_ || end_ > memsize)) TRAP(WASM_TRAP_MEMORY_OOB); \
    uint32_t a = ld32(mem + (end_ - 4));                                    \
    R32(W(1)) = a;                                                          \
    uint32_t b = SRC_##B((L) + 3);                                          \
    if (cond) JUMP(BRANCH((L) + 1));                                        \
    NEXT((L) + 4);                                                          \
  }
#define DEF_LOADBR(idx, name, cond)                                                         \
  DEF_LOADBR1(0, 4, name, s, cond) DEF_LOADBR1(0, 4, name, i, cond) DEF_LOADBR1(1, 5, name, s, cond) \
  DEF_LOADBR1(1, 5, name, i, cond) DEF_LOADBR1(2, 6, name, s, cond) DEF_LOADBR1(2, 6, name, i, cond) \
  DEF_LOADBR1(3, 6, name, s, cond) DEF_LOADBR1(3, 6, name, i, cond)
BRCMP(DEF_LOADBR)

/*
 * A simple instruction, then a loop latch [first .. | op rel x a b c] (ops.h OP_PRE_LATCH): PL_k
 * does the first instruction (PL_LEN_k words); the latch reads its operands afterwards, so they
 * may name the slot the first one wrote. PLX_x: the latch counts x in place (x == a), PLX_g: the
 * general latch. The displacement is relative to the pair's first word. Only the store can trap, at the pair's first word.
 */
#define PL_0 R32(W(1)) += W(3);
#define PL_1                                                                   \
  {                                                                            \
    uint32_t a_ = R32(W(1)) + W(4), end_ = a_ + W(3);                          \
    if (W_UNLIKELY(end_ < a_ || end_ > memsize)) TRAP(WASM_TRAP_MEMORY_OOB);   \
    mem[end_ - 1] = (uint8_t)W(2);                                             \
  }
#define PL_2 R32(W(1)) = acc ^ R32(W(3));
#define PL_3 R32(W(1)) = W(2);
#define PLX_x(L, B)                                                                                \
  uint32_t *x_ = &R32(W((L) + 2));                                                                \
  uint32_t a = *x_ + SRC_##B((L) + 4);                                                            \
  *x_ = a;
#define PLX_g(L, B)                                                                                \
  uint32_t a = R32(W((L) + 3)) + SRC_##B((L) + 4);                                                \
  R32(W((L) + 2)) = a;
#define DEF_PRELATCH1(k, L, X, name, B, C, cond)                                                  \
  H(h_pl##k##X##_##name##_##B##C) {                                                               \
    PL_##k                                                                                        \
    PLX_##X(L, B)                                                                                 \
    uint32_t b = SRC_##C((L) + 5);                                                                \
    if (cond) JUMP(BRANCH((L) + 1));                                                              \
    NEXT((L) + 6);                                                                                \
  }
#define DEF_PRELATCH3(k, L, X, name, cond)                                                      \
  DEF_PRELATCH1(k, L, X, name, s, s, cond) DEF_PRELATCH1(k, L, X, name, i, s, cond)             \
  DEF_PRELATCH1(k, L, X, name, s, i, cond) DEF_PRELATCH1(k, L, X, name, i, i, cond)
#define DEF_PRELATCH2(k, L, name, cond) DEF_PRELATCH3(k, L, g, name, cond) DEF_PRELATCH3(k, L, x, name, cond)
#define DEF_PRELATCH(idx, name, cond)                                                  \
  DEF_PRELATCH2(0, 4, name, cond) DEF_PRELATCH2(1, 5, name, cond) DEF_PRELATCH2(2, 4, name, cond) \
  DEF_PRELATCH2(3, 3, name, cond)
BRCMP(DEF_PRELATCH)

/* ---- handler table ---- */

#define T_PAIR(opc, name, ...) [opc] = h_##name, [(opc) | W_IMM] = h_##name##_i,
#define T_ONE(opc, name, ...) [opc] = h_##name,
#define T_I32(opc, name, ...)                                                                   \
  [opc] = h_##name##_sss, [(opc) | W_IMM] = h_##name##_sis, [(opc) | W_AACC] = h_##name##_ass, \
  [(opc) | W_AACC | W_IMM] = h_##name##_ais, [(opc) | W_DACC] = h_##name##_ssa,                 \
  [(opc) | W_DACC | W_IMM] = h_##name##_sia, [(opc) | W_DACC | W_AACC] = h_##name##_asa,       \
  [(opc) | W_DACC | W_AACC | W_IMM] = h_##name##_aia,
#define T_LOAD(opc, name, ...)                                                                              \
  [opc] = h_##name##_ss, [(opc) | W_AACC] = h_##name##_as, [(opc) | W_IMM] = h_##name##_bs,                 \
  [(opc) | W_DACC] = h_##name##_sa, [(opc) | W_AACC | W_DACC] = h_##name##_aa, [(opc) | W_IMM | W_DACC] = h_##name##_ba,
#define T_LOAD_UPD(opc, name, ...)                                                                          \
  [opc] = h_upd_##name##_ss, [(opc) | W_IMM] = h_upd_##name##_is, [(opc) | W_DACC] = h_upd_##name##_sa,      \
  [(opc) | W_IMM | W_DACC] = h_upd_##name##_ia,
#define T_STORE(opc, name, ...)                                                                             \
  [opc] = h_##name##_ss, [(opc) | W_AACC] = h_##name##_as, [(opc) | W_IMM] = h_##name##_bs,                 \
  [(opc) | W_DACC] = h_##name##_sa, [(opc) | W_IMM | W_DACC] = h_##name##_ba,                                \
  [OP_STORE_IMMV + (opc) - 0x36] = h_##name##_si, [(OP_STORE_IMMV + (opc) - 0x36) | W_AACC] = h_##name##_ai, \
  [(OP_STORE_IMMV + (opc) - 0x36) | W_IMM] = h_##name##_bi,
#define T_BRADD(i, name, cond)                                                                       \
  [OP_BR_ADD + (i)] = h_bra_##name##_ss, [OP_BR_ADD + OP_BR_ADD_BIMM + (i)] = h_bra_##name##_is,             \
  [OP_BR_ADD + OP_BR_ADD_CIMM + (i)] = h_bra_##name##_si, [OP_BR_ADD + OP_BR_ADD_BIMM + OP_BR_ADD_CIMM + (i)] = h_bra_##name##_ii,
#define T_BRF(i, name, cond)                                                                         \
  [OP_BR_F64 + (i)] = h_brf_##name##_ss, [OP_BR_F64 + OP_BR_F64_BIMM + (i)] = h_brf_##name##_si,           \
  [OP_BR_F64 + OP_BR_F64_AACC + (i)] = h_brf_##name##_as,                                                 \
  [OP_BR_F64 + OP_BR_F64_AACC + OP_BR_F64_BIMM + (i)] = h_brf_##name##_ai,                                \
  [OP_BR_F64 + OP_BR_F64_NOT + (i)] = h_brf_not_##name##_ss,                                              \
  [OP_BR_F64 + OP_BR_F64_NOT + OP_BR_F64_BIMM + (i)] = h_brf_not_##name##_si,                             \
  [OP_BR_F64 + OP_BR_F64_NOT + OP_BR_F64_AACC + (i)] = h_brf_not_##name##_as,                             \
  [OP_BR_F64 + OP_BR_F64_NOT + OP_BR_F64_AACC + OP_BR_F64_BIMM + (i)] = h_brf_not_##name##_ai,
#define T_FUSE(i1, n1, e1, i2, n2, e2)                                                                  \
  [OP_FUSE2 + (i1) * 8 + (i2)] = h_fuse_##n1##_##n2##_ss, [OP_FUSE2 + OP_FUSE2_AACC + (i1) * 8 + (i2)] = h_fuse_##n1##_##n2##_as, \
  [OP_FUSE2 + OP_FUSE2_DACC + (i1) * 8 + (i2)] = h_fuse_##n1##_##n2##_sa,                                 \
  [OP_FUSE2 + OP_FUSE2_AACC + OP_FUSE2_DACC + (i1) * 8 + (i2)] = h_fuse_##n1##_##n2##_aa,
#define T_BRAX(i, name, cond)                                                                         \
  [OP_BRA_X + (i)] = h_brax_##name##_ss, [OP_BRA_X + OP_BR_ADD_BIMM + (i)] = h_brax_##name##_is,             \
  [OP_BRA_X + OP_BR_ADD_CIMM + (i)] = h_brax_##name##_si, [OP_BRA_X + OP_BR_ADD_BIMM + OP_BR_ADD_CIMM + (i)] = h_brax_##name##_ii,
#define T_INPLACE(opc, name, expr)                                                                  \
  [OP_INPLACE_IMM + (opc) - 0x6A] = h_inplace_##name##_i, [OP_INPLACE + (opc) - 0x6A] = h_inplace_##name##_s, \
  [OP_INPLACE_ACC + (opc) - 0x6A] = h_inplace_##name##_a,
#define T_UPDX(opc, name, ...)                                                                              \
  [OP_UPD_X + ((opc) - 1) * 4] = h_updx_##name##_ss, [OP_UPD_X + ((opc) - 1) * 4 + 1] = h_updx_##name##_is,  \
  [OP_UPD_X + ((opc) - 1) * 4 + 2] = h_updx_##name##_sa, [OP_UPD_X + ((opc) - 1) * 4 + 3] = h_updx_##name##_ia,
#define T_FUSE_AND(i1, n1, e1, i2, n2, e2) [OP_FUSE_AND + (i1) * 8 + (i2)] = h_fuse_and_##n1##_##n2,
#define T_BR(i, name, cond)                                                              \
  [OP_BR_CMP + (i)] = h_br_##name##_ss, [OP_BR_CMP_IMM + (i)] = h_br_##name##_si,        \
  [OP_BR_CMP + OP_BR_CMP_ACC + (i)] = h_br_##name##_as, [OP_BR_CMP_IMM + OP_BR_CMP_ACC + (i)] = h_br_##name##_ai,

#define T_LOADBR(i, name, cond)                                                                          \
  [OP_LOAD_BR + (i) * 2] = h_ldbr0_##name##_s, [OP_LOAD_BR + (i) * 2 + 1] = h_ldbr0_##name##_i,            \
  [OP_LOAD_BR + 20 + (i) * 2] = h_ldbr1_##name##_s, [OP_LOAD_BR + 20 + (i) * 2 + 1] = h_ldbr1_##name##_i,  \
  [OP_LOAD_BR + 40 + (i) * 2] = h_ldbr2_##name##_s, [OP_LOAD_BR + 40 + (i) * 2 + 1] = h_ldbr2_##name##_i,  \
  [OP_LOAD_BR + 60 + (i) * 2] = h_ldbr3_##name##_s, [OP_LOAD_BR + 60 + (i) * 2 + 1] = h_ldbr3_##name##_i,

#define T_PL2(k, X, o, i, name)                                                                         \
  [OP_PRE_LATCH + (k) * 80 + (o) + (i) * 4] = h_pl##k##X##_##name##_ss,                                  \
  [OP_PRE_LATCH + (k) * 80 + (o) + (i) * 4 + 1] = h_pl##k##X##_##name##_is,                              \
  [OP_PRE_LATCH + (k) * 80 + (o) + (i) * 4 + 2] = h_pl##k##X##_##name##_si,                              \
  [OP_PRE_LATCH + (k) * 80 + (o) + (i) * 4 + 3] = h_pl##k##X##_##name##_ii,
#define T_PL1(k, i, name) T_PL2(k, g, 0, i, name) T_PL2(k, x, 40, i, name)
#define T_PRELATCH(i, name, cond) T_PL1(0, i, name) T_PL1(1, i, name) T_PL1(2, i, name) T_PL1(3, i, name)

/* Every entry defaults to h_bad (a range designator, then the handlers): threading needs no NULL test. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
static const whandler handlers[OP_COUNT] = {
    [0 ... OP_COUNT - 1] = h_bad,
    [OP_UNREACHABLE] = h_unreachable,
    [OP_BR] = h_br,
    [OP_BR_IF] = h_br_if,
    [OP_BR_UNLESS] = h_br_unless,
    [OP_BR_IF_ACC] = h_br_if_acc,
    [OP_BR_UNLESS_ACC] = h_br_unless_acc,
    [OP_BR_TABLE] = h_br_table,
    [OP_RETURN] = h_return,
    [OP_CALL] = h_call,
    [OP_CALL_HOST] = h_call_host,
    [OP_MUL_LOADS] = h_mul_loads_s,
    [OP_MUL_LOADS | W_DACC] = h_mul_loads_a,
    [OP_CALL_INDIRECT] = h_call_indirect,
    [OP_SELECT32] = h_select32,
    [OP_SELECT64] = h_select64,
    [OP_COPY32] = h_copy32,
    [OP_COPY64] = h_copy64,
    [OP_CONST32] = h_const32,
    [OP_CONST64] = h_const64,
    [OP_GLOBAL_GET32] = h_global_get32,
    [OP_GLOBAL_GET64] = h_global_get64,
    [OP_GLOBAL_SET32] = h_global_set32,
    [OP_GLOBAL_SET64] = h_global_set64,
    [OP_MEMORY_SIZE] = h_memory_size,
    [OP_MEMORY_GROW] = h_memory_grow,
    [OP_MEMORY_INIT] = h_memory_init,
    [OP_DATA_DROP] = h_data_drop,
    [OP_MEMORY_COPY] = h_memory_copy,
    [OP_MEMORY_FILL] = h_memory_fill,
    [OP_REF_IS_NULL] = h_ref_is_null,
    [OP_TABLE_GET] = h_table_get,
    [OP_TABLE_SET] = h_table_set,
    [OP_TABLE_INIT] = h_table_init,
    [OP_ELEM_DROP] = h_elem_drop,
    [OP_TABLE_COPY] = h_table_copy,
    [OP_TABLE_GROW] = h_table_grow,
    [OP_TABLE_SIZE] = h_table_size,
    [OP_TABLE_FILL] = h_table_fill,
    [OP_MEM_TRAP] = h_mem_trap,
    LOADS(T_LOAD) STORES(T_STORE) I32_BIN(T_I32) I64_BIN(T_PAIR) I64_CMP(T_PAIR) FBIN(T_PAIR) IDIV(T_ONE)
    UNARY(T_ONE) TRUNC(T_ONE) BRCMP(T_BR) BRCMP(T_BRADD) F64_ARITH(T_I32) F64_CMP(T_I32) LOADS_UPD(T_LOAD_UPD)
    BRF64(T_BRF) FUSE_A(T_FUSE) BRCMP(T_BRAX) INPLACE(T_INPLACE) LOADS_UPD(T_UPDX) FUSE_A(T_FUSE_AND)
    BRCMP(T_LOADBR) BRCMP(T_PRELATCH)
    [OP_F64_SQ] = h_f64_sq_s,
    [OP_F64_SQ + 1] = h_f64_sq_a,
    [OP_F64_DBL] = h_f64_dbl_s,
    [OP_F64_DBL + 1] = h_f64_dbl_a,
    [OP_ADD_COPY] = h_add_copy,
    [OP_COPY2] = h_copy2,
};
#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/*
 * Hotness probes of the native tier (jit.c). The entry probe stands in for a function's first
 * opcode word (code[-1] names the function), a loop probe for a loop header's. They count runs;
 * at wjit_threshold the function is compiled to native code, which patches the words (to native
 * code, or back to the original handlers), and execution continues with whatever the word holds.
 */
#ifdef W_THREADED
#define PROBE_GO(h) __attribute__((musttail)) return (h)(ip, fp, mem, memsize, r, acc, facc)
#else
#define PROBE_GO(h) return (h)(ip, fp, mem, memsize, r, acc, facc)
#endif
H(h_entry_probe) {
  wfunc *fn = (wfunc *)ip[-1];
  uint32_t n = fn->heat;
  whandler h = (whandler)fn->entry_orig;
  if (W_LIKELY(n > 1)) {
    fn->heat = n - 1;
  } else {
    wjit_entry((wasm_module *)(uintptr_t)r->m, fn);
    if ((whandler)ip[0] != h_entry_probe) h = (whandler)ip[0];
  }
  PROBE_GO(h);
}
H(h_loop_probe) {
  wprobe *p = wjit_find_probe(r->m, ip);
  if (W_UNLIKELY(!p)) TRAP(WASM_TRAP_UNREACHABLE); /* not a probe site: cannot happen */
  whandler h = (whandler)p->orig;
  if (W_UNLIKELY(--p->left == 0)) {
    wjit_loop_hot((wasm_module *)(uintptr_t)r->m, p);
    if ((whandler)ip[0] != h_loop_probe) h = (whandler)ip[0];
  }
  PROBE_GO(h);
}
wcode winterp_entry_probe(void) { return (wcode)h_entry_probe; }
wcode winterp_loop_probe(void) { return (wcode)h_loop_probe; }

/*
 * Handler address -> internal opcode, for the native compiler (which sees threaded code). Built
 * on first use; concurrent builders write the same entries in the same order (the opcode before
 * the key), so a reader never sees a key without its opcode.
 */
#define REV_SLOTS 8192u
static uintptr_t rev_key[REV_SLOTS];
static uint16_t rev_op[REV_SLOTS];
static volatile int rev_ready;
static uint32_t rev_hash(uintptr_t h) { return (uint32_t)((h >> 1) * 2654435761u) >> 19; }
int32_t winterp_opcode(wcode h) {
  if (!rev_ready) {
    for (uint32_t op = 0; op < OP_COUNT; op++) {
      uintptr_t k = (uintptr_t)handlers[op];
      if (handlers[op] == h_bad) continue;
      uint32_t i = rev_hash(k);
      while (rev_key[i] && rev_key[i] != k) i = (i + 1) & (REV_SLOTS - 1);
      if (rev_key[i]) continue;
      rev_op[i] = (uint16_t)op;
      __atomic_store_n(&rev_key[i], k, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&rev_ready, 1, __ATOMIC_RELEASE);
  }
  for (uint32_t i = rev_hash(h);; i = (i + 1) & (REV_SLOTS - 1)) {
    uintptr_t k = __atomic_load_n(&rev_key[i], __ATOMIC_ACQUIRE);
    if (!k) return -1;
    if (k == h) return rev_op[i];
  }
}

void winterp_thread(wcode *code, const uint32_t *opat, uint32_t nops) {
  for (uint32_t i = 0; i < nops; i++) {
    uint32_t op = (uint32_t)code[opat[i]];
    code[opat[i]] = (wcode)(op < OP_COUNT ? handlers[op] : h_bad);
  }
}

wcode winterp_handler(uint32_t op) { return (wcode)(op < OP_COUNT ? handlers[op] : h_bad); }

wasm_status winterp_run(wasm_instance *inst, const wfunc *fn) {
  wrun r;
  r.inst = inst;
  r.m = inst->mod;
  r.frames = r.fsp = inst->frames;
  r.fend = inst->frames + inst->max_depth;
  r.stack_end = inst->stack + inst->stack_bytes;
  r.globals = inst->globals;
  r.trap_ip = fn->code;
  wasm_status st;
  if (fn->frame_bytes > inst->stack_bytes) {
    st = WASM_TRAP_STACK_EXHAUSTED;
  } else {
    zero_locals(inst->stack, fn);
#ifdef W_THREADED
    st = ((whandler)fn->code[0])(fn->code, inst->stack, inst->mem, inst->mem_size, &r, 0, 0.0);
#else
    r.ip = fn->code;
    r.fp = inst->stack;
    r.mem = inst->mem;
    r.memsize = inst->mem_size;
    r.acc = 0;
    r.facc = 0.0;
    do {
      PROFILE_HOOK(r.ip);
      st = ((whandler)r.ip[0])(r.ip, r.fp, r.mem, r.memsize, &r, r.acc, r.facc);
    } while (st == W_CONTINUE);
#endif
  }
  if (st != WASM_OK) {
    /* The trapping function: the one whose code holds the trap site. */
    const wfunc *at = fn;
    for (uint32_t i = 0; i < r.m->nfuncs; i++) {
      const wfunc *g = &r.m->funcs[i];
      if (!g->imported && r.trap_ip >= g->code && r.trap_ip < g->code + g->code_len) at = g;
    }
    winst_trap_message(inst, st, at, (uint32_t)(r.trap_ip - at->code));
  }
  return st;
}
