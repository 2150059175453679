/* Structures shared by the runtime's files; not part of the embedding interface. */
#ifndef WASMOS_WASM_INTERNAL_H
#define WASMOS_WASM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include "wasm.h"

#define W_LIKELY(x) __builtin_expect(!!(x), 1)
#define W_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Implementation limits: far above what compilers emit, low enough that sizes fit in 32 bits. */
#define W_MAX_LOCALS 50000u
#define W_MAX_FRAME_SLOTS 65536u
#define W_MAX_PAGES 65535u
#define W_MAX_TABLE 10000000u
#define W_PAGE 65536u

/* One operand slot: every value fits in 8 bytes; i32/f32 live in the low half (little-endian). */
typedef union wslot {
  uint32_t i32;
  uint64_t i64;
  float f32;
  double f64;
} wslot;

/* --- heap.c: quota-checked allocation --- */
void *wheap_alloc(wasm_heap *h, size_t size);
void wheap_free(wasm_heap *h, void *p, size_t size);

/* Bump allocator for the module's long-lived data, released all at once. */
typedef struct warena_chunk warena_chunk;
typedef struct warena {
  wasm_heap *heap;
  warena_chunk *chunks;
  uint8_t *cur;
  size_t left;
} warena;
void *warena_alloc(warena *a, size_t size); /* zeroed, 8-aligned; NULL on quota */
void *warena_alloc_raw(warena *a, size_t size); /* the same, not zeroed */
void warena_release(warena *a);

/* --- util.c: freestanding string helpers --- */
void wu_memcpy(void *dst, const void *src, size_t n);
void wu_memmove(void *dst, const void *src, size_t n);
void wu_memset(void *dst, int v, size_t n);
int wu_memcmp(const void *a, const void *b, size_t n);
size_t wu_strlen(const char *s);
/* printf subset: %s %.*s %u %d %x %c %%. Always NUL-terminates when n > 0. */
void wu_fmtv(char *buf, size_t n, const char *fmt, va_list ap);
void wu_fmt(char *buf, size_t n, const char *fmt, ...);

/* --- module representation --- */
typedef struct wtype {
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  uint32_t canon; /* index of the first structurally equal type */
} wtype;

/* One word of translated code: a handler address (threaded code) or an operand. */
typedef uintptr_t wcode;

/* Trap site: internal code position -> byte offset of the instruction in the module. */
typedef struct wsite {
  uint32_t pc, offset;
} wsite;

typedef struct wfunc {
  uint32_t type;       /* type index */
  uint32_t canon;      /* canonical type index, for call_indirect */
  uint32_t nparams, nresults;
  uint32_t nlocals;    /* params + declared locals */
  uint32_t frame_bytes; /* (locals + max operand stack) * 8 */
  const wcode *code;
  uint32_t code_len;
  const wsite *sites;
  uint32_t nsites;
  uint32_t body_offset;
  const char *name;    /* from the name section; may be NULL */
  uint32_t name_len;
  bool imported;
  uint32_t import_index; /* index into imports when imported */
  /* The native tier (jit.c): code[-1] names this function and code[code_len..+nheads) are its loop headers. */
  uint32_t heat;       /* entry runs left before compilation (0: never run); WJIT_DONE once it started */
  uint32_t nheads;
  wcode entry_orig;    /* the entry's handler, replaced by the entry probe */
} wfunc;

/* Constant expression, already validated. */
enum { WC_CONST, WC_GLOBAL, WC_REF_FUNC, WC_REF_NULL };
typedef struct wconst {
  uint8_t kind;
  uint64_t value;  /* WC_CONST */
  uint32_t index;  /* WC_GLOBAL / WC_REF_FUNC */
} wconst;

typedef struct wimport {
  const char *module, *field;
  uint32_t module_len, field_len;
  uint8_t kind;  /* WASM_EXTERN_* */
  uint32_t index; /* index in its space (func/table/memory/global) */
} wimport;

typedef struct wglobal {
  uint8_t type;
  bool mut;
  bool imported;
  wconst init;
} wglobal;

typedef struct wtable {
  uint8_t elem_type;
  uint32_t min, max;
  bool has_max;
} wtable;

