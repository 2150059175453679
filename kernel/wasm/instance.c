/* Instantiation, the call entry point, memory/table growth and trap messages. */
#include "internal.h"

#define DEFAULT_STACK (64u * 1024u)
#define DEFAULT_DEPTH 1000u

const char *wasm_status_text(wasm_status s) {
  switch (s) {
  case WASM_OK: return "ok";
  case WASM_TRAP_UNREACHABLE: return "unreachable executed";
  case WASM_TRAP_MEMORY_OOB: return "out of bounds memory access";
  case WASM_TRAP_DIV_ZERO: return "integer divide by zero";
  case WASM_TRAP_INT_OVERFLOW: return "integer overflow";
  case WASM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
  case WASM_TRAP_TABLE_OOB: return "out of bounds table access";
  case WASM_TRAP_NULL_FUNC: return "uninitialized element (null function)";
  case WASM_TRAP_SIG_MISMATCH: return "indirect call type mismatch";
  case WASM_TRAP_STACK_EXHAUSTED: return "call stack exhausted";
  case WASM_TRAP_QUOTA: return "memory quota exceeded";
  case WASM_TRAP_HOST: return "host function failed";
  case WASM_TRAP_EXIT: return "exit";
  default: return "unknown trap";
  }
}

bool wconst_eval(const wasm_instance *inst, const wconst *c, uint64_t *out) {
  switch (c->kind) {
  case WC_CONST: *out = c->value; return true;
  case WC_REF_NULL: *out = 0; return true;
  case WC_REF_FUNC: *out = (uint64_t)c->index + 1; return true;
  case WC_GLOBAL: *out = inst->globals[c->index]; return true;
  default: return false;
  }
}

static void trap_context(const wasm_instance *inst, const wfunc *fn, uint32_t pc, char *buf, size_t n) {
  const wasm_module *m = inst->mod;
  uint32_t idx = (uint32_t)(fn - m->funcs);
  uint32_t offset = fn->body_offset;
  /* Sites are recorded in code order: binary search for the one at pc. */
  uint32_t lo = 0, hi = fn->nsites;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (fn->sites[mid].pc < pc) lo = mid + 1;
    else hi = mid;
  }
  if (lo < fn->nsites && fn->sites[lo].pc == pc) offset = fn->sites[lo].offset;
  if (fn->name)
    wu_fmt(buf, n, "in module '%s', function '%.*s' (#%u), at code offset 0x%x", m->name, (int)fn->name_len, fn->name, idx, offset);
  else
    wu_fmt(buf, n, "in module '%s', function #%u, at code offset 0x%x", m->name, idx, offset);
}

void winst_trap_message(wasm_instance *inst, wasm_status s, const wfunc *fn, uint32_t pc) {
  char where[200];
  trap_context(inst, fn, pc, where, sizeof where);
  if (inst->trap[0] && (s == WASM_TRAP_HOST || s == WASM_TRAP_EXIT || s == WASM_TRAP_QUOTA)) {
    char host[160];
    wu_fmt(host, sizeof host, "%s", inst->trap);
    wu_fmt(inst->trap, sizeof inst->trap, "%s: %s (called %s)", wasm_status_text(s), host, where);
  } else {
    wu_fmt(inst->trap, sizeof inst->trap, "%s %s", wasm_status_text(s), where);
  }
}

void wasm_set_trap_message(wasm_instance *inst, const char *msg) { wu_fmt(inst->trap, sizeof inst->trap, "%s", msg); }

const char *wasm_trap_message(const wasm_instance *inst) { return inst->trap; }

uint8_t *wasm_memory(const wasm_instance *inst, uint32_t *size) {
  if (size) *size = inst->mem_size;
  return inst->mem;
}

int wasm_global_get(const wasm_instance *inst, uint32_t global, uint64_t *value) {
  if (global >= inst->mod->nglobals) return -1;
  *value = inst->globals[global];
  return 0;
}

void wasm_set_user(wasm_instance *inst, void *user) { inst->user = user; }
void *wasm_get_user(const wasm_instance *inst) { return inst->user; }

/*
 * Linear memory keeps spare capacity (doubling, bounded by the maximum) so
 * that programs growing one page at a time do not copy on every grow. The
 * capacity beyond mem_size is kept zeroed.
 */
