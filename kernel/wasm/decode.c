/*
 * Decodes a module's sections and validates everything outside function
 * bodies (those go to compile.c as the code section is reached).
 */
#include "internal.h"

enum { RANK_FUNCS = 3, RANK_TABLES = 4, RANK_GLOBALS = 6 };

static const char *section_name(uint8_t id) {
  static const char *names[] = {"custom", "type", "import", "function", "table", "memory", "global",
                                "export", "start", "element", "code", "data", "data count"};
  return id <= 12 ? names[id] : "unknown";
}

/* Position of a section id in the required order (data count sits between element and code). */
static int section_rank(uint8_t id) {
  static const int rank[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return id <= 12 ? rank[id] : -1;
}

typedef struct loader {
  wasm_module *m;
  wreader r;
  bool funcs_built, tables_built, globals_built;
  uint32_t ndefined_funcs; /* from the function section */
  bool saw_code;
} loader;

static void *alloc(loader *L, size_t n) {
  void *p = warena_alloc(&L->m->arena, n);
  if (!p) rd_fail(&L->r, L->r.p, "out of memory (module exceeds the memory quota)");
  return p;
}

static const char *copy_name(loader *L, const uint8_t *s, uint32_t n) {
  char *d = alloc(L, (size_t)n + 1);
  if (!d) return NULL;
  wu_memcpy(d, s, n);
  d[n] = 0;
  return d;
}

static bool read_valtype(loader *L, uint8_t *t) {
  const uint8_t *at = L->r.p;
  if (!rd_u8(&L->r, t)) return false;
  if (*t == 0x7B) return rd_fail(&L->r, at, "SIMD (v128) is not supported");
  if (!wtype_is_num(*t) && !wtype_is_ref(*t)) return rd_fail(&L->r, at, "malformed value type 0x%x", *t);
  return true;
}

static bool read_reftype(loader *L, uint8_t *t) {
  const uint8_t *at = L->r.p;
  if (!rd_u8(&L->r, t)) return false;
  if (!wtype_is_ref(*t)) return rd_fail(&L->r, at, "malformed reference type 0x%x", *t);
  return true;
}

static bool read_limits(loader *L, uint32_t *min, uint32_t *max, bool *has_max, bool memory) {
  const uint8_t *at = L->r.p;
  uint8_t flags;
  if (!rd_u8(&L->r, &flags)) return false;
  if (memory && (flags == 2 || flags == 3)) return rd_fail(&L->r, at, "shared memory (threads) is not supported");
  if (flags > 1) return rd_fail(&L->r, at, "malformed limits flags 0x%x", flags);
  if (!rd_u32(&L->r, min)) return false;
  *has_max = flags == 1;
  *max = 0;
  if (*has_max && !rd_u32(&L->r, max)) return false;
  if (memory) {
    if (*min > 65536) return rd_fail(&L->r, at, "memory size must be at most 65536 pages (4GiB)");
    if (*has_max && *max > 65536) return rd_fail(&L->r, at, "memory size must be at most 65536 pages (4GiB)");
  }
  if (*has_max && *max < *min) return rd_fail(&L->r, at, "size minimum must not be greater than maximum");
  return true;
}

/* The index spaces put imports first; the arrays are built once the defined counts are known. */
static bool build_funcs(loader *L, uint32_t ndefined) {
  wasm_module *m = L->m;
  uint64_t total = (uint64_t)m->nfunc_imports + ndefined;
  if (total > 1000000) return rd_fail(&L->r, L->r.p, "too many functions (implementation limit)");
  m->nfuncs = (uint32_t)total;
  m->funcs = alloc(L, (size_t)(total ? total : 1) * sizeof *m->funcs);
  m->declared_funcs = alloc(L, (size_t)(total / 8 + 1));
  if (!m->funcs || !m->declared_funcs) return false;
  uint32_t f = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    if (m->imports[i].kind != WASM_EXTERN_FUNC) continue;
    wfunc *fn = &m->funcs[f++];
    fn->imported = true;
    fn->import_index = i;
    fn->type = m->imports[i].index;
    fn->canon = m->types[fn->type].canon;
    fn->nparams = m->types[fn->type].nparams;
    fn->nresults = m->types[fn->type].nresults;
  }
  L->funcs_built = true;
  L->ndefined_funcs = ndefined;
  return true;
}

