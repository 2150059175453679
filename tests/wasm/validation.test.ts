// Validation rules: each invalid or malformed module must be refused by V8 and by the kernel's
// runtime, whose message names the section, offset and rule; tricky valid modules are accepted by both.
import { describe, expect, it } from 'vitest';
import { F32, F64, FUNCREF, EXTERNREF, I32, I64, HEADER, body, functype, module, oneFunc, s32, section, str, u32, vec } from './binary.ts';
import { compiler, hex, runDriver, wat, watUnchecked } from './harness.ts';

interface Case {
  name: string;
  bytes: () => Promise<Uint8Array> | Uint8Array;
  rule: RegExp;
  /** A post-2.0 feature that V8 implements and WasmOS deliberately refuses. */
  extension?: boolean;
}

const T = (name: string, text: string, rule: RegExp): Case => ({ name, bytes: () => watUnchecked(text), rule });
const B = (name: string, bytes: Uint8Array | (() => Uint8Array), rule: RegExp): Case => ({
  name,
  bytes: typeof bytes === 'function' ? bytes : () => bytes,
  rule,
});

const typeSec = (...types: number[][]) => section(1, vec(types));
const funcSec = (...idx: number[]) => section(3, vec(idx.map((i) => u32(i))));
const codeSec = (...bodies: number[][]) => section(10, vec(bodies));
const memSec = (flags: number, min: number, max?: number) => section(5, vec([[flags, ...u32(min), ...(max !== undefined ? u32(max) : [])]]));

