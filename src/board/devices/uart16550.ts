// ns16550a UART as on QEMU's `virt`: eight byte-wide registers at offsets 0..7
// (any access width touches just the addressed register). QEMU maps only those
// 8 bytes of the 0x100 window and faults beyond; here the rest reads 0.
//
// Transmission is instantaneous: a THR write hands the byte to `onByte` and
// THR/TSR are empty again at once, so LSR always shows THRE|TEMT.
//
// Host input goes to an unbounded backlog that belongs to the device state. Bytes
// move from it into the receive FIFO (16 bytes, or the single RBR with FIFOs off)
// whenever there is room: when the host pushes, when the guest reads RBR and
// after a FIFO reset. What the guest sees therefore depends only on what was
// pushed and when, not on host timing. With more input waiting the FIFO is
// full, so the character-timeout interrupt (CTI) for a FIFO below its trigger
// level is reported at once instead of after four character times.
import type { IrqController } from '../irq.ts';
import type { MmioDevice, Width } from '../bus.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { ByteQueue } from './byte-queue.ts';
import { UART0_BASE, UART0_IRQ, UART0_SIZE } from './virt-map.ts';

const IER_RDI = 0x01;
const IER_THRI = 0x02;
const IER_MASK = 0x0f;

const IIR_NO_INT = 0x01;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_CTI = 0x0c;
const IIR_FIFO_ENABLED = 0xc0;

const FCR_FE = 0x01;
const FCR_RFR = 0x02;
const FCR_XFR = 0x04;
const FCR_KEPT = 0xc9;

const LCR_DLAB = 0x80;
const MCR_MASK = 0x1f;
const MCR_OUT2 = 0x08;

const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;

/** DCD|DSR|CTS: what QEMU reports for a backend without modem lines. */
const MSR_IDLE = 0xb0;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

/** QEMU's reset divisor (9600 baud from the 1.8432 MHz reference). */
const RESET_DIVIDER = 0x0c;

export class Uart16550 implements MmioDevice {
  readonly name = 'uart0';
  readonly size = UART0_SIZE;

  private ier = 0;
  private lcr = 0;
  private mcr = MCR_OUT2;
  private scr = 0;
  private fcr = 0;
  private divider = RESET_DIVIDER;
  private thrIpending = false;
  /** What RBR reads with FIFOs off and nothing received since: the last byte. */
  private lastRbr = 0;
  private readonly rx = new Uint8Array(FIFO_SIZE);
  private rxHead = 0;
  private rxCount = 0;
  private readonly backlog = new ByteQueue();

  /** `onByte` receives every byte the guest transmits. */
  constructor(
    private readonly irq: IrqController,
    private readonly source: number = UART0_IRQ,
    private readonly onByte: (b: number) => void = () => {},
    readonly base = UART0_BASE,
  ) {}

  /** Host input: queued behind any earlier input, delivered as the FIFO drains. */
  pushInput(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.backlog.push(bytes);
    this.refill();
    this.updateIrq();
  }

  /**
   * Takes the next input byte past the registers (-1 if none), for firmware
   * consoles such as SBI getchar that read the UART on the guest's behalf.
   */
  takeInputByte(): number {
    if (this.rxCount === 0) return -1;
    return this.readRbr();
  }

  /** True while some pushed byte has not been read by the guest yet. */
  hasPendingInput(): boolean {
    return this.backlog.length > 0 || this.rxCount > 0;
  }