static bool build_tables(loader *L, uint32_t ndefined) {
  wasm_module *m = L->m;
  uint64_t total = (uint64_t)m->ntable_imports + ndefined;
  if (total > 100000) return rd_fail(&L->r, L->r.p, "too many tables (implementation limit)");
  wtable *t = alloc(L, (size_t)(total ? total : 1) * sizeof *t);
  if (!t) return false;
  for (uint32_t i = 0; i < m->ntable_imports; i++) t[i] = m->tables[i];
  m->tables = t;
  m->ntables = (uint32_t)total;
  L->tables_built = true;
  return true;
}

static bool build_globals(loader *L, uint32_t ndefined) {
  wasm_module *m = L->m;
  uint64_t total = (uint64_t)m->nglobal_imports + ndefined;
  if (total > 1000000) return rd_fail(&L->r, L->r.p, "too many globals (implementation limit)");
  wglobal *g = alloc(L, (size_t)(total ? total : 1) * sizeof *g);
  if (!g) return false;
  for (uint32_t i = 0; i < m->nglobal_imports; i++) g[i] = m->globals[i];
  m->globals = g;
  m->nglobals = (uint32_t)total;
  L->globals_built = true;
  return true;
}

static bool ensure_spaces(loader *L, int rank) {
  if (rank > RANK_FUNCS && !L->funcs_built && !build_funcs(L, 0)) return false;
  if (rank > RANK_TABLES && !L->tables_built && !build_tables(L, 0)) return false;
  if (rank > RANK_GLOBALS && !L->globals_built && !build_globals(L, 0)) return false;
  return true;
}

static void declare_func(wasm_module *m, uint32_t f) { m->declared_funcs[f >> 3] |= (uint8_t)(1u << (f & 7)); }

/*
 * Constant expression of type `want`. global.get may only name an immutable
 * imported global (WebAssembly 2.0).
 */
static bool read_const(loader *L, uint8_t want, wconst *out) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  const uint8_t *at = r->p;
  uint8_t opc, got;
  if (!rd_u8(r, &opc)) return false;
  out->value = 0;
  out->index = 0;
  switch (opc) {
  case 0x41: {
    int32_t v;
    if (!rd_s32(r, &v)) return false;
    out->kind = WC_CONST;
    out->value = (uint32_t)v;
    got = WASM_I32;
    break;
  }
  case 0x42: {
    int64_t v;
    if (!rd_s64(r, &v)) return false;
    out->kind = WC_CONST;
    out->value = (uint64_t)v;
    got = WASM_I64;
    break;
  }
  case 0x43:
  case 0x44: {
    const uint8_t *b;
    uint32_t n = opc == 0x43 ? 4 : 8;
    if (!rd_bytes(r, n, &b)) return false;
    uint64_t v = 0;
    for (uint32_t i = n; i-- > 0;) v = v << 8 | b[i];
    out->kind = WC_CONST;
    out->value = v;
    got = opc == 0x43 ? WASM_F32 : WASM_F64;
    break;
  }
  case 0xD0:
    if (!read_reftype(L, &got)) return false;
    out->kind = WC_REF_NULL;
    break;
  case 0xD2: {
    uint32_t f;
    if (!rd_u32(r, &f)) return false;
    if (f >= m->nfuncs) return rd_fail(r, at, "unknown function %u", f);
    declare_func(m, f);
    out->kind = WC_REF_FUNC;
    out->index = f;
    got = WASM_FUNCREF;
    break;
  }
  case 0x23: {
    uint32_t g;
    if (!rd_u32(r, &g)) return false;
    if (g >= m->nglobal_imports) return rd_fail(r, at, "unknown global %u (constant expressions may only use imported globals)", g);
    if (m->globals[g].mut) return rd_fail(r, at, "constant expression required (global %u is mutable)", g);
    out->kind = WC_GLOBAL;
    out->index = g;
    got = m->globals[g].type;
    break;
  }
  default:
    return rd_fail(r, at, "constant expression required (opcode 0x%x)", opc);
  }
  const uint8_t *end_at = r->p;
  uint8_t end;
  if (!rd_u8(r, &end)) return false;
  if (end != 0x0B) {
    if (end == 0x41 || end == 0x42 || end == 0x43 || end == 0x44 || end == 0x23 || end == 0xD0 || end == 0xD2)
      return rd_fail(r, end_at, "type mismatch: constant expression must produce exactly one value");
    return rd_fail(r, end_at, "constant expression required (opcode 0x%x)", end);
  }
  if (got != want) return rd_fail(r, at, "type mismatch: constant expression has type %s, expected %s", wtype_name(got), wtype_name(want));
  return true;
}

