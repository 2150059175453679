/*
 * Validates a function body and translates it, in the same pass, into the
 * slot-based internal form (ops.h).
 *
 * Every WebAssembly operand-stack position has a fixed frame slot
 * (nlocals + height), known statically thanks to validation. The translator
 * keeps a compile-time stack whose entries may be "virtual": a local
 * (local.get) or a constant that has not been copied to its slot yet. An
 * instruction reads a virtual operand straight from the local or as an
 * immediate, so `local.get; local.get; i32.add; local.set` becomes one
 * three-operand add. Virtual entries are materialized into their slots
 * whenever their value could change (a write to that local) or must sit in a
 * canonical place (block boundaries, calls, branches).
 */
#include "internal.h"
#include "ops.h"

enum { V_SLOT, V_LOCAL, V_CONST };
#define T_UNKNOWN 0 /* polymorphic stack entry in unreachable code */

typedef struct vval {
  uint8_t type;
  uint8_t kind;
  uint32_t local;
  uint64_t c;
} vval;

typedef struct ctrl {
  uint8_t op; /* 0 function, 0x02 block, 0x03 loop, 0x04 if */
  bool unreachable;
  bool has_else;
  bool dead_at_entry; /* code emission was suppressed when the block began */
  uint32_t height;
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  uint32_t loop_pc;
  uint32_t patches;  /* head of patch list, index + 1 */
  uint32_t else_patch; /* patch entry (index + 1) of the if's false branch */
} ctrl;

typedef struct patch {
  uint32_t word, op, next;
} patch;

enum { LAST_NONE, LAST_DST, LAST_CMP };

struct wcompiler {
  wasm_module *m;
  wfunc *fn;
  wreader *r;
  uint32_t func_index;
  const uint8_t *insn; /* start of the current instruction */
  uint8_t *ltypes;
  uint32_t nlocals;
  uint32_t *lrefs; /* virtual stack entries referring to each local */
  uint32_t nvirtual;
  vval *stack;
  uint32_t sp, scap;
  ctrl *ctrls;
  uint32_t csp, ccap;
  wcode *code;
  uint32_t pc, codecap;
  uint32_t *opat; /* positions of opcode words, patched to handler addresses at the end */
  uint32_t nops, opcap;
  uint32_t *brw;  /* (displacement word, its instruction) pairs, for the final self-check */
  uint32_t nbrw, brwcap;
  uint32_t *heads; /* loop headers (targets of backward branches), for the native tier's probes */
  uint32_t nheads, headcap;
  bool jit;          /* the native tier is on: record loop headers, install entry probes */
  wcode entry_probe;
  wsite *sites;
  uint32_t nsites, sitecap;
  patch *patches;
  uint32_t npatches, patchcap;
  uint32_t max_height;
  bool dead;
  uint32_t label_pc; /* code position of the latest branch target */
  uint8_t last;
  uint32_t last_pos, last_dst_word, last_dst_slot, last_cmp;
  uint32_t ltcap, lrcap; /* capacities of ltypes / lrefs */
};
typedef struct wcompiler cc;

static const uint8_t one_type[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_FUNCREF, WASM_EXTERNREF};

static const uint8_t *type_ptr(uint8_t t) {
  for (unsigned i = 0; i < sizeof one_type; i++)
    if (one_type[i] == t) return &one_type[i];
  return NULL;
}

const char *wtype_name(uint8_t t) {
  switch (t) {
  case WASM_I32: return "i32";
  case WASM_I64: return "i64";
  case WASM_F32: return "f32";
  case WASM_F64: return "f64";
  case WASM_FUNCREF: return "funcref";
  case WASM_EXTERNREF: return "externref";
  case T_UNKNOWN: return "any";
  default: return "?";
  }
}

/* ---- errors and buffers ---- */

static bool fail(cc *c, const char *fmt, ...) {
  if (c->r->failed) return false;
  char rule[200];
  va_list ap;
  va_start(ap, fmt);
  wu_fmtv(rule, sizeof rule, fmt, ap);
  va_end(ap);
  return rd_fail(c->r, c->insn, "function %u: %s", c->func_index, rule);
}

static bool grow(cc *c, void **buf, uint32_t *cap, uint32_t need, size_t elem) {
  if (need <= *cap) return true;
  uint32_t ncap = *cap ? *cap : 16;
  while (ncap < need) {
    if (ncap > 0x7FFFFFFFu / 2) return fail(c, "function too large");
    ncap *= 2;
  }
  if ((size_t)ncap > (size_t)-1 / elem) return fail(c, "function too large");
  void *nb = wheap_alloc(c->m->heap, (size_t)ncap * elem);
  if (!nb) return fail(c, "out of memory (quota exceeded while translating)");
  if (*buf) {
    wu_memcpy(nb, *buf, (size_t)*cap * elem);
    wheap_free(c->m->heap, *buf, (size_t)*cap * elem);
  }
  *buf = nb;
  *cap = ncap;
  return true;
}

#define GROW(c, field, capf, need) grow((c), (void **)&(c)->field, &(c)->capf, (need), sizeof *(c)->field)

/* A branch displacement: words relative to the branch's opcode word, stored in bytes. */
static wcode wrel(uint32_t d) { return (wcode)((intptr_t)(int32_t)d * (intptr_t)sizeof(wcode)); }

static void emit(cc *c, wcode w) {
  if (c->dead || c->r->failed) return;
  if (c->pc >= c->codecap && !GROW(c, code, codecap, c->pc + 1)) return;
  c->code[c->pc++] = w;
}

/* Starts an instruction: forgets peephole state, returns its position. */
static uint32_t op(cc *c, uint32_t opcode) {
  c->last = LAST_NONE;
  uint32_t at = c->pc;
  if (!c->dead && !c->r->failed) {
    if (c->nops >= c->opcap && !GROW(c, opat, opcap, c->nops + 1)) return at;
    c->opat[c->nops++] = at;
  }
  emit(c, opcode);
  return at;
}

static void site(cc *c, uint32_t pc) {
  if (c->dead || c->r->failed) return;
  if (c->nsites >= c->sitecap && !GROW(c, sites, sitecap, c->nsites + 1)) return;
  c->sites[c->nsites].pc = pc;
  c->sites[c->nsites].offset = rd_offset(c->r, c->insn);
  c->nsites++;
}

static uint32_t slot(const cc *c, uint32_t h) { return (c->nlocals + h) * 8u; }

/* ---- the compile-time value stack ---- */

static bool push(cc *c, uint8_t type, uint8_t kind, uint32_t local, uint64_t k) {
  if (c->sp >= c->scap && !GROW(c, stack, scap, c->sp + 1)) return false;
  if (c->nlocals + c->sp + 1 > W_MAX_FRAME_SLOTS) return fail(c, "operand stack too deep (implementation limit)");
  vval *v = &c->stack[c->sp++];
  v->type = type;
  v->kind = kind;
  v->local = local;
  v->c = k;
  if (kind == V_LOCAL) c->lrefs[local]++;
  if (kind != V_SLOT) c->nvirtual++;
  if (c->sp > c->max_height) c->max_height = c->sp;
  return true;
}

static bool push_slot(cc *c, uint8_t type) { return push(c, type, V_SLOT, 0, 0); }

static void forget(cc *c, vval *v) {
  if (v->kind == V_LOCAL) c->lrefs[v->local]--;
  if (v->kind != V_SLOT) c->nvirtual--;
}

/* Pops a value of type `want` (T_UNKNOWN: any). Out: entry and its height. */
static bool pop(cc *c, uint8_t want, vval *out, uint32_t *h) {
  ctrl *k = &c->ctrls[c->csp - 1];
  if (c->sp == k->height) {
    if (!k->unreachable) return fail(c, "type mismatch: operand stack underflow (expected %s)", wtype_name(want));
    out->type = want;
    out->kind = V_SLOT;
    if (h) *h = c->sp;
    return true;
  }
  vval *v = &c->stack[--c->sp];
  if (want != T_UNKNOWN && v->type != T_UNKNOWN && v->type != want)
    return fail(c, "type mismatch: expected %s, got %s", wtype_name(want), wtype_name(v->type));
  forget(c, v);
  *out = *v;
  if (out->type == T_UNKNOWN) out->type = want;
  if (h) *h = c->sp;
  return true;
}

static void reset_to(cc *c, uint32_t height) {
  while (c->sp > height) forget(c, &c->stack[--c->sp]);
}

static void emit_copy(cc *c, uint8_t type, uint32_t dst, uint32_t src) {
  if (dst == src) return;
  op(c, wtype_is_64(type) ? OP_COPY64 : OP_COPY32);
  emit(c, dst);
  emit(c, src);
}

static void emit_const(cc *c, uint8_t type, uint32_t dst, uint64_t k) {
  if (wtype_is_64(type)) {
    op(c, OP_CONST64);
    emit(c, dst);
    emit(c, (uint32_t)k);
    emit(c, (uint32_t)(k >> 32));
  } else {
    op(c, OP_CONST32);
    emit(c, dst);
    emit(c, (uint32_t)k);
  }
}

/* Writes value v (whatever its kind) into frame slot dst; v sits at height h. */
static void place(cc *c, const vval *v, uint32_t h, uint32_t dst) {
  if (v->kind == V_LOCAL) emit_copy(c, v->type, dst, v->local * 8u);
  else if (v->kind == V_CONST) emit_const(c, v->type, dst, v->c);
  else emit_copy(c, v->type, dst, slot(c, h));
}

/* Puts stack entry i into its own slot. */
static void materialize(cc *c, uint32_t i) {
  vval *v = &c->stack[i];
  if (v->kind == V_SLOT) return;
  place(c, v, i, slot(c, i));
  forget(c, v);
  v->kind = V_SLOT;
}

static void materialize_all(cc *c) {
  for (uint32_t i = 0; c->nvirtual && i < c->sp; i++) materialize(c, i);
}

/* Slot from which an instruction reads a popped operand at height h. */
static uint32_t operand(cc *c, const vval *v, uint32_t h) {
  if (v->kind == V_LOCAL) return v->local * 8u;
  if (v->kind == V_CONST) emit_const(c, v->type, slot(c, h), v->c);
  return slot(c, h);
}

/*
 * Marks the current position as a branch target: no peephole may merge the instructions
 * before it with those after it.
 */
