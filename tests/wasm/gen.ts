// Seeded generator of valid, terminating WebAssembly programs (text format) for differential
// testing. Programs mix every kind of instruction the runtime translates specially: virtual
// locals, constants as immediates, result retargeting, fused compare-branches, block results,
// multi-value, calls, memory and globals. Loops are bounded by reserved counter locals and calls
// only go to earlier functions, so every program terminates.
import { Rng, type Call, type Val, type ValType } from './harness.ts';
import { constText, valuesOf } from './values.ts';

type T = 'i32' | 'i64' | 'f32' | 'f64';
const TYPES: T[] = ['i32', 'i64', 'f32', 'f64'];

interface Fn {
  name: string;
  params: T[];
  results: T[];
}

interface Ctx {
  rng: Rng;
  locals: T[]; // params + declared locals (random ones, usable by local.get/set)
  scratch: Record<T, number>; // scratch local per type for NaN canonicalization
  counters: number[]; // free loop counter locals
  labels: (T[] | null)[]; // enclosing labels' branch types (null: loop, not a value target)
  fns: Fn[]; // callable functions
  results: T[]; // the function's results (for early returns)
  budget: number;
}

const UN: Record<T, [string, T][]> = {
  i32: [['i32.clz', 'i32'], ['i32.ctz', 'i32'], ['i32.popcnt', 'i32'], ['i32.eqz', 'i32'], ['i32.extend8_s', 'i32'], ['i32.extend16_s', 'i32'],
    ['i32.wrap_i64', 'i64'], ['i64.eqz', 'i64'], ['i32.trunc_sat_f32_s', 'f32'], ['i32.trunc_sat_f32_u', 'f32'], ['i32.trunc_sat_f64_s', 'f64'],
    ['i32.trunc_sat_f64_u', 'f64'], ['i32.trunc_f32_s', 'f32'], ['i32.trunc_f64_u', 'f64']],
  i64: [['i64.clz', 'i64'], ['i64.ctz', 'i64'], ['i64.popcnt', 'i64'], ['i64.extend8_s', 'i64'], ['i64.extend16_s', 'i64'], ['i64.extend32_s', 'i64'],
    ['i64.extend_i32_s', 'i32'], ['i64.extend_i32_u', 'i32'], ['i64.trunc_sat_f64_s', 'f64'], ['i64.trunc_sat_f32_u', 'f32'], ['i64.trunc_f64_s', 'f64'],
    ['i64.trunc_f32_u', 'f32']],
  f32: [['f32.abs', 'f32'], ['f32.neg', 'f32'], ['f32.ceil', 'f32'], ['f32.floor', 'f32'], ['f32.trunc', 'f32'], ['f32.nearest', 'f32'], ['f32.sqrt', 'f32'],
    ['f32.convert_i32_s', 'i32'], ['f32.convert_i32_u', 'i32'], ['f32.convert_i64_s', 'i64'], ['f32.convert_i64_u', 'i64'], ['f32.demote_f64', 'f64']],
  f64: [['f64.abs', 'f64'], ['f64.neg', 'f64'], ['f64.ceil', 'f64'], ['f64.floor', 'f64'], ['f64.trunc', 'f64'], ['f64.nearest', 'f64'], ['f64.sqrt', 'f64'],
    ['f64.convert_i32_s', 'i32'], ['f64.convert_i32_u', 'i32'], ['f64.convert_i64_s', 'i64'], ['f64.convert_i64_u', 'i64'], ['f64.promote_f32', 'f32']],
};
const IBIN = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'];
const ICMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const FBIN = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];
const FCMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const LOADS: Record<T, string[]> = {
  i32: ['i32.load', 'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u'],
  i64: ['i64.load', 'i64.load8_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u'],
  f32: ['f32.load'],
  f64: ['f64.load'],
};
const STORES: Record<T, string[]> = {
  i32: ['i32.store', 'i32.store8', 'i32.store16'],
  i64: ['i64.store', 'i64.store8', 'i64.store16', 'i64.store32'],
  f32: ['f32.store'],
  f64: ['f64.store'],
};

function konst(c: Ctx, t: T): string {
  const r = c.rng;
  if (r.chance(0.5)) return constText(t, r.pick(valuesOf(t)));
  switch (t) {
    case 'i32':
      return `(i32.const ${r.int(64) - 16})`;
    case 'i64':
      return `(i64.const ${r.int(1000) - 100})`;
    case 'f32':
      return `(f32.const ${(r.int(2000) - 1000) / 8})`;
    default:
      return `(f64.const ${(r.int(2000) - 1000) / 16})`;
  }
}