/* ---- hashing helpers for canonical types and unique export names ---- */

static uint32_t hash_bytes(uint32_t h, const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static uint32_t pow2_at_least(uint32_t n) {
  uint32_t s = 16;
  while (s < n * 2) s <<= 1;
  return s;
}

static bool same_type(const wtype *a, const wtype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults && !wu_memcmp(a->params, b->params, a->nparams) &&
         !wu_memcmp(a->results, b->results, a->nresults);
}

static bool canonicalize_types(loader *L) {
  wasm_module *m = L->m;
  if (!m->ntypes) return true;
  uint32_t size = pow2_at_least(m->ntypes);
  size_t bytes = (size_t)size * sizeof(uint32_t);
  uint32_t *tab = wheap_alloc(m->heap, bytes);
  if (!tab) return rd_fail(&L->r, L->r.p, "out of memory (module exceeds the memory quota)");
  wu_memset(tab, 0, bytes);
  for (uint32_t i = 0; i < m->ntypes; i++) {
    wtype *t = &m->types[i];
    uint32_t h = hash_bytes(2166136261u ^ t->nparams, t->params, t->nparams);
    h = hash_bytes(h ^ t->nresults, t->results, t->nresults);
    for (uint32_t j = h & (size - 1);; j = (j + 1) & (size - 1)) {
      if (!tab[j]) {
        tab[j] = i + 1;
        t->canon = i;
        break;
      }
      if (same_type(&m->types[tab[j] - 1], t)) {
        t->canon = tab[j] - 1;
        break;
      }
    }
  }
  wheap_free(m->heap, tab, bytes);
  return true;
}

/* ---- sections ---- */

static bool sec_type(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p)) return rd_fail(r, r->p, "type count %u out of bounds", n);
  m->types = alloc(L, (size_t)(n ? n : 1) * sizeof *m->types);
  if (!m->types) return false;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = r->p;
    uint8_t form;
    if (!rd_u8(r, &form)) return false;
    if (form != 0x60) return rd_fail(r, at, "malformed function type form 0x%x", form);
    wtype *t = &m->types[i];
    uint32_t np, nr;
    if (!rd_u32(r, &np)) return false;
    if (np > (uint32_t)(r->end - r->p)) return rd_fail(r, at, "parameter count %u out of bounds", np);
    uint8_t *p = alloc(L, np);
    if (!p) return false;
    for (uint32_t k = 0; k < np; k++)
      if (!read_valtype(L, &p[k])) return false;
    if (!rd_u32(r, &nr)) return false;
    if (nr > (uint32_t)(r->end - r->p)) return rd_fail(r, at, "result count %u out of bounds", nr);
    uint8_t *q = alloc(L, nr);
    if (!q) return false;
    for (uint32_t k = 0; k < nr; k++)
      if (!read_valtype(L, &q[k])) return false;
    if (np > 1000 || nr > 1000) return rd_fail(r, at, "too many parameters or results (implementation limit 1000)");
    t->nparams = np;
    t->params = p;
    t->nresults = nr;
    t->results = q;
    m->ntypes = i + 1;
  }
  return canonicalize_types(L);
}