static void mark_label(cc *c) {
  c->label_pc = c->pc;
  c->last = LAST_NONE;
}

/* Records that the instruction just emitted wrote its single result to slot(h). */
static void result_at(cc *c, uint32_t at, uint32_t dst_word, uint32_t h) {
  if (c->dead) return;
  c->last = LAST_DST;
  c->last_pos = at;
  c->last_dst_word = dst_word;
  c->last_dst_slot = slot(c, h);
}

/* ---- the accumulator (ops.h) ---- */

/* Producers whose result may go to the accumulator: i32 ALU ops, compares and i32 loads. */
static bool acc_producer(uint32_t opcode) {
  if (opcode >= OP_FUSE2) return opcode < OP_FUSE2 + OP_FUSE2_DACC;
  if (opcode >= OP_BR_CMP || (opcode & W_DACC)) return false;
  uint32_t base = opcode & 0xFF;
  if (base >= 0x46 && base <= 0x4F) return true;
  if (base >= 0x61 && base <= 0x66) return true; /* f64 compares */
  if (base >= 0x6A && base <= 0x78) return base < 0x6D || base > 0x70;
  if (base == OP_LOAD_UPD_I32 || (base >= OP_LOAD_UPD_I32_8S && base <= OP_LOAD_UPD_I32_16U)) return true;
  return base == OP_I32_RSUB || base == OP_MUL_LOADS || base == 0x28 || (base >= 0x2C && base <= 0x2F);
}

/* Whether popped operand v (at height h) is the result the last instruction just produced. */
static bool from_last(const cc *c, const vval *v, uint32_t h) {
  return !c->dead && !c->r->failed && v->kind == V_SLOT && v->type == WASM_I32 &&
         (c->last == LAST_DST || c->last == LAST_CMP) && c->last_dst_slot == slot(c, h) &&
         acc_producer((uint32_t)c->code[c->last_pos]);
}

/*
 * If the instruction at pos (the last one) is `i32.add slot, K` whose result only feeds the
 * memory access being translated, removes it and returns the slot and K for address folding.
 */
static bool fold_address(cc *c, uint32_t pos, uint32_t *base, uint32_t *k) {
  if (c->r->failed || c->code[pos] != (0x6A | W_IMM) || pos + 4 != c->pc) return false;
  *base = (uint32_t)c->code[pos + 2];
  *k = (uint32_t)c->code[pos + 3];
  c->pc = pos;
  c->nops--;
  return true;
}

/* The same for the f64 accumulator: f64 add/sub/mul/div results. */
static bool from_last_f(const cc *c, const vval *v, uint32_t h) {
  if (c->dead || c->r->failed || v->kind != V_SLOT || v->type != WASM_F64 || c->last != LAST_DST ||
      c->last_dst_slot != slot(c, h))
    return false;
  uint32_t opcode = (uint32_t)c->code[c->last_pos];
  return opcode < OP_BR_CMP && !(opcode & W_DACC) && (opcode & 0xFF) >= 0xA0 && (opcode & 0xFF) <= 0xA3;
}

static void producer_to_acc(cc *c, uint32_t pos) {
  if (c->r->failed) return;
  uint32_t o = (uint32_t)c->code[pos];
  c->code[pos] = o >= OP_FUSE2 ? o + OP_FUSE2_DACC : (o | W_DACC);
}

/* ---- control ---- */

static bool push_ctrl(cc *c, uint8_t opc, uint32_t np, const uint8_t *p, uint32_t nr, const uint8_t *res) {
  if (c->csp >= c->ccap && !GROW(c, ctrls, ccap, c->csp + 1)) return false;
  ctrl *k = &c->ctrls[c->csp++];
  k->op = opc;
  k->unreachable = false;
  k->dead_at_entry = c->dead;
  k->has_else = false;
  k->height = c->sp - np;
  k->nparams = np;
  k->params = p;
  k->nresults = nr;
  k->results = res;
  k->loop_pc = c->pc;
  k->patches = 0;
  k->else_patch = 0;
  return true;
}

static void set_unreachable(cc *c) {
  ctrl *k = &c->ctrls[c->csp - 1];
  while (c->sp > k->height) forget(c, &c->stack[--c->sp]);
  k->unreachable = true;
  c->dead = true;
  c->last = LAST_NONE;
}

/* Remembers a branch displacement word for the self-check in wcompile_function. */
static void note_branch(cc *c, uint32_t word, uint32_t at) {
  if (c->dead || c->r->failed) return;
  if (c->nbrw + 2 > c->brwcap && !GROW(c, brw, brwcap, c->nbrw + 2)) return;
  c->brw[c->nbrw++] = word;
  c->brw[c->nbrw++] = at;
}

/* Adds a forward-branch fixup for ctrl k; returns the patch index + 1. */
static uint32_t add_patch(cc *c, ctrl *k, uint32_t word, uint32_t at) {
  if (c->dead || c->r->failed) return 0;
  if (c->npatches >= c->patchcap && !GROW(c, patches, patchcap, c->npatches + 1)) return 0;
  note_branch(c, word, at);
  patch *p = &c->patches[c->npatches++];
  p->word = word;
  p->op = at;
  p->next = k ? k->patches : 0;
  if (k) k->patches = c->npatches;
  return c->npatches;
}

static void apply_patch(cc *c, uint32_t idx, uint32_t target) {
  if (c->r->failed || !idx) return;
  patch *p = &c->patches[idx - 1];
  c->code[p->word] = wrel(target - p->op);
}

/* Emits the branch word for label k of an instruction at `at`. */
static void branch_word(cc *c, ctrl *k, uint32_t at) {
  if (c->dead) return;
  if (k->op == 0x03) {
    note_branch(c, c->pc, at);
    emit(c, wrel(k->loop_pc - at));
  } else {
    uint32_t w = c->pc;
    emit(c, 0);
    add_patch(c, k, w, at);
  }
}

static uint32_t label_arity(const ctrl *k) { return k->op == 0x03 ? k->nparams : k->nresults; }
static const uint8_t *label_types(const ctrl *k) { return k->op == 0x03 ? k->params : k->results; }

/* Checks that the top of the stack matches label types without consuming it. */
static bool check_label_operands(cc *c, const ctrl *k) {
  uint32_t n = label_arity(k);
  const uint8_t *t = label_types(k);
  const ctrl *top = &c->ctrls[c->csp - 1];
  for (uint32_t i = 0; i < n; i++) {
    uint32_t depth = n - 1 - i; /* distance from the top */
    if (c->sp < top->height + depth + 1) {
      if (top->unreachable) continue;
      return fail(c, "type mismatch: branch expects %u values", n);
    }
    uint8_t have = c->stack[c->sp - 1 - depth].type;
    if (have != T_UNKNOWN && have != t[i])
      return fail(c, "type mismatch: branch expects %s, got %s", wtype_name(t[i]), wtype_name(have));
  }
  return true;
}

/* Whether branching to k needs values moved (they are not already in k's result slots). */
static bool branch_needs_copies(cc *c, const ctrl *k) {
  uint32_t n = label_arity(k);
  if (n == 0) return false;
  uint32_t base = c->sp - n;
  if (base != k->height) return true;
  for (uint32_t i = 0; i < n; i++)
    if (c->stack[base + i].kind != V_SLOT) return true;
  return false;
}

static void branch_copies(cc *c, const ctrl *k) {
  uint32_t n = label_arity(k);
  uint32_t base = c->sp - n;
  for (uint32_t i = 0; i < n; i++) place(c, &c->stack[base + i], base + i, slot(c, k->height + i));
}

/* Return sequence: results to slots 0..n-1, then OP_RETURN. */
static void emit_return(cc *c) {
  uint32_t n = c->fn->nresults;
  uint32_t base = c->sp - n;
  /* A result read from a local could be overwritten by an earlier result copy: move it first. */
  for (uint32_t i = 0; i < n; i++)
    if (c->stack[base + i].kind == V_LOCAL) materialize(c, base + i);
  for (uint32_t i = 0; i < n; i++) place(c, &c->stack[base + i], base + i, i * 8u);
  op(c, OP_RETURN);
}

static bool is_function_label(const cc *c, const ctrl *k) { return k == &c->ctrls[0]; }

static void emit_br(cc *c, ctrl *k) {
  if (is_function_label(c, k)) {
    emit_return(c);
    return;
  }
  branch_copies(c, k);
  uint32_t at = op(c, OP_BR);
  branch_word(c, k, at);
}

#define NO_POS 0xFFFFFFFFu

static bool is_f64_cmp(uint32_t opcode) {
  return opcode < OP_BR_CMP && !(opcode & W_DACC) && (opcode & 0xFF) >= 0x61 && (opcode & 0xFF) <= 0x66;
}

/*
 * Position of an f64 comparison whose result is branch condition `cond` (at height h), directly
 * or through an i32.eqz (then c->last is LAST_CMP): it can be fused into the branch. NO_POS if none.
 */
static uint32_t f64_cmp_feeding(cc *c, const vval *cond, uint32_t h) {
  if (c->r->failed || cond->kind != V_SLOT || c->last_dst_slot != slot(c, h)) return NO_POS;
  if (c->last == LAST_DST) return is_f64_cmp((uint32_t)c->code[c->last_pos]) ? c->last_pos : NO_POS;
  if (c->last != LAST_CMP || c->last_cmp != 0x45 || c->nops < 2 || c->label_pc == c->last_pos) return NO_POS;
  /* [f64 cmp tmp a b] [i32.eqz tmp' tmp] with tmp the eqz's own (stack) slot: nothing else reads it. */
  uint32_t pp = c->opat[c->nops - 2], flags = (uint32_t)c->code[pp];
  if (!is_f64_cmp(flags) || pp + 4 != c->last_pos) return NO_POS;
  if ((uint32_t)c->code[pp + 1] != slot(c, h) || (uint32_t)c->code[c->last_pos + 2] != slot(c, h)) return NO_POS;
  return pp;
}

static const uint8_t cmp_negate[10] = {0x47, 0x46, 0x4E, 0x4F, 0x4C, 0x4D, 0x4A, 0x4B, 0x48, 0x49};