const INVALID: Case[] = [
  // ---- function bodies: typing ----
  T('operand type', '(module (func (result i32) (i32.add (i32.const 1) (f32.const 2))))', /code section at offset 0x[0-9a-f]+: function 0: type mismatch: expected i32, got f32/),
  T('stack underflow', '(module (func (result i32) i32.const 1 i32.add))', /type mismatch: operand stack underflow/),
  T('values left at end', '(module (func i32.const 1))', /type mismatch: 1 values left/),
  T('wrong result type', '(module (func (result i64) (i32.const 1)))', /type mismatch: block result expects i64, got i32/),
  T('missing result', '(module (func (result i32)))', /type mismatch: block expects 1 results, got 0/),
  T('local.set type', '(module (func (local i64) (local.set 0 (i32.const 1))))', /type mismatch: expected i64, got i32/),
  T('local.tee type', '(module (func (param f32) (drop (local.tee 0 (f64.const 1)))))', /type mismatch/),
  T('unknown local', '(module (func (drop (local.get 3))))', /unknown local 3/),
  T('unknown global', '(module (func (drop (global.get 0))))', /unknown global 0/),
  T('immutable global', '(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))', /global is immutable/),
  T('unknown function', '(module (func (call 7)))', /unknown function 7/),
  T('call argument type', '(module (func $f (param i64)) (func (call $f (i32.const 0))))', /type mismatch: expected i64, got i32/),
  T('unknown type', '(module (table 1 funcref) (func (call_indirect (type 9) (i32.const 0))))', /unknown type 9/),
  T('call_indirect on externref table', '(module (type $t (func)) (table 1 externref) (func (call_indirect (type $t) (i32.const 0))))', /call_indirect table must hold funcref/),
  T('unknown table', '(module (func (drop (table.size 0))))', /unknown table 0/),
  T('load without memory', '(module (func (drop (i32.load (i32.const 0)))))', /unknown memory 0/),
  T('memory.grow without memory', '(module (func (drop (memory.grow (i32.const 0)))))', /unknown memory 0/),
  T('alignment', '(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))', /alignment must not be larger than natural/),
  T('alignment narrow', '(module (memory 1) (func (i64.store16 align=4 (i32.const 0) (i64.const 0))))', /alignment must not be larger than natural/),
  T('unknown label', '(module (func (br 1)))', /unknown label 1/),
  T('br value type', '(module (func (result i32) (block (result i32) (br 0 (i64.const 1)))))', /type mismatch: branch expects i32, got i64/),
  T('if without else with result', '(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)))))', /if without else must have matching/),
  T('if condition type', '(module (func (if (i64.const 1) (then))))', /type mismatch: expected i32, got i64/),
  T('block param missing', '(module (type $t (func (param i32))) (func (block (type $t) (param i32) (drop))))', /type mismatch: expected 1 operands, got 0/),
  T('select operand mismatch', '(module (func (result i32) (select (i32.const 1) (i64.const 2) (i32.const 0))))', /select operands differ/),
  T('untyped select of references', '(module (func (drop (select (ref.null func) (ref.null func) (i32.const 0)))))', /untyped select needs numeric operands/),
  T('br_table arity', '(module (func (result i32) (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) (i32.const 0)))', /type mismatch/),
  T('undeclared ref.func', '(module (func $f) (func (drop (ref.func $f))))', /undeclared function reference 0/),
  T('ref.is_null on i32', '(module (func (drop (ref.is_null (i32.const 0)))))', /ref.is_null needs a reference/),
  T('unknown data segment', '(module (memory 1) (func (data.drop 3)))', /data count section required|unknown data segment 3/),
  T('unknown elem segment', '(module (table 1 funcref) (func (elem.drop 2)))', /unknown elem segment 2/),
  T('table.init element type', '(module (table 1 externref) (elem funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))', /table.init element type/),
  T('table.copy element types', '(module (table 1 externref) (table 1 funcref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))', /table.copy element types/),
  T('table.set value type', '(module (table 1 funcref) (func (table.set 0 (i32.const 0) (ref.null extern))))', /type mismatch: expected funcref, got externref/),
  T('return type', '(module (func (result f32) (return (f64.const 0))))', /type mismatch/),
  T('memory.fill operand', '(module (memory 1) (func (memory.fill (i32.const 0) (i64.const 0) (i32.const 0))))', /type mismatch: expected i32, got i64/),
  // ---- module level ----
  T('start signature', '(module (func $s (param i32)) (start $s))', /start function must have type \[\] -> \[\]/),
  T('duplicate export', '(module (func $f) (export "a" (func $f)) (export "a" (func $f)))', /duplicate export name "a"/),
  T('multiple memories', '(module (memory 1) (memory 1))', /multiple memories are not supported/),
  T('memory too large', '(module (memory 65537))', /memory size must be at most 65536 pages/),
  T('limits min > max', '(module (memory 2 1))', /size minimum must not be greater than maximum/),
  T('table limits', '(module (table 5 4 funcref))', /size minimum must not be greater than maximum/),
  T('non-constant initializer', '(module (global i32 (i32.add (i32.const 1) (i32.const 2))))', /constant expression required|exactly one value/),
  T('initializer type', '(module (global i64 (i32.const 0)))', /type mismatch: constant expression has type i32, expected i64/),
  T('initializer mutable global', '(module (import "host" "g" (global (mut i32))) (global i32 (global.get 0)))', /constant expression required \(global 0 is mutable\)/),
  T('elem segment type', '(module (table 1 externref) (elem (i32.const 0) func))', /type mismatch: segment of funcref for table of externref/),
  T('elem offset type', '(module (table 1 funcref) (elem (i64.const 0) func))', /type mismatch: constant expression has type i64, expected i32/),
  T('data offset type', '(module (memory 1) (data (f32.const 0) "x"))', /type mismatch/),
  T('export unknown function', '(module (export "f" (func 3)))', /unknown function 3/),
  T('data without memory', '(module (data (i32.const 0) "x"))', /unknown memory 0/),
  // ---- binary format ----
  B('bad magic', new Uint8Array([0, 0x61, 0x73, 0x6e, 1, 0, 0, 0]), /header section at offset 0x0: magic header not detected/),
  B('bad version', new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]), /unknown binary version/),
  B('truncated header', new Uint8Array([0, 0x61, 0x73]), /magic header not detected/),
  B('unknown section id', module(section(14, [])), /malformed section id 14/),
  B('section out of order', module(funcSec(), typeSec()), /type section at offset 0x[0-9a-f]+: unexpected section: out of order or duplicate/),
  B('duplicate section', module(typeSec(), typeSec()), /unexpected section/),
  B('section size too large', module([1, 10, 0]), /section size 10 out of bounds/),
  B('section size mismatch', module(section(1, [0, 0])), /section size mismatch/),
  B('LEB128 too long', module([1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0]), /integer representation too long/),
  B('LEB128 too large', module([1, 0x81, 0x80, 0x80, 0x80, 0x10, 0]), /integer too large/),
  { ...B('SIMD value type', module(typeSec(functype([0x7b], []))), /SIMD \(v128\) is not supported/), extension: true },
  B('bad value type', module(typeSec(functype([0x40], []))), /malformed value type 0x40/),
  B('bad type form', module(section(1, vec([[0x61, 0, 0]]))), /malformed function type form 0x61/),
  B('function and code count', module(typeSec(functype([], [])), funcSec(0, 0), codeSec(body([], []))), /function and code section have inconsistent lengths/),
  B('code without functions', module(typeSec(functype([], [])), funcSec(0)), /function and code section have inconsistent lengths/),
  B('data count mismatch', module(memSec(0, 1), section(12, u32(2)), section(11, vec([[1, ...u32(1), 0x41]]))), /data count and data section have inconsistent lengths/),
  B('memory.init without data count', oneFunc([], [], [0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 8, 0, 0], [], [memSec(0, 1), section(11, vec([[1, ...u32(0)]]))]), /data count section required/),
  B('malformed UTF-8 export name', module(typeSec(functype([], [])), funcSec(0), section(7, vec([[2, 0xc0, 0x80, 0, 0]])), codeSec(body([], []))), /malformed UTF-8 encoding in name/),
  B('memory.size reserved byte', oneFunc([], [I32], [0x3f, 1], [], [memSec(0, 1)]), /zero byte expected/),
  B('illegal opcode', oneFunc([], [], [0xff]), /illegal opcode 0xff/),
  B('illegal prefixed opcode', oneFunc([], [], [0xfc, 99]), /illegal opcode 0xfc 0x63/),
  B('SIMD opcode', oneFunc([], [], [0xfd, 0x0c]), /illegal opcode 0xfd/),
  { ...B('tail call opcode', oneFunc([], [], [0x12, 0]), /illegal opcode 0x12/), extension: true },
  B('too many locals', oneFunc([], [], [], [[50001, I32]]), /too many locals/),
  B('local count overflow', oneFunc([], [], [], [[0xffffffff, I32], [0xffffffff, I32]]), /too many locals/),
  { ...B('shared memory', module(memSec(3, 1, 2)), /shared memory \(threads\) is not supported/), extension: true },
  B('bad limits flag', module(memSec(8, 1)), /malformed limits flags/),
  B('bad mutability', module(section(6, vec([[I32, 2, 0x41, 0, 0x0b]]))), /malformed mutability 0x2/),
  B('bad element kind', module(typeSec(functype([], [])), funcSec(0), section(4, vec([[FUNCREF, 0, 1]])), section(9, vec([[1, 5, ...vec([[0]])]])), codeSec(body([], []))), /malformed element kind 0x5/),
  B('function body without end', oneFunc([], [], [0x01], [], []).slice(0, -1), /unexpected end|section size/),
  B('code after final end', module(typeSec(functype([], [])), funcSec(0), codeSec([4, 0, 0x0b, 0x01, 0x0b])), /code after the function's final end/),
  B('else without if', oneFunc([], [], [0x05]), /else without matching if/),
  B('bad import kind', module(section(2, vec([[...str('a'), ...str('b'), 7, 0]]))), /malformed import kind 0x7/),
  B('bad export kind', module(section(7, vec([[...str('a'), 9, 0]]))), /malformed export kind 0x9/),
  B('block type index out of range', oneFunc([], [], [0x02, ...s32(5), 0x0b]), /unknown type 5 in block type/),
  B('bad reference type in ref.null', oneFunc([], [], [0xd0, I32, 0x1a]), /malformed reference type 0x7f/),
  B('select with two types', oneFunc([], [], [0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 2, I32, I32, 0x1a]), /invalid result arity for select/),
  B('unexpected end inside section', new Uint8Array([...HEADER, 1, 5, 1, 0x60, 2, I32]), /section size 5 out of bounds/),
  B('custom section bad name', module(section(0, [2, 0xff, 0xfe])), /malformed UTF-8/),
];