  read(offset: number, _width: Width): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0: return dlab ? this.divider & 0xff : this.readRbr();
      case 1: return dlab ? (this.divider >>> 8) & 0xff : this.ier;
      case 2: return this.readIir();
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return LSR_THRE | LSR_TEMT | (this.rxCount > 0 ? LSR_DR : 0);
      case 6: return MSR_IDLE;
      case 7: return this.scr;
      default: return 0;
    }
  }

  write(offset: number, value: number, _width: Width): void {
    const v = value & 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case 0:
        if (dlab) { this.divider = (this.divider & 0xff00) | v; return; }
        this.onByte(v);
        // The byte left at once; THR is empty again, which is the THRE event.
        this.thrIpending = true;
        break;
      case 1: {
        if (dlab) { this.divider = (this.divider & 0x00ff) | (v << 8); return; }
        const changed = (this.ier ^ v) & IER_MASK;
        this.ier = v & IER_MASK;
        // Like QEMU (and Bochs): enabling ETBEI while THR is empty raises THRE
        // even if an IIR read had acknowledged it before.
        if (changed & IER_THRI) this.thrIpending = (this.ier & IER_THRI) !== 0;
        if (changed === 0) return;
        break;
      }
      case 2: this.writeFcr(v); break;
      case 3: this.lcr = v; return;
      case 4: this.mcr = v & MCR_MASK; return;
      case 7: this.scr = v; return;
      default: return; // LSR and MSR are read-only; nothing lives past offset 7
    }
    this.updateIrq();
  }

  save(w: StateWriter): void {
    w.tag('uart16550');
    w.u8(this.ier);
    w.u8(this.lcr);
    w.u8(this.mcr);
    w.u8(this.scr);
    w.u8(this.fcr);
    w.u32(this.divider);
    w.bool(this.thrIpending);
    w.u8(this.lastRbr);
    w.bytes(this.rxBytes());
    w.bytes(this.backlog.toBytes());
  }

  restore(r: StateReader): void {
    r.tag('uart16550');
    this.ier = r.u8() & IER_MASK;
    this.lcr = r.u8();
    this.mcr = r.u8() & MCR_MASK;
    this.scr = r.u8();
    this.fcr = r.u8() & FCR_KEPT;
    this.divider = r.u32() & 0xffff;
    this.thrIpending = r.bool();
    this.lastRbr = r.u8();
    const rx = r.bytes().subarray(0, FIFO_SIZE);
    this.rx.set(rx);
    this.rxHead = 0;
    this.rxCount = rx.length;
    this.backlog.clear();
    this.backlog.push(r.bytes());
    this.updateIrq();
  }

  /** Power-on state. Input still in the backlog stays: it is on the wire, not in the UART. */
  reset(): void {
    this.ier = this.lcr = this.scr = this.fcr = 0;
    this.mcr = MCR_OUT2;
    this.divider = RESET_DIVIDER;
    this.thrIpending = false;
    this.lastRbr = 0;
    this.rxHead = this.rxCount = 0;
    this.refill();
    this.updateIrq();
  }

  private get fifoOn(): boolean { return (this.fcr & FCR_FE) !== 0; }

  private readRbr(): number {
    if (this.rxCount === 0) return this.fifoOn ? 0 : this.lastRbr;
    const b = this.rx[this.rxHead]!;
    this.rxHead = (this.rxHead + 1) % FIFO_SIZE;
    this.rxCount--;
    this.lastRbr = b;
    this.refill();
    this.updateIrq();
    return b;
  }

  private readIir(): number {
    const id = this.interruptId();
    // Reading IIR acknowledges a THRE interrupt, but only when it is the one reported.
    if (id === IIR_THRI) {
      this.thrIpending = false;
      this.updateIrq();
    }
    return id | (this.fifoOn ? IIR_FIFO_ENABLED : 0);
  }

  private writeFcr(v: number): void {
    // Toggling FIFO enable flushes both FIFOs, as on the real part.
    if ((v ^ this.fcr) & FCR_FE) v |= FCR_RFR | FCR_XFR;
    if (v & FCR_RFR) this.rxHead = this.rxCount = 0;
    if (v & FCR_XFR) this.thrIpending = true;
    this.fcr = v & FCR_KEPT;
    this.refill();
  }

  private refill(): void {
    const room = this.fifoOn ? FIFO_SIZE : 1;
    while (this.rxCount < room) {
      const b = this.backlog.shift();
      if (b < 0) break;
      this.rx[(this.rxHead + this.rxCount) % FIFO_SIZE] = b;
      this.rxCount++;
    }
  }

  private interruptId(): number {
    if ((this.ier & IER_RDI) !== 0 && this.rxCount > 0) {
      const trigger = this.fifoOn ? TRIGGER_LEVELS[this.fcr >>> 6]! : 1;
      return this.rxCount >= trigger ? IIR_RDI : IIR_CTI;
    }
    if ((this.ier & IER_THRI) !== 0 && this.thrIpending) return IIR_THRI;
    return IIR_NO_INT;
  }

  private updateIrq(): void {
    this.irq.setLevel(this.source, this.interruptId() !== IIR_NO_INT);
  }

  private rxBytes(): Uint8Array {
    const out = new Uint8Array(this.rxCount);
    for (let i = 0; i < this.rxCount; i++) out[i] = this.rx[(this.rxHead + i) % FIFO_SIZE]!;
    return out;
  }
}