/*
 * Conditional jump to label k (or, with k == NULL, a fresh fixup returned
 * through *fix) taken when cond is true (negate: when false). Fuses with an
 * immediately preceding i32 comparison or eqz.
 */
static void emit_cond_jump(cc *c, const vval *cond, uint32_t h, bool negate, ctrl *k, uint32_t *fix) {
  if (c->dead) return;
  uint32_t opcode, nwords = 0;
  wcode words[4] = {0, 0, 0, 0}, words3 = 0;
  uint32_t fpos = f64_cmp_feeding(c, cond, h);
  if (fpos != NO_POS) {
    /* An f64 comparison (possibly under i32.eqz) decides the branch: one instruction. */
    uint32_t flags = (uint32_t)c->code[fpos], cmp = flags & 0xFF;
    if (c->last == LAST_CMP) negate = !negate; /* through the eqz */
    words[0] = c->code[fpos + 2];
    words[1] = c->code[fpos + 3]; /* a slot, or the address of the f64 immediate */
    nwords = 2;
    c->nops -= c->last == LAST_CMP ? 2 : 1;
    c->pc = fpos;
    opcode = OP_BR_F64 + (cmp - 0x61) + (negate ? OP_BR_F64_NOT : 0) + ((flags & W_IMM) ? OP_BR_F64_BIMM : 0) +
             ((flags & W_AACC) ? OP_BR_F64_AACC : 0);
  } else if (cond->kind == V_SLOT && c->last == LAST_CMP && c->last_dst_slot == slot(c, h)) {
    /* Drop the compare: the branch evaluates it. */
    uint32_t cmp = c->last_cmp, pos = c->last_pos;
    uint32_t flags = (uint32_t)c->code[pos];
    words[0] = (uint32_t)c->code[pos + 2];
    if (cmp != 0x45) words[1] = (uint32_t)c->code[pos + 3];
    c->pc = pos;
    c->nops--;
    if (cmp == 0x45) {
      opcode = negate ? OP_BR_IF : OP_BR_UNLESS;
      nwords = 1;
    } else {
      if (negate) cmp = cmp_negate[cmp - 0x46];
      opcode = ((flags & W_IMM) ? OP_BR_CMP_IMM : OP_BR_CMP) + (cmp - 0x46) + ((flags & W_AACC) ? OP_BR_CMP_ACC : 0);
      nwords = 2;
      /* A loop latch: the compare tests what the i32.add right before it wrote. Fuse all three. */
      uint32_t pp = c->nops ? c->opat[c->nops - 1] : 0;
      if (!(flags & W_AACC) && c->nops && pp + 4 == pos && c->label_pc != pos &&
          ((uint32_t)c->code[pp] == 0x6A || (uint32_t)c->code[pp] == (0x6A | W_IMM)) &&
          (uint32_t)c->code[pp + 1] == words[0]) {
        uint32_t x = (uint32_t)c->code[pp + 1], pa = (uint32_t)c->code[pp + 2], pb = (uint32_t)c->code[pp + 3];
        opcode = OP_BR_ADD + (cmp - 0x46) + (((uint32_t)c->code[pp] & W_IMM) ? OP_BR_ADD_BIMM : 0) +
                 ((flags & W_IMM) ? OP_BR_ADD_CIMM : 0);
        c->pc = pp;
        c->nops--;
        words[0] = x;
        words[2] = words[1];
        words[1] = pa;
        nwords = 4;
        words3 = pb;
      }
    }
  } else if (cond->kind == V_LOCAL && !c->r->failed && c->nops && c->label_pc != c->pc &&
             c->opat[c->nops - 1] + 4 == c->pc &&
             ((uint32_t)c->code[c->opat[c->nops - 1]] | W_IMM) == (0x6A | W_IMM) &&
             (uint32_t)c->code[c->opat[c->nops - 1] + 1] == cond->local * 8u) {
    /* `local.tee x (i32.add a b); br_if`: a loop latch testing x != 0 (x == 0 when negated). */
    uint32_t pp = c->opat[c->nops - 1], add = (uint32_t)c->code[pp];
    opcode = OP_BR_ADD + OP_BR_ADD_CIMM + (negate ? 0 : 1) + ((add & W_IMM) ? OP_BR_ADD_BIMM : 0);
    words[0] = cond->local * 8u;
    words[1] = (uint32_t)c->code[pp + 2];
    words3 = (uint32_t)c->code[pp + 3];
    words[2] = 0;
    nwords = 4;
    c->pc = pp;
    c->nops--;
  } else if (from_last(c, cond, h)) {
    producer_to_acc(c, c->last_pos);
    opcode = negate ? OP_BR_UNLESS_ACC : OP_BR_IF_ACC;
  } else {
    words[0] = operand(c, cond, h);
    opcode = negate ? OP_BR_UNLESS : OP_BR_IF;
    nwords = 1;
  }
  uint32_t at = op(c, opcode);
  uint32_t w = c->pc;
  if (k) {
    branch_word(c, k, at);
  } else {
    emit(c, 0);
    *fix = add_patch(c, NULL, w, at);
  }
  if (nwords == 4) {
    /* latch layout after rel: x, a, b, c */
    emit(c, words[0]);
    emit(c, words[1]);
    emit(c, words3);
    emit(c, words[2]);
    return;
  }
  for (uint32_t i = 0; i < nwords; i++) emit(c, words[i]);
}

/* ---- block types ---- */

static bool read_blocktype(cc *c, uint32_t *np, const uint8_t **p, uint32_t *nr, const uint8_t **res) {
  wreader *r = c->r;
  if (r->p >= r->end) return fail(c, "unexpected end");
  uint8_t b = *r->p;
  if (b == 0x40) {
    r->p++;
    *np = *nr = 0;
    *p = *res = NULL;
    return true;
  }
  if (b == 0x7B) return fail(c, "SIMD (v128) is not supported");
  const uint8_t *t = type_ptr(b);
  if (t) {
    r->p++;
    *np = 0;
    *p = NULL;
    *nr = 1;
    *res = t;
    return true;
  }
  int64_t idx;
  if (!rd_s33(r, &idx)) return false;
  if (idx < 0) return fail(c, "malformed block type 0x%x", b);
  if ((uint64_t)idx >= c->m->ntypes) return fail(c, "unknown type %u in block type", (uint32_t)idx);
  const wtype *ft = &c->m->types[idx];
  *np = ft->nparams;
  *p = ft->params;
  *nr = ft->nresults;
  *res = ft->results;
  return true;
}

/* Checks the top n values against the given types (block params, call arguments), keeping them. */
static bool check_params(cc *c, uint32_t n, const uint8_t *t) {
  const ctrl *top = &c->ctrls[c->csp - 1];
  uint32_t avail = c->sp - top->height;
  for (uint32_t d = 0; d < n; d++) {
    uint32_t i = n - 1 - d;
    if (d >= avail) {
      if (!top->unreachable) return fail(c, "type mismatch: expected %u operands, got %u", n, avail);
      continue;
    }
    uint8_t have = c->stack[c->sp - 1 - d].type;
    if (have != T_UNKNOWN && have != t[i])
      return fail(c, "type mismatch: expected %s, got %s", wtype_name(t[i]), wtype_name(have));
  }
  if (avail < n) {
    /* Polymorphic stack (dead code): stand in concrete entries for the missing values. */
    reset_to(c, top->height);
    for (uint32_t i = 0; i < n; i++)
      if (!push_slot(c, t[i])) return false;
  } else {
    for (uint32_t i = 0; i < n; i++) c->stack[c->sp - n + i].type = t[i];
  }
  return true;
}

/* A loop header: where the native tier counts iterations (jit.c). Out of line: the translator's
   main loop stays as tight as without the native tier. */
static __attribute__((noinline)) void loop_header(cc *c) {
  if (!c->dead && (c->nheads < c->headcap || GROW(c, heads, headcap, c->nheads + 1))) c->heads[c->nheads++] = c->pc;
}

static bool enter_block(cc *c, uint8_t opc) {
  uint32_t np = 0, nr = 0;
  const uint8_t *p = NULL, *res = NULL;
  if (!read_blocktype(c, &np, &p, &nr, &res)) return false;
  vval cond;
  uint32_t ch = 0;
  if (opc == 0x04 && !pop(c, WASM_I32, &cond, &ch)) return false;
  if (!check_params(c, np, p)) return false;
  /* Values must be in canonical slots at block boundaries: paths into the block merge there. */
  materialize_all(c);
  uint32_t fix = 0;
  if (opc == 0x04) {
    emit_cond_jump(c, &cond, ch, true, NULL, &fix);
  }
  mark_label(c);
  if (!push_ctrl(c, opc, np, p, nr, res)) return false;
  c->ctrls[c->csp - 1].else_patch = fix;
  return true;
}

/* Checks the stack at the end of a block body holds exactly the results. */
static bool check_block_end(cc *c, const ctrl *k) {
  uint32_t n = k->nresults, avail = c->sp - k->height;
  if (avail > n) return fail(c, "type mismatch: %u values left on the stack at end of block", avail - n);
  if (avail < n && !k->unreachable) return fail(c, "type mismatch: block expects %u results, got %u", n, avail);
  for (uint32_t d = 0; d < avail; d++) {
    uint8_t want = k->results[n - 1 - d];
    uint8_t have = c->stack[c->sp - 1 - d].type;
    if (have != T_UNKNOWN && have != want)
      return fail(c, "type mismatch: block result expects %s, got %s", wtype_name(want), wtype_name(have));
  }
  return true;
}

static bool do_else(cc *c) {
  ctrl *k = &c->ctrls[c->csp - 1];
  if (k->op != 0x04 || k->has_else) return fail(c, "else without matching if");
  if (!check_block_end(c, k)) return false;
  /* Live code holds exactly the results here; dead code may hold fewer (polymorphic stack). */
  if (!c->dead)
    for (uint32_t i = 0; i < k->nresults; i++) materialize(c, k->height + i);
  uint32_t at = op(c, OP_BR);
  branch_word(c, k, at);
  c->dead = k->dead_at_entry;
  apply_patch(c, k->else_patch, c->pc);
  mark_label(c);
  k->else_patch = 0;
  k->has_else = true;
  k->unreachable = false;
  reset_to(c, k->height);
  for (uint32_t i = 0; i < k->nparams; i++)
    if (!push_slot(c, k->params[i])) return false;
  c->last = LAST_NONE;
  return true;
}