enum { WSEG_ACTIVE, WSEG_PASSIVE, WSEG_DECLARATIVE };
typedef struct welem {
  uint8_t mode;
  uint8_t type;
  uint32_t table;
  wconst offset;
  uint32_t count;
  wconst *items;
} welem;

typedef struct wdata {
  uint8_t mode;
  wconst offset;
  const uint8_t *bytes;
  uint32_t len;
} wdata;

typedef struct wexport {
  const char *name;
  uint32_t name_len;
  uint8_t kind;
  uint32_t index;
} wexport;

struct wasm_module {
  wasm_heap *heap;
  warena arena;
  const char *name;
  wtype *types;
  uint32_t ntypes;
  wimport *imports;
  uint32_t nimports;
  wfunc *funcs;
  uint32_t nfuncs, nfunc_imports;
  wtable *tables;
  uint32_t ntables, ntable_imports;
  bool has_memory, mem_imported, mem_has_max;
  uint32_t mem_min, mem_max;
  wglobal *globals;
  uint32_t nglobals, nglobal_imports;
  wexport *exports;
  uint32_t nexports;
  int64_t start; /* -1: none */
  welem *elems;
  uint32_t nelems;
  wdata *datas;
  uint32_t ndatas;
  bool has_datacount;
  uint32_t datacount;
  uint8_t *declared_funcs; /* bitmap: function may be named by ref.func */
  struct wprobe *probes;    /* jit.c: loop probes (open addressing on the site's address) */
  uint32_t probe_cap, nprobes;
  struct wcode_block *native; /* jit.c: the native code blocks (wasm_code_alloc), a list */
};

/* --- reader.c: bounds-checked binary reader with error reporting --- */
typedef struct wreader {
  const uint8_t *base, *p, *end;
  const char *section;
  char *err;
  size_t errlen;
  bool failed;
} wreader;
bool rd_fail(wreader *r, const uint8_t *at, const char *fmt, ...);
/* The general (multi-byte, error-reporting) readers; rd_u8/rd_u32/rd_s32 below inline the common case. */
bool rd_u8_slow(wreader *r, uint8_t *out);
bool rd_u32_slow(wreader *r, uint32_t *out);
bool rd_s32_slow(wreader *r, int32_t *out);
/* Most immediates are one byte: reading them inline roughly halves the decoder's per-byte cost. */
static inline bool rd_u8(wreader *r, uint8_t *out) {
  if (W_LIKELY(r->p < r->end)) {
    *out = *r->p++;
    return true;
  }
  return rd_u8_slow(r, out);
}
static inline bool rd_u32(wreader *r, uint32_t *out) {
  if (W_LIKELY(r->p < r->end && *r->p < 0x80)) {
    *out = *r->p++;
    return true;
  }
  return rd_u32_slow(r, out);
}
/* A one-byte signed LEB128 (bit 6 is the sign) is valid for every width. */
static inline bool rd_s32(wreader *r, int32_t *out) {
  if (W_LIKELY(r->p < r->end && *r->p < 0x80)) {
    *out = (int32_t)((uint32_t)*r->p++ << 25) >> 25;
    return true;
  }
  return rd_s32_slow(r, out);
}
bool rd_s33(wreader *r, int64_t *out);
bool rd_s64(wreader *r, int64_t *out);
bool rd_bytes(wreader *r, uint32_t n, const uint8_t **out);
bool rd_name(wreader *r, const uint8_t **out, uint32_t *len);
static inline uint32_t rd_offset(const wreader *r, const uint8_t *at) { return (uint32_t)(at - r->base); }

/* --- compile.c: validates function bodies and translates them --- */
typedef struct wcompiler wcompiler; /* translation scratch, reused across a module's functions */
wcompiler *wcompile_begin(wasm_module *m);
bool wcompile_function(wcompiler *c, uint32_t func_index, wreader *r, const uint8_t *body_end);
void wcompile_end(wcompiler *c);
/* Shared type predicates. */
static inline bool wtype_is_num(uint8_t t) { return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64; }
static inline bool wtype_is_ref(uint8_t t) { return t == WASM_FUNCREF || t == WASM_EXTERNREF; }
static inline bool wtype_is_64(uint8_t t) { return t == WASM_I64 || t == WASM_F64 || wtype_is_ref(t); }
const char *wtype_name(uint8_t t);

