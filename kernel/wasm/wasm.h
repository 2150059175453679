/*
 * WasmOS WebAssembly runtime: the embedding interface.
 *
 * The runtime is a freestanding C11 library. It owns no global mutable state:
 * everything lives in a wasm_module (immutable after wasm_load, shareable by
 * several instances) or a wasm_instance (one per task). The embedder supplies
 * memory through a wasm_heap and host functions through a resolver.
 *
 * Values cross the interface as 64-bit slots: i32/f32 in the low 32 bits
 * (f32/f64 as their IEEE bit patterns), i64/f64 in all 64, references as
 * 0 (null) or a non-zero handle.
 */
#ifndef WASMOS_WASM_H
#define WASMOS_WASM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Value types, with their binary-format codes. */
enum {
  WASM_I32 = 0x7F,
  WASM_I64 = 0x7E,
  WASM_F32 = 0x7D,
  WASM_F64 = 0x7C,
  WASM_FUNCREF = 0x70,
  WASM_EXTERNREF = 0x6F
};

/* Outcome of wasm_call and of a host function. 0 is success; the rest are traps. */
typedef enum wasm_status {
  WASM_OK = 0,
  WASM_TRAP_UNREACHABLE,
  WASM_TRAP_MEMORY_OOB,       /* out-of-bounds memory access */
  WASM_TRAP_DIV_ZERO,         /* integer divide by zero */
  WASM_TRAP_INT_OVERFLOW,     /* integer overflow (div, float-to-int) */
  WASM_TRAP_INVALID_CONVERSION, /* NaN to integer */
  WASM_TRAP_TABLE_OOB,        /* out-of-bounds table access / undefined element */
  WASM_TRAP_NULL_FUNC,        /* call_indirect to a null element */
  WASM_TRAP_SIG_MISMATCH,     /* call_indirect type mismatch */
  WASM_TRAP_STACK_EXHAUSTED,  /* call depth or value stack exhausted */
  WASM_TRAP_QUOTA,            /* the instance's memory quota is exhausted */
  WASM_TRAP_HOST,             /* a host function refused to continue */
  WASM_TRAP_EXIT,             /* a host function ended the task on purpose (not an error) */
  WASM_STATUS_COUNT
} wasm_status;

/* Short fixed description of a status, e.g. "integer divide by zero". */
const char *wasm_status_text(wasm_status s);

/*
 * Memory comes from the embedder. `quota` bounds the bytes the runtime holds
 * at once for everything charged to this heap (module code, instance tables,
 * linear memory, stacks); `used` is maintained by the runtime. alloc must
 * return 8-byte-aligned memory or NULL. NULL and quota exhaustion are never
 * fatal: loading or instantiation fails with a message, and memory.grow /
 * table.grow return -1 as the spec prescribes. (WASM_TRAP_QUOTA is for host
 * functions that refuse a request for lack of quota.)
 */
typedef struct wasm_heap {
  void *(*alloc)(void *ctx, size_t size);
  void (*free)(void *ctx, void *ptr, size_t size);
  void *ctx;
  size_t quota;
  size_t used;
} wasm_heap;

typedef struct wasm_module wasm_module;
typedef struct wasm_instance wasm_instance;

/* A function signature, as seen by the import resolver. */
typedef struct wasm_functype {
  uint32_t nparams, nresults;
  const uint8_t *params;  /* value type codes */
  const uint8_t *results;
} wasm_functype;

/*
 * A host function. `slots` holds the arguments on entry; the function writes
 * its results to slots[0..nresults). It returns WASM_OK, or a trap status
 * (after optionally calling wasm_set_trap_message) to end the call.
 * `mem`/`mem_size` are valid only until the host function returns.
 */
typedef wasm_status (*wasm_host_fn)(wasm_instance *inst, void *ctx, uint64_t *slots);

typedef struct wasm_host_binding {
  wasm_host_fn fn;
  void *ctx;
} wasm_host_binding;

/*
 * Resolves an import. Return 0 and fill *out, or return non-zero and write a
 * short reason to err (NUL-terminated, at most errlen bytes), e.g. "unknown
 * import" or "wrong signature". Names are not NUL-terminated.
 */
typedef int (*wasm_resolve_fn)(void *ctx, const char *module, uint32_t module_len,
                               const char *field, uint32_t field_len,
                               const wasm_functype *type, wasm_host_binding *out,
                               char *err, size_t errlen);

typedef struct wasm_limits {
  uint32_t value_stack_bytes; /* operand + locals stack; 0 = default (64 KiB) */
  uint32_t call_depth;        /* max nested calls; 0 = default (1000) */
  uint32_t max_memory_pages;  /* cap below the module's own max; 0 = 65535 */
} wasm_limits;