static bool sec_import(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p) / 3) return rd_fail(r, r->p, "import count %u out of bounds", n);
  m->imports = alloc(L, (size_t)(n ? n : 1) * sizeof *m->imports);
  /* Tables and globals are staged here and copied to the full arrays later. */
  m->tables = alloc(L, (size_t)(n ? n : 1) * sizeof *m->tables);
  m->globals = alloc(L, (size_t)(n ? n : 1) * sizeof *m->globals);
  if (!m->imports || !m->tables || !m->globals) return false;
  for (uint32_t i = 0; i < n; i++) {
    wimport *im = &m->imports[i];
    const uint8_t *s;
    uint32_t len;
    if (!rd_name(r, &s, &len)) return false;
    im->module = copy_name(L, s, len);
    im->module_len = len;
    if (!rd_name(r, &s, &len)) return false;
    im->field = copy_name(L, s, len);
    im->field_len = len;
    if (!im->module || !im->field) return false;
    const uint8_t *at = r->p;
    uint8_t kind;
    if (!rd_u8(r, &kind)) return false;
    im->kind = kind;
    switch (kind) {
    case 0: {
      uint32_t t;
      if (!rd_u32(r, &t)) return false;
      if (t >= m->ntypes) return rd_fail(r, at, "unknown type %u", t);
      im->index = t;
      m->nfunc_imports++;
      break;
    }
    case 1: {
      wtable *t = &m->tables[m->ntable_imports];
      if (!read_reftype(L, &t->elem_type)) return false;
      if (!read_limits(L, &t->min, &t->max, &t->has_max, false)) return false;
      im->index = m->ntable_imports++;
      break;
    }
    case 2: {
      if (m->has_memory) return rd_fail(r, at, "multiple memories are not supported");
      if (!read_limits(L, &m->mem_min, &m->mem_max, &m->mem_has_max, true)) return false;
      m->has_memory = true;
      m->mem_imported = true;
      im->index = 0;
      break;
    }
    case 3: {
      wglobal *g = &m->globals[m->nglobal_imports];
      uint8_t mut;
      if (!read_valtype(L, &g->type)) return false;
      const uint8_t *mat = r->p;
      if (!rd_u8(r, &mut)) return false;
      if (mut > 1) return rd_fail(r, mat, "malformed mutability 0x%x", mut);
      g->mut = mut;
      g->imported = true;
      im->index = m->nglobal_imports++;
      break;
    }
    default:
      return rd_fail(r, at, "malformed import kind 0x%x", kind);
    }
    m->nimports = i + 1;
  }
  return true;
}

static bool sec_function(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p)) return rd_fail(r, r->p, "function count %u out of bounds", n);
  if (!build_funcs(L, n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = r->p;
    uint32_t t;
    if (!rd_u32(r, &t)) return false;
    if (t >= m->ntypes) return rd_fail(r, at, "unknown type %u", t);
    wfunc *fn = &m->funcs[m->nfunc_imports + i];
    fn->type = t;
    fn->canon = m->types[t].canon;
    fn->nparams = m->types[t].nparams;
    fn->nresults = m->types[t].nresults;
  }
  return true;
}

static bool sec_table(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p) / 2) return rd_fail(r, r->p, "table count %u out of bounds", n);
  if (!build_tables(L, n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    wtable *t = &m->tables[m->ntable_imports + i];
    if (!read_reftype(L, &t->elem_type)) return false;
    if (!read_limits(L, &t->min, &t->max, &t->has_max, false)) return false;
  }
  return true;
}

static bool sec_memory(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    if (m->has_memory) return rd_fail(r, r->p, "multiple memories are not supported");
    if (!read_limits(L, &m->mem_min, &m->mem_max, &m->mem_has_max, true)) return false;
    m->has_memory = true;
  }
  return true;
}

static bool sec_global(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p) / 3) return rd_fail(r, r->p, "global count %u out of bounds", n);
  if (!build_globals(L, n)) return false;
  for (uint32_t i = 0; i < n; i++) {
    wglobal *g = &m->globals[m->nglobal_imports + i];
    uint8_t mut;
    if (!read_valtype(L, &g->type)) return false;
    const uint8_t *at = r->p;
    if (!rd_u8(r, &mut)) return false;
    if (mut > 1) return rd_fail(r, at, "malformed mutability 0x%x", mut);
    g->mut = mut;
    if (!read_const(L, g->type, &g->init)) return false;
  }
  return true;
}

