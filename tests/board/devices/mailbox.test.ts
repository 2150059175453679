// The WasmOS host mailbox (docs/devices.md "Host mailbox"): the register interface,
// the IRQ level, snapshot state, a guest that cannot make it throw, and the
// Machine's host port (commands enter between slices and are logged).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Width } from '../../../src/board/bus.ts';
import {
  MAILBOX_MAGIC, MBX_IN_BUF, MBX_IN_LEN, MBX_IN_POP, MBX_MAGIC, MBX_OUT_BUF, MBX_OUT_LEN, MBX_QUEUE_MAX, MailboxDevice,
} from '../../../src/board/devices/mailbox.ts';
import { MAILBOX_BASE, MAILBOX_IRQ } from '../../../src/board/devices/virt-map.ts';
import { Machine } from '../../../src/board/machine.ts';
import { expectRoundTrip, IrqRecorder } from './helpers.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

function setup() {
  const irq = new IrqRecorder();
  const dev = new MailboxDevice(irq);
  /** What a guest driver does: IN_LEN, then the IN buffer word by word. */
  const readIn = (): string => {
    const len = dev.read(MBX_IN_LEN, 4);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i += 4) {
      const w = dev.read(MBX_IN_BUF + i, 4);
      for (let k = 0; k < 4 && i + k < len; k++) out[i + k] = (w >>> (8 * k)) & 0xff;
    }
    return dec(out);
  };
  const writeOut = (s: string): void => {
    const b = enc(s);
    for (let i = 0; i < b.length; i++) dev.write(MBX_OUT_BUF + i, b[i]!, 1);
    dev.write(MBX_OUT_LEN, b.length, 4);
  };
  return { irq, dev, readIn, writeOut };
}

describe('wasmos,mailbox', () => {
  it('sits at its place in the map and reads "WMBX"', () => {
    const { dev } = setup();
    expect([dev.base, dev.size, dev.irq]).toEqual([0x1020_1000, 0x1000, 12]);
    expect(dev.read(MBX_MAGIC, 4)).toBe(MAILBOX_MAGIC);
    expect(dec(Uint8Array.of(0x57, 0x4d, 0x42, 0x58))).toBe('WMBX');
    expect(dev.read(MBX_IN_LEN, 4)).toBe(0);
  });

  it('shows the oldest command until popped, the IRQ high while any is pending', () => {
    const { irq, dev, readIn } = setup();
    expect(dev.push(enc('spawn /host/uploads/x.wasm a b'))).toBe(true);
    expect(dev.push(enc('kill 12'))).toBe(true);
    expect(irq.level(MAILBOX_IRQ)).toBe(true);
    expect(readIn()).toBe('spawn /host/uploads/x.wasm a b');
    expect(dev.read(MBX_IN_BUF, 1)).toBe('s'.charCodeAt(0));
    expect(dev.read(MBX_IN_BUF + 1, 2)).toBe(0x6170); // "pa"
    dev.write(MBX_IN_POP, 1, 4);
    expect(readIn()).toBe('kill 12');
    expect(irq.level(MAILBOX_IRQ)).toBe(true);
    dev.write(MBX_IN_POP, 1, 4);
    expect(dev.read(MBX_IN_LEN, 4)).toBe(0);
    expect(dev.read(MBX_IN_BUF, 4)).toBe(0);
    expect(irq.level(MAILBOX_IRQ)).toBe(false);
    dev.write(MBX_IN_POP, 1, 4); // popping an empty queue is harmless
    expect(irq.level(MAILBOX_IRQ)).toBe(false);
  });

  it('hands OUT[0, len) to the host as a reply, clamping len to the buffer', () => {
    const { dev, writeOut } = setup();
    writeOut('ok 14');
    writeOut('error E_BAD_MODULE x.wasm');
    expect(dev.takeReplies().map(dec)).toEqual(['ok 14', 'error E_BAD_MODULE x.wasm']);
    expect(dev.takeReplies()).toEqual([]);
    dev.write(MBX_OUT_LEN, 0xffff_ffff, 4);
    expect(dev.takeReplies()[0]!.length).toBe(1024);
  });

  it('refuses empty, oversized and too many commands', () => {
    const { dev } = setup();
    expect(dev.push(new Uint8Array(0))).toBe(false);
    expect(dev.push(new Uint8Array(1025))).toBe(false);
    expect(dev.push(new Uint8Array(1024).fill(0x41))).toBe(true);
    for (let i = 1; i < MBX_QUEUE_MAX; i++) expect(dev.push(enc(`kill ${i}`))).toBe(true);
    expect(dev.push(enc('kill 1'))).toBe(false);
    expect(dev.pending).toBe(MBX_QUEUE_MAX);
  });

  it('never throws on any guest access', () => {
    const { dev } = setup();
    dev.push(enc('kill 3'));
    for (let off = 0; off < 0x1000; off += 1) {
      for (const w of [1, 2, 4] as Width[]) {
        expect(() => dev.read(off, w)).not.toThrow();
        if (off !== MBX_IN_POP && off !== MBX_OUT_LEN) expect(() => dev.write(off, 0xdeadbeef, w)).not.toThrow();
      }
    }
    expect(dev.read(0xffc, 4)).toBe(0);
    expect(dev.read(MBX_OUT_BUF, 4)).toBe(0); // OUT is write-only
  });

  it('keeps queued commands, the OUT buffer and unread replies in snapshots; reset empties the queue', () => {
    const a = setup();
    a.dev.push(enc('spawn /host/a.wasm'));
    a.dev.push(enc('kill 7'));
    a.writeOut('ok 1');
    a.dev.write(MBX_OUT_BUF, 0x21212121, 4);
    const b = setup();
    expectRoundTrip(a.dev, b.dev);
    expect(b.readIn()).toBe('spawn /host/a.wasm');
    expect(b.irq.level(MAILBOX_IRQ)).toBe(true);
    expect(b.dev.takeReplies().map(dec)).toEqual(['ok 1']);
    b.dev.reset();
    expect(b.dev.read(MBX_IN_LEN, 4)).toBe(0);
    expect(b.irq.level(MAILBOX_IRQ)).toBe(false);
  });
});

