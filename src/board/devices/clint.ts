// SiFive CLINT as QEMU 7.2 `virt` builds it: an ACLINT MSWI (msip) at +0 and an
// ACLINT MTIMER (mtimecmp at +0x4000, mtime at +0xBFF8) in one 64 KiB window.
// QEMU creates exactly these two regions with aclint=on too, so this one class
// serves both layouts; only the device tree and the extra SSWI device
// (aclint-sswi.ts) differ.
//
// The built-in SBI firmware has no M-mode software of its own to forward the
// machine timer to S-mode, so with `sbiTimer: true` a second comparator
// (`setTimerCompare`) drives STIP directly. Without it the CLINT never touches
// STIP, which then stays M-mode software's (or another timer's) to drive.
import type { MmioDevice, Width } from '../bus.ts';
import type { Clock, TimedDevice } from '../clock.ts';
import { type HartLines, MIP_MSIP, MIP_MTIP, MIP_STIP } from '../irq.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { AclintSswi } from './aclint-sswi.ts';
import { CLINT_BASE, CLINT_SIZE } from './virt-map.ts';

const MSIP = 0x0000;
const MTIMECMP_LO = 0x4000;
const MTIMECMP_HI = 0x4004;
const MTIME_LO = 0xbff8;
const MTIME_HI = 0xbffc;

const TWO32 = 0x1_0000_0000;

export interface ClintOptions {
  /** QEMU aclint=on: also map the SSWI device (needs `raiseSsip`). */
  aclint?: boolean;
  /** Sets mip.SSIP on the hart; required with `aclint`. */
  raiseSsip?: () => void;
  /** Drive STIP from the SBI comparator set by `setTimerCompare`. */
  sbiTimer?: boolean;
  base?: number;
}

export class Clint implements MmioDevice, TimedDevice {
  readonly name = 'clint';
  readonly size = CLINT_SIZE;
  readonly base: number;
  private readonly sswi: AclintSswi | null;
  private readonly sbiTimer: boolean;
  private msip = 0;
  // mtimecmp is a full 64-bit register; two halves keep every bit even past 2^53.
  private cmpLo = 0;
  private cmpHi = 0;
  /** The SBI timer's compare value in mtime ticks (Infinity: disarmed). */
  private sbiCmp = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly lines: HartLines,
    opts: ClintOptions = {},
  ) {
    this.base = opts.base ?? CLINT_BASE;
    this.sbiTimer = opts.sbiTimer ?? false;
    if (opts.aclint && !opts.raiseSsip) throw new Error('Clint: the ACLINT layout needs raiseSsip');
    this.sswi = opts.aclint && opts.raiseSsip ? new AclintSswi(opts.raiseSsip) : null;
    this.refresh();
  }

  /** The MMIO windows to map: the CLINT, plus the SSWI with the ACLINT layout. */
  windows(): MmioDevice[] {
    return this.sswi === null ? [this] : [this, this.sswi];
  }

  read(offset: number, width: Width): number {
    // QEMU only accepts 32/64-bit accesses here; narrower ones read as 0.
    if (width !== 4) return 0;
    switch (offset) {
      case MSIP: return this.msip;
      case MTIMECMP_LO: return this.cmpLo;
      case MTIMECMP_HI: return this.cmpHi;
      case MTIME_LO: return this.clock.mtime() % TWO32;
      case MTIME_HI: return Math.floor(this.clock.mtime() / TWO32) % TWO32;
      default: return 0;
    }
  }

  write(offset: number, value: number, width: Width): void {
    if (width !== 4) return;
    const v = value >>> 0;
    switch (offset) {
      case MSIP: this.msip = v & 1; break;
      case MTIMECMP_LO: this.cmpLo = v; break;
      case MTIMECMP_HI: this.cmpHi = v; break;
      case MTIME_LO: this.setMtime(Math.floor(this.clock.mtime() / TWO32) * TWO32 + v); break;
      case MTIME_HI: this.setMtime(v * TWO32 + (this.clock.mtime() % TWO32)); break;
      default: return;
    }
    this.refresh();
  }

  /** SBI set_timer: arms the S-mode timer (STIP) at `ticks` of mtime. */
  setTimerCompare(ticks: number): void {
    this.sbiCmp = ticks;
    this.refresh();
  }

  /** `cycles` must be the clock's current cycle count: time is read from the clock. */
  update(_cycles: number): number {
    this.refresh();
    const sbi = this.sbiTimer ? this.deadline(this.sbiCmp) : Infinity;
    return Math.min(this.deadline(this.mtimecmp()), sbi);
  }

  save(w: StateWriter): void {
    w.tag('clint');
    w.u32(this.msip);
    w.u32(this.cmpLo);
    w.u32(this.cmpHi);
    w.f64(this.sbiCmp);
  }

  restore(r: StateReader): void {
    r.tag('clint');
    this.msip = r.u32() & 1;
    this.cmpLo = r.u32();
    this.cmpHi = r.u32();
    this.sbiCmp = r.f64();
    this.refresh();
  }

  reset(): void {
    // QEMU 7.2 leaves mtimecmp at 0 after reset, so MTIP reads pending until
    // firmware programs the comparator (checked against qemu-system-riscv32 7.2).
    this.msip = 0;
    this.cmpLo = 0;
    this.cmpHi = 0;
    this.sbiCmp = Infinity;
    this.refresh();
  }

  private mtimecmp(): number {
    return this.cmpHi * TWO32 + this.cmpLo;
  }

  private setMtime(ticks: number): void {
    this.clock.mtimeOffset += ticks - this.clock.mtime();
  }

  private refresh(): void {
    const now = this.clock.mtime();
    this.lines.set(MIP_MSIP, this.msip !== 0);
    this.lines.set(MIP_MTIP, now >= this.mtimecmp());
    if (this.sbiTimer) this.lines.set(MIP_STIP, now >= this.sbiCmp);
  }

  /** The cycle at which mtime reaches `cmp`, or Infinity if that is now past or never. */
  private deadline(cmp: number): number {
    if (cmp <= this.clock.mtime()) return Infinity;
    const c = this.clock.cycleOfMtime(cmp);
    return c > Number.MAX_SAFE_INTEGER ? Infinity : c;
  }
}
