// The WasmOS trace device: registers, attach rules, the host's enable flag,
// snapshots, and the ring reader (fed by a writer that follows the kernel's
// protocol: records never wrap, a PAD record fills the end of the data area).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildBoardDtb } from '../../src/board/fdt.ts';
import {
  HDR_DROPPED, HDR_ENABLED, HDR_HEAD, HDR_TAIL, REG_CTRL, REG_DROPPED, REG_HEAD, REG_MAGIC, REG_RING_BASE,
  REG_RING_SIZE, REG_STATUS, REG_TAIL, REG_VERSION, TASK_FLAG_WASI, TASK_FLAG_WASM, TR, TRACE_BASE, TRACE_HEADER_SIZE,
  TRACE_MAGIC, TRACE_VERSION,
  TraceDevice, addTraceFdtNode, readTraceRing,
} from '../../src/board/devices/trace.ts';
import { StateReader, StateWriter } from '../../src/board/state-stream.ts';
import { FakeRam, RAM_BASE } from './devices/helpers.ts';

const RING = RAM_BASE + 0x1_0000;
const DATA = RING + TRACE_HEADER_SIZE;

/** Writes a ring header the way the kernel's trace_init does. */
function initRing(ram: FakeRam, dataSize: number): void {
  ram.bytes.fill(0, RING - RAM_BASE, RING - RAM_BASE + TRACE_HEADER_SIZE);
  ram.writeU32(RING, TRACE_MAGIC);
  ram.writeU32(RING + 4, TRACE_VERSION);
  ram.writeU32(RING + 8, dataSize);
  ram.writeU32(RING + 28, 10_000_000);
}

/** The kernel's writer: reserve (with PAD at the end), fill, then advance head. */
class KernelWriter {
  constructor(private readonly ram: FakeRam, private readonly size: number) {}

  write(kind: number, task: number, time: number, body: number[], aux = 0, tail: Uint8Array = new Uint8Array(0)): boolean {
    const len = (16 + 4 * body.length + tail.length + 3) & ~3;
    const head = this.ram.readU32(RING + HDR_HEAD);
    const t = this.ram.readU32(RING + HDR_TAIL);
    let pos = head & (this.size - 1);
    const pad = this.size - pos < len ? this.size - pos : 0;
    if (((head - t) >>> 0) + pad + len > this.size) {
      this.ram.writeU32(RING + HDR_DROPPED, this.ram.readU32(RING + HDR_DROPPED) + 1);
      return false;
    }
    let h = head;
    if (pad) {
      this.ram.writeU32(DATA + pos, pad | (TR.PAD << 16));
      h = (h + pad) >>> 0;
      pos = 0;
    }
    const at = DATA + pos;
    this.ram.bytes.fill(0, at - RAM_BASE, at - RAM_BASE + len);
    this.ram.writeU32(at, len | (kind << 16) | (aux << 24));
    this.ram.writeU32(at + 4, time % 0x1_0000_0000);
    this.ram.writeU32(at + 8, Math.floor(time / 0x1_0000_0000));
    this.ram.writeU32(at + 12, task);
    body.forEach((w, i) => this.ram.writeU32(at + 16 + 4 * i, w));
    this.ram.writeBytes(at + 16 + 4 * body.length, tail);
    this.ram.writeU32(RING + HDR_HEAD, (h + len) >>> 0);
    return true;
  }
}

function name(s: string, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(new TextEncoder().encode(s));
  return b;
}

function attached(dataSize = 4096, hostEnabled = true): { ram: FakeRam; dev: TraceDevice; w: KernelWriter } {
  const ram = new FakeRam(1 << 20);
  const dev = new TraceDevice(ram);
  dev.setEnabled(hostEnabled);
  initRing(ram, dataSize);
  dev.write(REG_RING_BASE, RING, 4);
  dev.write(REG_RING_SIZE, TRACE_HEADER_SIZE + dataSize, 4);
  dev.write(REG_CTRL, 1, 4);
  return { ram, dev, w: new KernelWriter(ram, dataSize) };
}