static bool do_end(cc *c) {
  ctrl *k = &c->ctrls[c->csp - 1];
  if (k->op == 0x04 && !k->has_else) {
    if (k->nparams != k->nresults || (k->nparams && wu_memcmp(k->params, k->results, k->nparams)))
      return fail(c, "type mismatch: if without else must have matching parameter and result types");
  }
  if (!check_block_end(c, k)) return false;
  if (c->csp == 1) {
    if (!c->dead) emit_return(c);
    c->csp = 0;
    return true;
  }
  /* Live code holds exactly the results here; dead code may hold fewer (polymorphic stack). */
  if (!c->dead)
    for (uint32_t i = 0; i < k->nresults; i++) materialize(c, k->height + i);
  c->dead = k->dead_at_entry;
  uint32_t target = c->pc;
  mark_label(c);
  for (uint32_t p = k->patches; p; p = c->patches[p - 1].next) apply_patch(c, p, target);
  apply_patch(c, k->else_patch, target);
  uint32_t h = k->height, n = k->nresults;
  const uint8_t *res = k->results;
  c->csp--;
  reset_to(c, h);
  for (uint32_t i = 0; i < n; i++)
    if (!push_slot(c, res[i])) return false;
  c->last = LAST_NONE;
  return true;
}

static ctrl *label(cc *c, uint32_t depth) {
  if (depth >= c->csp) {
    fail(c, "unknown label %u", depth);
    return NULL;
  }
  return &c->ctrls[c->csp - 1 - depth];
}

static bool do_br_if(cc *c, uint32_t depth) {
  ctrl *k = label(c, depth);
  if (!k) return false;
  vval cond;
  uint32_t ch;
  if (!pop(c, WASM_I32, &cond, &ch)) return false;
  if (!check_label_operands(c, k)) return false;
  if (c->dead) return true;
  if (!is_function_label(c, k) && !branch_needs_copies(c, k)) {
    emit_cond_jump(c, &cond, ch, false, k, NULL);
    c->last = LAST_NONE;
    return true;
  }
  uint32_t skip = 0;
  emit_cond_jump(c, &cond, ch, true, NULL, &skip);
  emit_br(c, k);
  apply_patch(c, skip, c->pc);
  mark_label(c);
  return true;
}

static bool do_br_table(cc *c) {
  wreader *r = c->r;
  uint32_t n;
  if (!rd_u32(r, &n)) return false;
  if (n > (uint32_t)(r->end - r->p)) return fail(c, "br_table target count %u out of bounds", n);
  const uint8_t *targets = r->p;
  uint32_t dflt;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t d;
    if (!rd_u32(r, &d)) return false;
  }
  if (!rd_u32(r, &dflt)) return false;
  vval idx;
  uint32_t ih;
  if (!pop(c, WASM_I32, &idx, &ih)) return false;
  ctrl *dk = label(c, dflt);
  if (!dk) return false;
  uint32_t arity = label_arity(dk);
  wreader tr = *r;
  tr.p = targets;
  for (uint32_t i = 0; i <= n; i++) {
    uint32_t d = dflt;
    if (i < n) rd_u32(&tr, &d);
    ctrl *k = label(c, d);
    if (!k) return false;
    if (label_arity(k) != arity) return fail(c, "type mismatch: br_table targets have different arities");
    if (!check_label_operands(c, k)) return false;
  }
  if (!c->dead) {
    uint32_t src = operand(c, &idx, ih);
    uint32_t at = op(c, OP_BR_TABLE);
    emit(c, src);
    emit(c, n);
    uint32_t first = c->pc;
    for (uint32_t i = 0; i <= n; i++) emit(c, 0);
    /* Targets that need values moved (or are the function label) go through a stub. */
    tr.p = targets;
    for (uint32_t i = 0; i <= n && !r->failed; i++) {
      uint32_t d = dflt;
      if (i < n) rd_u32(&tr, &d);
      ctrl *k = &c->ctrls[c->csp - 1 - d];
      if (is_function_label(c, k) || branch_needs_copies(c, k)) {
        mark_label(c);
        note_branch(c, first + i, at);
        if (!c->r->failed) c->code[first + i] = wrel(c->pc - at);
        emit_br(c, k);
      } else if (k->op == 0x03) {
        note_branch(c, first + i, at);
        if (!c->r->failed) c->code[first + i] = wrel(k->loop_pc - at);
      } else {
        add_patch(c, k, first + i, at);
      }
    }
  }
  set_unreachable(c);
  return true;
}

/* ---- numeric signatures ---- */

typedef struct numsig {
  uint8_t a, b, r; /* b == 0: unary */
} numsig;

static bool numeric_sig(uint32_t opc, numsig *s) {
  const uint8_t I = WASM_I32, L = WASM_I64, F = WASM_F32, D = WASM_F64;
#define SIG(x, y, z) (s->a = (x), s->b = (y), s->r = (z), true)
  if (opc == 0x45) return SIG(I, 0, I);
  if (opc <= 0x4F) return SIG(I, I, I);
  if (opc == 0x50) return SIG(L, 0, I);
  if (opc <= 0x5A) return SIG(L, L, I);
  if (opc <= 0x60) return SIG(F, F, I);
  if (opc <= 0x66) return SIG(D, D, I);
  if (opc <= 0x69) return SIG(I, 0, I);
  if (opc <= 0x78) return SIG(I, I, I);
  if (opc <= 0x7B) return SIG(L, 0, L);
  if (opc <= 0x8A) return SIG(L, L, L);
  if (opc <= 0x91) return SIG(F, 0, F);
  if (opc <= 0x98) return SIG(F, F, F);
  if (opc <= 0x9F) return SIG(D, 0, D);
  if (opc <= 0xA6) return SIG(D, D, D);
  switch (opc) {
  case 0xA7: return SIG(L, 0, I);
  case 0xA8: case 0xA9: return SIG(F, 0, I);
  case 0xAA: case 0xAB: return SIG(D, 0, I);
  case 0xAC: case 0xAD: return SIG(I, 0, L);
  case 0xAE: case 0xAF: return SIG(F, 0, L);
  case 0xB0: case 0xB1: return SIG(D, 0, L);
  case 0xB2: case 0xB3: return SIG(I, 0, F);
  case 0xB4: case 0xB5: return SIG(L, 0, F);
  case 0xB6: return SIG(D, 0, F);
  case 0xB7: case 0xB8: return SIG(I, 0, D);
  case 0xB9: case 0xBA: return SIG(L, 0, D);
  case 0xBB: return SIG(F, 0, D);
  case 0xBC: return SIG(F, 0, I);
  case 0xBD: return SIG(D, 0, L);
  case 0xBE: return SIG(I, 0, F);
  case 0xBF: return SIG(L, 0, D);
  case 0xC0: case 0xC1: return SIG(I, 0, I);
  case 0xC2: case 0xC3: case 0xC4: return SIG(L, 0, L);
  /* trunc_sat, renumbered 0xC5.. */
  case 0xC5: case 0xC6: return SIG(F, 0, I);
  case 0xC7: case 0xC8: return SIG(D, 0, I);
  case 0xC9: case 0xCA: return SIG(F, 0, L);
  case 0xCB: case 0xCC: return SIG(D, 0, L);
  default: return false;
  }
#undef SIG
}

static bool has_imm_form(uint32_t opc) {
  if (opc >= 0x46 && opc <= 0x4F) return true;
  if (opc >= 0x6A && opc <= 0x78) return opc < 0x6D || opc > 0x70;
  if (opc >= 0x51 && opc <= 0x5A) return true;
  if (opc >= 0x7C && opc <= 0x8A) return opc < 0x7F || opc > 0x82;
  return false;
}

/* Float binary ops with an immediate form (all but min/max/copysign) and their operand-swapped twins. */
static uint32_t float_imm_swapped(uint32_t opc) {
  switch (opc) {
  case 0x5B: case 0x5C: case 0x92: case 0x94: /* f32 eq ne add mul */
  case 0x61: case 0x62: case 0xA0: case 0xA2: /* f64 eq ne add mul */
    return opc;
  case 0x5D: return 0x5E;
  case 0x5E: return 0x5D;
  case 0x5F: return 0x60;
  case 0x60: return 0x5F;
  case 0x63: return 0x64;
  case 0x64: return 0x63;
  case 0x65: return 0x66;
  case 0x66: return 0x65;
  default: return 0;
  }
}

static bool float_imm_form(uint32_t opc) {
  return (opc >= 0x5B && opc <= 0x66) || (opc >= 0x92 && opc <= 0x95) || (opc >= 0xA0 && opc <= 0xA3);
}

static bool commutative(uint32_t opc) {
  switch (opc) {
  case 0x46: case 0x47: case 0x6A: case 0x6C: case 0x71: case 0x72: case 0x73:
  case 0x51: case 0x52: case 0x7C: case 0x7E: case 0x83: case 0x84: case 0x85:
    return true;
  default:
    return false;
  }
}

/* The i32 op computing the same with operands exchanged (0 if none): commutative ops, mirrored compares. */
static uint32_t swapped(uint32_t opc) {
  switch (opc) {
  case 0x46: case 0x47: case 0x6A: case 0x6C: case 0x71: case 0x72: case 0x73: return opc;
  case 0x6B: return OP_I32_RSUB;
  case 0x48: return 0x4A;
  case 0x49: return 0x4B;
  case 0x4A: return 0x48;
  case 0x4B: return 0x49;
  case 0x4C: return 0x4E;
  case 0x4D: return 0x4F;
  case 0x4E: return 0x4C;
  case 0x4F: return 0x4D;
  default: return 0;
  }
}

static bool traps(uint32_t opc) {
  return (opc >= 0x6D && opc <= 0x70) || (opc >= 0x7F && opc <= 0x82) || (opc >= 0xA8 && opc <= 0xAB) ||
         (opc >= 0xAE && opc <= 0xB1);
}

/*
 * An f64 immediate operand: the address of an aligned copy in the module, so that a handler
 * loads it with a single fld (code words are only 4-byte aligned on rv32).
 */
