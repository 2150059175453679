// The physical address space: RAM plus memory-mapped devices.
import type { StateReader, StateWriter } from './state-stream.ts';

export type Width = 1 | 2 | 4;

/**
 * A memory-mapped device. Offsets are relative to `base`. Reads return the value
 * zero-extended to 32 bits; the bus splits nothing, so a device sees exactly the
 * access width the guest used and decides what an odd width means (QEMU devices
 * mostly ignore or zero-extend). A device must never throw because of a guest
 * access: unknown offsets read 0 and ignore writes.
 */
export interface MmioDevice {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  read(offset: number, width: Width): number;
  write(offset: number, value: number, width: Width): void;
  /** Snapshot support: write/read every bit of guest-visible state. */
  save(w: StateWriter): void;
  restore(r: StateReader): void;
  /** Return to power-on state (board reset). */
  reset(): void;
}

/** Lets a device move data to and from guest RAM (virtio rings, DMA). */
export interface Dma {
  /** Returns true when [addr, addr+len) is inside RAM. */
  inRam(addr: number, len: number): boolean;
  readU8(addr: number): number;
  readU16(addr: number): number;
  readU32(addr: number): number;
  writeU8(addr: number, v: number): void;
  writeU16(addr: number, v: number): void;
  writeU32(addr: number, v: number): void;
  /** Copies guest memory out (a view or copy: treat as read-only and short-lived). */
  readBytes(addr: number, len: number): Uint8Array;
  writeBytes(addr: number, data: Uint8Array): void;
}