describe('trace device registers', () => {
  it('identifies itself at its default address', () => {
    const dev = new TraceDevice(new FakeRam());
    expect(dev.base).toBe(TRACE_BASE);
    expect(dev.read(REG_MAGIC, 4)).toBe(TRACE_MAGIC);
    expect(dev.read(REG_VERSION, 4)).toBe(TRACE_VERSION);
    expect(dev.read(REG_STATUS, 4)).toBe(0);
    expect(dev.read(REG_MAGIC, 1)).toBe(0);
    expect(dev.read(0xffc, 4)).toBe(0);
  });

  it('attaches a valid ring and hands the host flag to the kernel through RAM', () => {
    const { ram, dev } = attached(4096, true);
    expect(dev.isAttached).toBe(true);
    expect(dev.ring).toEqual({ base: RING, size: TRACE_HEADER_SIZE + 4096 });
    expect(ram.readU32(RING + HDR_ENABLED)).toBe(1);
    expect(dev.read(REG_STATUS, 4)).toBe(3);
    expect(dev.read(REG_CTRL, 4)).toBe(1);
    dev.setEnabled(false);
    expect(ram.readU32(RING + HDR_ENABLED)).toBe(0);
    expect(dev.read(REG_STATUS, 4)).toBe(1);
    // Base and size are frozen while attached.
    dev.write(REG_RING_BASE, 0x1234, 4);
    expect(dev.read(REG_RING_BASE, 4)).toBe(RING);
  });

  it('mirrors head, tail and dropped from the ring header', () => {
    const { ram, dev } = attached();
    ram.writeU32(RING + HDR_HEAD, 96);
    ram.writeU32(RING + HDR_TAIL, 32);
    ram.writeU32(RING + HDR_DROPPED, 5);
    expect(dev.read(REG_HEAD, 4)).toBe(96);
    expect(dev.read(REG_TAIL, 4)).toBe(32);
    expect(dev.read(REG_DROPPED, 4)).toBe(5);
  });

  it('refuses rings outside RAM, without a header, or with a bad data size', () => {
    const ram = new FakeRam(1 << 20);
    const dev = new TraceDevice(ram);
    const tryAttach = (base: number, size: number): boolean => {
      dev.write(REG_CTRL, 0, 4);
      dev.write(REG_RING_BASE, base, 4);
      dev.write(REG_RING_SIZE, size, 4);
      dev.write(REG_CTRL, 1, 4);
      return dev.isAttached;
    };
    expect(tryAttach(RING, 4096 + 64)).toBe(false); // no header yet
    initRing(ram, 4096);
    expect(tryAttach(0x1000, 4096 + 64)).toBe(false);
    expect(tryAttach(RAM_BASE + (1 << 20) - 64, 4096 + 64)).toBe(false);
    expect(tryAttach(RING + 2, 4096 + 64)).toBe(false);
    expect(tryAttach(RING, 2048)).toBe(false); // data larger than the block
    initRing(ram, 3000);
    expect(tryAttach(RING, 4096 + 64)).toBe(false); // not a power of two
    initRing(ram, 4096);
    expect(tryAttach(RING, 4096 + 64)).toBe(true);
    dev.write(REG_CTRL, 1, 2); // narrow writes do nothing
    dev.write(REG_CTRL, 0, 4);
    expect(dev.isAttached).toBe(false);
  });

  it('keeps the host choice across a guest reset and survives a snapshot', () => {
    const { dev, ram } = attached(4096, true);
    const w = new StateWriter();
    dev.save(w);
    const copy = new TraceDevice(ram);
    copy.restore(new StateReader(w.finish()));
    expect(copy.ring).toEqual(dev.ring);
    expect(copy.enabled).toBe(true);
    dev.reset();
    expect(dev.isAttached).toBe(false);
    expect(dev.enabled).toBe(true);
    expect(dev.drain()).toEqual({ records: [], dropped: 0, corrupt: false });
  });
});