int32_t winst_memory_grow(wasm_instance *inst, uint32_t delta) {
  uint32_t old_pages = inst->mem_size / W_PAGE;
  if (delta == 0) return (int32_t)old_pages;
  if (delta > inst->mem_max_pages || old_pages > inst->mem_max_pages - delta) return -1;
  uint32_t new_bytes = (old_pages + delta) * W_PAGE;
  if (new_bytes > inst->mem_cap) {
    uint32_t max_bytes = inst->mem_max_pages * W_PAGE;
    uint32_t want = inst->mem_cap > max_bytes / 2 ? max_bytes : inst->mem_cap * 2;
    if (want < new_bytes) want = new_bytes;
    uint8_t *nm = wheap_alloc(inst->heap, want);
    if (!nm && want != new_bytes) {
      want = new_bytes;
      nm = wheap_alloc(inst->heap, want);
    }
    if (!nm) return -1;
    if (inst->mem) wu_memcpy(nm, inst->mem, inst->mem_size);
    wu_memset(nm + inst->mem_size, 0, want - inst->mem_size);
    if (inst->mem) wheap_free(inst->heap, inst->mem, inst->mem_cap);
    inst->mem = nm;
    inst->mem_cap = want;
  }
  inst->mem_size = new_bytes;
  return (int32_t)old_pages;
}

int32_t winst_table_grow(wasm_instance *inst, uint32_t table, uint64_t init, uint32_t delta) {
  wtable_inst *t = &inst->tables[table];
  uint32_t old = t->size;
  if (delta > t->max || old > t->max - delta) return -1;
  uint32_t size = old + delta;
  if (size > t->cap) {
    uint32_t cap = t->cap > t->max / 2 ? t->max : t->cap * 2;
    if (cap < size) cap = size;
    uint64_t *e = wheap_alloc(inst->heap, (size_t)cap * 8u);
    if (!e && cap != size) {
      cap = size;
      e = wheap_alloc(inst->heap, (size_t)cap * 8u);
    }
    if (!e) return -1;
    if (t->elems) {
      wu_memcpy(e, t->elems, (size_t)old * 8u);
      wheap_free(inst->heap, t->elems, (size_t)t->cap * 8u);
    }
    t->elems = e;
    t->cap = cap;
  }
  for (uint32_t i = old; i < size; i++) t->elems[i] = init;
  t->size = size;
  return (int32_t)old;
}

static void *zalloc(wasm_instance *inst, size_t n) {
  void *p = wheap_alloc(inst->heap, n);
  if (p) wu_memset(p, 0, n);
  return p;
}

/* Arrays are allocated with at least one element so that sizes match on free. */
static size_t n1(uint32_t n) { return n ? n : 1; }

void wasm_instance_free(wasm_instance *inst) {
  if (!inst) return;
  const wasm_module *m = inst->mod;
  wasm_heap *h = inst->heap;
  if (inst->mem) wheap_free(h, inst->mem, inst->mem_cap);
  if (inst->tables) {
    for (uint32_t i = 0; i < m->ntables; i++)
      if (inst->tables[i].elems) wheap_free(h, inst->tables[i].elems, (size_t)inst->tables[i].cap * 8u);
    wheap_free(h, inst->tables, n1(m->ntables) * sizeof *inst->tables);
  }
  if (inst->globals) wheap_free(h, inst->globals, n1(m->nglobals) * 8u);
  if (inst->hosts) wheap_free(h, inst->hosts, n1(m->nimports) * sizeof *inst->hosts);
  if (inst->elem_dropped) wheap_free(h, inst->elem_dropped, n1(m->nelems));
  if (inst->data_dropped) wheap_free(h, inst->data_dropped, n1(m->ndatas));
  if (inst->stack) wheap_free(h, inst->stack, inst->stack_bytes);
  if (inst->frames) wheap_free(h, inst->frames, (size_t)inst->max_depth * sizeof *inst->frames);
  wheap_free(h, inst, sizeof *inst);
}

static wasm_instance *fail_inst(wasm_instance *inst, char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (err && errlen) wu_fmtv(err, errlen, fmt, ap);
  va_end(ap);
  wasm_instance_free(inst);
  return NULL;
}

#define OOM "out of memory: the instance exceeds its memory quota"