/** Float values that may be NaN are made canonical before their bits become observable. */
function canon(c: Ctx, t: T, e: string): string {
  if (t === 'i32' || t === 'i64') return e;
  const s = c.scratch[t];
  return `(if (result ${t}) (${t}.eq (local.tee ${s} ${e}) (local.get ${s})) (then (local.get ${s})) (else (${t}.const 0)))`;
}

function addr(c: Ctx): string {
  // Mostly in bounds, sometimes near or past the end of the 1-page memory, sometimes
  // `x + K` (folded into the access by the translator), including sums that wrap around 2^32.
  const r = c.rng;
  if (r.chance(0.05)) return `(i32.const ${65536 - r.int(12)})`;
  const masked = `(i32.and ${expr(c, 'i32', 2)} (i32.const ${r.chance(0.5) ? 0xff : 0xfff8}))`;
  if (r.chance(0.4)) {
    const k = r.chance(0.85) ? r.pick([0, 4, 100, 4096]) : r.pick([-4, -65536, 65536 - 16]);
    return `(i32.add ${masked} (i32.const ${k}))`;
  }
  return masked;
}

function localsOf(c: Ctx, t: T): number[] {
  const out: number[] = [];
  c.locals.forEach((lt, i) => {
    if (lt === t) out.push(i);
  });
  return out;
}

export function expr(c: Ctx, t: T, depth: number): string {
  const r = c.rng;
  c.budget--;
  if (depth <= 0 || c.budget <= 0) {
    const ls = localsOf(c, t);
    return ls.length && r.chance(0.6) ? `(local.get ${r.pick(ls)})` : konst(c, t);
  }
  const k = r.int(20);
  const d = depth - 1;
  switch (k) {
    case 0:
    case 1: {
      const ls = localsOf(c, t);
      if (ls.length) return `(local.get ${r.pick(ls)})`;
      return konst(c, t);
    }
    case 2:
      return konst(c, t);
    case 3:
    case 4: {
      const [op, a] = r.pick(UN[t]);
      return `(${op} ${expr(c, a, d)})`;
    }
    case 5:
    case 6:
    case 7: {
      if (t === 'i32' && r.chance(0.4)) {
        const a = r.pick(TYPES);
        const op = a === 'i32' || a === 'i64' ? r.pick(ICMP) : r.pick(FCMP);
        return `(${a}.${op} ${expr(c, a, d)} ${expr(c, a, d)})`;
      }
      const op = t === 'i32' || t === 'i64' ? r.pick(IBIN) : r.pick(FBIN);
      // Constant right operands exercise the immediate forms.
      const rhs = r.chance(0.3) ? konst(c, t) : expr(c, t, d);
      return `(${t}.${op} ${expr(c, t, d)} ${rhs})`;
    }
    case 8: {
      const ls = localsOf(c, t);
      if (!ls.length) return konst(c, t);
      return `(local.tee ${r.pick(ls)} ${expr(c, t, d)})`;
    }
    case 9:
      return `(global.get $g_${t})`;
    case 10:
      return `(${r.pick(LOADS[t])} offset=${r.int(4) * 4} ${addr(c)})`;
    case 11:
      return `(select ${expr(c, t, d)} ${expr(c, t, d)} ${expr(c, 'i32', d)})`;
    case 12: {
      c.labels.push([t]);
      let body: string;
      if (r.chance(0.25)) {
        // Leave the block with `br`: everything after it is dead code with a polymorphic stack.
        body = `(block (result ${t}) ${stmts(c, d, 1)} (br 0 ${expr(c, t, d)}) ${deadCode(c, t)})`;
      } else {
        body = `(block (result ${t}) ${stmts(c, d, 2)} ${r.chance(0.5) ? `(drop (br_if 0 ${expr(c, t, d)} ${expr(c, 'i32', d)}))` : ''} ${expr(c, t, d)})`;
      }
      c.labels.pop();
      return body;
    }
    case 13: {
      const cond = expr(c, 'i32', d);
      c.labels.push([t]);
      const e = `(if (result ${t}) ${cond} (then ${stmts(c, d, 1)} ${expr(c, t, d)}) (else ${expr(c, t, d)}))`;
      c.labels.pop();
      return e;
    }
    case 14: {
      const cands = c.fns.filter((f) => f.results.length === 1 && f.results[0] === t);
      if (!cands.length) return konst(c, t);
      const f = r.pick(cands);
      return `(call $${f.name} ${f.params.map((p) => expr(c, p, d)).join(' ')})`;
    }
    case 15: {
      // Multi-value block: produce two values, combine them.
      if (t !== 'i32' && t !== 'i64') return expr(c, t, d);
      c.labels.push([t, t]);
      const e = `(${t}.sub (block (result ${t} ${t}) ${expr(c, t, d)} ${expr(c, t, d)}))`;
      c.labels.pop();
      return e;
    }
    case 16: {
      // Reinterpretations, with NaNs made canonical so the bits agree across engines.
      if (t === 'i32') return `(i32.reinterpret_f32 ${canon(c, 'f32', expr(c, 'f32', d))})`;
      if (t === 'i64') return `(i64.reinterpret_f64 ${canon(c, 'f64', expr(c, 'f64', d))})`;
      if (t === 'f32') return `(f32.reinterpret_i32 ${expr(c, 'i32', d)})`;
      return `(f64.reinterpret_i64 ${expr(c, 'i64', d)})`;
    }
    case 17:
      if (t === 'i32') return r.chance(0.5) ? '(memory.size)' : `(call $host_add ${expr(c, 'i32', d)} ${expr(c, 'i32', d)})`;
      return expr(c, t, d);
    default: {
      // Expression with a statement prefix (block without result label use).
      c.labels.push([t]);
      const e = `(block (result ${t}) ${stmts(c, d, 1)} ${expr(c, t, d)})`;
      c.labels.pop();
      return e;
    }
  }
}