/*
 * Decodes and validates a module (WebAssembly 2.0 core without SIMD) and
 * translates every function into the internal form. On failure returns NULL
 * and writes a message naming the section, byte offset and rule to err.
 * `bytes` need not outlive the module. `name` (may be NULL) is copied and used
 * in trap messages.
 */
wasm_module *wasm_load(wasm_heap *heap, const uint8_t *bytes, size_t len, const char *name,
                       char *err, size_t errlen);
void wasm_module_free(wasm_module *m);

/*
 * Creates an instance: resolves imports, allocates memory, table, globals and
 * stacks, applies element and data segments, then runs the start function.
 * Returns NULL with a message on failure (link error, quota, trap in start).
 * The module must outlive the instance.
 */
wasm_instance *wasm_instantiate(const wasm_module *m, wasm_heap *heap, const wasm_limits *limits,
                                wasm_resolve_fn resolve, void *resolve_ctx,
                                char *err, size_t errlen);
void wasm_instance_free(wasm_instance *inst);

/* Exports. Returns the export's index (kind/index via wasm_export_info) or -1. */
int32_t wasm_find_export(const wasm_module *m, const char *name, uint32_t name_len);
uint32_t wasm_export_count(const wasm_module *m);
enum { WASM_EXTERN_FUNC = 0, WASM_EXTERN_TABLE = 1, WASM_EXTERN_MEMORY = 2, WASM_EXTERN_GLOBAL = 3 };
/* Fills name/kind/index for export i; returns 0, or -1 if i is out of range. */
int wasm_export_info(const wasm_module *m, uint32_t i, const char **name, uint32_t *name_len,
                     uint8_t *kind, uint32_t *index);
/* Imports, in order, for embedders that check them before instantiating.
 * Fills the names (not NUL-terminated), the kind (WASM_EXTERN_*) and the index
 * in that kind's index space (for a function: its function index); returns 0,
 * or -1 if i is out of range. */
uint32_t wasm_import_count(const wasm_module *m);
int wasm_import_info(const wasm_module *m, uint32_t i, const char **module, uint32_t *module_len, const char **field,
                     uint32_t *field_len, uint8_t *kind, uint32_t *index);
/* Nonzero when instantiation runs a start function (the module's own code). */
int wasm_has_start(const wasm_module *m);
/* Signature of function `func` (imports first, as in the index space). */
int wasm_func_type(const wasm_module *m, uint32_t func, wasm_functype *out);

/*
 * Calls function `func`. args has nparams slots; results receives nresults.
 * Returns WASM_OK or the trap; after a trap the instance stays usable and
 * wasm_trap_message() describes it (module, function name, code offset).
 */
wasm_status wasm_call(wasm_instance *inst, uint32_t func, const uint64_t *args, uint64_t *results);
const char *wasm_trap_message(const wasm_instance *inst);
/* For host functions: attach a message to the trap they are about to return. */
void wasm_set_trap_message(wasm_instance *inst, const char *msg);

/* Linear memory (NULL/0 when the module has none). Valid until the next call into the instance. */
uint8_t *wasm_memory(const wasm_instance *inst, uint32_t *size);
/* Global value by global index; returns 0 or -1. */
int wasm_global_get(const wasm_instance *inst, uint32_t global, uint64_t *value);

/* Embedder data attached to an instance (e.g. the owning task). */
void wasm_set_user(wasm_instance *inst, void *user);
void *wasm_get_user(const wasm_instance *inst);

/*
 * The native tier (rv32 only). A function whose entry or one of whose loop headers has run
 * `threshold` times is compiled to rv32 machine code (0 or 1: at the first run; WASM_JIT_OFF:
 * never). Set it before loading modules; default WASM_JIT_DEFAULT_THRESHOLD.
 */
#define WASM_JIT_OFF 0xFFFFFFFFu
#ifndef WASM_JIT_DEFAULT_THRESHOLD
#define WASM_JIT_DEFAULT_THRESHOLD 32u
#endif
void wasm_set_jit_threshold(uint32_t threshold);

/*
 * Memory for native code, provided by the embedder (weak symbols: without them there is no native
 * tier). wasm_code_alloc returns n writable bytes (8-byte aligned), or NULL, and sets *exec to
 * the address at which those bytes execute (an executable alias, so no page needs to be writable
 * and executable at once); wasm_code_free gives them back (wasm_module_free does). The runtime
 * also keeps its loop probe tables and compiler scratch there. The bytes are charged to the
 * module's wasm_heap (used/quota) while held.
 */
void *wasm_code_alloc(size_t n, void **exec);
void wasm_code_free(void *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