static bool sec_export(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p) / 3) return rd_fail(r, r->p, "export count %u out of bounds", n);
  m->exports = alloc(L, (size_t)(n ? n : 1) * sizeof *m->exports);
  if (!m->exports) return false;
  uint32_t size = pow2_at_least(n);
  size_t bytes = (size_t)size * sizeof(uint32_t);
  uint32_t *seen = wheap_alloc(m->heap, bytes);
  if (!seen) return rd_fail(r, r->p, "out of memory (module exceeds the memory quota)");
  wu_memset(seen, 0, bytes);
  bool ok = true;
  for (uint32_t i = 0; i < n && ok; i++) {
    wexport *e = &m->exports[i];
    const uint8_t *s, *at = r->p;
    uint32_t len;
    uint8_t kind;
    uint32_t idx;
    if (!rd_name(r, &s, &len) || !rd_u8(r, &kind) || !rd_u32(r, &idx)) {
      ok = false;
      break;
    }
    e->name = copy_name(L, s, len);
    e->name_len = len;
    e->kind = kind;
    e->index = idx;
    if (!e->name) { ok = false; break; }
    uint32_t h = hash_bytes(2166136261u, s, len);
    for (uint32_t j = h & (size - 1);; j = (j + 1) & (size - 1)) {
      if (!seen[j]) {
        seen[j] = i + 1;
        break;
      }
      const wexport *o = &m->exports[seen[j] - 1];
      if (o->name_len == len && !wu_memcmp(o->name, e->name, len)) {
        ok = rd_fail(r, at, "duplicate export name \"%.*s\"", (int)len, e->name);
        break;
      }
    }
    if (!ok) break;
    switch (kind) {
    case WASM_EXTERN_FUNC:
      if (idx >= m->nfuncs) ok = rd_fail(r, at, "unknown function %u", idx);
      else declare_func(m, idx);
      break;
    case WASM_EXTERN_TABLE:
      if (idx >= m->ntables) ok = rd_fail(r, at, "unknown table %u", idx);
      break;
    case WASM_EXTERN_MEMORY:
      if (idx != 0 || !m->has_memory) ok = rd_fail(r, at, "unknown memory %u", idx);
      break;
    case WASM_EXTERN_GLOBAL:
      if (idx >= m->nglobals) ok = rd_fail(r, at, "unknown global %u", idx);
      break;
    default:
      ok = rd_fail(r, at, "malformed export kind 0x%x", kind);
    }
    m->nexports = i + 1;
  }
  wheap_free(m->heap, seen, bytes);
  return ok;
}

static bool sec_start(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  const uint8_t *at = r->p;
  uint32_t f;
  if (!rd_u32(r, &f)) return false;
  if (f >= m->nfuncs) return rd_fail(r, at, "unknown function %u", f);
  if (m->funcs[f].nparams || m->funcs[f].nresults) return rd_fail(r, at, "start function must have type [] -> []");
  m->start = f;
  return true;
}