/**
 * Instructions after an unconditional branch: valid only thanks to the polymorphic stack. Each
 * item leaves no concrete value behind, so any enclosing block end still type-checks.
 */
function deadCode(c: Ctx, t: T): string {
  const r = c.rng;
  const junk = [
    `(drop (${t}.const 0))`,
    '(drop (i32.add))',
    '(drop (select))',
    '(unreachable)',
    `(block (result ${t} ${t}) (unreachable)) (drop) (drop)`,
    '(br 0)',
    ...(c.locals.length ? ['(drop (local.get 0))', `(local.set 0 (${c.locals[0]}.add))`] : []),
  ];
  const out: string[] = [];
  for (let i = r.int(4); i > 0; i--) out.push(r.pick(junk));
  return out.join(' ');
}

function stmt(c: Ctx, depth: number): string {
  const r = c.rng;
  const d = depth - 1;
  const t = r.pick(TYPES);
  switch (r.int(10)) {
    case 0:
    case 1: {
      const ls = localsOf(c, t);
      if (!ls.length) return `(drop ${expr(c, t, d)})`;
      return `(local.set ${r.pick(ls)} ${expr(c, t, d)})`;
    }
    case 2:
      return `(global.set $g_${t} ${expr(c, t, d)})`;
    case 3:
      // Constant values exercise the immediate-value stores.
      return `(${r.pick(STORES[t])} offset=${r.int(3) * 8} ${addr(c)} ${r.chance(0.25) ? konst(c, t) : canon(c, t, expr(c, t, d))})`;
    case 4: {
      if (!c.counters.length || depth < 1) return `(drop ${expr(c, t, d)})`;
      const cnt = c.counters.pop()!;
      const n = 1 + r.int(6);
      c.labels.push([], null);
      // Fold the counter into a local so the number of iterations shows in the results.
      const acc = localsOf(c, 'i32');
      const track = acc.length ? `(local.set ${acc[0]} (i32.add (i32.mul (local.get ${acc[0]}) (i32.const 3)) (local.get ${cnt})))` : '';
      const body = `${track} ${stmts(c, d, 2)}`;
      const exit = r.chance(0.3) ? `(br_if 1 ${expr(c, 'i32', d)})` : '';
      c.labels.pop();
      c.labels.pop();
      c.counters.push(cnt);
      if (r.chance(0.5)) {
        // The counter's last update ends an inner block (a branch target) right before the test.
        const skip = expr(c, 'i32', 1);
        return `(local.set ${cnt} (i32.const 0)) (block (loop ${body} ${exit} (local.set ${cnt} (i32.add (local.get ${cnt}) (i32.const 1)))` +
          ` (block (br_if 0 ${skip}) (local.set ${cnt} (i32.add (local.get ${cnt}) (i32.const 1))))` +
          ` (br_if 0 (i32.lt_u (local.get ${cnt}) (i32.const ${n})))))`;
      }
      return `(local.set ${cnt} (i32.const 0)) (block (loop ${body} ${exit} (br_if 0 (i32.lt_u (local.tee ${cnt} (i32.add (local.get ${cnt}) (i32.const 1))) (i32.const ${n})))))`;
    }
    case 5: {
      const cond = expr(c, 'i32', d);
      c.labels.push([]);
      const s = `(if ${cond} (then ${stmts(c, d, 2)}) (else ${stmts(c, d, 1)}))`;
      c.labels.pop();
      return s;
    }
    case 6: {
      // Conditional branch out of an enclosing void block, when there is one.
      const depthIdx = [...c.labels].reverse().findIndex((l) => l !== null && l.length === 0);
      if (depthIdx < 0) return `(drop ${expr(c, t, d)})`;
      return `(br_if ${depthIdx} ${expr(c, 'i32', d)})`;
    }
    case 7: {
      c.labels.push([]);
      const s = `(block ${stmts(c, d, 2)} (br_table 0 0 ${expr(c, 'i32', 1)}))`;
      c.labels.pop();
      return s;
    }
    case 8: {
      // Early return or trap on a (rarely taken) condition.
      const cond = `(i32.eq ${expr(c, 'i32', d)} (i32.const ${r.int(3)}))`;
      c.labels.push([]);
      const exit = r.chance(0.2) ? '(unreachable)' : `(return ${c.results.map((rt) => canon(c, rt, expr(c, rt, d))).join(' ')})`;
      const s = `(if ${cond} (then ${exit} ${deadCode(c, r.pick(TYPES))}))`;
      c.labels.pop();
      return s;
    }
    default:
      return `(drop ${expr(c, t, d)})`;
  }
}