describe('trace ring reader', () => {
  it('decodes every record kind', () => {
    const { dev, w } = attached();
    const big = 2 ** 40 + 7;
    w.write(TR.TASK_CREATE, 0, big, [129, 0, 4], 0, name('selftest', 24));
    w.write(TR.IPC_CALL, 129, 10, [129, 0, 9, 14, 14], 6, new TextEncoder().encode('hello\0'));
    w.write(TR.IPC_RECV, 130, 11, [129, 130, 1234, 16, 16]);
    w.write(TR.IPC_NOTIFY, 130, 12, [0, 129, 4, 0, 0]);
    w.write(TR.TASK_EXIT, 130, 13, [130, -2 >>> 0]);
    w.write(TR.DENIED, 5, 14, [2, 5], 0, name('selftest', 32));
    w.write(TR.FAULT, 6, 15, [6, 13, 0x8000a526, 8]);
    w.write(TR.TASK_STATS, 0, 16, [129, 1, 0x10, 1, 16384, 7]);
    w.write(TR.SERVICE, 129, 17, [1, 0], 0, name('echo', 32));
    w.write(TR.SWITCH, 129, 18, [129, 130]);
    w.write(TR.LOG, 0, 19, [], 5, new TextEncoder().encode('hello'));
    w.write(TR.IRQ, 0, 20, [10, 131]);
    w.write(200, 0, 21, [1, 2]);
    const { records, corrupt } = dev.drain();
    expect(corrupt).toBe(false);
    expect(records).toEqual([
      { time: big, task: 0, kind: 'task-create', id: 129, parent: 0, priority: 4, name: 'selftest' },
      { time: 10, task: 129, kind: 'ipc', op: 'call', src: 129, dst: 0, type: 9, len: 14, result: 14, payload: new TextEncoder().encode('hello\0') },
      { time: 11, task: 130, kind: 'ipc', op: 'recv', src: 129, dst: 130, type: 1234, len: 16, result: 16, payload: new Uint8Array(0) },
      { time: 12, task: 130, kind: 'ipc', op: 'notify', src: 0, dst: 129, type: 4, len: 0, result: 0, payload: new Uint8Array(0) },
      { time: 13, task: 130, kind: 'task-exit', id: 130, reason: -2 },
      { time: 14, task: 5, kind: 'denied', what: 'lookup', target: 5, name: 'selftest' },
      { time: 15, task: 6, kind: 'fault', id: 6, cause: 13, epc: 0x8000a526, tval: 8 },
      { time: 16, task: 0, kind: 'task-stats', id: 129, state: 1, instret: 2 ** 32 + 16, memBytes: 16384, switches: 7 },
      { time: 17, task: 129, kind: 'service', op: 'register', result: 0, name: 'echo' },
      { time: 18, task: 129, kind: 'switch', from: 129, to: 130 },
      { time: 19, task: 0, kind: 'log', text: 'hello' },
      { time: 20, task: 0, kind: 'irq', irq: 10, owner: 131 },
      { time: 21, task: 0, kind: 'unknown', code: 200, bytes: expect.any(Uint8Array) },
    ]);
  });

  it('decodes the fields newer kernels append (task flags, peers, the state a task left the CPU in)', () => {
    const { dev, w } = attached();
    const flags = new Uint8Array(4);
    new DataView(flags.buffer).setUint32(0, TASK_FLAG_WASM | TASK_FLAG_WASI, true);
    // A full 23-character name: the flags after it must not leak into the name.
    w.write(TR.TASK_CREATE, 0, 1, [131, 129, 4], 0, new Uint8Array([...name('abcdefghijklmnopqrstuvw', 24), ...flags]));
    w.write(TR.TASK_STATS, 0, 2, [131, 3, 100, 0, 8192, 2, 130]);
    w.write(TR.TASK_STATS, 0, 3, [132, 2, 100, 0, 8192, 2, -1 >>> 0]);
    w.write(TR.SWITCH, 131, 4, [131, 0, 3, 130]);
    expect(dev.drain().records).toEqual([
      { time: 1, task: 0, kind: 'task-create', id: 131, parent: 129, priority: 4, name: 'abcdefghijklmnopqrstuvw', flags: 3 },
      { time: 2, task: 0, kind: 'task-stats', id: 131, state: 3, instret: 100, memBytes: 8192, switches: 2, peer: 130 },
      { time: 3, task: 0, kind: 'task-stats', id: 132, state: 2, instret: 100, memBytes: 8192, switches: 2, peer: -1 },
      { time: 4, task: 131, kind: 'switch', from: 131, to: 0, fromState: 3, fromPeer: 130 },
    ]);
  });

  it('consumes records, wraps with PAD records, and counts what the kernel dropped', () => {
    const { dev, ram, w } = attached(256);
    let written = 0;
    let read = 0;
    for (let round = 0; round < 50; round++) {
      // 40-byte records: 6 fit in 256 bytes; the 7th is dropped.
      for (let i = 0; i < 7; i++) if (w.write(TR.TASK_EXIT, 1, written + 1, [written + 1, 0, 0, 0, 0, 0])) written++;
      const batch = dev.drain();
      for (const r of batch.records) {
        expect(r.kind).toBe('task-exit');
        if (r.kind === 'task-exit') expect(r.id).toBe(++read);
      }
      expect(batch.corrupt).toBe(false);
    }
    expect(read).toBe(written);
    expect(ram.readU32(RING + HDR_DROPPED)).toBeGreaterThan(0);
    expect(dev.drain().dropped).toBe(ram.readU32(RING + HDR_DROPPED));
    // Head and tail are free-running counters well past the ring size by now.
    expect(ram.readU32(RING + HDR_TAIL)).toBe(ram.readU32(RING + HDR_HEAD));
    expect(ram.readU32(RING + HDR_HEAD)).toBeGreaterThan(256 * 10);
  });

  it('can peek without consuming, and stop after max records', () => {
    const { ram, w } = attached();
    for (let i = 0; i < 5; i++) w.write(TR.SWITCH, 1, i, [1, 2]);
    expect(readTraceRing(ram, RING, { consume: false }).records).toHaveLength(5);
    expect(readTraceRing(ram, RING, { max: 2 }).records).toHaveLength(2);
    expect(readTraceRing(ram, RING).records.map((r) => r.time)).toEqual([2, 3, 4]);
  });

  it('never throws on damage: bad lengths, impossible cursors, missing rings', () => {
    const { ram, dev, w } = attached();
    w.write(TR.SWITCH, 1, 1, [1, 2]);
    ram.writeU32(DATA + 24, 0x0003_0006); // next record: length 6
    ram.writeU32(RING + HDR_HEAD, 48);
    const batch = dev.drain();
    expect(batch.records).toHaveLength(1);
    expect(batch.corrupt).toBe(true);
    expect(ram.readU32(RING + HDR_TAIL)).toBe(48);
    ram.writeU32(RING + HDR_HEAD, 999_999);
    expect(dev.drain().corrupt).toBe(true);
    expect(readTraceRing(ram, 0x1000).corrupt).toBe(true);
    ram.writeU32(RING, 0);
    expect(readTraceRing(ram, RING)).toEqual({ records: [], dropped: 0, corrupt: true });
  });
});

