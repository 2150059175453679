// Two Wasm tasks talking through the kernel: a server registers "calc" and
// answers requests (integer and f64 work), a client looks it up and calls it.
// The client's printed results must equal what V8 computes for the same two
// modules, with a JS stand-in that carries each message from the client's
// memory into the server's `handle` and back. A third task spins forever doing
// f64 arithmetic at the same priority: the timer must preempt it (the module
// never yields), and the lazy FP context switch must keep everyone's floats apart.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wat } from '../wasm/harness.ts';
import { bootArchive } from '../../src/host/boot-archive.ts';
import { bootBoard, bootQemu, exitOf, hasQemu, memoryFigures } from './wasm-boot.ts';
import { MSG_MAX, runInV8, wasmosMock } from './wasm-mock.ts';
import { prog } from './wasm-programs.ts';

const REQUESTS = 60;

const SERVER = prog(`
  (import "env" "ipc_recv" (func $recv (param i32 i32) (result i32)))
  (import "env" "ipc_reply" (func $reply (param i32 i32)))
  (import "wasmos" "service_register" (func $register (param i32) (result i32)))`, `
  (data (i32.const 100) "calc\\00")
  (data (i32.const 110) "server: done, requests=\\00")
  (data (i32.const 140) "\\0a\\00")
  ;; Requests 11, 12 and 13 (anything else is 13); the reply to type t is t + 1; payload
  ;; words 0 and 1 are the operands and results.
  (func $handle (export "handle") (param $m i32) (local $op i32) (local $a i32) (local $b i32) (local $x i32) (local $k i32)
    (local.set $op (i32.load (local.get $m)))
    (local.set $a (i32.load offset=8 (local.get $m)))
    (local.set $b (i32.load offset=12 (local.get $m)))
    (block $done
      (if (i32.eq (local.get $op) (i32.const 11)) (then
        (i32.store offset=8 (local.get $m) (i32.add (i32.mul (local.get $a) (local.get $b)) (i32.const 7)))
        (br $done)))
      (if (i32.eq (local.get $op) (i32.const 12)) (then
        (i32.store offset=8 (local.get $m) (i32.rem_u (local.get $a) (i32.or (local.get $b) (i32.const 1))))
        (i32.store offset=12 (local.get $m) (i32.div_s (local.get $a) (i32.or (i32.and (local.get $b) (i32.const 0xff)) (i32.const 2))))
        (br $done)))
      (local.set $x (local.get $a))
      (block $e (loop $l (br_if $e (i32.ge_u (local.get $k) (i32.and (local.get $b) (i32.const 31))))
        (local.set $x (i32.xor (i32.rotl (local.get $x) (i32.const 5)) (i32.mul (local.get $k) (i32.const 0x9e3779b9))))
        (local.set $k (i32.add (local.get $k) (i32.const 1))) (br $l)))
      (i32.store offset=8 (local.get $m) (local.get $x))
      (i32.store offset=12 (local.get $m)
        (i32.trunc_sat_f64_s (f64.mul (f64.sqrt (f64.abs (f64.convert_i32_s (local.get $a)))) (f64.const 1000.25)))))
    (i32.store (local.get $m) (i32.add (local.get $op) (i32.const 1))))
  (func (export "_start") (local $n i32) (local $quit i32)
    (drop (call $register (i32.const 100)))
    (loop $serve
      (if (i32.eqz (call $recv (i32.const -1) (i32.const 4096))) (then
        (if (i32.ne (i32.load (i32.const 4096)) (i32.const 1)) (then ;; 1 = MSG_NOTIFY
          (local.set $quit (i32.eq (i32.load (i32.const 4096)) (i32.const 99)))
          (call $handle (i32.const 4096))
          (call $reply (i32.load (i32.const 4100)) (i32.const 4096))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
      (br_if $serve (i32.eqz (local.get $quit))))
    (call $puts (i32.const 110)) (call $putd (local.get $n)) (call $puts (i32.const 140)))`);