static wcode f64_const_word(cc *c, uint64_t bits) {
  if (c->dead || c->r->failed) return 0;
  uint64_t *p = warena_alloc(&c->m->arena, sizeof *p);
  if (!p) {
    fail(c, "out of memory (quota exceeded while translating)");
    return 0;
  }
  *p = bits;
  return (wcode)p;
}

/* Length in words of a plain i32.load ([op dst addr end], + k with W_IMM), 0 for other instructions. */
static uint32_t plain_load_len(uint32_t opcode) {
  return opcode == 0x28 ? 4 : opcode == (0x28 | W_IMM) ? 5 : 0;
}

/*
 * Whether the last two instructions are i32 loads, the first writing slot `dst_a` (a stack
 * temporary), with no branch target between them; returns the first one's position or NO_POS.
 */
static uint32_t load_pair(cc *c, uint32_t dst_a) {
  if (c->r->failed || c->nops < 2 || c->nsites < 2) return NO_POS;
  uint32_t pb = c->last_pos, pa = c->opat[c->nops - 2];
  uint32_t lb = plain_load_len((uint32_t)c->code[pb]), la = plain_load_len((uint32_t)c->code[pa]);
  if (!la || !lb || pb + lb != c->pc || pa + la != pb || c->label_pc == pb) return NO_POS;
  if ((uint32_t)c->code[pa + 1] != dst_a || c->sites[c->nsites - 1].pc != pb || c->sites[c->nsites - 2].pc != pa)
    return NO_POS;
  return pa;
}

/* i32 operations that fuse in pairs with immediates (OP_FUSE2 in ops.h), -1 for others. */
static int fuse_index(uint32_t opc) {
  switch (opc) {
  case 0x74: return 0; /* shl */
  case 0x75: return 1; /* shr_s */
  case 0x76: return 2; /* shr_u */
  case 0x71: return 3; /* and */
  case 0x73: return 4; /* xor */
  case 0x6A: return 5; /* add */
  case 0x72: return 6; /* or */
  case OP_I32_RSUB: return 7;
  default: return -1;
  }
}

/* Exchanges the two operands of a binary operation (values and stack heights,
 * and the accumulator flags when given), for the mirrored forms. */
static void swap_operands(vval *a, vval *b, uint32_t *ha, uint32_t *hb, bool *a_acc, bool *b_acc)
{
  vval t = *a;
  *a = *b;
  *b = t;
  uint32_t th = *ha;
  *ha = *hb;
  *hb = th;
  if (a_acc) {
    bool tb = *a_acc;
    *a_acc = *b_acc;
    *b_acc = tb;
  }
}

static bool do_numeric(cc *c, uint32_t opc) {
  numsig s;
  if (!numeric_sig(opc, &s)) return fail(c, "illegal opcode 0x%x", opc);
  /* Reinterpretations and wrap only change how the slot's bits are read. */
  if (opc == 0xA7 || (opc >= 0xBC && opc <= 0xBF)) {
    vval v;
    uint32_t h;
    if (!pop(c, s.a, &v, &h)) return false;
    (void)h;
    if (v.kind == V_CONST && s.r == WASM_I32) v.c = (uint32_t)v.c;
    /* No code: a pending dst-rewrite of the producer stays valid for the same bits. */
    return push(c, s.r, v.kind, v.local, v.c);
  }
  if (!s.b) {
    vval a;
    uint32_t h;
    if (!pop(c, s.a, &a, &h)) return false;
    uint32_t src = operand(c, &a, h);
    uint32_t at = op(c, opc);
    emit(c, slot(c, h));
    emit(c, src);
    if (traps(opc)) site(c, at);
    if (!push_slot(c, s.r)) return false;
    result_at(c, at, at + 1, h);
    if (opc == 0x45) c->last = LAST_CMP, c->last_cmp = opc;
    return true;
  }
  vval a, b;
  uint32_t ha, hb;
  if (!pop(c, s.b, &b, &hb) || !pop(c, s.a, &a, &ha)) return false;
  uint32_t hd = ha; /* the result takes the first operand's place */
  if (!c->dead && has_imm_form(opc) && s.a == WASM_I32) {
    /* i32: immediates for constants, the accumulator for the value just produced. */
    uint32_t lp = c->last_pos;
    bool a_acc = from_last(c, &a, ha), b_acc = from_last(c, &b, hb);
    uint32_t pa = NO_POS;
    if (opc == 0x6C && b_acc && a.kind == V_SLOT && (pa = load_pair(c, slot(c, ha))) != NO_POS) {
      /* i32.mul (i32.load ..) (i32.load ..): one instruction, [op dst baseA endA kA baseB endB kB]. */
      uint32_t pb = c->last_pos;
      wcode w[6];
      for (uint32_t i = 0, q = pa; i < 2; i++, q = pb) {
        bool k = (uint32_t)c->code[q] & W_IMM;
        w[3 * i] = c->code[q + 2];
        w[3 * i + 1] = c->code[q + 3];
        w[3 * i + 2] = k ? c->code[q + 4] : 0;
      }
      c->pc = pa;
      c->nops -= 2;
      uint32_t at = op(c, OP_MUL_LOADS);
      emit(c, slot(c, hd));
      for (uint32_t i = 0; i < 6; i++) emit(c, w[i]);
      /* The loads' trap sites move onto the fused instruction: the second traps at at + 1. */
      c->sites[c->nsites - 2].pc = at;
      c->sites[c->nsites - 1].pc = at + 1;
      if (!push_slot(c, s.r)) return false;
      result_at(c, at, at + 1, hd);
      return true;
    }
    uint32_t sw = swapped(opc);
    if (sw && (b_acc || (a.kind == V_CONST && b.kind != V_CONST))) {
      swap_operands(&a, &b, &ha, &hb, &a_acc, &b_acc);
      opc = sw;
    }
    uint32_t prev = a_acc ? (uint32_t)c->code[lp] : 0; /* a_acc: lp is the instruction just emitted */
    if (a_acc && b.kind == V_CONST && fuse_index(opc) >= 0 && lp + 4 == c->pc && prev < OP_BR_CMP &&
        (prev & W_IMM) && !(prev & W_DACC) && fuse_index(prev & 0xFF) >= 0) {
      /* (x op1 K1) op2 K2, the first result feeding only the second: one instruction. */
      wcode src = c->code[lp + 2], k1 = c->code[lp + 3];
      c->pc = lp;
      c->nops--;
      uint32_t at = op(c, OP_FUSE2 + (uint32_t)fuse_index(prev & 0xFF) * 8u + (uint32_t)fuse_index(opc) +
                              ((prev & W_AACC) ? OP_FUSE2_AACC : 0));
      emit(c, slot(c, hd));
      emit(c, src);
      emit(c, k1);
      emit(c, (uint32_t)b.c);
      if (!push_slot(c, s.r)) return false;
      result_at(c, at, at + 1, hd);
      return true;
    }
    uint32_t flags = 0, wa = 0, wb;
    if (a_acc) flags |= W_AACC;
    else wa = operand(c, &a, ha);
    if (b.kind == V_CONST) {
      flags |= W_IMM;
      wb = (uint32_t)b.c;
    } else {
      wb = operand(c, &b, hb); /* a right operand just produced stays in its slot */
    }
    if (a_acc) producer_to_acc(c, lp);
    uint32_t at = op(c, opc | flags);
    emit(c, slot(c, hd));
    emit(c, wa);
    emit(c, wb);
    if (!push_slot(c, s.r)) return false;
    result_at(c, at, at + 1, hd);
    if (opc >= 0x46 && opc <= 0x4F) c->last = LAST_CMP, c->last_cmp = opc;
    return true;
  }
  if (!c->dead && s.a == WASM_F64 && float_imm_form(opc)) {
    /* f64: immediates for constants, the f64 accumulator for the value just produced. */
    uint32_t lp = c->last_pos;
    bool a_acc = from_last_f(c, &a, ha), b_acc = from_last_f(c, &b, hb);
    uint32_t sw = float_imm_swapped(opc);
    if (sw && (b_acc || (a.kind == V_CONST && b.kind != V_CONST))) {
      swap_operands(&a, &b, &ha, &hb, &a_acc, &b_acc);
      opc = sw;
    }
    uint32_t flags = 0, wa = 0, wb = 0;
    if (a_acc) flags |= W_AACC;
    else wa = operand(c, &a, ha);
    if (b.kind == V_CONST) flags |= W_IMM;
    else wb = operand(c, &b, hb);
    if (a_acc) producer_to_acc(c, lp);
    uint32_t at = op(c, opc | flags);
    emit(c, slot(c, hd));
    emit(c, wa);
    emit(c, b.kind == V_CONST ? f64_const_word(c, b.c) : wb);
    if (!push_slot(c, s.r)) return false;
    result_at(c, at, at + 1, hd);
    return true;
  }
  if (!c->dead && float_imm_form(opc) && (a.kind == V_CONST || b.kind == V_CONST)) {
    uint32_t sw = float_imm_swapped(opc);
    if (a.kind == V_CONST && b.kind != V_CONST && sw) {
      swap_operands(&a, &b, &ha, &hb, NULL, NULL);
      opc = sw;
    }
    if (b.kind == V_CONST) {
      uint32_t src = operand(c, &a, ha);
      uint32_t at = op(c, opc | W_IMM);
      emit(c, slot(c, hd));
      emit(c, src);
      emit(c, (uint32_t)b.c);
      if (s.a == WASM_F64) emit(c, (uint32_t)(b.c >> 32));
      if (!push_slot(c, s.r)) return false;
      result_at(c, at, at + 1, hd);
      return true;
    }
  }
  if (!c->dead && has_imm_form(opc)) {
    if (a.kind == V_CONST && b.kind != V_CONST && commutative(opc)) {
      swap_operands(&a, &b, &ha, &hb, NULL, NULL);
    }
    if (b.kind == V_CONST) {
      uint32_t src = operand(c, &a, ha);
      uint32_t at = op(c, opc | W_IMM);
      emit(c, slot(c, hd));
      emit(c, src);
      emit(c, (uint32_t)b.c);
      if (s.a == WASM_I64) emit(c, (uint32_t)(b.c >> 32));
      if (!push_slot(c, s.r)) return false;
      result_at(c, at, at + 1, hd);
      return true;
    }
  }
  uint32_t sa = operand(c, &a, ha);
  uint32_t sb = operand(c, &b, hb);
  uint32_t at = op(c, opc);
  emit(c, slot(c, ha));
  emit(c, sa);
  emit(c, sb);
  if (traps(opc)) site(c, at);
  if (!push_slot(c, s.r)) return false;
  result_at(c, at, at + 1, ha);
  if (opc >= 0x46 && opc <= 0x4F) c->last = LAST_CMP, c->last_cmp = opc;
  return true;
}

