// A Wasm task spawning Wasm tasks from a module held in its own linear memory:
// 1,000 spawn/exit cycles in a row (each child's exit reason comes back to the
// spawner), refusals with the right error codes, and the kernel's memory
// accounting back exactly where it started.
import { describe, expect, it } from 'vitest';
import { wat } from '../wasm/harness.ts';
import { bootTasks, exitOf, memoryFigures } from './wasm-boot.ts';
import { prog } from './wasm-programs.ts';

const CYCLES = 1000;

/** Exits with its task id mod 100, so the spawner can check the reason it is told. */
const CHILD = `(module
  (import "wasmos" "task_id" (func $id (result i32)))
  (import "wasmos" "exit" (func $exit (param i32)))
  (memory 1)
  (func (export "_start") (call $exit (i32.rem_u (call $id) (i32.const 100)))))`;

function dataString(b: Uint8Array): string {
  return [...b].map((x) => `\\${x.toString(16).padStart(2, '0')}`).join('');
}

function spawner(child: Uint8Array): string {
  return prog(`
    (import "wasmos" "spawn" (func $spawn (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (import "env" "ipc_recv" (func $recv (param i32 i32) (result i32)))`, `
    (data (i32.const 100) "child\\00")
    (data (i32.const 110) "spawned=\\00")
    (data (i32.const 120) " failed=\\00")
    (data (i32.const 130) " mismatched=\\00")
    (data (i32.const 150) "\\0a\\00")
    (data (i32.const 160) "refusals:\\00")
    (data (i32.const 170) " \\00")
    (data (i32.const 180) "calc\\00")
    (data (i32.const 190) "a-name-far-too-long-for-a-task\\00")
    (data (i32.const 240) "one\\00two\\00")
    (data (i32.const 4096) "${dataString(child)}")
    (func $spawn_child (param $quota i32) (param $uses i32) (result i32)
      (call $spawn (i32.const 4096) (i32.const ${child.length}) (i32.const 100) (i32.const 240) (i32.const 8)
        (local.get $quota) (local.get $uses) (i32.const 0)))
    (func (export "_start") (local $i i32) (local $id i32) (local $ok i32) (local $failed i32) (local $bad i32)
      (loop $l
        (local.set $id (call $spawn_child (i32.const 0) (i32.const 0)))
        (if (i32.lt_s (local.get $id) (i32.const 0))
          (then (local.set $failed (i32.add (local.get $failed) (i32.const 1))))
          (else
            (local.set $ok (i32.add (local.get $ok) (i32.const 1)))
            ;; the exit notification: bits, irqs[3], n_exited (8216), then {task, reason}
            (block $got (loop $wait
              (br_if $wait (call $recv (i32.const 0) (i32.const 8192)))
              (br_if $wait (i32.eqz (i32.load (i32.const 8216))))))
            (if (i32.or (i32.ne (i32.load (i32.const 8220)) (local.get $id))
                        (i32.ne (i32.load (i32.const 8224)) (i32.rem_u (local.get $id) (i32.const 100))))
              (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const ${CYCLES}))))
      (call $puts (i32.const 110)) (call $putd (local.get $ok))
      (call $puts (i32.const 120)) (call $putd (local.get $failed))
      (call $puts (i32.const 130)) (call $putd (local.get $bad)) (call $puts (i32.const 150))
      ;; garbage, a quota above our own, a name we may not grant, a module outside memory, a long name
      (i32.store (i32.const 9000) (call $spawn (i32.const 100) (i32.const 20) (i32.const 100) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (i32.store (i32.const 9004) (call $spawn_child (i32.const 0x1000000) (i32.const 0)))
      (i32.store (i32.const 9008) (call $spawn_child (i32.const 0) (i32.const 180)))
      (i32.store (i32.const 9012) (call $spawn (i32.const 65000) (i32.const 4096) (i32.const 100) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (i32.store (i32.const 9016) (call $spawn (i32.const 4096) (i32.const ${child.length}) (i32.const 190) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (call $puts (i32.const 160))
      (local.set $i (i32.const 0))
      (loop $p
        (call $puts (i32.const 170)) (call $putd (i32.load offset=9000 (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $p (i32.lt_u (local.get $i) (i32.const 20))))
      (call $puts (i32.const 150)))`);
}

describe('spawning from Wasm', () => {
  it(`${CYCLES} spawn/exit cycles in a row leak nothing; refusals carry their error codes`, async () => {
    const child = await wat(CHILD);
    const { out, code } = bootTasks({ 'spawner.wasm': await wat(spawner(child)) },
      [{ module: 'spawner.wasm', name: 'spawner', quota: 2 << 20 }], { maxCycles: 4_000_000_000 });
    expect(code, out.slice(-3000)).toBe(0);
    expect(out).toContain(`spawned=${CYCLES} failed=0 mismatched=0\n`);
    // E_BAD_MODULE, E_DENIED (quota), E_DENIED (uses), E_BAD_POINTER, E_INVALID (name)
    expect(out).toContain('refusals: -13 -8 -8 -5 -10\n');
    expect(out).toMatch(/^spawn "child": E_BAD_MODULE: header section at offset 0x0: magic header not detected$/m);
    expect(out).toMatch(/^spawn "child": E_DENIED: quota 16777216 exceeds the spawner's own \(2097152\)$/m);
    expect(exitOf(out, 'spawner')).toBe('0');
    const mem = memoryFigures(out);
    expect(mem, out.slice(-2000)).not.toBeNull();
    expect(mem!.end).toEqual(mem!.start);
  }, 300_000);
});
