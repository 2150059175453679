// The WasmOS trace device (paravirtual; not in QEMU). The kernel keeps a ring
// of event records in guest RAM and tells the device where it is; the host
// reads the ring straight out of RAM between run slices. The host's "someone
// is reading" flag lives in the ring header, so a kernel with nobody reading
// pays two loads and a branch per event. Layout and record formats:
// docs/trace.md (kernel side: kernel/include/wasmos/trace_format.h).
import type { Dma, MmioDevice, Width } from '../bus.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';

export const TRACE_BASE = 0x1020_0000;
export const TRACE_SIZE = 0x1000;
export const TRACE_COMPATIBLE = 'wasmos,trace';

export const TRACE_MAGIC = 0x43525457; // "WTRC"
export const TRACE_VERSION = 1;
export const TRACE_HEADER_SIZE = 64;

/** Device registers (byte offsets, 32-bit). */
export const REG_MAGIC = 0x00;
export const REG_VERSION = 0x04;
export const REG_RING_BASE = 0x08;
export const REG_RING_SIZE = 0x0c;
export const REG_CTRL = 0x10;
export const REG_STATUS = 0x14;
export const REG_HEAD = 0x18;
export const REG_TAIL = 0x1c;
export const REG_DROPPED = 0x20;

/** Ring header fields (byte offsets from the ring base). */
export const HDR_MAGIC = 0;
export const HDR_VERSION = 4;
export const HDR_DATA_SIZE = 8;
export const HDR_HEAD = 12;
export const HDR_TAIL = 16;
export const HDR_ENABLED = 20;
export const HDR_DROPPED = 24;
export const HDR_TIMEBASE = 28;

/** Record kinds (struct trace_rec.kind). */
export const TR = {
  PAD: 0, TASK_CREATE: 1, TASK_EXIT: 2, IPC_SEND: 3, IPC_RECV: 4, IPC_CALL: 5, IPC_REPLY: 6, IPC_NOTIFY: 7,
  DENIED: 8, FAULT: 9, TASK_STATS: 10, SERVICE: 11, SWITCH: 12, LOG: 13, IRQ: 14,
} as const;

const REC_HEADER = 16;

/** TASK_CREATE flags: what the task runs (older kernels send none). */
export const TASK_FLAG_WASM = 1;
export const TASK_FLAG_WASI = 2;

interface RecordBase {
  /** Guest instructions retired (instret) when the event happened. */
  time: number;
  /** The task running at the time (0 = the kernel / idle). */
  task: number;
}

export type IpcOp = 'send' | 'recv' | 'call' | 'reply' | 'notify';
export type DenyWhat = 'send' | 'lookup' | 'register' | 'mmio' | 'kill' | 'grant' | 'irq' | 'dma' | 'unknown';

export type TraceRecord = RecordBase & (
  | { kind: 'task-create'; id: number; parent: number; priority: number; name: string; flags?: number }
  | { kind: 'task-exit'; id: number; reason: number }
  | { kind: 'ipc'; op: IpcOp; src: number; dst: number; type: number; len: number; result: number; payload: Uint8Array }
  | { kind: 'denied'; what: DenyWhat; target: number; name: string }
  | { kind: 'fault'; id: number; cause: number; epc: number; tval: number }
  | { kind: 'task-stats'; id: number; state: number; instret: number; memBytes: number; switches: number; peer?: number }
  | { kind: 'service'; op: 'register' | 'lookup'; result: number; name: string }
  | { kind: 'switch'; from: number; to: number; fromState?: number; fromPeer?: number }
  | { kind: 'log'; text: string }
  | { kind: 'irq'; irq: number; owner: number }
  | { kind: 'unknown'; code: number; bytes: Uint8Array }
);

export interface TraceBatch {
  records: TraceRecord[];
  /** The kernel's count of records lost to a full ring (cumulative). */
  dropped: number;
  /** Set when the ring held something undecodable; reading skipped to the head. */
  corrupt: boolean;
}

/** What the reader needs of guest RAM (a `Dma` does). */
export type TraceMemory = Pick<Dma, 'inRam' | 'readU32' | 'readBytes' | 'writeU32'>;

