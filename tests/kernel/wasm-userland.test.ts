// The kernel's imports for userland servers (docs/userland.md, "Kernel imports
// for userland"), exercised by Wasm tasks on the board: the boot archive,
// device_find, device access within grants (mmio, IRQ ack, DMA), spawn_ex with
// devices/flags/priority, the manifest's flags=/device=/dma= keys, task_info,
// mem_info and system. Each program prints `label=value` lines; the tests
// compare them with what the design says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { MANIFEST_FILE, writeBootArchive } from '../../src/host/boot-archive.ts';
import { wat } from '../wasm/harness.ts';
import { KERNEL, bootQemu, hasQemu, memoryFigures } from './wasm-boot.ts';
import { prog } from './wasm-programs.ts';

const E = { NOT_FOUND: -11, DENIED: -8, INVALID: -10, BAD_POINTER: -5, EXISTS: -12, NO_TASK: -1 };
const UART = 0x10000000;
const VIRTIO0 = 0x10001000;

/** Every import of the userland table, with its signature. */
const IMPORTS = `
  (import "wasmos" "bootfs_entry" (func $bootfs_entry (param i32 i32 i32) (result i32)))
  (import "wasmos" "bootfs_read" (func $bootfs_read (param i32 i32 i32 i32) (result i32)))
  (import "wasmos" "device_find" (func $device_find (param i32 i32 i32) (result i32)))
  (import "wasmos" "mmio_read" (func $mmio_read (param i32 i32) (result i64)))
  (import "wasmos" "mmio_write" (func $mmio_write (param i32 i32 i32) (result i32)))
  (import "wasmos" "irq_ack" (func $irq_ack (param i32) (result i32)))
  (import "wasmos" "dma_alloc" (func $dma_alloc (param i32) (result i64)))
  (import "wasmos" "dma_write" (func $dma_write (param i32 i32 i32) (result i32)))
  (import "wasmos" "dma_read" (func $dma_read (param i32 i32 i32) (result i32)))
  (import "wasmos" "spawn_ex" (func $spawn_ex (param i32) (result i32)))
  (import "wasmos" "task_info" (func $task_info (param i32 i32) (result i32)))
  (import "wasmos" "mem_info" (func $mem_info (param i32) (result i32)))
  (import "wasmos" "system" (func $system (param i32) (result i32)))
  (import "wasmos" "task_id" (func $task_id (result i32)))
  (import "wasmos" "recv" (func $recv (param i32 i32 i32) (result i32)))`;

/** A data segment's text escape of a string (NUL-terminated). */
const cstr = (s: string): string => [...new TextEncoder().encode(`${s}\0`)].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

/**
 * A program that prints `label=value` for each check. A check is an i32
 * expression, or a label starting with "$" whose expression is a string
 * address (printed as text). `setup` runs first; `data` places strings.
 */
function checks(items: Array<[string, string]>, opts: { data?: Record<number, string>; setup?: string; locals?: string; funcs?: string } = {}): string {
  let at = 40000;
  const segs: string[] = [];
  const body: string[] = [];
  const label = (s: string): number => {
    const a = at;
    segs.push(`(data (i32.const ${a}) "${cstr(s)}")`);
    at += s.length + 1;
    return a;
  };
  const nl = label('\n');
  for (const [name, expr] of items) {
    // "$label": expr is a string address; "@label": expr is code that prints; "!": code only.
    if (name === '!') {
      body.push(expr);
      continue;
    }
    // The value is computed before the label is printed: kernel log lines the call causes come first.
    const kind = name[0] === '$' || name[0] === '@' ? name[0] : '';
    if (kind !== '@') body.push(`(global.set $value ${expr})`);
    body.push(`(call $puts (i32.const ${label(`${kind ? name.slice(1) : name}=`)}))`);
    body.push(kind === '$' ? '(call $puts (global.get $value))' : kind === '@' ? expr : '(call $putd (global.get $value))');
    body.push(`(call $puts (i32.const ${nl}))`);
  }
  for (const [addr, s] of Object.entries(opts.data ?? {})) segs.push(`(data (i32.const ${addr}) "${cstr(s)}")`);
  const code = `${segs.join('\n')} (global $value (mut i32) (i32.const 0)) ${opts.funcs ?? ''}
    (func (export "_start") ${opts.locals ?? ''} ${opts.setup ?? ''} ${body.join('\n')})`;
  return prog(usedImports(code), code);
}