static bool sec_element(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p)) return rd_fail(r, r->p, "segment count %u out of bounds", n);
  m->elems = alloc(L, (size_t)(n ? n : 1) * sizeof *m->elems);
  if (!m->elems) return false;
  for (uint32_t i = 0; i < n; i++) {
    welem *e = &m->elems[i];
    const uint8_t *at = r->p;
    uint32_t flags;
    if (!rd_u32(r, &flags)) return false;
    if (flags > 7) return rd_fail(r, at, "malformed elements segment kind %u", flags);
    bool passive_or_decl = flags & 1, explicit_table = flags & 2, exprs = flags & 4;
    e->mode = passive_or_decl ? (explicit_table ? WSEG_DECLARATIVE : WSEG_PASSIVE) : WSEG_ACTIVE;
    e->table = 0;
    if (e->mode == WSEG_ACTIVE) {
      if (explicit_table && !rd_u32(r, &e->table)) return false;
      if (e->table >= m->ntables) return rd_fail(r, at, "unknown table %u", e->table);
      if (!read_const(L, WASM_I32, &e->offset)) return false;
    }
    e->type = WASM_FUNCREF;
    if (flags & 3) {
      if (exprs) {
        if (!read_reftype(L, &e->type)) return false;
      } else {
        const uint8_t *kat = r->p;
        uint8_t kind;
        if (!rd_u8(r, &kind)) return false;
        if (kind != 0) return rd_fail(r, kat, "malformed element kind 0x%x", kind);
      }
    }
    if (e->mode == WSEG_ACTIVE && m->tables[e->table].elem_type != e->type)
      return rd_fail(r, at, "type mismatch: segment of %s for table of %s", wtype_name(e->type),
                     wtype_name(m->tables[e->table].elem_type));
    uint32_t cnt;
    if (!rd_u32(r, &cnt)) return false;
    if (cnt > (uint32_t)(r->end - r->p)) return rd_fail(r, at, "element count %u out of bounds", cnt);
    e->count = cnt;
    e->items = alloc(L, (size_t)(cnt ? cnt : 1) * sizeof *e->items);
    if (!e->items) return false;
    for (uint32_t k = 0; k < cnt; k++) {
      if (exprs) {
        if (!read_const(L, e->type, &e->items[k])) return false;
      } else {
        const uint8_t *fat = r->p;
        uint32_t f;
        if (!rd_u32(r, &f)) return false;
        if (f >= m->nfuncs) return rd_fail(r, fat, "unknown function %u", f);
        declare_func(m, f);
        e->items[k].kind = WC_REF_FUNC;
        e->items[k].index = f;
      }
    }
    m->nelems = i + 1;
  }
  return true;
}

static bool sec_datacount(loader *L) {
  if (!rd_u32(&L->r, &L->m->datacount)) return false;
  L->m->has_datacount = true;
  return true;
}

static bool sec_code(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  const uint8_t *at = r->p;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n != L->ndefined_funcs) return rd_fail(r, at, "function and code section have inconsistent lengths");
  L->saw_code = true;
  wcompiler *wc = wcompile_begin(m);
  if (!wc) return rd_fail(r, at, "out of memory (module exceeds the memory quota)");
  bool ok = true;
  for (uint32_t i = 0; ok && i < n; i++) {
    const uint8_t *bat = r->p;
    uint32_t size;
    if (!rd_u32(r, &size)) {
      ok = false;
      break;
    }
    if (size > (uint32_t)(r->end - r->p)) {
      ok = rd_fail(r, bat, "function body size %u out of bounds", size);
      break;
    }
    const uint8_t *body_end = r->p + size;
    uint32_t fi = m->nfunc_imports + i;
    m->funcs[fi].body_offset = rd_offset(r, r->p);
    ok = wcompile_function(wc, fi, r, body_end);
    r->p = body_end;
  }
  wcompile_end(wc);
  return ok;
}

static bool sec_data(loader *L) {
  wreader *r = &L->r;
  wasm_module *m = L->m;
  const uint8_t *at = r->p;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (m->has_datacount && n != m->datacount) return rd_fail(r, at, "data count and data section have inconsistent lengths");
  if (n > (uint32_t)(r->end - r->p)) return rd_fail(r, at, "segment count %u out of bounds", n);
  m->datas = alloc(L, (size_t)(n ? n : 1) * sizeof *m->datas);
  if (!m->datas) return false;
  for (uint32_t i = 0; i < n; i++) {
    wdata *d = &m->datas[i];
    const uint8_t *sat = r->p;
    uint32_t flags;
    if (!rd_u32(r, &flags)) return false;
    if (flags > 2) return rd_fail(r, sat, "malformed data segment kind %u", flags);
    d->mode = flags == 1 ? WSEG_PASSIVE : WSEG_ACTIVE;
    if (flags == 2) {
      uint32_t mem;
      if (!rd_u32(r, &mem)) return false;
      if (mem != 0) return rd_fail(r, sat, "unknown memory %u", mem);
    }
    if (d->mode == WSEG_ACTIVE) {
      if (!m->has_memory) return rd_fail(r, sat, "unknown memory 0");
      if (!read_const(L, WASM_I32, &d->offset)) return false;
    }
    uint32_t len;
    const uint8_t *bytes;
    if (!rd_u32(r, &len) || !rd_bytes(r, len, &bytes)) return false;
    uint8_t *copy = alloc(L, len);
    if (!copy) return false;
    wu_memcpy(copy, bytes, len);
    d->bytes = copy;
    d->len = len;
    m->ndatas = i + 1;
  }
  return true;
}