const VALID: { name: string; text?: string; bytes?: Uint8Array }[] = [
  { name: 'polymorphic stack after unreachable', text: '(module (func (result i32) (unreachable) (i32.add) (select) (drop) (i32.const 0) (br_table 0 0)) )' },
  { name: 'dead code after br with wrong-looking types', text: '(module (func (result f64) (block (result f64) (br 0 (f64.const 1)) (i32.const 1) (drop) (f64.const 2))))' },
  { name: 'br_table in dead code', text: '(module (func (block (unreachable) (br_table 0 0))))' },
  { name: 'multi-value blocks and params', text: '(module (func (param i32) (result i32 i64) (local.get 0) (block (param i32) (result i32 i64) (i64.const 5))))' },
  { name: 'ref.func declared by elem', text: '(module (func $f) (elem declare func $f) (func (result funcref) (ref.func $f)))' },
  { name: 'ref.func declared by export', text: '(module (func $f (export "f")) (func (result funcref) (ref.func $f)))' },
  { name: 'typed select of refs', text: '(module (func (result externref) (select (result externref) (ref.null extern) (ref.null extern) (i32.const 1))))' },
  { name: 'passive and declarative segments', text: '(module (table 2 funcref) (func $f) (elem funcref (ref.null func) (ref.func $f)) (elem declare func $f) (memory 1) (data "abc") (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0)) (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 0) (elem.drop 1)))' },
  { name: 'many locals', text: '(module (func (local i32 i64 f32 f64 funcref externref) (local.set 0 (i32.const 1))))' },
  { name: 'global initialized from imported global', text: '(module (import "host" "g" (global i32)) (global i32 (global.get 0)))' },
  { name: 'memory max 65536 pages', text: '(module (memory 0 65536))' },
  { name: 'empty module', bytes: module() },
  { name: 'custom sections anywhere', bytes: module(section(0, [...str('x'), 1, 2]), typeSec(functype([], [])), section(0, str('y'))) },
  { name: 'LEB128 with redundant zero bytes', bytes: module([1, 0x81, 0x80, 0x80, 0x80, 0x00, 0]) },
  { name: 'negative LEB128 with full sign bits', bytes: oneFunc([], [I32], [0x41, 0xff, 0xff, 0xff, 0xff, 0x7f]) },
  { name: 'f32/f64/i64 constants and refs in globals', bytes: module(section(6, vec([[F32, 0, 0x43, 0, 0, 0x80, 0x3f, 0x0b], [F64, 1, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b], [I64, 0, 0x42, 0x7f, 0x0b], [EXTERNREF, 0, 0xd0, EXTERNREF, 0x0b]]))) },
];

