// Control flow, calls, locals, globals, memory, tables and references: spec-style modules run
// in V8 and in the kernel's runtime on the same inputs (differential), plus runtime-only checks
// (trap messages, quotas, leaks) that V8 cannot answer.
import { describe, expect, it } from 'vitest';
import { compiler, differential, hex, runDriver, wat, type Call, type Val } from './harness.ts';
import { CONTROL, GLOBALS, HOST, MEMORY, TABLES } from './corpus.ts';
import { v } from './values.ts';

const i32 = (x: number | bigint): Val => v('i32', BigInt.asUintN(32, BigInt(x)));
const i64 = (x: number | bigint): Val => v('i64', BigInt.asUintN(64, BigInt(x)));

function callsFor(fns: Record<string, Val[][]>): Call[] {
  return Object.entries(fns).flatMap(([fn, argsList]) => argsList.map((args) => ({ fn, args })));
}

const I = [0, 1, 2, 5, 7, 10, -1, 100, 0x7fffffff, -0x80000000].map(i32);

describe.skipIf(!compiler)('control, memory, tables, globals, host calls (differential against V8)', () => {
  it('control flow and calls agree with V8', async () => {
    const bytes = await wat(CONTROL);
    const pairs = I.flatMap((a) => I.slice(0, 6).map((b) => [a, b]));
    const calls = callsFor({
      block_result: I.map((x) => [x]),
      nested_br: [0, 1, 2, 3].map((x) => [i32(x)]),
      loop_sum: [0, 1, 10, 100, -3].map((x) => [i32(x)]),
      loop_params: [1, 2, 10, 50].map((x) => [i32(x)]),
      if_else: I.map((x) => [x]),
      if_params: pairs,
      if_no_else: I.map((x) => [x]),
      br_table: [0, 1, 2, 3, 4, 5, 100, -1].map((x) => [i32(x)]),
      br_table_return: [0, 1, 2, 3].map((x) => [i32(x)]),
      br_table_loop: [1, 5, 6, 7, 8, 100].map((x) => [i32(x)]),
      return_nested: I.map((x) => [x]),
      multi: pairs,
      multi_ret: pairs,
      multi_block: I.map((x) => [x]),
      stale_local: I.map((x) => [x]),
      stale_local_block: I.map((x) => [x]),
      stale_local_if: pairs,
      stale_retarget: I.map((x) => [x]),
      tee_chain: I.map((x) => [x]),
      self_assign: pairs,
      select_i: pairs.map(([a, b]) => [a, b, a]),
      select_l: [[i64(1), i64(-2), i32(0)], [i64(1), i64(-2), i32(7)]],
      select_f: [[v('f64', 0x3ff0000000000000n), v('f64', 0n), i32(0)], [v('f64', 0x3ff0000000000000n), v('f64', 0n), i32(1)]],
      dead_code: I.map((x) => [x]),
      dead_if: I.map((x) => [x]),
      unreachable_trap: [[i32(0)], [i32(1)], [i32(0)]],
      fused_cmp: pairs,
      fused_cmp_value: pairs,
      fib: [0, 1, 2, 10, 20].map((x) => [i32(x)]),
      deep: [0, 100, 500].map((x) => [i32(x)]),
      forever: [[i32(1)]],
      locals_zeroed: [[i32(1)], [i32(0)], [i32(1)], [i32(0)]],
      dead_mid_expr: [0, 1, -1].map((x) => [i32(x)]),
      dead_block_end: [[i32(0), i32(5)], [i32(0), i32(-7)], [i32(1), i32(5)]],
      latch_label: [0, 1, 2, 6].map((x) => [i32(x)]),
      latch: [[i32(0), i32(0)], [i32(1), i32(3)], [i32(7), i32(5)], [i32(10), i32(-2)], [i32(-5), i32(200)], [i32(33), i32(90)]],
      br_table_multi: [0, 1, 2, 3, -1].map((x) => [i32(x)]),
      block_param_virtual: [[i32(5), i32(0)], [i32(-3), i32(9)]],
      loop_carry: [1, 2, 5].map((x) => [i32(x)]),
      many_args: [[i32(-3), i64(1n << 40n), v('f32', 0x3fc00000n), v('f64', 0x4000000000000000n), i32(-1), i64(0), v('f32', 0n), v('f64', 0n)]],
    });
    const { mismatches, calls: n } = differential([{ name: 'control', bytes, calls }]);
    expect(mismatches).toEqual([]);
    expect(n).toBe(calls.length);
  });

  it('superinstructions agree with V8: immediate-operation pairs, f64 compare-and-branch (NaN), tee+br_if latch, product of loads', async () => {
    const F = [0, 1, -1, 0.5, 2, 4, Infinity, NaN];
    const f64 = (x: number) => v('f64', new BigUint64Array(new Float64Array([x]).buffer)[0]);
    const pairOps = ['shl', 'shr_s', 'shr_u', 'and', 'xor', 'add', 'or'];
    const fns: string[] = [];
    const calls: Call[] = [];
    pairOps.forEach((o1, i) =>
      pairOps.forEach((o2, j) => {
        fns.push(`(func (export "p${i}_${j}") (param i32) (result i32) (i32.${o2} (i32.${o1} (local.get 0) (i32.const ${i * 7 + 3})) (i32.const ${j * 5 + 29})))`);
        calls.push(...I.map((x) => ({ fn: `p${i}_${j}`, args: [x] })));
        // The pair then `and K` (a bit-to-mask idiom's shape): one fused instruction (peephole.c).
        fns.push(`(func (export "t${i}_${j}") (param i32) (result i32) (i32.and (i32.${o2} (i32.${o1} (local.get 0) (i32.const ${i * 5 + 1})) (i32.const ${j * 3 + 2})) (i32.const -306674912)))`);
        calls.push(...I.map((x) => ({ fn: `t${i}_${j}`, args: [x] })));
      }),
    );
    fns.push(`(func (export "neg_and") (param i32) (result i32) (i32.and (i32.sub (i32.const 0) (i32.and (local.get 0) (i32.const 1))) (i32.const -306674912)))`);
    calls.push(...I.map((x) => ({ fn: 'neg_and', args: [x] })));
    for (const cmp of ['eq', 'ne', 'lt', 'gt', 'le', 'ge']) {
      fns.push(`(func (export "fb_${cmp}") (param f64 f64) (result i32) (block (br_if 0 (f64.${cmp} (f64.mul (local.get 0) (local.get 0)) (local.get 1))) (return (i32.const 1))) (i32.const 2))`);
      fns.push(`(func (export "fn_${cmp}") (param f64) (result i32) (if (result i32) (i32.eqz (f64.${cmp} (local.get 0) (f64.const 2))) (then (i32.const 3)) (else (i32.const 4))))`);
      calls.push(...F.flatMap((a) => F.map((b) => ({ fn: `fb_${cmp}`, args: [f64(a), f64(b)] }))), ...F.map((a) => ({ fn: `fn_${cmp}`, args: [f64(a)] })));
    }
    fns.push(`(func (export "latch") (param i32) (result i32) (local i32) (loop (local.set 1 (i32.add (local.get 1) (i32.const 3))) (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const 1))))) (local.get 1))`);
    calls.push(...[-5, -1, -100].map((x) => ({ fn: 'latch', args: [i32(x)] })));
    fns.push(`(func (export "dot") (param i32 i32) (result i32) (i32.add (i32.const 7) (i32.mul (i32.load offset=8 (i32.add (local.get 0) (i32.const 4))) (i32.load (local.get 1)))))`);
    calls.push(...[[0, 0], [16, 24], [65520, 0], [65524, 0], [0, 65532], [0, 65533], [-4, 0]].map(([a, b]) => ({ fn: 'dot', args: [i32(a), i32(b)] })));
    const bytes = await wat(`(module (memory 1) (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10\\11\\12\\13\\14\\15\\16\\17\\18\\19\\1a\\1b\\1c\\1d\\1e\\1f\\20\\21\\22\\23\\24\\25\\26\\27\\28") ${fns.join('\n')})`);
    const { mismatches, calls: n } = differential([{ name: 'fused', bytes, calls }]);
    expect(mismatches).toEqual([]);
    expect(n).toBe(calls.length);
  });

  it('peephole forms agree with V8: in-place operations and latches, load with in-place pointer update, f64 squares, fused copies', async () => {
    const fns: string[] = [];
    const calls: Call[] = [];
    const J = [0, 3, -7, 31, 0x7fffffff].map(i32);
    // x = x op K, x = x op y, x = x op x (the in-place forms).
    for (const o of ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u']) {
      fns.push(`(func (export "ip_${o}") (param i32 i32) (result i32)
        (local.set 0 (i32.${o} (local.get 0) (i32.const 13))) (local.set 0 (i32.${o} (local.get 0) (local.get 1)))
        (local.set 1 (i32.${o} (local.get 1) (local.get 1))) (i32.xor (local.get 0) (local.get 1)))`);
      // x = y op x (swapped when commutative) and x = acc op x (the accumulator form in place).
      fns.push(`(func (export "ipr_${o}") (param i32 i32) (result i32)
        (local.set 0 (i32.${o} (local.get 1) (local.get 0)))
        (local.set 1 (i32.${o} (i32.add (local.get 0) (i32.const 5)) (local.get 1))) (i32.sub (local.get 0) (local.get 1)))`);
      calls.push(...I.flatMap((a) => J.map((b) => ({ fn: `ipr_${o}`, args: [a, b] }))));
      calls.push(...I.flatMap((a) => J.map((b) => ({ fn: `ip_${o}`, args: [a, b] }))));
    }
    // Loop latches `x += b; if (x cmp c)` with x the counter itself: b and c slots or immediates.
    for (const [cmp, c] of [['lt_u', '(i32.const 4000)'], ['lt_s', '(local.get 2)'], ['ne', '(i32.const 64)'], ['le_s', '(local.get 2)']]) {
      for (const b of ['(local.get 0)', '(i32.const 4)']) {
        const name = `latch_${cmp}_${b.includes('const') ? 'i' : 's'}`;
        fns.push(`(func (export "${name}") (param i32 i32 i32) (result i32) (local i32)
          (loop (local.set 3 (i32.add (local.get 3) (i32.const 1)))
            (br_if 0 (i32.${cmp} (local.tee 1 (i32.add (local.get 1) ${b})) ${c})))
          (i32.add (i32.mul (local.get 3) (i32.const 65536)) (local.get 1)))`);
        // `ne` stops only on equality: start where the counter meets the bound.
        const args = cmp === 'ne' ? [[4, 0, 0], [4, 8, 0], [4, -8, 0]] : [[4, 0, 100], [4, 8, 64], [1, -9, 7], [16, 3, 200]];
        calls.push(...args.map((a) => ({ fn: name, args: a.map(i32) })));
      }
    }
    // Loads whose address is the pointer just bumped in place (`*(p += k)`), to a slot or the accumulator; traps at the end of memory.
    for (const [ld, t] of [['i32.load', 'i32'], ['i32.load8_s', 'i32'], ['i32.load8_u', 'i32'], ['i32.load16_u', 'i32'], ['i64.load', 'i64'], ['f64.load', 'f64']]) {
      const name = `upd_${ld.replace('.', '_')}`;
      const acc = t === 'i32' ? `(local.set 3 (i32.add (${ld} (local.tee 1 (i32.add (local.get 1) (local.get 0)))) (local.get 3)))` : `(drop (${ld} (local.tee 1 (i32.add (local.get 1) (local.get 0)))))`;
      fns.push(`(func (export "${name}") (param i32 i32 i32) (result i32) (local i32)
        (loop ${acc} (local.set 3 (i32.xor (local.get 3) (i32.wrap_i64 (i64.reinterpret_f64 (f64.convert_i32_u (local.get 3))))))
          (local.set 3 (i32.add (local.get 3) (i32.load8_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))))))
          (br_if 0 (local.tee 2 (i32.sub (local.get 2) (i32.const 1)))))
        (i32.add (local.get 3) (local.get 1)))`);
      calls.push(...[[4, 0, 10], [1, 3, 50], [8, 65500, 10], [4, 65528, 2], [-4, 40, 3]].map((a) => ({ fn: name, args: a.map(i32) })));
    }
    // f64 squares, to a slot and to the f64 accumulator.
    const f64 = (x: number) => v('f64', new BigUint64Array(new Float64Array([x]).buffer)[0]);
    fns.push(`(func (export "sq") (param f64 f64) (result f64) (local f64) (local.set 2 (f64.mul (local.get 0) (local.get 0))) (f64.add (f64.mul (local.get 1) (local.get 1)) (local.get 2)))`);
    fns.push(`(func (export "dbl") (param f64 f64) (result f64) (local f64) (local.set 2 (f64.add (local.get 0) (local.get 0))) (f64.mul (f64.add (local.get 1) (local.get 1)) (local.get 2)))`);
    calls.push(...[0, -0, 1.5, -3, NaN, Infinity, 1e308].flatMap((a) => [2, -0, NaN, -Infinity].map((b) => ({ fn: 'dbl', args: [f64(a), f64(b)] }))));
    calls.push(...[0, -0, 1.5, -3, NaN, Infinity, 1e200].flatMap((a) => [2, -0, NaN].map((b) => ({ fn: 'sq', args: [f64(a), f64(b)] }))));
    // A pointer bump kept in two locals (`q = p = p - 4`), and pairs of copies (one of them a loop head).
    fns.push(`(func (export "bump2") (param i32 i32) (result i32) (local i32 i32 i32)
      (local.set 2 (local.get 0)) (local.set 3 (local.get 1))
      (loop (local.set 4 (local.get 2)) (local.set 3 (local.get 4))
        (local.set 2 (local.tee 0 (i32.add (local.get 0) (i32.const -4))))
        (br_if 0 (i32.gt_s (local.get 0) (local.get 1))))
      (i32.add (i32.mul (local.get 2) (i32.const 3)) (i32.add (local.get 3) (local.get 4))))`);
    calls.push(...[[40, 0], [7, 100], [-5, -30]].map((a) => ({ fn: 'bump2', args: a.map(i32) })));
    const bytes = await wat(`(module (memory 1) (data (i32.const 0) "\\01\\82\\03\\f4\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\ee\\0f\\10\\11\\12\\13\\14") ${fns.join('\n')})`);
    const { mismatches, calls: n } = differential([{ name: 'peephole', bytes, calls }]);
    expect(mismatches).toEqual([]);
    expect(n).toBe(calls.length);
  });

  it('an i32 load tested by the next compare-and-branch (fused) agrees with V8: every comparison, address form and operand, traps', async () => {
    const fns: string[] = [];
    const calls: Call[] = [];
    // The load's address: plain, folded `p + K`, and the pointer bumped by the load itself (stride slot or immediate).
    const addrs: Record<string, string> = {
      plain: '(i32.load (local.get 0))',
      folded: '(i32.load (i32.add (local.get 0) (i32.const 2)))',
      upds: '(i32.load (local.tee 0 (i32.add (local.get 0) (local.get 2))))',
      updi: '(i32.load (local.tee 0 (i32.add (local.get 0) (i32.const 3))))',
    };
    // The right operand: a slot, an immediate, or the loaded value itself.
    const rights: Record<string, string> = { s: '(local.get 1)', i: '(i32.const 0x0a0b0c0d)', d: '(local.get 3)' };
    for (const cmp of ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']) {
      for (const [an, addr] of Object.entries(addrs)) {
        for (const [bn, b] of Object.entries(rights)) {
          const name = `lb_${cmp}_${an}_${bn}`;
          const bump = an.startsWith('upd') ? '' : '(local.set 0 (i32.add (local.get 0) (local.get 2)))';
          fns.push(`(func (export "${name}") (param i32 i32 i32) (result i32) (local i32 i32)
            (block (loop (br_if 1 (i32.ge_u (local.get 4) (i32.const 9))) (local.set 4 (i32.add (local.get 4) (i32.const 1))) ${bump}
              (br_if 0 (i32.${cmp} (local.tee 3 ${addr}) ${b}))))
            (i32.add (i32.mul (local.get 4) (i32.const 65536)) (i32.xor (local.get 3) (local.get 0))))`);
          calls.push(...[[0, 0, 1], [0, 0x0a0b0c0d, 4], [3, -1, 2], [1, 0x80000000, 5], [65530, 5, 1], [65524, 0, 4], [-4, 0, 1]].map((a) => ({ fn: name, args: a.map(i32) })));
        }
      }
    }
    const bytes = await wat(`(module (memory 1) (data (i32.const 0) "\\0d\\0c\\0b\\0a\\0d\\0c\\0b\\0a\\ff\\ff\\ff\\7f\\00\\00\\00\\80\\0d\\0c\\0b\\0a\\01\\00\\00\\00\\ff\\ff\\ff\\ff") (data (i32.const 65528) "\\0d\\0c\\0b\\0a\\0d\\0c\\0b\\0a") ${fns.join('\n')})`);
    const { mismatches, calls: n } = differential([{ name: 'loadbr', bytes, calls }]);
    expect(mismatches).toEqual([]);
    expect(n).toBe(calls.length);
  });

  it('a simple instruction fused with the loop latch after it agrees with V8: counter bump, byte store (traps), xor, constant; latch in place or not', async () => {
    const fns: string[] = [];
    const calls: Call[] = [];
    // The instruction right before the latch (peephole.c pre_latch_kind).
    const firsts: Record<string, string> = {
      add: '(local.set 3 (i32.add (local.get 3) (i32.const 5)))',
      st8: '(i32.store8 (i32.add (local.get 0) (i32.const 7)) (i32.const 0x5a))',
      xor: '(local.set 3 (i32.xor (i32.shl (local.get 0) (i32.const 3)) (local.get 3)))',
      const: '(local.set 3 (i32.const 77))',
    };
    for (const cmp of ['eq', 'lt_u', 'gt_s', 'le_u', 'ge_s']) {
      for (const [fn, first] of Object.entries(firsts)) {
        // x += b in place (x is a), or x = a + b with a another local (the general latch).
        for (const src of ['1', '3']) {
          for (const b of ['(local.get 2)', '(i32.const 3)']) {
            for (const c of ['(local.get 2)', '(i32.const 40)']) {
              const name = `pl_${cmp}_${fn}_${src}_${b.includes('const') ? 'i' : 's'}${c.includes('const') ? 'i' : 's'}`;
              fns.push(`(func (export "${name}") (param i32 i32 i32) (result i32) (local i32 i32)
                (block (loop (br_if 1 (i32.ge_u (local.get 4) (i32.const 12))) (local.set 4 (i32.add (local.get 4) (i32.const 1)))
                  ${first}
                  (br_if 0 (i32.${cmp} (local.tee 1 (i32.add (local.get ${src}) ${b})) ${c}))))
                (i32.add (i32.mul (local.get 4) (i32.const 65536)) (i32.xor (i32.load (local.get 0)) (i32.add (local.get 1) (local.get 3)))))`);
              calls.push(...[[0, 0, 3], [8, 30, 40], [16, -7, 5], [65528, 0, 2], [65529, 40, 40]].map((a) => ({ fn: name, args: a.map(i32) })));
            }
          }
        }
      }
    }
    const bytes = await wat(`(module (memory 1) ${fns.join('\n')})`);
    const { mismatches, calls: n } = differential([{ name: 'prelatch', bytes, calls }]);
    expect(mismatches).toEqual([]);
    expect(n).toBe(calls.length);
  });

  it('memory loads, stores, growth and bulk operations agree with V8 (results, traps and memory contents)', async () => {
    const bytes = await wat(MEMORY);
    const addrs = [0, 1, 3, 15, 16, 65535 - 16, 65536 - 20, 65536 - 17, 65536 - 16, 65536, -1, -16].map(i32);
    const calls = callsFor({
      ld8s: addrs.map((a) => [a]),
      ld8u: addrs.map((a) => [a]),
      ld16s: addrs.map((a) => [a]),
      ld16u: addrs.map((a) => [a]),
      ld32: addrs.map((a) => [a]),
      ld64: addrs.map((a) => [a]),
      ld64_8s: addrs.map((a) => [a]),
      ld64_16s: addrs.map((a) => [a]),
      ld64_32s: addrs.map((a) => [a]),
      ld64_32u: addrs.map((a) => [a]),
      ldf32: addrs.map((a) => [a]),
      ldf64: addrs.map((a) => [a]),
      ld_big_off: [0, 16, 32].map((a) => [i32(a)]),
      st8: addrs.map((a) => [a, i32(0x1ff)]),
      st16: addrs.map((a) => [a, i32(0xabcd1234)]),
      st32: addrs.map((a) => [a, i32(0xdeadbeef)]),
      st64: addrs.map((a) => [a, i64(0x0102030405060708n)]),
      st64_8: addrs.slice(0, 4).map((a) => [a, i64(-1)]),
      st64_16: addrs.slice(0, 4).map((a) => [a, i64(-2)]),
      st64_32: addrs.map((a) => [a, i64(0x1122334455667788n)]),
      stf32: addrs.map((a) => [a, v('f32', 0x40490fdbn)]),
      stf64: addrs.map((a) => [a, v('f64', 0x400921fb54442d18n)]),
      fill: [[i32(100), i32(0x55), i32(50)], [i32(65530), i32(1), i32(6)], [i32(65530), i32(1), i32(7)], [i32(65536), i32(1), i32(0)], [i32(65537), i32(1), i32(0)]],
      copy: [[i32(200), i32(16), i32(20)], [i32(17), i32(16), i32(20)], [i32(16), i32(17), i32(20)], [i32(65530), i32(0), i32(7)], [i32(0), i32(65530), i32(7)], [i32(65536), i32(65536), i32(0)]],
      init: [[i32(300), i32(0), i32(13)], [i32(300), i32(5), i32(9)], [i32(300), i32(0), i32(14)], [i32(65535), i32(0), i32(2)], [i32(0), i32(13), i32(0)]],
      ld_sum: [0, 4, -16, -24, -20, 65536 - 28, 65536 - 27, 65536 - 24].map((a) => [i32(a)]),
      ld_upd: [[i32(0), i32(1)], [i32(13), i32(3)], [i32(65536 - 80), i32(2)], [i32(65536 - 40), i32(1)], [i32(-4), i32(1)]],
      ld_sum_neg: [0, 2, 4, 65536 + 1, 65536 + 2, 1].map((a) => [i32(a)]),
      st_sum: [0, -32, -36, 65536 - 38, 65536 - 37].map((a) => [i32(a), i32(0xbeef)]),
      st_imm: [0, 100, 65536 - 24, 65536 - 23, -7].map((a) => [i32(a)]),
    });
    // Order matters for growth and dropping: run these after the above.
    calls.push(
      ...callsFor({ size: [[]], grow: [[i32(0)], [i32(1)], [i32(2)], [i32(1)], [i32(0)], [i32(-1)]] }),
      ...callsFor({ size: [[]], ld32: [[i32(65536 * 2)], [i32(65536 * 4 - 20)], [i32(65536 * 4 - 19)]] }),
      ...callsFor({ drop: [[]], init: [[i32(0), i32(0), i32(0)], [i32(0), i32(0), i32(1)]], drop_active: [[]], init_active: [[i32(0)]] }),
    );
    const { mismatches } = differential([{ name: 'memory', bytes, calls, checkMemory: true }]);
    expect(mismatches).toEqual([]);
  });

  it('tables, call_indirect and references agree with V8', async () => {
    const bytes = await wat(TABLES);
    const calls = callsFor({
      ci: [0, 1, 2, 3, 4, 7, 8, 100, -1].map((i) => [i32(i), i32(10)]),
      ci_v: [1, 3, 5].map((i) => [i32(i)]),
      size: [[]],
      is_null: [0, 1, 7, 8].map((i) => [i32(i)]),
      get_ref: [0, 1, 8].map((i) => [i32(i)]),
      ref_func_null: [[]],
      ext_null: [[i32(0)], [i32(2)]],
      ext_grow: [[i32(3)], [i32(0)]],
    });
    calls.push(
      ...callsFor({
        init: [[i32(4), i32(0), i32(3)], [i32(6), i32(1), i32(3)], [i32(7), i32(0), i32(0)]],
        ci: [4, 5, 6].map((i) => [i32(i), i32(1)]),
        copy: [[i32(0), i32(1), i32(3)], [i32(6), i32(0), i32(3)], [i32(8), i32(0), i32(0)]],
        grow: [[i32(2)], [i32(0)], [i32(100)]],
        set_dec: [[i32(9)], [i32(10)], [i32(100)]],
        fill: [[i32(1), i32(2)], [i32(9), i32(2)], [i32(10), i32(1)]],
        edrop: [[]],
      }),
      ...callsFor({ init: [[i32(0), i32(0), i32(0)], [i32(0), i32(0), i32(1)]], size: [[]] }),
      ...callsFor({ ci: [0, 1, 2, 3, 8, 9].map((i) => [i32(i), i32(5)]) }),
    );
    const { mismatches } = differential([{ name: 'tables', bytes, calls }]);
    expect(mismatches).toEqual([]);
  });

  it('globals and host imports (with a start function) agree with V8', async () => {
    const g = await wat(GLOBALS);
    const h = await wat(HOST);
    const { mismatches } = differential([
      {
        name: 'globals',
        bytes: g,
        calls: callsFor({
          bump: [[i32(1)], [i32(-10)], [i32(7)]],
          bump64: [[i64(3)], [i64(-1)]],
          fl: [[v('f32', 0x3f800000n), v('f64', 0x3ff0000000000000n)]],
          k: [[]],
          r_null: [[]],
        }),
      },
      {
        name: 'host',
        bytes: h,
        checkMemory: true,
        calls: callsFor({
          started: [[]],
          add: [[i32(1), i32(2)], [i32(-1), i32(0x7fffffff)]],
          fail: [[i32(0)], [i32(1)], [i32(0)]],
          sum: [[i32(100), i32(5)], [i32(65530), i32(6)], [i32(65530), i32(7)], [i32(-1), i32(2)]],
        }),
      },
    ]);
    expect(mismatches).toEqual([]);
  });
});

