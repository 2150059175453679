// A trap ends only the task that trapped: every trap kind, each in its own
// Wasm task, with a log line naming the task, the module, the function (name
// section) and the code offset, which must be the offset V8 reports for the
// same module. A task started before them keeps running and finishes last.
import { describe, expect, it } from 'vitest';
import { v8TrapKinds, wat } from '../wasm/harness.ts';
import { bootTasks, exitOf, memoryFigures, taskId } from './wasm-boot.ts';
import { runInV8, wasmosMock } from './wasm-mock.ts';

/** Each module's `main` traps in function `boom` with the named kind. */
const TRAPS: Record<string, string> = {
  unreachable: `(func $boom (unreachable))`,
  memory_oob: `(func $boom (drop (i32.load offset=8 (i32.add (global.get $big) (i32.const 65530)))))`,
  div_zero: `(func $boom (drop (i32.div_u (i32.const 7) (global.get $zero))))`,
  int_overflow: `(func $boom (drop (i32.div_s (i32.const 0x80000000) (global.get $minus1))))`,
  invalid_conversion: `(func $boom (drop (i32.trunc_f64_s (f64.div (f64.convert_i32_s (global.get $zero)) (f64.convert_i32_s (global.get $zero))))))`,
  table_oob: `(func $boom (call_indirect (type $v) (i32.const 7)))`,
  null_func: `(func $boom (call_indirect (type $v) (i32.const 1)))`,
  sig_mismatch: `(func $boom (drop (call_indirect (type $i) (i32.const 0))))`,
  stack_exhausted: `(func $boom (call $boom))`,
};

function trapModule(body: string): string {
  return `(module
    (type $v (func)) (type $i (func (result i32)))
    (memory (export "memory") 1)
    (table 2 funcref) (elem (i32.const 0) $target)
    (global $zero (mut i32) (i32.const 0)) (global $minus1 (mut i32) (i32.const -1)) (global $big (mut i32) (i32.const 0))
    (func $target)
    ${body}
    (func $main (export "main") (result i32) (call $boom) (i32.const 0)))`;
}

/** Reads the console until everything it waits for was printed, then says so. */
const SURVIVOR = `(module
  (import "wasmos" "sleep" (func $sleep (param i32) (result i32)))
  (import "wasmos" "debug_print" (func $print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "survivor: still running\\n")
  (func (export "_start") (drop (call $sleep (i32.const 200))) (call $print (i32.const 0) (i32.const 24))))`;

const HOST_TRAP = `(module
  (import "env" "ipc_reply" (func $reply (param i32 i32)))
  (memory (export "memory") 1)
  (func $bad_reply (call $reply (i32.const 1) (i32.const 65000)))
  (func (export "_start") (call $bad_reply)))`;

const STATUS_KIND: Record<string, string> = {
  'unreachable executed': 'unreachable', 'out of bounds memory access': 'memory_oob', 'integer divide by zero': 'div_zero',
  'integer overflow': 'int_overflow', 'invalid conversion to integer': 'invalid_conversion', 'out of bounds table access': 'table_oob',
  'uninitialized element (null function)': 'null_func', 'indirect call type mismatch': 'sig_mismatch',
  'call stack exhausted': 'stack_exhausted', 'host function failed': 'host',
};

describe('Wasm traps', () => {
  it('each trap kind ends only its own task, with module, function and offset; the kernel goes on', async () => {
    const modules: Record<string, Uint8Array> = { 'survivor.wasm': await wat(SURVIVOR), 'host.wasm': await wat(HOST_TRAP) };
    for (const [kind, body] of Object.entries(TRAPS)) modules[`${kind}.wasm`] = await wat(trapModule(body));
    const tasks = [{ module: 'survivor.wasm', name: 'survivor' }, ...Object.keys(TRAPS).map((k) => ({ module: `${k}.wasm`, name: k })),
      { module: 'host.wasm', name: 'hosttrap' }];
    const { out, code } = bootTasks(modules, tasks);
    expect(code, out).toBe(0);
    expect(out).not.toMatch(/PANIC/);

    for (const kind of Object.keys(TRAPS)) {
      const id = taskId(out, kind);
      const line = new RegExp(`^task ${id} \\(${kind}\\) trapped: (.*) in module '${kind}', function 'boom' \\(#\\d+\\), at code offset 0x([0-9a-f]+)$`, 'm').exec(out);
      expect(line, `${kind}:\n${out}`).not.toBeNull();
      expect(STATUS_KIND[line![1]!], kind).toBe(kind);
      expect(exitOf(out, kind)).toBe('wasm trap');

      // V8 traps the same way, at the same instruction (its stack trace gives the module offset).
      const v8 = runInV8(modules[`${kind}.wasm`]!, wasmosMock());
      expect(v8.error, kind).toBeTruthy();
      expect(v8TrapKinds(v8.error)).toContain(kind);
      if (kind !== 'stack_exhausted') {
        const at = /wasm-function\[\d+\]:0x([0-9a-f]+)/.exec((v8.error as Error).stack ?? '');
        expect(at, `${kind}: ${(v8.error as Error).stack}`).not.toBeNull();
        expect(Number.parseInt(line![2]!, 16), `${kind} offset`).toBe(Number.parseInt(at![1]!, 16));
      }
    }
    expect(out).toMatch(/^task \d+ \(hosttrap\) trapped: host function failed: env\.ipc_reply: message at 0xfde8 is not 1512 aligned bytes of linear memory \(called in module 'hosttrap', function 'bad_reply'/m);
    expect(exitOf(out, 'hosttrap')).toBe('wasm trap');

    // The survivor started first and printed last, after every trap; nothing leaked.
    expect(out.indexOf('survivor: still running')).toBeGreaterThan(out.lastIndexOf('trapped:'));
    expect(exitOf(out, 'survivor')).toBe('0');
    const mem = memoryFigures(out);
    expect(mem, out).not.toBeNull();
    expect(mem!.end).toEqual(mem!.start);
  });
});
