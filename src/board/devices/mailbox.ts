// The WasmOS host mailbox (paravirtual; not in QEMU): the host posts short text
// commands ("spawn /host/uploads/x.wasm", "kill 12") and the guest answers with
// text replies. It exists so the host can ask the running OS for something
// while the console is busy with a program. Host commands wait in a queue;
// the guest sees the oldest one in the IN buffer and pops it when done. The IRQ
// is level-high while a command is pending (init polls instead; see
// docs/devices.md). Register layout: docs/devices.md "Host mailbox".
import type { MmioDevice, Width } from '../bus.ts';
import type { IrqController } from '../irq.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { MAILBOX_BASE, MAILBOX_IRQ, MAILBOX_SIZE } from './virt-map.ts';

export const MAILBOX_COMPATIBLE = 'wasmos,mailbox';
export const MAILBOX_MAGIC = 0x58424d57; // "WMBX" little-endian

/** Register offsets (32-bit). */
export const MBX_MAGIC = 0x00;
export const MBX_IN_LEN = 0x04;
export const MBX_IN_POP = 0x08;
export const MBX_OUT_LEN = 0x0c;
export const MBX_IN_BUF = 0x100;
export const MBX_OUT_BUF = 0x600;
export const MBX_BUF_SIZE = 0x400;

/** Commands the guest has not popped yet; more are refused (post returns false). */
export const MBX_QUEUE_MAX = 64;

export class MailboxDevice implements MmioDevice {
  readonly name = 'wasmos-mailbox';
  readonly size = MAILBOX_SIZE;
  private queue: Uint8Array[] = [];
  private readonly out = new Uint8Array(MBX_BUF_SIZE);
  /** Guest replies, in order; the host side takes them with takeReplies. */
  private replies: Uint8Array[] = [];

  constructor(private readonly plic: IrqController, readonly irq = MAILBOX_IRQ, readonly base = MAILBOX_BASE) {}

  /** Host side (between run slices): queues one command of at most 1 KiB. */
  push(data: Uint8Array): boolean {
    if (data.length === 0 || data.length > MBX_BUF_SIZE || this.queue.length >= MBX_QUEUE_MAX) return false;
    this.queue.push(data.slice());
    this.updateIrq();
    return true;
  }

  /** Host side: the replies written since the last call. */
  takeReplies(): Uint8Array[] {
    const r = this.replies;
    this.replies = [];
    return r;
  }

  get pending(): number { return this.queue.length; }

  private updateIrq(): void {
    this.plic.setLevel(this.irq, this.queue.length > 0);
  }

  read(offset: number, width: Width): number {
    if (offset >= MBX_IN_BUF && offset + width <= MBX_IN_BUF + MBX_BUF_SIZE) {
      const cur = this.queue[0];
      let v = 0;
      for (let k = width - 1; k >= 0; k--) v = (v << 8) | (cur?.[offset - MBX_IN_BUF + k] ?? 0);
      return v >>> 0;
    }
    if (width !== 4) return 0;
    switch (offset) {
      case MBX_MAGIC: return MAILBOX_MAGIC;
      case MBX_IN_LEN: return this.queue[0]?.length ?? 0;
      default: return 0;
    }
  }

  write(offset: number, value: number, width: Width): void {
    if (offset >= MBX_OUT_BUF && offset + width <= MBX_OUT_BUF + MBX_BUF_SIZE) {
      for (let k = 0; k < width; k++) this.out[offset - MBX_OUT_BUF + k] = (value >>> (8 * k)) & 0xff;
      return;
    }
    if (width !== 4) return;
    switch (offset) {
      case MBX_IN_POP:
        if (this.queue.length > 0) { this.queue.shift(); this.updateIrq(); }
        break;
      case MBX_OUT_LEN: {
        const len = Math.min(value >>> 0, MBX_BUF_SIZE);
        this.replies.push(this.out.slice(0, len));
        break;
      }
      default: break;
    }
  }

  save(w: StateWriter): void {
    w.tag('wasmos-mailbox');
    w.u32(this.queue.length);
    for (const q of this.queue) w.bytes(q);
    w.bytes(this.out);
    w.u32(this.replies.length);
    for (const q of this.replies) w.bytes(q);
  }

  restore(r: StateReader): void {
    r.tag('wasmos-mailbox');
    const n = r.u32();
    this.queue = [];
    for (let i = 0; i < n; i++) this.queue.push(r.bytes());
    this.out.set(r.bytes().subarray(0, MBX_BUF_SIZE));
    const m = r.u32();
    this.replies = [];
    for (let i = 0; i < m; i++) this.replies.push(r.bytes());
    this.updateIrq();
  }

  /** Board reset: the guest's view starts empty (commands posted to the old OS are lost). */
  reset(): void {
    this.queue = [];
    this.out.fill(0);
    this.updateIrq();
  }
}

/** The part of FdtBuilder (src/board/fdt.ts) the node needs. */
export interface MailboxFdtBuilder {
  beginNode(name: string): void;
  endNode(): void;
  propU64s(name: string, values: ReadonlyArray<number | bigint>): void;
  propString(name: string, value: string): void;
  propU32(name: string, value: number): void;
}

/** The device-tree node (under /soc), for BoardDtbDesc.extraNodes. */
export function addMailboxFdtNode(b: MailboxFdtBuilder, ctx: { plicPhandle: number }): void {
  b.beginNode(`mailbox@${MAILBOX_BASE.toString(16)}`);
  b.propU64s('reg', [MAILBOX_BASE, MAILBOX_SIZE]);
  b.propString('compatible', MAILBOX_COMPATIBLE);
  b.propU32('interrupts', MAILBOX_IRQ);
  b.propU32('interrupt-parent', ctx.plicPhandle);
  b.endNode();
}

/**
 * The host's end (Machine.mailbox). Commands posted here wait until the next
 * run slice, when the machine hands them to the device and records them in
 * its input log (so a replay posts them at the same cycle); replies come back
 * after each slice.
 */
export class MailboxPort {
  private queued: Uint8Array[] = [];
  private listeners: Array<(text: string) => void> = [];

  /** Queues a command (UTF-8 text, at most 1 KiB); false if it is empty or too long. */
  post(text: string | Uint8Array): boolean {
    const data = typeof text === 'string' ? new TextEncoder().encode(text) : text.slice();
    if (data.length === 0 || data.length > MBX_BUF_SIZE) return false;
    this.queued.push(data);
    return true;
  }

  /** Calls cb with each reply the guest sends; returns a function that stops it. */
  onReply(cb: (text: string) => void): () => void {
    this.listeners.push(cb);
    return () => { this.listeners = this.listeners.filter((l) => l !== cb); };
  }

  get pending(): readonly Uint8Array[] { return this.queued; }

  /** Machine: the commands to enter now. */
  take(): Uint8Array[] {
    const q = this.queued;
    this.queued = [];
    return q;
  }

  /** Machine: the device's queue was full; the host hears it like a reply. */
  refused(_data: Uint8Array): void {
    this.emit(['error E_BUSY the mailbox holds too many commands']);
  }

  /** Machine: replies the guest wrote during the slice. */
  deliver(replies: Uint8Array[]): void {
    if (replies.length > 0) this.emit(replies.map((r) => new TextDecoder().decode(r)));
  }

  private emit(texts: string[]): void {
    for (const t of texts) for (const l of this.listeners) l(t);
  }
}
