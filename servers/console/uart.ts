// The ns16550a receiver, driven through the kernel's MMIO and IRQ imports.
// Output does not come here: it goes through the kernel console
// (wasmos.debug_print), which polls the transmitter itself, so this driver
// never touches THR or the divisor and only owns the receive side.
import { errorText, wasmos_device_find, wasmos_irq_ack, wasmos_mmio_read, wasmos_mmio_write } from "../sdk/assembly";

// Register offsets (reg-shift 0: one byte each, as on QEMU's virt).
const RBR: u32 = 0;
const IER: u32 = 1;
const FCR: u32 = 2;
const MCR: u32 = 4;
const LSR: u32 = 5;

const IER_RDI: u32 = 0x01; // received data available (and the FIFO's timeout)
const FCR_ENABLE: u32 = 0x01; // FIFOs on, receive trigger level 1 byte (bits 6-7 = 0)
const MCR_DTR_RTS_OUT2: u32 = 0x0b; // OUT2 gates the IRQ line on a PC-style board
const LSR_DR: i64 = 0x01;

/** At most this many bytes per drain, so a flood cannot hold the server. */
const DRAIN_MAX: i32 = 4096;

export let uartBase: u32 = 0;
export let uartIrq: i32 = 0;

/**
 * Finds the first ns16550a and turns on its receive interrupt. Returns "" or
 * what went wrong. `sink` gets the bytes already waiting (at most `room`).
 */
export function uartInit(sink: (b: u8) => void, room: i32): string {
  const info = memory.data(12);
  const compat = memory.data<u8>([0x6e, 0x73, 0x31, 0x36, 0x35, 0x35, 0x30, 0x61, 0]); // "ns16550a"
  const r = wasmos_device_find(compat, 0, info);
  if (r < 0) return "device_find(ns16550a): " + errorText(r);
  uartBase = load<u32>(info);
  uartIrq = load<i32>(info, 8);
  // Read what arrived before we started first: enabling the FIFO flushes the
  // receiver, and those bytes are type-ahead. (Beyond `room`, the one byte in
  // the FIFO-less receiver is lost; later bytes wait in the sender.)
  const d = uartDrain(sink, room);
  if (d < 0) return "reading the UART at 0x" + uartBase.toString(16) + ": " + errorText(d);
  let w = wasmos_mmio_write(uartBase + FCR, 1, FCR_ENABLE);
  if (w == 0) w = wasmos_mmio_write(uartBase + MCR, 1, MCR_DTR_RTS_OUT2);
  if (w == 0) w = wasmos_mmio_write(uartBase + IER, 1, IER_RDI);
  if (w < 0) return "programming the UART: " + errorText(w);
  return "";
}

/** Moves received bytes (at most `max`) to `sink` while LSR says there are some: their count, or an error. */
export function uartDrain(sink: (b: u8) => void, max: i32 = DRAIN_MAX): i32 {
  let n = 0;
  const limit = min(max, DRAIN_MAX);
  while (n < limit) {
    const lsr = wasmos_mmio_read(uartBase + LSR, 1);
    if (lsr < 0) return <i32>lsr;
    if ((lsr & LSR_DR) == 0) break;
    const b = wasmos_mmio_read(uartBase + RBR, 1);
    if (b < 0) return <i32>b;
    sink(<u8>b);
    n++;
  }
  return n;
}

/** Is a received byte waiting? */
export function uartPending(): bool {
  const lsr = wasmos_mmio_read(uartBase + LSR, 1);
  return lsr >= 0 && (lsr & LSR_DR) != 0;
}

/** Turns the receive interrupt on or off (off: input waits in the UART, flow control). */
export function uartRxInterrupts(on: bool): void {
  wasmos_mmio_write(uartBase + IER, 1, on ? IER_RDI : 0);
}

/** The device is quiet again: let its IRQ through. */
export function uartAck(): void {
  if (uartIrq > 0) wasmos_irq_ack(uartIrq);
}