describe('trace device tree node and kernel agreement', () => {
  it('adds a wasmos,trace node under /soc', () => {
    const dtb = buildBoardDtb({ memBase: RAM_BASE, memSize: 128 << 20, extraNodes: [addTraceFdtNode] });
    const text = new TextDecoder('latin1').decode(dtb);
    expect(text).toContain('trace@10200000');
    expect(text).toContain('wasmos,trace');
  });

  it('uses the numbers of the kernel header (kernel/include/wasmos/trace_format.h)', () => {
    const header = readFileSync(fileURLToPath(new URL('../../kernel/include/wasmos/trace_format.h', import.meta.url)), 'utf8');
    const num = (re: RegExp): number => {
      const m = re.exec(header);
      expect(m, String(re)).not.toBeNull();
      return Number(m![1]);
    };
    expect(num(/TRACE_MAGIC\s+(0x[0-9a-f]+)u/)).toBe(TRACE_MAGIC);
    expect(num(/TRACE_VERSION\s+(\d+)u/)).toBe(TRACE_VERSION);
    expect(num(/TRACE_HEADER_SIZE\s+(\d+)u/)).toBe(TRACE_HEADER_SIZE);
    for (const [k, v] of Object.entries(TR)) expect(num(new RegExp(`TR_${k}\\s*=\\s*(\\d+)`))).toBe(v);
    expect(num(/TRACE_TASK_WASM\s+(\d+)u/)).toBe(TASK_FLAG_WASM);
    expect(num(/TRACE_TASK_WASI\s+(\d+)u/)).toBe(TASK_FLAG_WASI);
    const regs: Record<string, number> = {
      MAGIC: REG_MAGIC, VERSION: REG_VERSION, RING_BASE: REG_RING_BASE, RING_SIZE: REG_RING_SIZE, CTRL: REG_CTRL,
      STATUS: REG_STATUS, HEAD: REG_HEAD, TAIL: REG_TAIL, DROPPED: REG_DROPPED,
    };
    for (const [k, v] of Object.entries(regs)) expect(num(new RegExp(`TRACE_REG_${k}\\s+(0x[0-9a-f]+)`))).toBe(v);
  });
});