const CLIENT = prog(`
  (import "env" "ipc_lookup" (func $lookup (param i32) (result i32)))
  (import "env" "ipc_call" (func $call (param i32 i32) (result i32)))`, `
  (data (i32.const 100) "calc\\00")
  (data (i32.const 110) "r \\00")
  (data (i32.const 120) " \\00")
  (data (i32.const 130) "\\0a\\00")
  (data (i32.const 140) "client: lookup failed\\0a\\00")
  (data (i32.const 170) "client: done\\0a\\00")
  (data (i32.const 190) "ping \\00")
  (func (export "_start") (local $id i32) (local $i i32) (local $r i32)
    (local.set $id (call $lookup (i32.const 100)))
    (if (i32.le_s (local.get $id) (i32.const 0)) (then (call $puts (i32.const 140)) (return)))
    ;; the kernel itself answers a ping (type 9 -> 10, payload echoed)
    (i32.store (i32.const 8192) (i32.const 9)) (i32.store (i32.const 8200) (i32.const 12345))
    (local.set $r (call $call (i32.const 0) (i32.const 8192)))
    (call $puts (i32.const 190)) (call $putd (local.get $r)) (call $puts (i32.const 120))
    (call $putd (i32.load (i32.const 8192))) (call $puts (i32.const 120)) (call $putd (i32.load (i32.const 8200))) (call $puts (i32.const 130))
    (loop $l
      (i32.store (i32.const 8192) (i32.add (i32.const 11) (i32.rem_u (local.get $i) (i32.const 3))))
      (i32.store (i32.const 8200) (i32.mul (local.get $i) (i32.const 0x9e3779b1)))
      (i32.store (i32.const 8204) (i32.sub (local.get $i) (i32.const 25)))
      (local.set $r (call $call (local.get $id) (i32.const 8192)))
      (call $puts (i32.const 110)) (call $putd (local.get $i)) (call $puts (i32.const 120))
      (call $putd (local.get $r)) (call $puts (i32.const 120))
      (call $putd (i32.load (i32.const 8192))) (call $puts (i32.const 120))
      (call $putd (i32.load (i32.const 8200))) (call $puts (i32.const 120))
      (call $putd (i32.load (i32.const 8204))) (call $puts (i32.const 130))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const ${REQUESTS}))))
    (i32.store (i32.const 8192) (i32.const 99))
    (drop (call $call (local.get $id) (i32.const 8192)))
    (call $puts (i32.const 170)))`);

/** Spins forever on f64 arithmetic (the FPU state stays dirty); never calls the kernel. */
const BUSY = `(module (func (export "_start") (local $x f64)
  (local.set $x (f64.const 1.5))
  (loop $l (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 0.999)) (f64.const 0.001))) (br $l))))`;

/** What V8 prints for the client, with the server's `handle` answering its calls. */
async function v8ClientOutput(): Promise<string> {
  const server = runServerInV8(await wat(SERVER));
  const client = wasmosMock({
    lookup: (name) => (name === 'calc' ? 5 : -11),
    call: (dst, msg) => {
      const dv = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
      if (dst === 0) { // the kernel's ping
        dv.setInt32(0, dv.getInt32(0, true) + 1, true);
        dv.setInt32(4, 0, true);
        return 0;
      }
      dv.setInt32(4, 1, true);
      server.handle(msg);
      dv.setInt32(4, dst, true);
      return 0;
    },
  });
  return runInV8(await wat(CLIENT), client).output;
}

function runServerInV8(bytes: Uint8Array): { handle: (msg: Uint8Array) => void } {
  const mock = wasmosMock();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), mock.imports);
  mock.bind(inst);
  const mem = inst.exports.memory as WebAssembly.Memory;
  const handle = inst.exports.handle as (p: number) => void;
  return {
    handle: (msg) => {
      const at = 4096;
      new Uint8Array(mem.buffer, at, MSG_MAX).set(msg);
      handle(at);
      msg.set(new Uint8Array(mem.buffer, at, MSG_MAX));
    },
  };
}