/* --- peephole.c: cheaper forms chosen after translation (code: len words, still opcodes; opat: instruction
   starts, ascending; brw: (displacement word, its instruction) pairs of every branch) --- */
void wpeep_function(wcode *code, uint32_t len, const uint32_t *opat, uint32_t nops, const uint32_t *brw, uint32_t nbrw);

/* --- instance --- */
typedef struct wframe {
  const wcode *ret_ip;
  uint8_t *fp;
} wframe;

typedef struct wtable_inst {
  uint64_t *elems;
  uint32_t size, cap, max;
} wtable_inst;

struct wasm_instance {
  const wasm_module *mod;
  wasm_heap *heap;
  uint8_t *mem;
  uint32_t mem_size;     /* bytes */
  uint32_t mem_cap;      /* bytes allocated */
  uint32_t mem_max_pages;
  uint64_t *globals;
  wtable_inst *tables;
  wasm_host_binding *hosts; /* per imported function */
  uint8_t *elem_dropped;
  uint8_t *data_dropped;
  uint8_t *stack;
  uint32_t stack_bytes;
  wframe *frames;
  uint32_t max_depth;
  bool running;
  void *user;
  char trap[320];
};

/* Interpreter state shared by the handlers (interp.c) and the native code (jit.c) through a4. */
typedef struct wrun {
  wasm_instance *inst;
  const wasm_module *m;
  wframe *fsp;          /* next free frame record */
  wframe *frames, *fend; /* the frame stack and its end (the call depth limit) */
  uint8_t *stack_end;
  uint64_t *globals;
  const wcode *trap_ip; /* the trapping instruction; its function is found from it */
  /* State of the trampoline dispatch (compilers without musttail). */
  const wcode *ip;
  uint8_t *fp;
  uint8_t *mem;
  uint32_t memsize;
  uint32_t acc;
  double facc;
} wrun;

/* --- jit.c: the native tier (rv32 only; elsewhere wjit_available() is false) --- */
typedef struct wprobe {
  const wcode *site; /* a loop header's opcode word, replaced by the loop probe */
  wcode orig;        /* the handler it replaced */
  uint32_t func, left; /* left: iterations before compilation */
} wprobe;
#define WJIT_DONE 0x80000000u
/* Whether modules loaded now get the native tier (rv32 threaded build, executable memory, threshold). */
bool wjit_available(void);
extern uint32_t wjit_threshold;
/* The entry probe's slow path (interp.c h_entry_probe): first run (arms the loop probes) or tier-up. */
void wjit_entry(wasm_module *m, wfunc *fn);
/* The loop probe's slow path: its countdown ran out. */
void wjit_loop_hot(wasm_module *m, wprobe *p);
/* The loop probe at site (open addressing on the address), or NULL. */
static inline wprobe *wjit_find_probe(const wasm_module *m, const wcode *site) {
  wprobe *t = m->probes;
  if (!t) return NULL;
  uint32_t mask = m->probe_cap - 1;
  for (uint32_t i = (((uint32_t)(uintptr_t)site >> 2) * 2654435761u) >> 16 & mask;; i = (i + 1) & mask) {
    if (t[i].site == site) return &t[i];
    if (!t[i].site) return NULL;
  }
}
void wjit_release(wasm_module *m);

/* interp.c */
wcode winterp_entry_probe(void);
wcode winterp_loop_probe(void);
/* The internal opcode of a handler address, or -1 (not a handler). */
int32_t winterp_opcode(wcode h);
wasm_status winterp_run(wasm_instance *inst, const wfunc *fn);
/* Handler address for an internal opcode (ops.h). */
wcode winterp_handler(uint32_t op);
/* The same for every opcode word of a function (at positions opat[0..nops)). */
void winterp_thread(wcode *code, const uint32_t *opat, uint32_t nops);
/* instance.c helpers used by the interpreter */
int32_t winst_memory_grow(wasm_instance *inst, uint32_t delta_pages);
int32_t winst_table_grow(wasm_instance *inst, uint32_t table, uint64_t init, uint32_t delta);
void winst_trap_message(wasm_instance *inst, wasm_status s, const wfunc *fn, uint32_t pc);
bool wconst_eval(const wasm_instance *inst, const wconst *c, uint64_t *out);

#endif