/* ---- locals, globals, memory ---- */

static bool do_local_set(cc *c, uint32_t x, bool tee) {
  if (x >= c->nlocals) return fail(c, "unknown local %u", x);
  uint8_t t = c->ltypes[x];
  uint8_t last = c->last;
  vval v;
  uint32_t h;
  if (!pop(c, t, &v, &h)) return false;
  if (!c->dead) {
    if (v.kind == V_SLOT && last == LAST_DST && c->last_dst_slot == slot(c, h) && c->lrefs[x] == 0) {
      /* Retarget the producing instruction straight at the local. */
      c->code[c->last_dst_word] = x * 8u;
    } else if (!(v.kind == V_LOCAL && v.local == x)) {
      if (c->lrefs[x]) {
        for (uint32_t i = 0; i < c->sp; i++)
          if (c->stack[i].kind == V_LOCAL && c->stack[i].local == x) materialize(c, i);
      }
      place(c, &v, h, x * 8u);
    }
  }
  c->last = LAST_NONE;
  if (tee) return push(c, t, V_LOCAL, x, 0);
  return true;
}

static bool memarg(cc *c, uint32_t natural_log2, uint32_t *offset) {
  uint32_t align;
  if (!rd_u32(c->r, &align) || !rd_u32(c->r, offset)) return false;
  if (!c->m->has_memory) return fail(c, "unknown memory 0");
  if (align > natural_log2) return fail(c, "alignment must not be larger than natural");
  return true;
}

/* Operand for a memory access: offset + size, or false when that exceeds 4 GiB (always traps). */
static bool access_end(uint32_t off, uint32_t log2size, uint32_t *end) {
  uint64_t e = (uint64_t)off + (1u << log2size);
  *end = (uint32_t)e;
  return e <= 0xFFFFFFFFu;
}

/* The load-with-update opcode for a load kind (0 if it has none). */
static uint32_t load_update_op(uint32_t opc) {
  switch (opc) {
  case 0x28: return OP_LOAD_UPD_I32;
  case 0x29: return OP_LOAD_UPD_I64;
  case 0x2B: return OP_LOAD_UPD_F64;
  case 0x2C: return OP_LOAD_UPD_I32_8S;
  case 0x2D: return OP_LOAD_UPD_I32_8U;
  case 0x2F: return OP_LOAD_UPD_I32_16U;
  default: return 0;
  }
}

static bool do_load(cc *c, uint32_t opc) {
  static const uint8_t lg[] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2};
  static const uint8_t ty[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32, WASM_I32,
                               WASM_I32, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64, WASM_I64};
  uint32_t off, end;
  if (!memarg(c, lg[opc - 0x28], &off)) return false;
  vval a;
  uint32_t h;
  if (!pop(c, WASM_I32, &a, &h)) return false;
  uint32_t lp = c->last_pos;
  bool acc = from_last(c, &a, h);
  uint32_t src = acc ? 0 : operand(c, &a, h);
  if (!access_end(off, lg[opc - 0x28], &end)) {
    if (acc) producer_to_acc(c, lp);
    site(c, op(c, OP_MEM_TRAP));
    return push_slot(c, ty[opc - 0x28]);
  }
  /*
   * `local.tee x (i32.add a b)` right before, with x the address: one load-with-update
   * instruction (not across a branch target).
   */
  uint32_t upd = load_update_op(opc);
  if (upd && !acc && a.kind == V_LOCAL && c->nops && c->label_pc != c->pc) {
    uint32_t pp = c->opat[c->nops - 1], pop_ = (uint32_t)c->code[pp];
    if (pp + 4 == c->pc && (pop_ == 0x6A || pop_ == (0x6A | W_IMM)) && (uint32_t)c->code[pp + 1] == a.local * 8u) {
      uint32_t pa = (uint32_t)c->code[pp + 2], pb = (uint32_t)c->code[pp + 3];
      c->pc = pp;
      c->nops--;
      uint32_t at = op(c, upd | (pop_ & W_IMM));
      emit(c, slot(c, h));
      emit(c, a.local * 8u);
      emit(c, pa);
      emit(c, pb);
      emit(c, end);
      site(c, at);
      if (!push_slot(c, ty[opc - 0x28])) return false;
      result_at(c, at, at + 1, h);
      return true;
    }
  }
  /* `x + K` computed just for this access folds into it: address = slot x + K. */
  uint32_t base = 0, k = 0;
  bool fold = acc && fold_address(c, lp, &base, &k);
  if (acc && !fold) producer_to_acc(c, lp);
  uint32_t at = op(c, opc | (fold ? W_IMM : acc ? W_AACC : 0));
  emit(c, slot(c, h));
  emit(c, fold ? base : src);
  emit(c, end);
  if (fold) emit(c, k);
  site(c, at);
  if (!push_slot(c, ty[opc - 0x28])) return false;
  result_at(c, at, at + 1, h);
  return true;
}

static bool do_store(cc *c, uint32_t opc) {
  static const uint8_t lg[] = {2, 3, 2, 3, 0, 1, 0, 1, 2};
  static const uint8_t ty[] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32, WASM_I64, WASM_I64, WASM_I64};
  uint32_t off, end;
  if (!memarg(c, lg[opc - 0x36], &off)) return false;
  vval a, v;
  uint32_t ha, hv;
  if (!pop(c, ty[opc - 0x36], &v, &hv) || !pop(c, WASM_I32, &a, &ha)) return false;
  /*
   * The value, or the address when the value is a local or constant, may be in the
   * accumulator; an address `x + K` computed just for this store folds into it; a
   * constant value of at most 4 bytes is an immediate.
   */
  uint32_t lp = c->last_pos, flags = 0, base = 0, k = 0;
  bool vimm = v.kind == V_CONST && lg[opc - 0x36] <= 2 && !c->dead;
  if (from_last(c, &v, hv)) flags = W_DACC;
  else if (from_last(c, &a, ha)) flags = fold_address(c, lp, &base, &k) ? W_IMM : W_AACC;
  uint32_t sa = (flags & W_AACC) ? 0 : (flags & W_IMM) ? base : operand(c, &a, ha);
  uint32_t sv = (flags & W_DACC) ? 0 : vimm ? (uint32_t)v.c : operand(c, &v, hv);
  if (flags & (W_AACC | W_DACC)) producer_to_acc(c, lp);
  if (!access_end(off, lg[opc - 0x36], &end)) {
    site(c, op(c, OP_MEM_TRAP));
    return true;
  }
  uint32_t at = op(c, (vimm ? OP_STORE_IMMV + (opc - 0x36) : opc) | flags);
  emit(c, sa);
  emit(c, sv);
  emit(c, end);
  if (flags & W_IMM) emit(c, k);
  site(c, at);
  return true;
}

static bool zero_byte(cc *c) {
  uint8_t b;
  if (!rd_u8(c->r, &b)) return false;
  if (b != 0) return fail(c, "zero byte expected");
  return true;
}

/* Pops `n` i32 operands (in order a0..an-1 as pushed) and emits their slots after the current op. */
static bool pop_operands(cc *c, uint32_t n, const uint8_t *types, uint32_t *srcs) {
  vval v[4];
  uint32_t h[4];
  for (uint32_t i = n; i-- > 0;)
    if (!pop(c, types[i], &v[i], &h[i])) return false;
  for (uint32_t i = 0; i < n; i++) srcs[i] = operand(c, &v[i], h[i]);
  return true;
}

static bool do_call(cc *c, const wtype *t, uint32_t opcode, wcode a0, uint32_t a1, bool indirect) {
  vval idx;
  uint32_t ih = 0, isrc = 0;
  if (indirect && !pop(c, WASM_I32, &idx, &ih)) return false;
  if (!check_params(c, t->nparams, t->params)) return false;
  uint32_t base = c->sp - t->nparams;
  if (indirect) isrc = operand(c, &idx, ih);
  for (uint32_t i = base; i < c->sp; i++) materialize(c, i);
  uint32_t at = op(c, opcode);
  emit(c, a0);
  if (indirect) emit(c, a1);
  emit(c, slot(c, base));
  if (indirect) emit(c, isrc);
  site(c, at);
  reset_to(c, base);
  for (uint32_t i = 0; i < t->nresults; i++)
    if (!push_slot(c, t->results[i])) return false;
  return true;
}

static bool table_index(cc *c, uint32_t *x) {
  if (!rd_u32(c->r, x)) return false;
  if (*x >= c->m->ntables) return fail(c, "unknown table %u", *x);
  return true;
}