describe('Machine.mailbox', () => {
  const image = (): Uint8Array =>
    new Uint8Array(readFileSync(new URL('../../cli/fixtures/bin/echo.elf', import.meta.url)));

  it('is in the device tree and on the bus', () => {
    const m = new Machine({ image: image() });
    const fdt = dec(m.fdt);
    expect(fdt).toContain('mailbox@10201000');
    expect(fdt).toContain('wasmos,mailbox');
    expect(m.bus.find(MAILBOX_BASE, 4)?.name).toBe('wasmos-mailbox');
  });

  it('enters posted commands at the next slice, logs them, and reports replies after it', () => {
    const m = new Machine({ image: image() });
    const dev = m.bus.find(MAILBOX_BASE, 4)!;
    const replies: string[] = [];
    const stop = m.mailbox.onReply((t) => replies.push(t));
    m.run(1_000_000);
    expect(m.mailbox.post('kill 5')).toBe(true);
    expect(m.mailbox.post('')).toBe(false);
    expect(m.inputPending).toBe(true);
    expect(dev.read(MBX_IN_LEN, 4)).toBe(0); // not before the slice
    m.run(1_000_000);
    expect(m.inputPending).toBe(false);
    expect(dev.read(MBX_IN_LEN, 4)).toBe(6);
    expect(m.inputLog.map((r) => [r.cycles, r.kind, dec(r.data)])).toEqual([[1_000_000, 'mailbox', 'kill 5']]);
    // The guest's side, done here through the bus: a reply, heard after the next slice.
    for (const [i, c] of [...enc('ok')].entries()) dev.write(MBX_OUT_BUF + i, c, 1);
    dev.write(MBX_OUT_LEN, 2, 4);
    m.run(1000);
    expect(replies).toEqual(['ok']);
    stop();
    dev.write(MBX_OUT_LEN, 2, 4);
    m.run(1000);
    expect(replies).toEqual(['ok']);
  });
});