/* Function names (subsection 1) from the "name" custom section; malformed content is ignored. */
static void sec_names(loader *L, const uint8_t *p, const uint8_t *end) {
  wasm_module *m = L->m;
  if (!L->funcs_built) return;
  char scratch[8];
  wreader r = {L->r.base, p, end, "name", scratch, sizeof scratch, false};
  while (r.p < r.end) {
    uint8_t id;
    uint32_t size;
    const uint8_t *body;
    if (!rd_u8(&r, &id) || !rd_u32(&r, &size) || !rd_bytes(&r, size, &body)) return;
    if (id != 1) continue;
    wreader s = {L->r.base, body, body + size, "name", scratch, sizeof scratch, false};
    uint32_t n;
    if (!rd_u32(&s, &n)) return;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t f, len;
      const uint8_t *name;
      if (!rd_u32(&s, &f) || !rd_name(&s, &name, &len)) return;
      if (f >= m->nfuncs) continue;
      const char *copy = warena_alloc(&m->arena, (size_t)len + 1);
      if (!copy) return;
      wu_memcpy((char *)copy, name, len);
      m->funcs[f].name = copy;
      m->funcs[f].name_len = len;
    }
  }
}

static bool sec_custom(loader *L) {
  wreader *r = &L->r;
  const uint8_t *s;
  uint32_t len;
  if (!rd_name(r, &s, &len)) return false;
  if (len == 4 && !wu_memcmp(s, "name", 4)) sec_names(L, r->p, r->end);
  r->p = r->end;
  return true;
}

static bool load_sections(loader *L) {
  wreader *r = &L->r;
  const uint8_t *b;
  r->section = "header";
  if (r->end - r->p < 4) return rd_fail(r, r->base, "magic header not detected (file too short)");
  rd_bytes(r, 4, &b);
  if (wu_memcmp(b, "\0asm", 4)) return rd_fail(r, b, "magic header not detected");
  if (r->end - r->p < 4) return rd_fail(r, r->p, "unknown binary version (file too short)");
  rd_bytes(r, 4, &b);
  if (b[0] != 1 || b[1] || b[2] || b[3]) return rd_fail(r, b, "unknown binary version");
  const uint8_t *file_end = r->end;
  int last_rank = 0;
  while (r->p < file_end) {
    const uint8_t *at = r->p;
    uint8_t id;
    uint32_t size;
    r->section = "module";
    if (!rd_u8(r, &id)) return false;
    int rank = section_rank(id);
    if (rank < 0) return rd_fail(r, at, "malformed section id %u", id);
    r->section = section_name(id);
    if (!rd_u32(r, &size)) return false;
    if (size > (uint32_t)(file_end - r->p)) return rd_fail(r, at, "section size %u out of bounds (unexpected end)", size);
    if (id != 0) {
      if (rank <= last_rank) return rd_fail(r, at, "unexpected section: out of order or duplicate");
      last_rank = rank;
      if (!ensure_spaces(L, rank)) return false;
    }
    const uint8_t *sec_end = r->p + size;
    r->end = sec_end;
    bool ok;
    switch (id) {
    case 0: ok = sec_custom(L); break;
    case 1: ok = sec_type(L); break;
    case 2: ok = sec_import(L); break;
    case 3: ok = sec_function(L); break;
    case 4: ok = sec_table(L); break;
    case 5: ok = sec_memory(L); break;
    case 6: ok = sec_global(L); break;
    case 7: ok = sec_export(L); break;
    case 8: ok = sec_start(L); break;
    case 9: ok = sec_element(L); break;
    case 10: ok = sec_code(L); break;
    case 11: ok = sec_data(L); break;
    default: ok = sec_datacount(L); break;
    }
    if (!ok) return false;
    if (r->p != sec_end) return rd_fail(r, r->p, "section size mismatch");
    r->end = file_end;
  }
  r->section = "module";
  if (!ensure_spaces(L, 100)) return false;
  if (L->ndefined_funcs && !L->saw_code) return rd_fail(r, r->p, "function and code section have inconsistent lengths");
  if (L->m->has_datacount && L->m->datacount != L->m->ndatas)
    return rd_fail(r, r->p, "data count and data section have inconsistent lengths");
  return true;
}