describe.skipIf(!compiler)('validation (V8 and the runtime agree)', () => {
  it(`refuses ${INVALID.length} invalid or malformed modules, naming section, offset and rule`, async () => {
    const built = await Promise.all(INVALID.map(async (c) => ({ c, bytes: await c.bytes() })));
    const out = runDriver(built.map(({ bytes }) => `validate ${hex(bytes)}`));
    const problems: string[] = [];
    built.forEach(({ c, bytes }, i) => {
      const v8 = WebAssembly.validate(new Uint8Array(bytes));
      // V8 links imports (host.g) at instantiation, not validation: it must still refuse these.
      if (v8 && !c.extension && !/mutable/.test(c.name)) problems.push(`${c.name}: V8 accepts it`);
      if (!out[i].startsWith('error ')) problems.push(`${c.name}: runtime accepts it`);
      else if (!c.rule.test(out[i])) problems.push(`${c.name}: message "${out[i]}" does not match ${c.rule}`);
      else if (!/ section at offset 0x[0-9a-f]+: /.test(out[i])) problems.push(`${c.name}: message lacks section/offset: ${out[i]}`);
    });
    expect(problems).toEqual([]);
  });

  it(`accepts ${VALID.length} tricky valid modules`, async () => {
    const built = await Promise.all(VALID.map(async (c) => (c.bytes ? c.bytes : await wat(c.text!))));
    const out = runDriver(built.map((b) => `validate ${hex(b)}`));
    const problems: string[] = [];
    built.forEach((b, i) => {
      if (!WebAssembly.validate(new Uint8Array(b))) problems.push(`${VALID[i].name}: V8 refuses it`);
      if (out[i] !== 'ok') problems.push(`${VALID[i].name}: ${out[i]}`);
    });
    expect(problems).toEqual([]);
  });
});
