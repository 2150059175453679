import { describe, expect, it } from 'vitest';
import { Uart16550 } from '../../../src/board/devices/uart16550.ts';
import { expectRoundTrip, IrqRecorder } from './helpers.ts';

const RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
const IRQ = 10;

function setup() {
  const irq = new IrqRecorder();
  const out: number[] = [];
  const uart = new Uart16550(irq, IRQ, (b) => out.push(b));
  return { irq, out, uart, r: (o: number) => uart.read(o, 1), w: (o: number, v: number) => uart.write(o, v, 1) };
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('ns16550a UART', () => {
  it('has the reset values QEMU has', () => {
    const { uart, r, irq } = setup();
    expect([uart.base, uart.size]).toEqual([0x1000_0000, 0x100]);
    expect(r(IER)).toBe(0);
    expect(r(IIR)).toBe(0x01);
    expect(r(LCR)).toBe(0);
    expect(r(MCR)).toBe(0x08);
    expect(r(LSR)).toBe(0x60);
    expect(r(MSR)).toBe(0xb0);
    expect(r(SCR)).toBe(0);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('transmits THR writes through onByte, any access width', () => {
    const { uart, out, r } = setup();
    uart.write(THR, 0x41, 1);
    uart.write(THR, 0x1242, 4);
    expect(out).toEqual([0x41, 0x42]);
    expect(r(LSR) & 0x60).toBe(0x60);
  });

  it('routes offsets 0/1 to the divisor latch while DLAB is set', () => {
    const { w, r, out } = setup();
    w(LCR, 0x83);
    w(0, 0x34);
    w(1, 0x12);
    expect([r(0), r(1)]).toEqual([0x34, 0x12]);
    expect(out).toEqual([]);
    w(LCR, 0x03);
    expect(r(IER)).toBe(0);
    expect(r(LCR)).toBe(0x03);
  });

  it('has nothing past its 8 registers and keeps the scratch register', () => {
    const { w, r, out, uart } = setup();
    w(0x8 + SCR, 0x5a);
    w(0x8, 0x21);
    expect(r(SCR)).toBe(0);
    expect(r(0x8 + MCR)).toBe(0);
    expect(out).toEqual([]);
    w(SCR, 0x5a);
    expect(r(SCR)).toBe(0x5a);
    // A 32-bit read returns just the addressed register (checked against QEMU 7.2).
    expect(uart.read(MSR, 4)).toBe(0xb0);
    w(LSR, 0);
    w(MSR, 0);
    expect(r(LSR)).toBe(0x60);
    expect(r(MSR)).toBe(0xb0);
  });

  it('receives through a 16-byte FIFO fed from an unbounded backlog', () => {
    const { uart, w, r } = setup();
    w(FCR, 0x01);
    expect(r(IIR)).toBe(0xc1);
    const text = 'abcdefghijklmnopqrstuvwxyz';
    uart.pushInput(bytes(text));
    expect(uart.hasPendingInput()).toBe(true);
    let got = '';
    while (r(LSR) & 1) got += String.fromCharCode(r(RBR));
    expect(got).toBe(text);
    expect(uart.hasPendingInput()).toBe(false);
    expect(r(RBR)).toBe(0);
  });

  it('holds one byte at a time with FIFOs off and repeats the last byte when empty', () => {
    const { uart, r } = setup();
    uart.pushInput(bytes('xy'));
    expect(r(LSR) & 1).toBe(1);
    expect(r(RBR)).toBe(0x78);
    expect(r(RBR)).toBe(0x79);
    expect(r(LSR) & 1).toBe(0);
    expect(r(RBR)).toBe(0x79);
  });

  it('reports received data (RDI) at the trigger level and a timeout (CTI) below it', () => {
    const { uart, w, r, irq } = setup();
    w(FCR, 0xc1); // FIFO on, trigger 14
    w(IER, 0x01);
    uart.pushInput(bytes('abc'));
    expect(irq.level(IRQ)).toBe(true);
    expect(r(IIR)).toBe(0xcc);
    uart.pushInput(bytes('0123456789ABCDEF'));
    expect(r(IIR)).toBe(0xc4);
    for (let i = 0; i < 19; i++) r(RBR);
    expect(r(IIR)).toBe(0xc1);
    expect(irq.level(IRQ)).toBe(false);
    w(FCR, 0x01); // trigger 1: even one byte is "data available"
    uart.pushInput(bytes('z'));
    expect(r(IIR)).toBe(0xc4);
  });

  it('raises THRE when enabled, clears it on an IIR read that reports it, re-raises on THR write or IER toggle', () => {
    const { w, r, irq } = setup();
    w(IER, 0x02);
    expect(irq.level(IRQ)).toBe(true);
    expect(r(IIR)).toBe(0x02);
    expect(irq.level(IRQ)).toBe(false);
    expect(r(IIR)).toBe(0x01);
    w(THR, 0x31);
    expect(irq.level(IRQ)).toBe(true);
    expect(r(IIR)).toBe(0x02);
    w(IER, 0x00);
    w(IER, 0x02);
    expect(irq.level(IRQ)).toBe(true);
    w(IER, 0x00);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('reports received data before THRE, and THRE is not acknowledged by reading IIR then', () => {
    const { uart, w, r, irq } = setup();
    w(IER, 0x03);
    uart.pushInput(bytes('q'));
    expect(r(IIR)).toBe(0x04);
    expect(r(RBR)).toBe(0x71);
    expect(r(IIR)).toBe(0x02);
    expect(r(IIR)).toBe(0x01);
    expect(irq.level(IRQ)).toBe(false);
  });

  it('flushes the receive FIFO on FCR reset and refills it from the backlog', () => {
    const { uart, w, r } = setup();
    w(FCR, 0x01);
    uart.pushInput(new Uint8Array(20).map((_, i) => 65 + i));
    w(FCR, 0x03); // clear RX: the 16 queued bytes are gone, the last 4 arrive
    let got = '';
    while (r(LSR) & 1) got += String.fromCharCode(r(RBR));
    expect(got).toBe('QRST');
    // Turning the FIFO off flushes as well; then RBR holds one byte at a time.
    uart.pushInput(bytes('0123456789abcdefXY'));
    w(FCR, 0x00);
    expect(r(IIR)).toBe(0x01);
    expect(r(RBR)).toBe(0x58);
    expect(r(RBR)).toBe(0x59);
    expect(r(LSR) & 1).toBe(0);
  });

  it('gives input to firmware consoles with takeInputByte', () => {
    const { uart, r } = setup();
    expect(uart.takeInputByte()).toBe(-1);
    uart.pushInput(bytes('hi'));
    expect(uart.takeInputByte()).toBe(0x68);
    expect(uart.takeInputByte()).toBe(0x69);
    expect(uart.takeInputByte()).toBe(-1);
    expect(r(LSR) & 1).toBe(0);
  });

  it('delivers the same bytes whether input was pushed at once or in pieces', () => {
    const read = (chunks: string[]): string => {
      const { uart, w, r } = setup();
      w(FCR, 0x01);
      let got = '';
      for (const c of chunks) {
        uart.pushInput(bytes(c));
        got += String.fromCharCode(r(RBR));
      }
      while (r(LSR) & 1) got += String.fromCharCode(r(RBR));
      return got;
    };
    const all = 'the quick brown fox jumps over the lazy dog';
    expect(read([all])).toBe(all);
    expect(read(all.match(/.{1,5}/g)!)).toBe(all);
  });

  it('snapshots registers, FIFO contents and the backlog', () => {
    const a = setup();
    a.w(LCR, 0x80);
    a.w(0, 3);
    a.w(LCR, 0x1b);
    a.w(FCR, 0x41);
    a.w(IER, 0x03);
    a.w(MCR, 0x0b);
    a.w(SCR, 0x99);
    a.uart.pushInput(new Uint8Array(40).map((_, i) => i));
    a.r(RBR);
    const b = setup();
    expectRoundTrip(a.uart, b.uart);
    expect(b.irq.level(IRQ)).toBe(true);
    const rest: number[] = [];
    while (b.r(LSR) & 1) rest.push(b.r(RBR));
    expect(rest).toEqual(Array.from({ length: 39 }, (_, i) => i + 1));
    expect([b.r(LCR), b.r(MCR), b.r(SCR), b.r(IER)]).toEqual([0x1b, 0x0b, 0x99, 0x03]);
  });

  it('resets registers and FIFOs but keeps undelivered input', () => {
    const { uart, w, r, irq } = setup();
    w(FCR, 0x01);
    w(IER, 0x03);
    uart.pushInput(new Uint8Array(18).fill(0x55));
    uart.reset();
    expect(irq.level(IRQ)).toBe(false);
    expect(r(IIR)).toBe(0x01);
    expect(r(MCR)).toBe(0x08);
    expect(r(RBR)).toBe(0x55); // one byte in RBR (FIFOs off after reset) ...
    expect(r(RBR)).toBe(0x55); // ... the second of the two that were still in the backlog
    expect(uart.hasPendingInput()).toBe(false);
  });
});