wasm_module *wasm_load(wasm_heap *heap, const uint8_t *bytes, size_t len, const char *name, char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  char dummy[4];
  if (!err || !errlen) {
    err = dummy;
    errlen = sizeof dummy;
  }
  if (len > 0x7FFFFFFFu) {
    wu_fmt(err, errlen, "module too large");
    return NULL;
  }
  wasm_module *m = wheap_alloc(heap, sizeof *m);
  if (!m) {
    wu_fmt(err, errlen, "out of memory (module exceeds the memory quota)");
    return NULL;
  }
  wu_memset(m, 0, sizeof *m);
  m->heap = heap;
  m->arena.heap = heap;
  m->start = -1;
  loader L;
  wu_memset(&L, 0, sizeof L);
  L.m = m;
  L.r.base = bytes;
  L.r.p = bytes;
  L.r.end = bytes + len;
  L.r.err = err;
  L.r.errlen = errlen;
  const char *nm = name ? name : "module";
  m->name = copy_name(&L, (const uint8_t *)nm, (uint32_t)wu_strlen(nm));
  if (!m->name || !load_sections(&L)) {
    wasm_module_free(m);
    return NULL;
  }
  return m;
}

void wasm_module_free(wasm_module *m) {
  if (!m) return;
  wjit_release(m);
  warena_release(&m->arena);
  wheap_free(m->heap, m, sizeof *m);
}

int32_t wasm_find_export(const wasm_module *m, const char *name, uint32_t name_len) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].name_len == name_len && !wu_memcmp(m->exports[i].name, name, name_len)) return (int32_t)i;
  return -1;
}

uint32_t wasm_export_count(const wasm_module *m) { return m->nexports; }

int wasm_export_info(const wasm_module *m, uint32_t i, const char **name, uint32_t *name_len, uint8_t *kind,
                     uint32_t *index) {
  if (i >= m->nexports) return -1;
  *name = m->exports[i].name;
  *name_len = m->exports[i].name_len;
  *kind = m->exports[i].kind;
  *index = m->exports[i].index;
  return 0;
}

uint32_t wasm_import_count(const wasm_module *m) { return m->nimports; }

int wasm_import_info(const wasm_module *m, uint32_t i, const char **module, uint32_t *module_len, const char **field,
                     uint32_t *field_len, uint8_t *kind, uint32_t *index) {
  if (i >= m->nimports) return -1;
  const wimport *im = &m->imports[i];
  *module = im->module;
  *module_len = im->module_len;
  *field = im->field;
  *field_len = im->field_len;
  *kind = im->kind;
  if (im->kind == WASM_EXTERN_FUNC) {
    /* A function import records its type; its function index counts the function imports before it. */
    uint32_t f = 0;
    for (uint32_t k = 0; k < i; k++) f += m->imports[k].kind == WASM_EXTERN_FUNC;
    *index = f;
  } else {
    *index = im->index;
  }
  return 0;
}

int wasm_has_start(const wasm_module *m) { return m->start >= 0; }

int wasm_func_type(const wasm_module *m, uint32_t func, wasm_functype *out) {
  if (func >= m->nfuncs) return -1;
  const wtype *t = &m->types[m->funcs[func].type];
  out->nparams = t->nparams;
  out->nresults = t->nresults;
  out->params = t->params;
  out->results = t->results;
  return 0;
}