wasm_instance *wasm_instantiate(const wasm_module *m, wasm_heap *heap, const wasm_limits *limits,
                                wasm_resolve_fn resolve, void *resolve_ctx, char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  wasm_instance *inst = wheap_alloc(heap, sizeof *inst);
  if (!inst) {
    if (err && errlen) wu_fmt(err, errlen, "%s", OOM);
    return NULL;
  }
  wu_memset(inst, 0, sizeof *inst);
  inst->mod = m;
  inst->heap = heap;
  wasm_limits lim;
  lim.value_stack_bytes = limits ? limits->value_stack_bytes : 0;
  lim.call_depth = limits ? limits->call_depth : 0;
  lim.max_memory_pages = limits ? limits->max_memory_pages : 0;
  inst->stack_bytes = lim.value_stack_bytes ? (lim.value_stack_bytes + 7u) & ~7u : DEFAULT_STACK;
  inst->max_depth = lim.call_depth ? lim.call_depth : DEFAULT_DEPTH;

  /* Imports: only functions exist in WasmOS's host interface. */
  inst->hosts = zalloc(inst, n1(m->nimports) * sizeof *inst->hosts);
  if (!inst->hosts) return fail_inst(inst, err, errlen, OOM);
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wimport *im = &m->imports[i];
    if (im->kind != WASM_EXTERN_FUNC) {
      static const char *kinds[] = {"function", "table", "memory", "global"};
      return fail_inst(inst, err, errlen, "module '%s': import %.*s.%.*s: only function imports are supported (this is a %s)",
                       m->name, (int)im->module_len, im->module, (int)im->field_len, im->field, kinds[im->kind & 3]);
    }
    const wtype *t = &m->types[im->index];
    wasm_functype ft = {t->nparams, t->nresults, t->params, t->results};
    char why[96];
    wu_fmt(why, sizeof why, "unknown import");
    if (!resolve || resolve(resolve_ctx, im->module, im->module_len, im->field, im->field_len, &ft, &inst->hosts[i], why,
                            sizeof why) != 0 || !inst->hosts[i].fn)
      return fail_inst(inst, err, errlen, "module '%s': import %.*s.%.*s refused: %s", m->name, (int)im->module_len,
                       im->module, (int)im->field_len, im->field, why);
  }

  if (m->has_memory) {
    uint32_t cap = lim.max_memory_pages && lim.max_memory_pages < W_MAX_PAGES ? lim.max_memory_pages : W_MAX_PAGES;
    uint32_t max = m->mem_has_max && m->mem_max < cap ? m->mem_max : cap;
    if (m->mem_min > max)
      return fail_inst(inst, err, errlen, "module '%s': memory of %u pages exceeds the limit of %u pages", m->name, m->mem_min, max);
    inst->mem_max_pages = max;
    if (m->mem_min) {
      inst->mem_cap = m->mem_min * W_PAGE;
      inst->mem = zalloc(inst, inst->mem_cap);
      if (!inst->mem) {
        inst->mem_cap = 0;
        return fail_inst(inst, err, errlen, "module '%s': initial memory (%u pages): %s", m->name, m->mem_min, OOM);
      }
      inst->mem_size = inst->mem_cap;
    }
  }

  inst->tables = zalloc(inst, n1(m->ntables) * sizeof *inst->tables);
  if (!inst->tables) return fail_inst(inst, err, errlen, OOM);
  for (uint32_t i = 0; i < m->ntables; i++) {
    const wtable *t = &m->tables[i];
    wtable_inst *ti = &inst->tables[i];
    ti->max = t->has_max && t->max < W_MAX_TABLE ? t->max : W_MAX_TABLE;
    if (t->min > ti->max) return fail_inst(inst, err, errlen, "module '%s': table of %u elements exceeds the limit", m->name, t->min);
    if (t->min) {
      ti->elems = zalloc(inst, (size_t)t->min * 8u);
      if (!ti->elems) return fail_inst(inst, err, errlen, "module '%s': table: %s", m->name, OOM);
      ti->size = ti->cap = t->min;
    }
  }

  inst->globals = zalloc(inst, n1(m->nglobals) * 8u);
  inst->elem_dropped = zalloc(inst, n1(m->nelems));
  inst->data_dropped = zalloc(inst, n1(m->ndatas));
  inst->stack = zalloc(inst, inst->stack_bytes);
  inst->frames = zalloc(inst, (size_t)inst->max_depth * sizeof *inst->frames);
  if (!inst->globals || !inst->elem_dropped || !inst->data_dropped || !inst->stack || !inst->frames)
    return fail_inst(inst, err, errlen, "module '%s': %s", m->name, OOM);
  for (uint32_t i = 0; i < m->nglobals; i++) wconst_eval(inst, &m->globals[i].init, &inst->globals[i]);

  for (uint32_t i = 0; i < m->nelems; i++) {
    const welem *e = &m->elems[i];
    if (e->mode == WSEG_ACTIVE) {
      uint64_t off;
      wconst_eval(inst, &e->offset, &off);
      wtable_inst *t = &inst->tables[e->table];
      if ((uint64_t)(uint32_t)off + e->count > t->size)
        return fail_inst(inst, err, errlen, "module '%s': element segment %u: out of bounds table access", m->name, i);
      for (uint32_t k = 0; k < e->count; k++) wconst_eval(inst, &e->items[k], &t->elems[(uint32_t)off + k]);
    }
    if (e->mode != WSEG_PASSIVE) inst->elem_dropped[i] = 1;
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const wdata *d = &m->datas[i];
    if (d->mode != WSEG_ACTIVE) continue;
    uint64_t off;
    wconst_eval(inst, &d->offset, &off);
    if ((uint64_t)(uint32_t)off + d->len > inst->mem_size)
      return fail_inst(inst, err, errlen, "module '%s': data segment %u: out of bounds memory access", m->name, i);
    wu_memcpy(inst->mem + (uint32_t)off, d->bytes, d->len);
    inst->data_dropped[i] = 1;
  }

  if (m->start >= 0) {
    wasm_status s = wasm_call(inst, (uint32_t)m->start, NULL, NULL);
    if (s != WASM_OK) return fail_inst(inst, err, errlen, "start function trapped: %s", inst->trap);
  }
  return inst;
}

