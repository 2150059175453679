// Interrupt wiring between devices and the hart.
//
// Devices never touch CPU state directly. Level-triggered sources go to the
// PLIC (`raise`/`lower` a source number 1..N); the PLIC and CLINT drive the
// hart's pending lines (bits of mip that hardware owns: MSIP, MTIP, MEIP, SEIP)
// through `HartLines`.

/** mip bit numbers (RISC-V privileged spec). */
export const MIP_SSIP = 1 << 1;
export const MIP_MSIP = 1 << 3;
export const MIP_STIP = 1 << 5;
export const MIP_MTIP = 1 << 7;
export const MIP_SEIP = 1 << 9;
export const MIP_MEIP = 1 << 11;

/** The hardware-driven pending bits of hart 0; the CPU ORs them into mip. */
export class HartLines {
  /** Current levels as a mip-shaped mask. */
  bits = 0;
  set(mask: number, level: boolean): void {
    this.bits = level ? (this.bits | mask) : (this.bits & ~mask);
  }
}

/** What a device uses to signal the interrupt controller (the PLIC implements it). */
export interface IrqController {
  setLevel(source: number, level: boolean): void;
}