/** The lines of IMPORTS whose function the code calls (a module imports only what it uses). */
function usedImports(code: string): string {
  return IMPORTS.split('\n').filter((l) => {
    const f = /\(func (\$\w+)/.exec(l);
    return f && new RegExp(`\\(call \\${f[1]}[\\s)]`).test(code);
  }).join('\n');
}

/** A data segment holding `bytes` at `addr`. */
const dataBytes = (addr: number, bytes: Uint8Array): string =>
  `(data (i32.const ${addr}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`;

interface SpawnSpec {
  module: number; moduleLen: number; name: number; args?: number; argsLen?: number; quota?: number;
  uses?: number; provides?: number; priority?: number; flags?: number; nDevices?: number;
  devices?: Array<{ base?: number; size?: number; irq?: number; dma?: number }>;
}

/** spawn_ex's 108-byte spec (docs/userland.md). */
function specBytes(s: SpawnSpec): Uint8Array {
  const b = new Uint8Array(108);
  const dv = new DataView(b.buffer);
  const words = [s.module, s.moduleLen, s.name, s.args ?? 0, s.argsLen ?? 0, s.quota ?? 0, s.uses ?? 0, s.provides ?? 0,
    s.priority ?? 0, s.flags ?? 0, s.nDevices ?? s.devices?.length ?? 0];
  words.forEach((w, i) => dv.setUint32(i * 4, w >>> 0, true));
  (s.devices ?? []).forEach((d, i) => {
    const o = 44 + i * 16;
    dv.setUint32(o, d.base ?? 0, true);
    dv.setUint32(o + 4, d.size ?? 0, true);
    dv.setInt32(o + 8, d.irq ?? 0, true);
    dv.setUint32(o + 12, d.dma ?? 0, true);
  });
  return b;
}

/** $list prints the names of all live tasks (task_info 0, 1, ...) followed by commas; $self(off) reads a field of our own record. */
const TASK_FUNCS = `
  (data (i32.const 39990) ",")
  (func $list (local $i i32)
    (block $end (loop $l
      (br_if $end (i32.ne (call $task_info (local.get $i) (i32.const 20000)) (i32.const 0)))
      (call $puts (i32.const 20008)) (call $puts (i32.const 39990))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))
  (func $self (param $off i32) (result i32) (local $i i32)
    (block $end (loop $l
      (br_if $end (i32.ne (call $task_info (local.get $i) (i32.const 20000)) (i32.const 0)))
      (if (i32.eq (i32.load (i32.const 20000)) (call $task_id))
        (then (return (i32.load (i32.add (i32.const 20000) (local.get $off))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
    (i32.const -999))
  (func $wait_exit
    (block $done (loop $w
      (br_if $w (i32.lt_s (call $recv (i32.const 0) (i32.const 50000) (i32.const -1)) (i32.const 0)))
      (br_if $w (i32.eqz (i32.load (i32.const 50024)))))))`;

/** label -> value (numbers as numbers, the rest as text) of `label=value` lines. */
function values(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0 && /^[\w.-]+$/.test(line.slice(0, i))) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

interface Run {
  out: string;
  code: number | null;
  stop: string;
  v: Map<string, string>;
}

/** Boots the kernel with an archive holding `files` and this manifest text. */
function boot(files: Record<string, Uint8Array>, manifest: string, opts: {
  rngSeed?: number; maxCycles?: number; until?: (out: string) => boolean;
  /** Serial input: each text is typed once the output contains its `after`. */
  input?: Array<{ after: string; text: string }>;
} = {}): Run {
  const archive = writeBootArchive([
    { name: MANIFEST_FILE, data: new TextEncoder().encode(manifest) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]);
  const m = new Machine({ image: new Uint8Array(readFileSync(KERNEL)), initrd: archive, memMiB: 128, rngSeed: opts.rngSeed });
  const chunks: string[] = [];
  m.onSerial = (b) => { chunks.push(Buffer.from(b).toString('latin1')); };
  let code: number | null = null;
  let stop = 'cycles';
  while (m.cycles < (opts.maxCycles ?? 400_000_000)) {
    const r = m.run(2_000_000);
    if (r.kind === 'poweroff') {
      code = r.code;
      stop = 'poweroff';
      break;
    }
    if (r.kind === 'reset') {
      stop = 'reset';
      break;
    }
    if (r.kind === 'idle' && r.until === Infinity) {
      stop = 'idle';
      break;
    }
    const pending = opts.input?.[0];
    if (pending && chunks.join('').includes(pending.after)) {
      m.sendSerial(new TextEncoder().encode(pending.text));
      opts.input!.shift();
    }
    if (opts.until?.(chunks.join(''))) {
      stop = 'until';
      break;
    }
  }
  const out = chunks.join('').replace(/\r/g, '');
  return { out, code, stop, v: values(out) };
}

const num = (r: Run, label: string): number => {
  const s = r.v.get(label);
  if (s === undefined) throw new Error(`no "${label}=" in the output:\n${r.out.slice(-3000)}`);
  return Number(s);
};

describe('boot archive and device tree imports', () => {
  it('list and read the boot archive, find device tree nodes in address order, refuse bad pointers', async () => {
    const probe = await wat(checks([
      ['manifest_size', '(call $bootfs_entry (i32.const 0) (i32.const 20000) (i32.const 64))'],
      ['$name0', '(i32.const 20000)'],
      ['data_size', '(call $bootfs_entry (i32.const 2) (i32.const 20100) (i32.const 5))'],
      ['$cut', '(i32.const 20100)'],
      ['past_last', '(call $bootfs_entry (i32.const 3) (i32.const 20000) (i32.const 64))'],
      ['negative_index', '(call $bootfs_entry (i32.const -1) (i32.const 20000) (i32.const 64))'],
      ['entry_bad_ptr', '(call $bootfs_entry (i32.const 0) (i32.const 65530) (i32.const 64))'],
      ['read', '(call $bootfs_read (i32.const 1000) (i32.const 6) (i32.const 20200) (i32.const 100))'],
      ['$read_text', '(i32.const 20200)'],
      ['read_at_end', '(call $bootfs_read (i32.const 1000) (i32.const 24) (i32.const 20400) (i32.const 10))'],
      ['read_past_end', '(call $bootfs_read (i32.const 1000) (i32.const 1000) (i32.const 20400) (i32.const 10))'],
      ['read_missing', '(call $bootfs_read (i32.const 1020) (i32.const 0) (i32.const 20400) (i32.const 10))'],
      ['read_bad_buf', '(call $bootfs_read (i32.const 1000) (i32.const 0) (i32.const 65500) (i32.const 100))'],
      ['read_bad_name', '(call $bootfs_read (i32.const 70000) (i32.const 0) (i32.const 20400) (i32.const 10))'],
      ['uart', '(call $device_find (i32.const 1040) (i32.const 0) (i32.const 20500))'],
      ['uart_base', '(i32.load (i32.const 20500))'],
      ['uart_size', '(i32.load (i32.const 20504))'],
      ['uart_irq', '(i32.load (i32.const 20508))'],
      ['uart_1', '(call $device_find (i32.const 1040) (i32.const 1) (i32.const 20500))'],
      ['virtio3', '(call $device_find (i32.const 1060) (i32.const 3) (i32.const 20520))'],
      ['virtio3_base', '(i32.load (i32.const 20520))'],
      ['virtio3_irq', '(i32.load (i32.const 20528))'],
      ['virtio7', '(call $device_find (i32.const 1060) (i32.const 7) (i32.const 20520))'],
      ['virtio7_base', '(i32.load (i32.const 20520))'],
      ['virtio8', '(call $device_find (i32.const 1060) (i32.const 8) (i32.const 20520))'],
      ['find_unknown', '(call $device_find (i32.const 1080) (i32.const 0) (i32.const 20520))'],
      ['find_bad_out', '(call $device_find (i32.const 1040) (i32.const 0) (i32.const 65530))'],
      ['find_bad_name', '(call $device_find (i32.const 70000) (i32.const 0) (i32.const 20520))'],
    ], { data: { 1000: 'data.txt', 1020: 'nothing.txt', 1040: 'ns16550a', 1060: 'virtio,mmio', 1080: 'acme,widget' } }));
    const data = new TextEncoder().encode('hello bootfs 0123456789'.padEnd(24, '!'));
    const manifest = 'task probe.wasm name=probe\n';
    const r = boot({ 'probe.wasm': probe, 'data.txt': data }, manifest);
    expect(r.out).toMatch(/boot: task \d+ \(probe\) exited: 0/);
    expect(num(r, 'manifest_size')).toBe(manifest.length);
    expect(r.v.get('name0')).toBe('manifest');
    expect(num(r, 'data_size')).toBe(24);
    expect(r.v.get('cut')).toBe('data');
    expect(num(r, 'past_last')).toBe(E.NOT_FOUND);
    expect(num(r, 'negative_index')).toBe(E.NOT_FOUND);
    expect(num(r, 'entry_bad_ptr')).toBe(E.BAD_POINTER);
    expect(num(r, 'read')).toBe(18);
    expect(r.v.get('read_text')).toBe('bootfs 0123456789!');
    expect(num(r, 'read_at_end')).toBe(0);
    expect(num(r, 'read_past_end')).toBe(0);
    expect(num(r, 'read_missing')).toBe(E.NOT_FOUND);
    expect(num(r, 'read_bad_buf')).toBe(E.BAD_POINTER);
    expect(num(r, 'read_bad_name')).toBe(E.BAD_POINTER);
    expect([num(r, 'uart'), num(r, 'uart_base'), num(r, 'uart_size'), num(r, 'uart_irq')]).toEqual([0, UART, 0x100, 10]);
    expect(num(r, 'uart_1')).toBe(E.NOT_FOUND);
    // The board lists the virtio slots last to first; device_find sorts them by address.
    expect([num(r, 'virtio3'), num(r, 'virtio3_base'), num(r, 'virtio3_irq')]).toEqual([0, VIRTIO0 + 3 * 0x1000, 4]);
    expect([num(r, 'virtio7'), num(r, 'virtio7_base')]).toEqual([0, VIRTIO0 + 7 * 0x1000]);
    expect(num(r, 'virtio8')).toBe(E.NOT_FOUND);
    expect(num(r, 'find_unknown')).toBe(E.NOT_FOUND);
    expect(num(r, 'find_bad_out')).toBe(E.BAD_POINTER);
    expect(num(r, 'find_bad_name')).toBe(E.BAD_POINTER);
  });
});

describe('device access', () => {
  it('is denied without grants: mmio, irq_ack, dma', async () => {
    const probe = await wat(checks([
      ['mmio_read', `(i32.wrap_i64 (call $mmio_read (i32.const ${UART + 5}) (i32.const 1)))`],
      ['mmio_write', `(call $mmio_write (i32.const ${UART + 1}) (i32.const 1) (i32.const 0))`],
      ['mmio_width', `(i32.wrap_i64 (call $mmio_read (i32.const ${UART + 4}) (i32.const 3)))`],
      ['mmio_misaligned', `(i32.wrap_i64 (call $mmio_read (i32.const ${UART + 1}) (i32.const 2)))`],
      ['mmio_ram', '(i32.wrap_i64 (call $mmio_read (i32.const 0x80000000) (i32.const 4)))'],
      ['irq_ack', '(call $irq_ack (i32.const 10))'],
      ['irq_ack_zero', '(call $irq_ack (i32.const 0))'],
      ['irq_ack_range', '(call $irq_ack (i32.const 5000))'],
      ['dma_alloc', '(i32.wrap_i64 (call $dma_alloc (i32.const 4096)))'],
      ['dma_alloc_zero', '(i32.wrap_i64 (call $dma_alloc (i32.const 0)))'],
      ['dma_write', '(call $dma_write (i32.const 0x80400000) (i32.const 0) (i32.const 16))'],
      ['dma_read', '(call $dma_read (i32.const 0x80400000) (i32.const 0) (i32.const 16))'],
      ['dma_read_bad_ptr', '(call $dma_read (i32.const 0x80400000) (i32.const 65530) (i32.const 16))'],
    ]));
    const r = boot({ 'probe.wasm': probe }, 'task probe.wasm name=probe\n');
    expect(r.out).toMatch(/boot: task \d+ \(probe\) exited: 0/);
    expect(num(r, 'mmio_read')).toBe(E.DENIED);
    expect(num(r, 'mmio_write')).toBe(E.DENIED);
    expect(num(r, 'mmio_width')).toBe(E.INVALID);
    expect(num(r, 'mmio_misaligned')).toBe(E.INVALID);
    expect(num(r, 'mmio_ram')).toBe(E.DENIED);
    expect(num(r, 'irq_ack')).toBe(E.DENIED);
    expect(num(r, 'irq_ack_zero')).toBe(E.INVALID);
    expect(num(r, 'irq_ack_range')).toBe(E.INVALID);
    expect(num(r, 'dma_alloc')).toBe(E.DENIED);
    expect(num(r, 'dma_alloc_zero')).toBe(E.INVALID);
    expect(num(r, 'dma_write')).toBe(E.DENIED);
    expect(num(r, 'dma_read')).toBe(E.DENIED);
    expect(num(r, 'dma_read_bad_ptr')).toBe(E.BAD_POINTER);
  });
});

describe('spawn_ex, task_info, mem_info and system', () => {
  it('a driver spawned with a UART window, its IRQ and a DMA quota uses them and nothing else; the parent lists tasks and powers off', async () => {
    // The driver: mmio within its window, irq_ack of its own IRQ, a DMA round trip within its quota.
    const driver = await wat(checks([
      ['lsr', `(i32.wrap_i64 (call $mmio_read (i32.const ${UART + 5}) (i32.const 1)))`],
      ['scr_write', `(call $mmio_write (i32.const ${UART + 7}) (i32.const 1) (i32.const 0x5a))`],
      ['scr', `(i32.wrap_i64 (call $mmio_read (i32.const ${UART + 7}) (i32.const 1)))`],
      ['outside_window', `(i32.wrap_i64 (call $mmio_read (i32.const ${VIRTIO0}) (i32.const 4)))`],
      ['plic', '(i32.wrap_i64 (call $mmio_read (i32.const 0x0c000000) (i32.const 4)))'],
      ['irq_ack_own', '(call $irq_ack (i32.const 10))'],
      ['irq_ack_other', '(call $irq_ack (i32.const 11))'],
      ['!', '(global.set $phys (i32.wrap_i64 (call $dma_alloc (i32.const 4096))))'],
      ['dma_page_offset', '(i32.and (global.get $phys) (i32.const 0xfff))'],
      ['dma_in_ram', '(i32.eq (i32.shr_u (global.get $phys) (i32.const 28)) (i32.const 8))'],
      ['dma_zeroed_read', '(call $dma_read (global.get $phys) (i32.const 21000) (i32.const 64))'],
      ['dma_zeroed', '(i64.eqz (i64.or (i64.load (i32.const 21000)) (i64.load (i32.const 21056))))'],
      ['dma_write', '(call $dma_write (i32.add (global.get $phys) (i32.const 100)) (i32.const 1100) (i32.const 16))'],
      ['dma_read', '(call $dma_read (i32.add (global.get $phys) (i32.const 100)) (i32.const 21100) (i32.const 16))'],
      ['$dma_back', '(i32.const 21100)'],
      ['dma_over_quota', '(i32.wrap_i64 (call $dma_alloc (i32.const 8192)))'],
      ['dma_second_page', '(i32.gt_u (i32.wrap_i64 (call $dma_alloc (i32.const 4096))) (i32.const 0x80000000))'],
      ['dma_quota_used', '(i32.wrap_i64 (call $dma_alloc (i32.const 1)))'],
      ['dma_cross_end', '(call $dma_write (i32.add (global.get $phys) (i32.const 4090)) (i32.const 1100) (i32.const 16))'],
      ['dma_before', '(call $dma_read (i32.sub (global.get $phys) (i32.const 4)) (i32.const 21100) (i32.const 4))'],
      ['dma_bad_ptr', '(call $dma_read (global.get $phys) (i32.const 65530) (i32.const 16))'],
      ['self_priority', '(call $self (i32.const 36))'],
      ['self_parent', '(call $self (i32.const 4))'],
      ['self_state', '(call $self (i32.const 32))'],
      ['self_mem', '(i32.gt_u (call $self (i32.const 48)) (i32.const 4096))'],
      ['$self_name', '(i32.const 20008)'],
      ['system_denied', '(call $system (i32.const 1))'],
      // Grants beyond what it holds: a flag, another window.
      ['grant_flag', '(call $spawn_ex (i32.const 30000))'],
      ['grant_window', '(call $spawn_ex (i32.const 30200))'],
      ['!', '(drop (call $sleep (i32.const 20)))'],
    ], {
      data: { 1100: 'DMA round trip!', 1200: 'grandchild' },
      funcs: `${TASK_FUNCS} (global $phys (mut i32) (i32.const 0))
        (import "wasmos" "sleep" (func $sleep (param i32) (result i32)))
        ${dataBytes(30000, specBytes({ module: 0, moduleLen: 64, name: 1200, flags: 2 }))}
        ${dataBytes(30200, specBytes({ module: 0, moduleLen: 64, name: 1200, devices: [{ base: VIRTIO0, size: 0x1000 }] }))}`,
    }).replace(/\(import "wasmos" "sleep"[^\n]*\n/, '').replace('(import "wasmos" "debug_print"',
      '(import "wasmos" "sleep" (func $sleep (param i32) (result i32))) (import "wasmos" "debug_print"'));
    const MOD = 4096;
    const uartGrant = { base: UART, size: 0x100, irq: 10 };
    const good = { module: MOD, moduleLen: driver.length, name: 1000, priority: 5, devices: [uartGrant, { dma: 8192 }] };
    const parent = await wat(checks([
      ['!', '(global.set $id (call $spawn_ex (i32.const 30000)))'],
      ['spawned', '(i32.gt_s (global.get $id) (i32.const 0))'],
      ['parent_id', '(call $task_id)'],
      ['@tasks', '(call $list)'],
      ['irq_taken', '(call $spawn_ex (i32.const 30200))'],
      ['spec_outside', '(call $spawn_ex (i32.const 65500))'],
      ['spec_misaligned', '(call $spawn_ex (i32.const 30002))'],
      ['five_devices', '(call $spawn_ex (i32.const 30400))'],
      ['unknown_flag', '(call $spawn_ex (i32.const 30600))'],
      ['bad_priority', '(call $spawn_ex (i32.const 30800))'],
      ['plic_grant', '(call $spawn_ex (i32.const 31000))'],
      ['module_outside', '(call $spawn_ex (i32.const 31200))'],
      ['ti_past_last', '(call $task_info (i32.const 100) (i32.const 20000))'],
      ['ti_negative', '(call $task_info (i32.const -1) (i32.const 20000))'],
      ['ti_bad_ptr', '(call $task_info (i32.const 0) (i32.const 65500))'],
      ['mem', '(call $mem_info (i32.const 20100))'],
      ['mem_total', '(i32.load (i32.const 20100))'],
      ['mem_free_ok', '(i32.and (i32.gt_u (i32.load (i32.const 20104)) (i32.const 0)) (i32.lt_u (i32.load (i32.const 20104)) (i32.load (i32.const 20100))))'],
      ['mem_heap_ok', '(i32.gt_u (i32.load (i32.const 20108)) (i32.const 0))'],
      ['mem_tasks', '(i32.load (i32.const 20112))'],
      ['mem_bad_ptr', '(call $mem_info (i32.const 65535))'],
      ['!', '(call $wait_exit)'],
      ['trace_off', '(call $system (i32.const 4))'],
      ['trace_on', '(call $system (i32.const 3))'],
      ['system_zero', '(call $system (i32.const 0))'],
      ['system_nine', '(call $system (i32.const 9))'],
      ['poweroff', '(call $system (i32.const 1))'],
    ], {
      data: { 1000: 'driver' },
      funcs: `${TASK_FUNCS} (global $id (mut i32) (i32.const 0))
        ${dataBytes(MOD, driver)}
        ${dataBytes(30000, specBytes(good))}
        ${dataBytes(30200, specBytes({ ...good, devices: [uartGrant] }))}
        ${dataBytes(30400, specBytes({ ...good, nDevices: 5 }))}
        ${dataBytes(30600, specBytes({ ...good, devices: [], flags: 8 }))}
        ${dataBytes(30800, specBytes({ ...good, devices: [], priority: 9 }))}
        ${dataBytes(31000, specBytes({ ...good, devices: [{ base: 0x0c000000, size: 0x1000 }] }))}
        ${dataBytes(31200, specBytes({ ...good, module: 60000, moduleLen: 8000 }))}`,
    }));
    const r = boot({ 'parent.wasm': parent }, 'task parent.wasm name=parent flags=all-devices,kill-any,system\n');
    expect(r.stop, r.out.slice(-3000)).toBe('poweroff');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/system: power off \(task \d+, parent\)/);
    expect(r.out).not.toMatch(/boot: all tasks exited/);
    expect(num(r, 'spawned')).toBe(1);
    const parentId = num(r, 'parent_id');
    expect(r.v.get('tasks')).toBe('boot,parent,driver,');
    // The driver.
    expect(num(r, 'lsr') & 0x60).toBe(0x60); // transmitter empty
    expect([num(r, 'scr_write'), num(r, 'scr')]).toEqual([0, 0x5a]);
    expect(num(r, 'outside_window')).toBe(E.DENIED);
    expect(num(r, 'plic')).toBe(E.DENIED);
    expect(num(r, 'irq_ack_own')).toBe(0);
    expect(num(r, 'irq_ack_other')).toBe(E.DENIED);
    expect([num(r, 'dma_page_offset'), num(r, 'dma_in_ram')]).toEqual([0, 1]);
    expect([num(r, 'dma_zeroed_read'), num(r, 'dma_zeroed')]).toEqual([0, 1]);
    expect([num(r, 'dma_write'), num(r, 'dma_read')]).toEqual([0, 0]);
    expect(r.v.get('dma_back')).toBe('DMA round trip!');
    expect(num(r, 'dma_over_quota')).toBe(E.DENIED);
    expect(num(r, 'dma_second_page')).toBe(1);
    expect(num(r, 'dma_quota_used')).toBe(E.DENIED);
    expect(num(r, 'dma_cross_end')).toBe(E.DENIED);
    expect(num(r, 'dma_before')).toBe(E.DENIED);
    expect(num(r, 'dma_bad_ptr')).toBe(E.BAD_POINTER);
    expect([num(r, 'self_priority'), num(r, 'self_parent'), num(r, 'self_state')]).toEqual([5, parentId, 0]);
    expect(num(r, 'self_mem')).toBe(1);
    expect(r.v.get('self_name')).toBe('driver');
    expect(num(r, 'system_denied')).toBe(E.DENIED);
    expect(num(r, 'grant_flag')).toBe(E.DENIED);
    expect(num(r, 'grant_window')).toBe(E.DENIED);
    // The parent's refusals.
    expect(num(r, 'irq_taken')).toBe(E.EXISTS);
    expect(num(r, 'spec_outside')).toBe(E.BAD_POINTER);
    expect(num(r, 'spec_misaligned')).toBe(E.BAD_POINTER);
    expect(num(r, 'five_devices')).toBe(E.INVALID);
    expect(num(r, 'unknown_flag')).toBe(E.INVALID);
    expect(num(r, 'bad_priority')).toBe(E.INVALID);
    expect(num(r, 'plic_grant')).toBe(E.DENIED);
    expect(num(r, 'module_outside')).toBe(E.BAD_POINTER);
    expect([num(r, 'ti_past_last'), num(r, 'ti_negative'), num(r, 'ti_bad_ptr')]).toEqual([E.NOT_FOUND, E.NOT_FOUND, E.BAD_POINTER]);
    expect(num(r, 'mem')).toBe(0);
    expect(num(r, 'mem_total')).toBe(128 << 20);
    expect([num(r, 'mem_free_ok'), num(r, 'mem_heap_ok'), num(r, 'mem_tasks')]).toEqual([1, 1, 3]);
    expect(num(r, 'mem_bad_ptr')).toBe(E.BAD_POINTER);
    expect([num(r, 'trace_off'), num(r, 'trace_on')]).toEqual([0, 0]);
    expect([num(r, 'system_zero'), num(r, 'system_nine')]).toEqual([E.INVALID, E.INVALID]);
  });

  it('system(2) resets the board; without the flag system is denied', async () => {
    const rebooter = await wat(checks([['reboot', '(call $system (i32.const 2))']]));
    const denied = await wat(checks([['denied', '(call $system (i32.const 2))']]));
    const r = boot({ 'r.wasm': rebooter, 'd.wasm': denied }, 'task d.wasm name=plain\ntask r.wasm name=rebooter flags=system\n');
    expect(r.stop, r.out.slice(-2000)).toBe('reset');
    expect(num(r, 'denied')).toBe(E.DENIED);
    expect(r.out).toMatch(/system: reboot \(task \d+, rebooter\)/);
    expect(r.v.has('reboot')).toBe(false); // system(2) never returned
  });
});

describe("the boot manifest's flags=, device= and dma= keys", () => {
  it('grant a node by compatible string, a virtio slot by DeviceID, a DMA quota and flags; refuse what the board lacks', async () => {
    const RNG_SLOT = VIRTIO0 + 7 * 0x1000; // the board puts virtio-rng (DeviceID 4) in the last slot
    const drv = await wat(checks([
      ['uart_lsr', `(i32.and (i32.wrap_i64 (call $mmio_read (i32.const ${UART + 5}) (i32.const 1))) (i32.const 0x60))`],
      ['rng_magic', `(i32.wrap_i64 (call $mmio_read (i32.const ${RNG_SLOT}) (i32.const 4)))`],
      ['rng_id', `(i32.wrap_i64 (call $mmio_read (i32.const ${RNG_SLOT + 8}) (i32.const 4)))`],
      ['slot0', `(i32.wrap_i64 (call $mmio_read (i32.const ${VIRTIO0}) (i32.const 4)))`],
      ['dma', '(i32.gt_u (i32.wrap_i64 (call $dma_alloc (i32.const 8192))) (i32.const 0x80000000))'],
      ['dma_more', '(i32.wrap_i64 (call $dma_alloc (i32.const 4096)))'],
      ['irq_uart', '(call $irq_ack (i32.const 10))'],
      ['irq_rng', '(call $irq_ack (i32.const 8))'],
      ['irq_slot0', '(call $irq_ack (i32.const 1))'],
      ['trace_off', '(call $system (i32.const 4))'],
      ['trace_on', '(call $system (i32.const 3))'],
    ]));
    const manifest = [
      'task drv.wasm name=drv device=ns16550a device=virtio:4 dma=8K flags=system',
      'task drv.wasm name=nodev device=acme,widget',
      'task drv.wasm name=no9p device=virtio:9',
      'task drv.wasm name=badflag flags=root',
      'task drv.wasm name=toomany device=a device=b device=c device=d device=e',
    ].join('\n');
    const r = boot({ 'drv.wasm': drv }, `${manifest}\n`, { rngSeed: 7 });
    expect(r.out).toMatch(/boot: task \d+ \(drv\) exited: 0/);
    expect(num(r, 'uart_lsr')).toBe(0x60);
    expect([num(r, 'rng_magic'), num(r, 'rng_id')]).toEqual([0x74726976, 4]);
    expect(num(r, 'slot0')).toBe(E.DENIED);
    expect([num(r, 'dma'), num(r, 'dma_more')]).toEqual([1, E.DENIED]);
    expect([num(r, 'irq_uart'), num(r, 'irq_rng'), num(r, 'irq_slot0')]).toEqual([0, 0, E.DENIED]);
    expect([num(r, 'trace_off'), num(r, 'trace_on')]).toEqual([0, 0]);
    expect(r.out).toContain('boot: manifest line 2: no device "acme,widget" on this board');
    expect(r.out).toContain('boot: manifest line 3: no device "virtio:9" on this board');
    expect(r.out).toContain('boot: manifest line 4: bad value for flags: "root"');
    expect(r.out).toContain('boot: manifest line 5: bad value for device: "e"');
    expect(r.out.match(/boot: started/g)).toHaveLength(1);
    // The driver's grants, IRQs and DMA pages went with it.
    const mem = memoryFigures(r.out);
    expect(mem, r.out.slice(-2000)).not.toBeNull();
    expect(mem!.end).toEqual(mem!.start);
  });

  it.skipIf(!hasQemu)('work the same under QEMU (its device tree, its UART, its power-off)', async () => {
    const drv = await wat(checks([
      ['virtio0', '(i32.or (call $device_find (i32.const 1000) (i32.const 0) (i32.const 20500)) (i32.load (i32.const 20500)))'],
      ['virtio7', '(i32.or (call $device_find (i32.const 1000) (i32.const 7) (i32.const 20500)) (i32.load (i32.const 20500)))'],
      ['virtio7_irq', '(i32.load (i32.const 20508))'],
      ['uart_lsr', `(i32.and (i32.wrap_i64 (call $mmio_read (i32.const ${UART + 5}) (i32.const 1))) (i32.const 0x60))`],
      ['files', '(call $bootfs_entry (i32.const 1) (i32.const 20000) (i32.const 64))'],
      ['$file1', '(i32.const 20000)'],
      ['poweroff', '(call $system (i32.const 1))'],
    ], { data: { 1000: 'virtio,mmio' } }));
    const archive = writeBootArchive([
      { name: MANIFEST_FILE, data: new TextEncoder().encode('task drv.wasm name=drv device=ns16550a flags=system\n') },
      { name: 'drv.wasm', data: drv },
    ]);
    const q = bootQemu(archive);
    const v = values(q.out);
    expect(q.status, q.out).toBe(0);
    expect(q.out).toMatch(/system: power off \(task \d+, drv\)/);
    expect([Number(v.get('virtio0')), Number(v.get('virtio7')), Number(v.get('virtio7_irq'))]).toEqual([VIRTIO0, VIRTIO0 + 7 * 0x1000, 8]);
    expect(Number(v.get('uart_lsr'))).toBe(0x60);
    expect([Number(v.get('files')), v.get('file1')]).toEqual([drv.length, 'drv.wasm']);
  });
});

describe('a UART driver on its IRQ', () => {
  it('gets NOTIFY_IRQ for typed input, drains the receiver through mmio_read, and the IRQ fires again after irq_ack', async () => {
    const drv = await wat(checks([
      ['ier', `(call $mmio_write (i32.const ${UART + 1}) (i32.const 1) (i32.const 1))`], // receive interrupt on
      ['ready', '(i32.const 1)'],
      ['!', '(call $collect (i32.const 2) (i32.const 21000))'],
      ['$got1', '(i32.const 21000)'],
      ['irq_bits', '(global.get $irqword)'],
      ['again', '(i32.const 1)'],
      ['!', '(call $collect (i32.const 3) (i32.const 21100))'],
      ['$got2', '(i32.const 21100)'],
      ['acked_all', '(i32.eq (global.get $acks) (global.get $irqs))'],
      ['ier_off', `(call $mmio_write (i32.const ${UART + 1}) (i32.const 1) (i32.const 0))`],
    ], {
      funcs: `(global $irqword (mut i32) (i32.const 0)) (global $acks (mut i32) (i32.const 0)) (global $irqs (mut i32) (i32.const 0))
        (func $collect (param $want i32) (param $dst i32) (local $n i32)
          (loop $more
            ;; a kernel notification with NOTIFY_IRQ (2): irqs[0] at payload + 4
            (loop $w
              (drop (call $recv (i32.const 0) (i32.const 50000) (i32.const -1)))
              (br_if $w (i32.eqz (i32.and (i32.load (i32.const 50008)) (i32.const 2)))))
            (global.set $irqs (i32.add (global.get $irqs) (i32.const 1)))
            (global.set $irqword (i32.load (i32.const 50012)))
            (block $empty (loop $d
              (br_if $empty (i32.eqz (i32.and (i32.wrap_i64 (call $mmio_read (i32.const ${UART + 5}) (i32.const 1))) (i32.const 1))))
              (i32.store8 (i32.add (local.get $dst) (local.get $n)) (i32.wrap_i64 (call $mmio_read (i32.const ${UART}) (i32.const 1))))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $d)))
            (if (i32.eqz (call $irq_ack (i32.const 10))) (then (global.set $acks (i32.add (global.get $acks) (i32.const 1)))))
            (br_if $more (i32.lt_u (local.get $n) (local.get $want)))))`,
    }));
    const r = boot({ 'drv.wasm': drv }, 'task drv.wasm name=uart device=ns16550a\n', {
      input: [{ after: 'ready=1', text: 'ab' }, { after: 'again=1', text: 'xyz' }],
    });
    expect(r.out).toMatch(/boot: task \d+ \(uart\) exited: 0/);
    expect(num(r, 'ier')).toBe(0);
    expect(r.v.get('got1')).toBe('ab');
    expect(num(r, 'irq_bits')).toBe(1 << 10);
    expect(r.v.get('got2')).toBe('xyz');
    expect(num(r, 'acked_all')).toBe(1);
    const mem = memoryFigures(r.out);
    expect(mem!.end).toEqual(mem!.start);
  });
});