const clientLines = (out: string): string => out.split('\n').filter((l) => /^(r |ping |client: )/.test(l)).join('\n');

describe('IPC between Wasm tasks', () => {
  it('server and client agree with V8, while a busy task is preempted by the timer', async () => {
    const modules = { 'server.wasm': await wat(SERVER), 'client.wasm': await wat(CLIENT), 'busy.wasm': await wat(BUSY) };
    const archive = bootArchive(modules, [
      { module: 'busy.wasm', name: 'busy' },
      { module: 'server.wasm', name: 'server', provides: ['calc'] },
      { module: 'client.wasm', name: 'client', uses: ['calc'] },
    ]);
    const { out } = bootBoard(archive, { until: (o) => o.includes('server: done') && o.includes('(client) exited'), maxCycles: 600_000_000 });
    const want = await v8ClientOutput();
    expect(want.split('\n').length).toBe(REQUESTS + 3);
    expect(clientLines(out)).toBe(want.trimEnd());
    expect(out).toContain(`server: done, requests=${REQUESTS + 1}\n`);
    expect(exitOf(out, 'client')).toBe('0');
    expect(exitOf(out, 'busy')).toBeNull(); // still spinning
    expect(out).not.toMatch(/trapped|PANIC/);
  });

  it.skipIf(!hasQemu)('works the same under QEMU', async () => {
    const modules = { 'server.wasm': await wat(SERVER), 'client.wasm': await wat(CLIENT) };
    const archive = bootArchive(modules, [
      { module: 'server.wasm', name: 'server', provides: ['calc'] },
      { module: 'client.wasm', name: 'client', uses: ['calc'] },
    ]);
    const { out, status } = bootQemu(archive);
    expect(status, out).toBe(0);
    expect(clientLines(out)).toBe((await v8ClientOutput()).trimEnd());
    const mem = memoryFigures(out);
    expect(mem!.end).toEqual(mem!.start);
  });

  it('a client without the right to use "calc" is denied, and the server is unaffected', async () => {
    const modules = { 'server.wasm': await wat(SERVER), 'client.wasm': await wat(CLIENT) };
    const { out, code } = bootBoard(bootArchive(modules, [
      { module: 'server.wasm', name: 'server', provides: ['calc'] },
      { module: 'client.wasm', name: 'client', uses: ['other'] },
      { module: 'client.wasm', name: 'client2', uses: ['calc'] },
    ]));
    expect(code, out).toBe(0);
    expect(out).toContain('client: lookup failed\n');
    expect(out).toContain(`server: done, requests=${REQUESTS + 1}\n`);
  });
});

describe('the example in docs/abi.md', () => {
  it('runs as written, against a one-shot echo server', async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/abi.md', import.meta.url)), 'utf8');
    const example = /```wat\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## Wasm tasks: the imports')))![1]!;
    const echo = `(module
      (import "env" "ipc_recv" (func $recv (param i32 i32) (result i32)))
      (import "env" "ipc_reply" (func $reply (param i32 i32)))
      (import "wasmos" "service_register" (func $register (param i32) (result i32)))
      (memory 1) (data (i32.const 0) "echo\\00")
      (func (export "_start")
        (drop (call $register (i32.const 0)))
        (drop (call $recv (i32.const -1) (i32.const 64)))
        (i32.store (i32.const 64) (i32.add (i32.load (i32.const 64)) (i32.const 1)))
        (call $reply (i32.load (i32.const 68)) (i32.const 64))))`;
    const { out, code } = bootBoard(bootArchive({ 'echo.wasm': await wat(echo), 'example.wasm': await wat(example) }, [
      { module: 'echo.wasm', provides: ['echo'] }, { module: 'example.wasm', uses: ['echo'] },
    ]));
    expect(code, out).toBe(0);
    expect(out).toContain('got a reply\n');
    expect(exitOf(out, 'example.wasm')).toBe('0');
  });
});