static bool do_prefixed(cc *c) {
  uint32_t sub;
  if (!rd_u32(c->r, &sub)) return false;
  static const uint8_t I3[] = {WASM_I32, WASM_I32, WASM_I32};
  uint32_t s[4];
  if (sub <= 7) return do_numeric(c, 0xC5 + sub);
  switch (sub) {
  case 8: { /* memory.init */
    uint32_t seg;
    if (!rd_u32(c->r, &seg) || !zero_byte(c)) return false;
    if (!c->m->has_memory) return fail(c, "unknown memory 0");
    if (!c->m->has_datacount) return fail(c, "data count section required");
    if (seg >= c->m->datacount) return fail(c, "unknown data segment %u", seg);
    if (!pop_operands(c, 3, I3, s)) return false;
    uint32_t at = op(c, OP_MEMORY_INIT);
    emit(c, seg); emit(c, s[0]); emit(c, s[1]); emit(c, s[2]);
    site(c, at);
    return true;
  }
  case 9: { /* data.drop */
    uint32_t seg;
    if (!rd_u32(c->r, &seg)) return false;
    if (!c->m->has_datacount) return fail(c, "data count section required");
    if (seg >= c->m->datacount) return fail(c, "unknown data segment %u", seg);
    op(c, OP_DATA_DROP);
    emit(c, seg);
    return true;
  }
  case 10: /* memory.copy */
  case 11: { /* memory.fill */
    if (!zero_byte(c)) return false;
    if (sub == 10 && !zero_byte(c)) return false;
    if (!c->m->has_memory) return fail(c, "unknown memory 0");
    if (!pop_operands(c, 3, I3, s)) return false;
    uint32_t at = op(c, sub == 10 ? OP_MEMORY_COPY : OP_MEMORY_FILL);
    emit(c, s[0]); emit(c, s[1]); emit(c, s[2]);
    site(c, at);
    return true;
  }
  case 12: { /* table.init */
    uint32_t seg, x;
    if (!rd_u32(c->r, &seg) || !table_index(c, &x)) return false;
    if (seg >= c->m->nelems) return fail(c, "unknown elem segment %u", seg);
    if (c->m->elems[seg].type != c->m->tables[x].elem_type) return fail(c, "type mismatch: table.init element type");
    if (!pop_operands(c, 3, I3, s)) return false;
    uint32_t at = op(c, OP_TABLE_INIT);
    emit(c, x); emit(c, seg); emit(c, s[0]); emit(c, s[1]); emit(c, s[2]);
    site(c, at);
    return true;
  }
  case 13: { /* elem.drop */
    uint32_t seg;
    if (!rd_u32(c->r, &seg)) return false;
    if (seg >= c->m->nelems) return fail(c, "unknown elem segment %u", seg);
    op(c, OP_ELEM_DROP);
    emit(c, seg);
    return true;
  }
  case 14: { /* table.copy */
    uint32_t dst, src;
    if (!table_index(c, &dst) || !table_index(c, &src)) return false;
    if (c->m->tables[dst].elem_type != c->m->tables[src].elem_type) return fail(c, "type mismatch: table.copy element types");
    if (!pop_operands(c, 3, I3, s)) return false;
    uint32_t at = op(c, OP_TABLE_COPY);
    emit(c, dst); emit(c, src); emit(c, s[0]); emit(c, s[1]); emit(c, s[2]);
    site(c, at);
    return true;
  }
  case 15: { /* table.grow */
    uint32_t x;
    if (!table_index(c, &x)) return false;
    uint8_t t2[] = {c->m->tables[x].elem_type, WASM_I32};
    if (!pop_operands(c, 2, t2, s)) return false;
    uint32_t h = c->sp;
    uint32_t at = op(c, OP_TABLE_GROW);
    emit(c, slot(c, h)); emit(c, x); emit(c, s[0]); emit(c, s[1]);
    if (!push_slot(c, WASM_I32)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 16: { /* table.size */
    uint32_t x;
    if (!table_index(c, &x)) return false;
    uint32_t h = c->sp;
    uint32_t at = op(c, OP_TABLE_SIZE);
    emit(c, slot(c, h)); emit(c, x);
    if (!push_slot(c, WASM_I32)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 17: { /* table.fill */
    uint32_t x;
    if (!table_index(c, &x)) return false;
    uint8_t t3[] = {WASM_I32, c->m->tables[x].elem_type, WASM_I32};
    if (!pop_operands(c, 3, t3, s)) return false;
    uint32_t at = op(c, OP_TABLE_FILL);
    emit(c, x); emit(c, s[0]); emit(c, s[1]); emit(c, s[2]);
    site(c, at);
    return true;
  }
  default:
    return fail(c, "illegal opcode 0xfc 0x%x", sub);
  }
}

/* ---- the instruction loop ---- */

static bool instruction(cc *c, uint8_t opc) {
  wreader *r = c->r;
  wasm_module *m = c->m;
  if (opc >= 0x45 && opc <= 0xC4) return do_numeric(c, opc);
  if (opc >= 0x28 && opc <= 0x35) return do_load(c, opc);
  if (opc >= 0x36 && opc <= 0x3E) return do_store(c, opc);
  switch (opc) {
  case 0x00: {
    uint32_t at = op(c, OP_UNREACHABLE);
    site(c, at);
    set_unreachable(c);
    return true;
  }
  case 0x01: return true;
  case 0x02:
  case 0x04: return enter_block(c, opc);
  case 0x03: {
    bool ok = enter_block(c, opc);
    if (ok && c->jit) loop_header(c);
    return ok;
  }
  case 0x05: return do_else(c);
  case 0x0B: return do_end(c);
  case 0x0C: {
    uint32_t d;
    if (!rd_u32(r, &d)) return false;
    ctrl *k = label(c, d);
    if (!k || !check_label_operands(c, k)) return false;
    if (!c->dead) emit_br(c, k);
    set_unreachable(c);
    return true;
  }
  case 0x0D: {
    uint32_t d;
    if (!rd_u32(r, &d)) return false;
    return do_br_if(c, d);
  }
  case 0x0E: return do_br_table(c);
  case 0x0F: {
    if (!check_label_operands(c, &c->ctrls[0])) return false;
    if (!c->dead) emit_return(c);
    set_unreachable(c);
    return true;
  }
  case 0x10: {
    uint32_t f;
    if (!rd_u32(r, &f)) return false;
    if (f >= m->nfuncs) return fail(c, "unknown function %u", f);
    return do_call(c, &m->types[m->funcs[f].type], m->funcs[f].imported ? OP_CALL_HOST : OP_CALL,
                   (wcode)&m->funcs[f], 0, false);
  }
  case 0x11: {
    uint32_t ti, tab;
    if (!rd_u32(r, &ti) || !rd_u32(r, &tab)) return false;
    if (ti >= m->ntypes) return fail(c, "unknown type %u", ti);
    if (tab >= m->ntables) return fail(c, "unknown table %u", tab);
    if (m->tables[tab].elem_type != WASM_FUNCREF) return fail(c, "type mismatch: call_indirect table must hold funcref");
    return do_call(c, &m->types[ti], OP_CALL_INDIRECT, m->types[ti].canon, tab, true);
  }
  case 0x1A: {
    vval v;
    return pop(c, T_UNKNOWN, &v, NULL);
  }
  case 0x1B:
  case 0x1C: {
    uint8_t t = T_UNKNOWN;
    if (opc == 0x1C) {
      uint32_t n;
      if (!rd_u32(r, &n)) return false;
      if (n != 1) return fail(c, "invalid result arity for select");
      uint8_t tb;
      if (!rd_u8(r, &tb)) return false;
      if (tb == 0x7B) return fail(c, "SIMD (v128) is not supported");
      if (!wtype_is_num(tb) && !wtype_is_ref(tb)) return fail(c, "malformed value type 0x%x", tb);
      t = tb;
    }
    vval cond, a, b;
    uint32_t hc, ha, hb;
    if (!pop(c, WASM_I32, &cond, &hc) || !pop(c, t, &b, &hb) || !pop(c, t, &a, &ha)) return false;
    if (opc == 0x1B) {
      if (a.type != T_UNKNOWN && b.type != T_UNKNOWN && a.type != b.type)
        return fail(c, "type mismatch: select operands differ (%s, %s)", wtype_name(a.type), wtype_name(b.type));
      t = a.type != T_UNKNOWN ? a.type : b.type;
      if (t != T_UNKNOWN && !wtype_is_num(t)) return fail(c, "type mismatch: untyped select needs numeric operands");
    }
    uint32_t sa = operand(c, &a, ha), sb = operand(c, &b, hb), sc = operand(c, &cond, hc);
    uint32_t at = op(c, wtype_is_64(t) || t == T_UNKNOWN ? OP_SELECT64 : OP_SELECT32);
    emit(c, slot(c, ha)); emit(c, sa); emit(c, sb); emit(c, sc);
    if (!push_slot(c, t)) return false;
    result_at(c, at, at + 1, ha);
    return true;
  }
  case 0x20: {
    uint32_t x;
    if (!rd_u32(r, &x)) return false;
    if (x >= c->nlocals) return fail(c, "unknown local %u", x);
    return push(c, c->ltypes[x], V_LOCAL, x, 0);
  }
  case 0x21:
  case 0x22: {
    uint32_t x;
    if (!rd_u32(r, &x)) return false;
    return do_local_set(c, x, opc == 0x22);
  }
  case 0x23: {
    uint32_t x;
    if (!rd_u32(r, &x)) return false;
    if (x >= m->nglobals) return fail(c, "unknown global %u", x);
    uint8_t t = m->globals[x].type;
    uint32_t h = c->sp;
    uint32_t at = op(c, wtype_is_64(t) ? OP_GLOBAL_GET64 : OP_GLOBAL_GET32);
    emit(c, slot(c, h));
    emit(c, x);
    if (!push_slot(c, t)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 0x24: {
    uint32_t x;
    if (!rd_u32(r, &x)) return false;
    if (x >= m->nglobals) return fail(c, "unknown global %u", x);
    if (!m->globals[x].mut) return fail(c, "global is immutable");
    uint8_t t = m->globals[x].type;
    vval v;
    uint32_t h;
    if (!pop(c, t, &v, &h)) return false;
    uint32_t src = operand(c, &v, h);
    op(c, wtype_is_64(t) ? OP_GLOBAL_SET64 : OP_GLOBAL_SET32);
    emit(c, x);
    emit(c, src);
    return true;
  }
  case 0x25: { /* table.get */
    uint32_t x;
    if (!table_index(c, &x)) return false;
    vval i;
    uint32_t h;
    if (!pop(c, WASM_I32, &i, &h)) return false;
    uint32_t src = operand(c, &i, h);
    uint32_t at = op(c, OP_TABLE_GET);
    emit(c, slot(c, h)); emit(c, src); emit(c, x);
    site(c, at);
    if (!push_slot(c, m->tables[x].elem_type)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 0x26: { /* table.set */
    uint32_t x, s[2];
    if (!table_index(c, &x)) return false;
    uint8_t t2[] = {WASM_I32, m->tables[x].elem_type};
    if (!pop_operands(c, 2, t2, s)) return false;
    uint32_t at = op(c, OP_TABLE_SET);
    emit(c, x); emit(c, s[0]); emit(c, s[1]);
    site(c, at);
    return true;
  }
  case 0x3F: {
    if (!zero_byte(c)) return false;
    if (!m->has_memory) return fail(c, "unknown memory 0");
    uint32_t h = c->sp;
    uint32_t at = op(c, OP_MEMORY_SIZE);
    emit(c, slot(c, h));
    if (!push_slot(c, WASM_I32)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 0x40: {
    if (!zero_byte(c)) return false;
    if (!m->has_memory) return fail(c, "unknown memory 0");
    vval d;
    uint32_t h;
    if (!pop(c, WASM_I32, &d, &h)) return false;
    uint32_t src = operand(c, &d, h);
    uint32_t at = op(c, OP_MEMORY_GROW);
    emit(c, slot(c, h));
    emit(c, src);
    if (!push_slot(c, WASM_I32)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 0x41: {
    int32_t v;
    if (!rd_s32(r, &v)) return false;
    return push(c, WASM_I32, V_CONST, 0, (uint32_t)v);
  }
  case 0x42: {
    int64_t v;
    if (!rd_s64(r, &v)) return false;
    return push(c, WASM_I64, V_CONST, 0, (uint64_t)v);
  }
  case 0x43: {
    const uint8_t *b;
    if (!rd_bytes(r, 4, &b)) return false;
    uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return push(c, WASM_F32, V_CONST, 0, v);
  }
  case 0x44: {
    const uint8_t *b;
    if (!rd_bytes(r, 8, &b)) return false;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    return push(c, WASM_F64, V_CONST, 0, v);
  }
  case 0xD0: {
    uint8_t t;
    if (!rd_u8(r, &t)) return false;
    if (!wtype_is_ref(t)) return fail(c, "malformed reference type 0x%x", t);
    return push(c, t, V_CONST, 0, 0);
  }
  case 0xD1: {
    ctrl *k = &c->ctrls[c->csp - 1];
    if (c->sp == k->height && !k->unreachable) return fail(c, "type mismatch: ref.is_null needs a reference");
    vval v;
    uint32_t h;
    if (c->sp > k->height && !wtype_is_ref(c->stack[c->sp - 1].type) && c->stack[c->sp - 1].type != T_UNKNOWN)
      return fail(c, "type mismatch: ref.is_null needs a reference, got %s", wtype_name(c->stack[c->sp - 1].type));
    if (!pop(c, T_UNKNOWN, &v, &h)) return false;
    uint32_t src = operand(c, &v, h);
    uint32_t at = op(c, OP_REF_IS_NULL);
    emit(c, slot(c, h)); emit(c, src);
    if (!push_slot(c, WASM_I32)) return false;
    result_at(c, at, at + 1, h);
    return true;
  }
  case 0xD2: {
    uint32_t f;
    if (!rd_u32(r, &f)) return false;
    if (f >= m->nfuncs) return fail(c, "unknown function %u", f);
    if (!(m->declared_funcs[f >> 3] & (1u << (f & 7)))) return fail(c, "undeclared function reference %u", f);
    return push(c, WASM_FUNCREF, V_CONST, 0, (uint64_t)f + 1);
  }
  case 0xFC: return do_prefixed(c);
  default: return fail(c, "illegal opcode 0x%x", opc);
  }
}

void wcompile_end(cc *c) {
  if (!c) return;
  wasm_heap *h = c->m->heap;
  wheap_free(h, c->stack, (size_t)c->scap * sizeof *c->stack);
  wheap_free(h, c->ctrls, (size_t)c->ccap * sizeof *c->ctrls);
  wheap_free(h, c->code, (size_t)c->codecap * sizeof *c->code);
  wheap_free(h, c->sites, (size_t)c->sitecap * sizeof *c->sites);
  wheap_free(h, c->patches, (size_t)c->patchcap * sizeof *c->patches);
  wheap_free(h, c->opat, (size_t)c->opcap * sizeof *c->opat);
  wheap_free(h, c->brw, (size_t)c->brwcap * sizeof *c->brw);
  wheap_free(h, c->heads, (size_t)c->headcap * sizeof *c->heads);
  wheap_free(h, c->ltypes, c->ltcap);
  wheap_free(h, c->lrefs, (size_t)c->lrcap * sizeof *c->lrefs);
  wheap_free(h, c, sizeof *c);
}

cc *wcompile_begin(wasm_module *m) {
  cc *c = wheap_alloc(m->heap, sizeof *c);
  if (!c) return NULL;
  wu_memset(c, 0, sizeof *c);
  c->m = m;
  c->jit = wjit_available();
  c->entry_probe = winterp_entry_probe();
  return c;
}

static bool read_locals(cc *c, const uint8_t *body_end) {
  wreader *r = c->r;
  wasm_module *m = c->m;
  wfunc *fn = c->fn;
  const wtype *t = &m->types[fn->type];
  uint32_t ngroups;
  c->insn = r->p;
  if (!rd_u32(r, &ngroups)) return false;
  /* First pass: count, so the type array is allocated once. */
  const uint8_t *groups = r->p;
  uint64_t total = t->nparams;
  for (uint32_t i = 0; i < ngroups; i++) {
    uint32_t n;
    uint8_t ty;
    c->insn = r->p;
    if (!rd_u32(r, &n) || !rd_u8(r, &ty)) return false;
    if (ty == 0x7B) return fail(c, "SIMD (v128) is not supported");
    if (!wtype_is_num(ty) && !wtype_is_ref(ty)) return fail(c, "malformed value type 0x%x for local", ty);
    total += n;
    if (total > W_MAX_LOCALS) return fail(c, "too many locals (implementation limit %u)", W_MAX_LOCALS);
    if (r->p > body_end) return fail(c, "locals exceed function body");
  }
  c->nlocals = (uint32_t)total;
  uint32_t nl = c->nlocals ? c->nlocals : 1;
  if (!GROW(c, ltypes, ltcap, nl) || !GROW(c, lrefs, lrcap, nl)) return false;
  wu_memset(c->lrefs, 0, (size_t)nl * sizeof *c->lrefs);
  uint32_t k = 0;
  for (; k < t->nparams; k++) c->ltypes[k] = t->params[k];
  const uint8_t *save = r->p;
  r->p = groups;
  for (uint32_t i = 0; i < ngroups; i++) {
    uint32_t n;
    uint8_t ty;
    rd_u32(r, &n);
    rd_u8(r, &ty);
    for (uint32_t j = 0; j < n; j++) c->ltypes[k++] = ty;
  }
  r->p = save;
  return true;
}

/*
 * Self-check of the translation: every branch lands on the start of an instruction. A
 * failure is a translator bug; the module is refused rather than run.
 */
static bool verify_branches(cc *c) {
  bool ok = true;
  for (uint32_t i = 0; ok && i + 1 < c->nbrw; i += 2) {
    intptr_t d = (intptr_t)c->code[c->brw[i]] / (intptr_t)sizeof(wcode);
    intptr_t t = (intptr_t)c->brw[i + 1] + d;
    /* opat (instruction starts) is ascending: a binary search, no per-function bitmap. */
    uint32_t lo = 0, hi = c->nops;
    while (lo < hi) {
      uint32_t mid = (lo + hi) / 2;
      if ((intptr_t)c->opat[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo == c->nops || (intptr_t)c->opat[lo] != t) ok = false;
  }
  if (!ok) return fail(c, "internal error: translated branch does not land on an instruction (module refused)");
  return true;
}

bool wcompile_function(cc *c, uint32_t func_index, wreader *r, const uint8_t *body_end) {
  wasm_module *m = c->m;
  /* Per-function state; the buffers and their capacities carry over from the previous function. */
  c->sp = c->csp = c->pc = c->nsites = c->npatches = c->nops = c->nbrw = 0;
  c->nvirtual = c->max_height = c->nlocals = c->label_pc = c->nheads = 0;
  c->dead = false;
  c->last = LAST_NONE;
  c->r = r;
  c->func_index = func_index;
  c->fn = &m->funcs[func_index];
  c->insn = r->p;
  const wtype *t = &m->types[c->fn->type];
  wreader *saved_end_reader = r;
  const uint8_t *outer_end = r->end;
  r->end = body_end;
  bool ok = read_locals(c, body_end);
  if (ok) ok = push_ctrl(c, 0, 0, NULL, t->nresults, t->results);
  while (ok && c->csp > 0) {
    c->insn = r->p;
    uint8_t opc;
    if (r->p >= body_end) {
      ok = fail(c, "unexpected end of function body (missing end)");
      break;
    }
    rd_u8(r, &opc);
    ok = instruction(c, opc);
    if (c->r->failed) ok = false;
  }
  if (ok && r->p != body_end) ok = fail(c, "section size mismatch: code after the function's final end");
  if (ok) ok = verify_branches(c);
  if (ok) wpeep_function(c->code, c->pc, c->opat, c->nops, c->brw, c->nbrw);
  saved_end_reader->end = outer_end;
  if (ok) {
    wfunc *fn = c->fn;
    fn->nlocals = c->nlocals;
    uint32_t frame_slots = c->nlocals + c->max_height;
    if (frame_slots < fn->nresults) frame_slots = fn->nresults;
    if (frame_slots > W_MAX_FRAME_SLOTS) ok = fail(c, "function frame too large (implementation limit)");
    fn->frame_bytes = frame_slots * 8u;
    /* With the native tier: a word before the code names the function, loop headers follow it (jit.c). */
    bool jit = c->jit;
    uint32_t extra = jit ? 1 + c->nheads : 0;
    wcode *code = warena_alloc_raw(&m->arena, (size_t)(c->pc + extra) * sizeof *code);
    if (code && jit) {
      *code++ = (wcode)fn;
      for (uint32_t i = 0; i < c->nheads; i++) code[c->pc + i] = c->heads[i];
      fn->nheads = c->nheads;
    }
    wsite *sites = warena_alloc_raw(&m->arena, (size_t)c->nsites * sizeof *sites);
    if (!code || !sites) {
      ok = fail(c, "out of memory (quota exceeded while translating)");
    } else {
      wu_memcpy(code, c->code, (size_t)c->pc * sizeof *code);
      /* Threaded code: each opcode word becomes the address of its handler. */
      winterp_thread(code, c->opat, c->nops);
      /* The native tier's hotness probe on the entry. */
      if (jit) {
        fn->entry_orig = code[0];
        code[0] = c->entry_probe;
      }
      wu_memcpy(sites, c->sites, (size_t)c->nsites * sizeof *sites);
      fn->code = code;
      fn->code_len = c->pc;
      fn->sites = sites;
      fn->nsites = c->nsites;
    }
  }
  return ok;
}