wasm_status wasm_call(wasm_instance *inst, uint32_t func, const uint64_t *args, uint64_t *results) {
  const wasm_module *m = inst->mod;
  inst->trap[0] = 0;
  if (func >= m->nfuncs) {
    wu_fmt(inst->trap, sizeof inst->trap, "call: unknown function %u", func);
    return WASM_TRAP_HOST;
  }
  if (inst->running) {
    wu_fmt(inst->trap, sizeof inst->trap, "call: instance is already running (reentrant call)");
    return WASM_TRAP_HOST;
  }
  const wfunc *fn = &m->funcs[func];
  uint32_t n = fn->nparams > fn->nresults ? fn->nparams : fn->nresults;
  if ((uint64_t)n * 8u > inst->stack_bytes) {
    wu_fmt(inst->trap, sizeof inst->trap, "%s", wasm_status_text(WASM_TRAP_STACK_EXHAUSTED));
    return WASM_TRAP_STACK_EXHAUSTED;
  }
  uint64_t *slots = (uint64_t *)inst->stack;
  const wtype *t = &m->types[fn->type];
  for (uint32_t i = 0; i < fn->nparams; i++) {
    uint8_t ty = t->params[i];
    slots[i] = (ty == WASM_I32 || ty == WASM_F32) ? (uint32_t)args[i] : args[i];
  }
  inst->running = true;
  wasm_status s;
  if (fn->imported) {
    const wasm_host_binding *h = &inst->hosts[fn->import_index];
    s = h->fn(inst, h->ctx, slots);
    if (s != WASM_OK) {
      char msg[160];
      wu_fmt(msg, sizeof msg, "%s", inst->trap[0] ? inst->trap : wasm_status_text(s));
      wu_fmt(inst->trap, sizeof inst->trap, "%s (host function #%u called directly)", msg, func);
    }
  } else {
    s = winterp_run(inst, fn);
  }
  inst->running = false;
  if (s == WASM_OK && results) {
    for (uint32_t i = 0; i < fn->nresults; i++) {
      uint8_t ty = t->results[i];
      results[i] = (ty == WASM_I32 || ty == WASM_F32) ? (uint32_t)slots[i] : slots[i];
    }
  }
  return s;
}