describe.skipIf(!compiler)('runtime-only behaviour', () => {
  it('trap messages name the module, the function (name section) and the code offset', async () => {
    const bytes = await wat(`(module (func $compute_ratio (export "f") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))`);
    const out = runDriver([`load ${hex(bytes)}`, 'call f i32:0']);
    expect(out[0]).toBe('ok');
    expect(out[1]).toMatch(/^trap div_zero integer divide by zero in module 'test', function 'compute_ratio' \(#0\), at code offset 0x[0-9a-f]+$/);
    // The offset is that of the i32.div_u opcode (0x6e) in the binary.
    const off = parseInt(/offset 0x([0-9a-f]+)/.exec(out[1])![1], 16);
    expect(bytes[off]).toBe(0x6e);
  });

  it('stack exhaustion traps cleanly at the configured depth and the instance stays usable', async () => {
    const bytes = await wat(`(module
      (func $r (export "r") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))`);
    const out = runDriver(['limits 0 50 0', `load ${hex(bytes)}`, 'call r i32:31', 'call r i32:60', 'call r i32:a', 'limits 256 0 0', `load ${hex(bytes)}`, 'call r i32:3', 'call r i32:100']);
    expect(out.slice(2, 5)).toEqual(['ok i32:31', expect.stringMatching(/^trap stack_exhausted call stack exhausted in module 'test', function 'r'/), 'ok i32:a']);
    expect(out[7]).toBe('ok i32:3');
    expect(out[8]).toMatch(/^trap stack_exhausted/);
  });

  it('memory.grow fails (-1) at the quota instead of trapping, and allocation failure refuses a module cleanly', async () => {
    const bytes = await wat(`(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
    const big = await wat(`(module (memory 200))`);
    const out = runDriver(['quota 600000', `load ${hex(bytes)}`, 'call grow i32:1', 'call grow i32:4', 'call grow i32:1', `load ${hex(big)}`, 'unload', 'quota 1000', `load ${hex(bytes)}`, 'unload']);
    expect(out[1]).toBe('ok');
    expect(out[2]).toBe('ok i32:1');
    expect(out[3]).toBe('ok i32:ffffffff');
    expect(out[4]).toBe('ok i32:2');
    expect(out[5]).toMatch(/^error .*memory.*quota/);
    expect(out[6]).toBe('used 0');
    expect(out[8]).toMatch(/^error .*(quota|memory)/);
    expect(out[9]).toBe('used 0');
  });

  it('fused instructions keep each trap site: a product of two loads, a trap in a callee', async () => {
    // i32.mul (i32.load a) (i32.load offset=4 b) becomes one instruction; either load may trap.
    const bytes = await wat(`(module (memory 1)
      (func $outer (export "f") (param i32 i32) (result i32) (i32.add (i32.const 1) (call $dot (local.get 0) (local.get 1))))
      (func $dot (param i32 i32) (result i32) (i32.mul (i32.load (local.get 0)) (i32.load offset=4 (local.get 1)))))`);
    const at = (seq: number[]) => {
      for (let i = 0; i + seq.length <= bytes.length; i++) if (seq.every((b, k) => bytes[i + k] === b)) return i;
      throw new Error('instruction not found');
    };
    const first = at([0x28, 0x02, 0x00]).toString(16);
    const second = at([0x28, 0x02, 0x04]).toString(16);
    const out = runDriver([`load ${hex(bytes)}`, 'call f i32:0 i32:0', 'call f i32:fffe i32:0', 'call f i32:0 i32:fffc', 'call f i32:fffc i32:fff8']);
    expect(out[1]).toBe('ok i32:1');
    expect(out[2]).toBe(`trap memory_oob out of bounds memory access in module 'test', function 'dot' (#1), at code offset 0x${first}`);
    expect(out[3]).toBe(`trap memory_oob out of bounds memory access in module 'test', function 'dot' (#1), at code offset 0x${second}`);
    expect(out[4]).toBe('ok i32:1');
  });

  it('host traps keep the host message and name the calling function', async () => {
    const out = runDriver([`load ${hex(await wat(HOST))}`, 'call fail i32:1', 'call sum i32:fffffff0 i32:20', 'call fail i32:0']);
    expect(out[1]).toMatch(/^trap host host function failed: host.fail was called \(called in module 'test', function #\d+, at code offset 0x[0-9a-f]+\)$/);
    expect(out[2]).toMatch(/^trap memory_oob out of bounds memory access in module 'test'/);
    expect(out[3]).toBe('ok i32:1');
  });

  it('unknown imports are refused with a clear error', async () => {
    const bytes = await wat(`(module (import "env" "open" (func (param i32) (result i32))))`);
    const wrong = await wat(`(module (import "host" "add" (func (param i64) (result i32))))`);
    const mem = await wat(`(module (import "host" "mem" (memory 1)))`);
    const out = runDriver([`load ${hex(bytes)}`, `load ${hex(wrong)}`, `load ${hex(mem)}`]);
    expect(out[0]).toBe("error module 'test': import env.open refused: unknown import module");
    expect(out[1]).toBe("error module 'test': import host.add refused: wrong signature");
    expect(out[2]).toMatch(/only function imports are supported/);
  });

  it('a trap in the start function refuses instantiation; 1000 load/instantiate/free cycles leak nothing', async () => {
    const bad = await wat(`(module (func $s (unreachable)) (start $s))`);
    const good = hex(await wat(CONTROL));
    const lines = [`load ${hex(bad)}`, 'unload'];
    for (let i = 0; i < 1000; i++) lines.push(`load ${good}`, 'call fib i32:5', 'unload');
    const out = runDriver(lines);
    expect(out[0]).toMatch(/^error start function trapped: unreachable executed in module 'test', function 's'/);
    expect(out[1]).toBe('used 0');
    for (let i = 0; i < 1000; i++) expect(out.slice(2 + 3 * i, 5 + 3 * i)).toEqual(['ok', 'ok i32:5', 'used 0']);
  });
});