function stmts(c: Ctx, depth: number, max: number): string {
  if (depth <= 0 || c.budget <= 0) return '';
  const n = c.rng.int(max + 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(stmt(c, depth));
  return out.join(' ');
}

export interface Program {
  text: string;
  calls: Call[];
}

/** A random module with `nfuncs` exported functions and calls to each with random arguments. */
export function randomProgram(seed: number, nfuncs = 4, callsPerFn = 6): Program {
  const rng = new Rng(seed);
  const fns: Fn[] = [];
  const parts: string[] = [];
  for (let i = 0; i < nfuncs; i++) {
    const params = Array.from({ length: rng.int(4) }, () => rng.pick(TYPES));
    const results = rng.chance(0.15) ? [rng.pick(TYPES), rng.pick(TYPES)] : [rng.pick(TYPES)];
    const extra = Array.from({ length: rng.int(4) }, () => rng.pick(TYPES));
    const locals: T[] = [...params, ...extra];
    const scratchBase = locals.length;
    const scratch = { i32: scratchBase, i64: scratchBase + 1, f32: scratchBase + 2, f64: scratchBase + 3 };
    const counters = [scratchBase + 4, scratchBase + 5, scratchBase + 6];
    const c: Ctx = { rng, locals, scratch, counters, labels: [results], fns: [...fns], results, budget: 60 };
    const bodyStmts = stmts(c, 4, 3);
    const res = results.map((t) => canon(c, t, expr(c, t, 4))).join(' ');
    const name = `f${i}`;
    parts.push(
      `(func $${name} (export "${name}") ${params.length ? `(param ${params.join(' ')})` : ''} (result ${results.join(' ')})` +
        ` ${extra.length ? `(local ${extra.join(' ')})` : ''} (local i32 i64 f32 f64 i32 i32 i32)\n  ${bodyStmts}\n  ${res})`,
    );
    fns.push({ name, params, results });
  }
  const text = `(module
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\01\\23\\45\\67\\89\\ab\\cd\\ef\\fe\\dc\\ba\\98\\76\\54\\32\\10")
  (global $g_i32 (mut i32) (i32.const 7))
  (global $g_i64 (mut i64) (i64.const -3))
  (global $g_f32 (mut f32) (f32.const 0.5))
  (global $g_f64 (mut f64) (f64.const -1.25))
${parts.join('\n')}
)`;
  const calls: Call[] = [];
  for (let k = 0; k < callsPerFn; k++) {
    for (const f of fns) {
      const args: Val[] = f.params.map((p) => {
        const vals = valuesOf(p);
        const bits = rng.chance(0.7) ? vals[rng.int(vals.length)] : BigInt(rng.int(100));
        // NaN arguments cannot cross the JS boundary with their payload intact.
        const isNan = (p === 'f32' && (bits & 0x7fffffffn) > 0x7f800000n) || (p === 'f64' && (bits & 0x7fffffffffffffffn) > 0x7ff0000000000000n);
        return { t: p as ValType, bits: isNan ? (p === 'f32' ? 0x7fc00000n : 0x7ff8000000000000n) : bits };
      });
      calls.push({ fn: f.name, args });
    }
  }
  return { text, calls };
}