const IPC_OPS: Record<number, IpcOp> = {
  [TR.IPC_SEND]: 'send', [TR.IPC_RECV]: 'recv', [TR.IPC_CALL]: 'call', [TR.IPC_REPLY]: 'reply', [TR.IPC_NOTIFY]: 'notify',
};
const DENY_WHAT: DenyWhat[] = ['unknown', 'send', 'lookup', 'register', 'mmio', 'kill', 'grant', 'irq', 'dma'];

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function cString(bytes: Uint8Array, decoder = latin1): string {
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** Decodes one record body; `b` holds the whole record (header included). */
function decodeRecord(b: Uint8Array): TraceRecord | null {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const kind = b[2]!;
  const aux = b[3]!;
  const time = v.getUint32(8, true) * 0x1_0000_0000 + v.getUint32(4, true);
  const task = v.getInt32(12, true);
  const i32 = (off: number): number => (off + 4 <= b.length ? v.getInt32(off, true) : 0);
  const u32 = (off: number): number => (off + 4 <= b.length ? v.getUint32(off, true) : 0);
  const base = { time, task };
  // Records grow only at their end: fields beyond an older kernel's record are left out.
  const has = (off: number): boolean => off + 4 <= b.length;
  switch (kind) {
    case TR.PAD:
      return null;
    case TR.TASK_CREATE:
      return {
        ...base, kind: 'task-create', id: i32(16), parent: i32(20), priority: i32(24), name: cString(b.subarray(28, 52), utf8),
        ...(has(52) ? { flags: u32(52) } : {}),
      };
    case TR.TASK_EXIT:
      return { ...base, kind: 'task-exit', id: i32(16), reason: i32(20) };
    case TR.IPC_SEND: case TR.IPC_RECV: case TR.IPC_CALL: case TR.IPC_REPLY: case TR.IPC_NOTIFY: {
      const n = Math.min(aux, Math.max(0, b.length - 36));
      return {
        ...base, kind: 'ipc', op: IPC_OPS[kind]!, src: i32(16), dst: i32(20), type: i32(24), len: u32(28),
        result: i32(32), payload: b.slice(36, 36 + n),
      };
    }
    case TR.DENIED:
      return { ...base, kind: 'denied', what: DENY_WHAT[i32(16)] ?? 'unknown', target: i32(20), name: cString(b.subarray(24), utf8) };
    case TR.FAULT:
      return { ...base, kind: 'fault', id: i32(16), cause: u32(20), epc: u32(24), tval: u32(28) };
    case TR.TASK_STATS:
      return {
        ...base, kind: 'task-stats', id: i32(16), state: i32(20), instret: u32(28) * 0x1_0000_0000 + u32(24),
        memBytes: u32(32), switches: u32(36), ...(has(40) ? { peer: i32(40) } : {}),
      };
    case TR.SERVICE:
      return { ...base, kind: 'service', op: i32(16) === 1 ? 'register' : 'lookup', result: i32(20), name: cString(b.subarray(24), utf8) };
    case TR.SWITCH:
      return { ...base, kind: 'switch', from: i32(16), to: i32(20), ...(has(28) ? { fromState: i32(24), fromPeer: i32(28) } : {}) };
    case TR.LOG:
      return { ...base, kind: 'log', text: utf8.decode(b.subarray(REC_HEADER, REC_HEADER + Math.min(aux, b.length - REC_HEADER))) };
    case TR.IRQ:
      return { ...base, kind: 'irq', irq: i32(16), owner: i32(20) };
    default:
      return { ...base, kind: 'unknown', code: kind, bytes: b.slice() };
  }
}

/**
 * Reads the records between the ring's tail and head. With `consume` (the
 * default) the tail is advanced past them, which frees the space for the
 * kernel. Never throws: a ring that is not where it should be, or damaged,
 * yields what could be decoded and `corrupt: true`.
 */
export function readTraceRing(mem: TraceMemory, ringBase: number, opts: { consume?: boolean; max?: number } = {}): TraceBatch {
  const consume = opts.consume ?? true;
  const max = opts.max ?? Infinity;
  const out: TraceBatch = { records: [], dropped: 0, corrupt: false };
  if (!mem.inRam(ringBase, TRACE_HEADER_SIZE)) return { ...out, corrupt: true };
  if (mem.readU32(ringBase + HDR_MAGIC) !== TRACE_MAGIC || mem.readU32(ringBase + HDR_VERSION) !== TRACE_VERSION) {
    return { ...out, corrupt: true };
  }
  const size = mem.readU32(ringBase + HDR_DATA_SIZE);
  const data = ringBase + TRACE_HEADER_SIZE;
  if (size < REC_HEADER || (size & (size - 1)) !== 0 || !mem.inRam(data, size)) return { ...out, corrupt: true };
  const head = mem.readU32(ringBase + HDR_HEAD);
  let tail = mem.readU32(ringBase + HDR_TAIL);
  out.dropped = mem.readU32(ringBase + HDR_DROPPED);
  if (((head - tail) >>> 0) > size) {
    out.corrupt = true;
    tail = head;
  }
  while (tail !== head && out.records.length < max) {
    const pos = tail & (size - 1);
    const avail = (head - tail) >>> 0;
    const word = mem.readU32(data + pos);
    const len = word & 0xffff;
    if (len < 4 || (len & 3) !== 0 || len > avail || pos + len > size || (len < REC_HEADER && (word >>> 16 & 0xff) !== TR.PAD)) {
      out.corrupt = true;
      tail = head;
      break;
    }
    if (((word >>> 16) & 0xff) !== TR.PAD) {
      const rec = decodeRecord(mem.readBytes(data + pos, len));
      if (rec) out.records.push(rec);
    }
    tail = (tail + len) >>> 0;
  }
  if (consume) mem.writeU32(ringBase + HDR_TAIL, tail);
  return out;
}

/** The part of FdtBuilder (src/board/fdt.ts) the node needs. */
export interface TraceFdtBuilder {
  beginNode(name: string): void;
  endNode(): void;
  propU64s(name: string, values: ReadonlyArray<number | bigint>): void;
  propString(name: string, value: string): void;
}

/** A device-tree node adder for a trace device at `base`, for BoardDtbDesc.extraNodes (under /soc). */
export function traceFdtNode(base = TRACE_BASE): (b: TraceFdtBuilder) => void {
  return (b) => {
    b.beginNode(`trace@${base.toString(16)}`);
    b.propU64s('reg', [base, TRACE_SIZE]);
    b.propString('compatible', TRACE_COMPATIBLE);
    b.endNode();
  };
}

/** The node for the device at its standard address: `extraNodes: [addTraceFdtNode]`. */
export const addTraceFdtNode: (b: TraceFdtBuilder) => void = traceFdtNode();

export class TraceDevice implements MmioDevice {
  readonly name = 'wasmos-trace';
  readonly size = TRACE_SIZE;
  private ringBase = 0;
  private ringSize = 0;
  private attached = false;
  /** Host side: someone reads the trace. Survives guest resets (it is the host's choice). */
  private hostEnabled = false;

  constructor(private readonly dma: Dma, readonly base = TRACE_BASE) {}

  /** True once the kernel has attached a valid ring. */
  get isAttached(): boolean { return this.attached; }
  get ring(): { base: number; size: number } | null {
    return this.attached ? { base: this.ringBase, size: this.ringSize } : null;
  }
  get enabled(): boolean { return this.hostEnabled; }

  /** Starts or stops recording (the kernel sees it on its next event). */
  setEnabled(on: boolean): void {
    this.hostEnabled = on;
    if (this.attached) this.dma.writeU32(this.ringBase + HDR_ENABLED, on ? 1 : 0);
  }

  /** Takes every record the kernel wrote since the last call. */
  drain(max?: number): TraceBatch {
    if (!this.attached) return { records: [], dropped: 0, corrupt: false };
    return readTraceRing(this.dma, this.ringBase, { max });
  }

  private header(off: number): number {
    return this.attached && this.dma.inRam(this.ringBase + off, 4) ? this.dma.readU32(this.ringBase + off) : 0;
  }

  read(offset: number, width: Width): number {
    if (width !== 4) return 0;
    switch (offset) {
      case REG_MAGIC: return TRACE_MAGIC;
      case REG_VERSION: return TRACE_VERSION;
      case REG_RING_BASE: return this.ringBase >>> 0;
      case REG_RING_SIZE: return this.ringSize >>> 0;
      case REG_CTRL: return this.attached ? 1 : 0;
      case REG_STATUS: return (this.attached ? 1 : 0) | (this.hostEnabled ? 2 : 0);
      case REG_HEAD: return this.header(HDR_HEAD);
      case REG_TAIL: return this.header(HDR_TAIL);
      case REG_DROPPED: return this.header(HDR_DROPPED);
      default: return 0;
    }
  }

  write(offset: number, value: number, width: Width): void {
    if (width !== 4) return;
    const v = value >>> 0;
    switch (offset) {
      case REG_RING_BASE: if (!this.attached) this.ringBase = v; break;
      case REG_RING_SIZE: if (!this.attached) this.ringSize = v; break;
      case REG_CTRL:
        if (v & 1) this.attach();
        else this.attached = false;
        break;
      default: break;
    }
  }

  /** Accepts the ring only if it lies in RAM and carries a sane header. */
  private attach(): void {
    const { ringBase: base, ringSize: size } = this;
    if (this.attached || size < TRACE_HEADER_SIZE + REC_HEADER || !this.dma.inRam(base, size) || (base & 3) !== 0) return;
    if (this.dma.readU32(base + HDR_MAGIC) !== TRACE_MAGIC || this.dma.readU32(base + HDR_VERSION) !== TRACE_VERSION) return;
    const data = this.dma.readU32(base + HDR_DATA_SIZE);
    if (data < REC_HEADER || (data & (data - 1)) !== 0 || data > size - TRACE_HEADER_SIZE) return;
    this.attached = true;
    this.dma.writeU32(base + HDR_ENABLED, this.hostEnabled ? 1 : 0);
  }

  save(w: StateWriter): void {
    w.tag('wasmos-trace');
    w.u32(this.ringBase);
    w.u32(this.ringSize);
    w.bool(this.attached);
    w.bool(this.hostEnabled);
  }

  restore(r: StateReader): void {
    r.tag('wasmos-trace');
    this.ringBase = r.u32();
    this.ringSize = r.u32();
    this.attached = r.bool();
    this.hostEnabled = r.bool();
  }

  reset(): void {
    this.ringBase = 0;
    this.ringSize = 0;
    this.attached = false;
  }
}
