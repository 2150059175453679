// The architectural state of hart 0 and everything that is too rare or too
// intricate to inline in translated code: traps and interrupts, CSRs, the Sv32
// page walk, memory accesses that miss the TLB (MMIO, misaligned, faults),
// atomics, FP loads/stores and SYSTEM instructions.
//
// Translated blocks (translate.ts) call these "slow paths" and then look at
// `exit`: 0 = carry on, 1 = a trap was taken (pc already points at the
// handler), 2 = the instruction completed but the run loop must look at the
// machine before going on (MMIO side effects, CSR writes, code modified).
import type { Clock } from '../clock.ts';
import { type HartLines, MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP } from '../irq.ts';
import { Ram, RAM_BASE } from '../memory.ts';
import type { PhysBus } from '../phys-bus.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import * as csrDefs from './csr.ts';
import { Csr } from './csr.ts';
import { FpRegs, execFp } from './fpu.ts';
import { Tlb } from './tlb.ts';

// Module-local bindings: where TypeScript runs through a loader that turns
// imports into getter calls (tsx), the slow paths below would pay for them.
const {
  Cause, MISA, MSTATUS_FS, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_MXR,
  MSTATUS_SD, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW,
  MSTATUS_VS, PRV_M, PRV_S, PRV_U,
} = csrDefs;

export const enum Access { Load = 0, Store = 1, Fetch = 2 }

/** Exits of translated code. */
export const EXIT_NONE = 0;
export const EXIT_TRAP = 1;
export const EXIT_RESCHEDULE = 2;

const MSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPRV |
  MSTATUS_SUM | MSTATUS_MPP | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW | MSTATUS_VS | MSTATUS_FS;
const SSTATUS_MASK = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | MSTATUS_SUM |
  MSTATUS_MXR | MSTATUS_SD;
// WARL masks as QEMU 7.2 has them, hypervisor and LCOFI bits included even
// without the H extension, so guests probing them read what they read on QEMU.
const VS_INTS = (1 << 2) | (1 << 6) | (1 << 10);
const LCOFI = 1 << 13;
/** Interrupts mideleg can delegate, and the software-writable mip bits. */
const DELEGABLE_INTS = MIP_SSIP | MIP_STIP | MIP_SEIP | VS_INTS | LCOFI;
const ALL_INTS = DELEGABLE_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
/** What sie/sip show of the delegated interrupts. */
const S_VISIBLE = MIP_SSIP | MIP_STIP | MIP_SEIP | LCOFI;
/** Exceptions medeleg can delegate. */
const DELEGABLE_EXC = 0x00f0bfff;
/** The standard interrupts this hart can take (no VS interrupts without H). */
const TAKEABLE_INTS = MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP | MIP_MEIP | LCOFI;

/** QEMU 7.2 identification values, so guests see the same machine. */
export const MVENDORID = 0;
export const MARCHID = 0x70216;
export const MIMPID = 0x70216;

export class Hart {
  readonly x = new Int32Array(32);
  pc = 0;
  priv = PRV_M;
  readonly fr = new FpRegs();

  /** Retired instructions; guest cycles are instret + idleCycles. */
  instret = 0;
  /**
   * Cycles that retired nothing: time skipped in WFI, plus one per trap taken,
   * so that even a guest trapping in a loop (a handler that faults) moves time
   * forward and ends its slice.
   */
  idleCycles = 0;
  /** Translated code returns to the run loop once instret reaches this. */
  limit = 0;
  exit = EXIT_NONE;
  /** Bumped whenever a translation or translated code may have changed (block chaining checks it). */
  codeEpoch = 0;
  /** Set by WFI; cleared when an interrupt becomes pending. */
  wfi = false;

  // CSRs
  mstatus = 0;
  medeleg = 0;
  mideleg = 0;
  mie = 0;
  /** The software-writable part of mip; the rest comes from `lines`. */
  mipSw = 0;
  mtvec = 0;
  mcounteren = 0;
  mscratch = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  stvec = 0;
  scounteren = 0;
  sscratch = 0;
  sepc = 0;
  scause = 0;
  stval = 0;
  satp = 0;
  menvcfg = 0;
  menvcfgh = 0;
  senvcfg = 0;
  mcountinhibit = 0;
  /** Only GVA/MPV, writable (but meaningless) on QEMU 7.2 even without H. */
  mstatush = 0;
  readonly pmpcfg = new Int32Array(4);
  readonly pmpaddr = new Int32Array(16);
  /** Offsets written through mcycle/minstret (the counters keep running from there). */
  cycleDelta = 0;
  instretDelta = 0;
  /** LR reservation: physical address, or -1. */
  resAddr = -1;

  readonly tlbLoad = new Tlb();
  readonly tlbStore = new Tlb();
  readonly tlbFetch = new Tlb();

  /** Called when a store hits a page holding translated code. */
  onCodeWrite: (ramPage: number) => void = () => {};
  /** Handles ECALL from S-mode when the board plays SBI firmware; returns true if handled. */
  sbiEcall: ((x: Int32Array) => boolean) | null = null;

  constructor(
    readonly ram: Ram,
    readonly bus: PhysBus,
    readonly lines: HartLines,
    readonly clock: Clock,
  ) {}

  get cycles(): number { return this.instret + this.idleCycles; }

  reset(pc: number): void {
    this.x.fill(0);
    this.pc = pc | 0;
    this.priv = PRV_M;
    this.fr.u32.fill(0);
    this.fr.fflags = 0;
    this.fr.frm = 0;
    this.mstatus = this.medeleg = this.mideleg = this.mie = this.mipSw = 0;
    this.mtvec = this.mcounteren = this.mscratch = this.mepc = this.mcause = this.mtval = 0;
    this.stvec = this.scounteren = this.sscratch = this.sepc = this.scause = this.stval = this.satp = 0;
    this.menvcfg = this.menvcfgh = this.senvcfg = this.mcountinhibit = this.mstatush = 0;
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.resAddr = -1;
    this.wfi = false;
    this.exit = EXIT_NONE;
    this.flushTlb();
  }

  flushTlb(): void {
    this.codeEpoch++;
    this.tlbLoad.flush();
    this.tlbStore.flush();
    this.tlbFetch.flush();
  }

  get mip(): number { return this.mipSw | this.lines.bits; }

  // ---------------------------------------------------------------- traps

  /** Takes exception `cause` at the current pc. */
  trap(cause: number, tval: number): void {
    this.enterTrap(cause, tval, false);
  }

  private enterTrap(cause: number, tval: number, interrupt: boolean): void {
    const from = this.priv;
    const deleg = interrupt ? this.mideleg : this.medeleg;
    const epc = this.pc & ~1;
    const code = interrupt ? (cause | 0x80000000) : cause;
    if (from <= PRV_S && ((deleg >>> cause) & 1) !== 0) {
      this.scause = code;
      this.sepc = epc;
      this.stval = tval | 0;
      let s = this.mstatus;
      s = (s & MSTATUS_SIE) ? (s | MSTATUS_SPIE) : (s & ~MSTATUS_SPIE);
      s &= ~(MSTATUS_SIE | MSTATUS_SPP);
      if (from === PRV_S) s |= MSTATUS_SPP;
      this.mstatus = s;
      this.pc = tvecTarget(this.stvec, cause, interrupt);
      this.setPriv(PRV_S);
    } else {
      this.mcause = code;
      this.mepc = epc;
      this.mtval = tval | 0;
      let s = this.mstatus;
      s = (s & MSTATUS_MIE) ? (s | MSTATUS_MPIE) : (s & ~MSTATUS_MPIE);
      s = (s & ~(MSTATUS_MIE | MSTATUS_MPP)) | (from << 11);
      this.mstatus = s;
      this.pc = tvecTarget(this.mtvec, cause, interrupt);
      this.setPriv(PRV_M);
    }
    this.exit = EXIT_TRAP;
    this.idleCycles++;
    this.limit--;
  }

  private setPriv(p: number): void {
    if (p !== this.priv) {
      this.priv = p;
      this.flushTlb();
    }
  }

  /** The interrupt to take now, or -1. */
  pendingInterrupt(): number {
    const pending = this.mip & this.mie;
    if (pending === 0) return -1;
    const m = pending & ~this.mideleg;
    const mOn = this.priv < PRV_M || (this.mstatus & MSTATUS_MIE) !== 0;
    const s = pending & this.mideleg;
    const sOn = this.priv < PRV_S || (this.priv === PRV_S && (this.mstatus & MSTATUS_SIE) !== 0);
    // M-level interrupts first; within a level QEMU 7.2 (no AIA) takes the
    // lowest-numbered one.
    const take = ((mOn ? m : 0) || (sOn ? s : 0)) & TAKEABLE_INTS;
    return take === 0 ? -1 : 31 - Math.clz32(take & -take);
  }

  /** Takes a pending, enabled interrupt if there is one. */
  checkInterrupts(): boolean {
    const irq = this.pendingInterrupt();
    if (irq < 0) return false;
    this.wfi = false;
    this.enterTrap(irq, 0, true);
    return true;
  }

  // ---------------------------------------------------------------- translation

  /**
   * Translates `va` for `access` at the effective privilege. Returns the
   * physical address (a non-negative number that may exceed 32 bits), or -1
   * after taking the fault.
   */
  translate(va: number, access: Access): number {
    let priv = this.priv;
    if (access !== Access.Fetch && (this.mstatus & MSTATUS_MPRV) !== 0 && priv === PRV_M) {
      priv = (this.mstatus >>> 11) & 3;
    }
    va >>>= 0;
    if (priv === PRV_M || (this.satp >>> 31) === 0) return va;
    const pageFault = access === Access.Fetch ? Cause.InsnPage : access === Access.Load ? Cause.LoadPage : Cause.StorePage;
    const accessFault = access === Access.Fetch ? Cause.InsnAccess : access === Access.Load ? Cause.LoadAccess : Cause.StoreAccess;
    let table = (this.satp & 0x3fffff) * 4096;
    for (let level = 1; level >= 0; level--) {
      const vpnI = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
      const pteAddr = table + vpnI * 4;
      const off = this.ram.offsetOf(pteAddr, 4);
      if (off < 0) { this.trap(accessFault, va); return -1; }
      let pte = this.ram.i32[off >> 2]!;
      if ((pte & 1) === 0 || ((pte & 2) === 0 && (pte & 4) !== 0)) { this.trap(pageFault, va); return -1; }
      const ppn = pte >>> 10;
      if ((pte & 0xa) === 0) { // pointer to the next level
        if (level === 0) break;
        table = ppn * 4096;
        continue;
      }
      // Leaf: permissions.
      const u = (pte & 0x10) !== 0;
      if (priv === PRV_U ? !u : (u && (access === Access.Fetch || (this.mstatus & MSTATUS_SUM) === 0))) {
        this.trap(pageFault, va); return -1;
      }
      const ok = access === Access.Fetch ? (pte & 8) !== 0
        : access === Access.Store ? (pte & 4) !== 0
          : (pte & 2) !== 0 || ((this.mstatus & MSTATUS_MXR) !== 0 && (pte & 8) !== 0);
      if (!ok) { this.trap(pageFault, va); return -1; }
      if (level === 1 && (ppn & 0x3ff) !== 0) { this.trap(pageFault, va); return -1; }
      // Accessed and dirty bits are set by the walk, as QEMU does.
      const want = access === Access.Store ? 0xc0 : 0x40;
      if ((pte & want) !== want) {
        pte |= want;
        this.ram.i32[off >> 2] = pte;
        if (this.ram.hitsCode(off, 4)) this.onCodeWrite(off >>> 12);
      }
      const pageBase = level === 1 ? (ppn >>> 10) * 0x400000 + (va & 0x3ff000) : ppn * 4096;
      return pageBase + (va & 0xfff);
    }
    this.trap(pageFault, va);
    return -1;
  }

  /** Translates and, when the page is RAM and cacheable, fills the TLB. Returns pa or -1. */
  private translateFill(va: number, access: Access): number {
    const pa = this.translate(va, access);
    if (pa < 0) return -1;
    const off = this.ram.offsetOf(pa, 1);
    if (off >= 0) {
      if (access === Access.Load) this.tlbLoad.install(va, off);
      else if (access === Access.Fetch) this.tlbFetch.install(va, off);
      else if (this.ram.codePage[off >>> 12] === 0) this.tlbStore.install(va, off);
    }
    return pa;
  }

  /** Physical address of the instruction at `pc` for fetching, or -1 after a fault. */
  fetchAddress(pc: number): number {
    const pa = this.translateFill(pc, Access.Fetch);
    if (pa < 0) return -1;
    if (this.ram.offsetOf(pa, 2) < 0) { this.trap(Cause.InsnAccess, pc); return -1; }
    return pa;
  }

  // ---------------------------------------------------------------- loads and stores (slow paths)

  /** Physical address for a data access of `len` bytes at `va`, or -1 after a fault. */
  private dataAddress(va: number, len: number, access: Access): number {
    const pa = this.translateFill(va, access);
    if (pa < 0 || len === 1 || ((va + len - 1) & ~0xfff) === (va & ~0xfff)) return pa;
    // Misaligned across a page: the second page must translate too; a fault
    // there reports the page's first byte, as QEMU does.
    const pa2 = this.translate((va + len - 1) & ~0xfff, access);
    if (pa2 < 0) return -1;
    if (pa2 !== pa - (pa % 4096) + 4096) return -2 - pa; // discontiguous: signalled to the caller
    return pa;
  }

  /** Loads `len` (1, 2, 4) bytes; `signed` selects sign extension for 1 and 2. */
  load(va: number, len: number, signed: boolean): number {
    const pa = this.dataAddress(va, len, Access.Load);
    if (pa === -1) return 0;
    if (pa < -1) return this.loadSplit(va, len, signed);
    return this.loadPhys(pa, va, len, signed);
  }

  private loadSplit(va: number, len: number, signed: boolean): number {
    let v = 0;
    for (let k = 0; k < len; k++) {
      const pa = this.translate((va + k) | 0, Access.Load);
      if (pa < 0) return 0;
      const b = this.loadPhys(pa, va, 1, false);
      if (this.exit === EXIT_TRAP) return 0;
      v |= b << (8 * k);
    }
    return signed ? (len === 1 ? (v << 24) >> 24 : len === 2 ? (v << 16) >> 16 : v) : v;
  }

  private loadPhys(pa: number, va: number, len: number, signed: boolean): number {
    const off = this.ram.offsetOf(pa, len);
    if (off >= 0) {
      const u8 = this.ram.u8;
      if (len === 1) return signed ? this.ram.i8[off]! : u8[off]!;
      if (len === 2) {
        const v = u8[off]! | (u8[off + 1]! << 8);
        return signed ? (v << 16) >> 16 : v;
      }
      return u8[off]! | (u8[off + 1]! << 8) | (u8[off + 2]! << 16) | (u8[off + 3]! << 24);
    }
    const dev = pa < 0x100000000 ? this.bus.find(pa, len) : null;
    if (dev === null) { this.trap(Cause.LoadAccess, va); return 0; }
    this.clock.cycles = this.cycles;
    const v = dev.read(pa - dev.base, len as 1 | 2 | 4);
    if (len === 1) return signed ? (v << 24) >> 24 : v & 0xff;
    if (len === 2) return signed ? (v << 16) >> 16 : v & 0xffff;
    return v | 0;
  }

  store(va: number, len: number, value: number): void {
    const pa = this.dataAddress(va, len, Access.Store);
    if (pa === -1) return;
    if (pa < -1) {
      // Check every byte's page first so a fault leaves memory untouched.
      const pas: number[] = [];
      for (let k = 0; k < len; k++) {
        const p = this.translate((va + k) | 0, Access.Store);
        if (p < 0) return;
        pas.push(p);
      }
      for (let k = 0; k < len; k++) {
        this.storePhys(pas[k]!, va, 1, value >>> (8 * k));
        if (this.exit === EXIT_TRAP) return;
      }
      return;
    }
    this.storePhys(pa, va, len, value);
  }

  private storePhys(pa: number, va: number, len: number, value: number): void {
    const off = this.ram.offsetOf(pa, len);
    if (off >= 0) {
      const u8 = this.ram.u8;
      u8[off] = value;
      if (len > 1) u8[off + 1] = value >>> 8;
      if (len > 2) { u8[off + 2] = value >>> 16; u8[off + 3] = value >>> 24; }
      this.noteWrite(off, len);
      return;
    }
    const dev = pa < 0x100000000 ? this.bus.find(pa, len) : null;
    if (dev === null) { this.trap(Cause.StoreAccess, va); return; }
    this.clock.cycles = this.cycles;
    const mask = len === 4 ? -1 : (1 << (8 * len)) - 1;
    dev.write(pa - dev.base, (value & mask) >>> 0, len as 1 | 2 | 4);
    this.exit = EXIT_RESCHEDULE;
  }

  /** Keeps translated code coherent with stores that reach RAM through slow paths. */
  noteWrite(off: number, len: number): void {
    if (this.ram.hitsCode(off, len)) {
      this.onCodeWrite(off >>> 12);
      const last = (off + len - 1) >>> 12;
      if (last !== off >>> 12) this.onCodeWrite(last);
      this.exit = EXIT_RESCHEDULE;
    }
  }

  /** Ends a translated block after a slow path set `exit` (see translate.ts). */
  leave(k: number, next: number): void {
    if (this.exit === EXIT_TRAP) this.instret += k;
    else { this.pc = next; this.instret += k + 1; }
  }

  // ---------------------------------------------------------------- atomics

  /** LR.W, SC.W and AMO*.W. */
  amo(insn: number): void {
    const rd = (insn >>> 7) & 31;
    const va = this.x[(insn >>> 15) & 31]!;
    const src = this.x[(insn >>> 20) & 31]!;
    const f5 = insn >>> 27;
    if ((insn & 0x7000) !== 0x2000) { this.illegal(insn); return; }
    if (f5 === 2) { // LR.W
      if ((insn >>> 20) & 31) { this.illegal(insn); return; }
      if (va & 3) { this.trap(Cause.LoadMisaligned, va); return; }
      const pa = this.translateFill(va, Access.Load);
      if (pa < 0) return;
      const v = this.loadPhys(pa, va, 4, false);
      if (this.exit === EXIT_TRAP) return;
      this.resAddr = va;
      if (rd) this.x[rd] = v;
      return;
    }
    if (f5 === 3) { // SC.W: like QEMU, fails before any check when the reservation does not match
      const ok = this.resAddr === va;
      this.resAddr = -1;
      if (ok) {
        this.store(va, 4, src);
        if (this.exit === EXIT_TRAP) return;
      }
      if (rd) this.x[rd] = ok ? 0 : 1;
      return;
    }
    // QEMU 7.2 reports a misaligned AMO as a load address misalignment.
    if (va & 3) { this.trap(Cause.LoadMisaligned, va); return; }
    const pa = this.translateFill(va, Access.Store);
    if (pa < 0) return;
    // An AMO to a hole in the address space is a store/AMO access fault.
    if (this.ram.offsetOf(pa, 4) < 0 && (pa >= 0x100000000 || this.bus.find(pa, 4) === null)) {
      this.trap(Cause.StoreAccess, va);
      return;
    }
    const old = this.loadPhys(pa, va, 4, false);
    let v: number;
    switch (f5) {
      case 1: v = src; break; // amoswap
      case 0: v = (old + src) | 0; break;
      case 4: v = old ^ src; break;
      case 12: v = old & src; break;
      case 8: v = old | src; break;
      case 16: v = old < src ? old : src; break; // amomin
      case 20: v = old > src ? old : src; break; // amomax
      case 24: v = (old >>> 0) < (src >>> 0) ? old : src; break; // amominu
      case 28: v = (old >>> 0) > (src >>> 0) ? old : src; break; // amomaxu
      default: this.illegal(insn); return;
    }
    this.storePhys(pa, va, 4, v);
    if (this.exit === EXIT_TRAP) return;
    if (rd) this.x[rd] = old;
  }

  // ---------------------------------------------------------------- floating point

  private fpOff(): boolean { return (this.mstatus & MSTATUS_FS) === 0; }

  /** FLW / FLD. */
  fload(insn: number): void {
    if (this.fpOff()) { this.illegal(insn); return; }
    const rd = (insn >>> 7) & 31;
    const va = (this.x[(insn >>> 15) & 31]! + (insn >> 20)) | 0;
    const f3 = (insn >>> 12) & 7;
    if (f3 === 2) {
      const v = this.load(va, 4, false);
      if (this.exit === EXIT_TRAP) return;
      this.fr.u32[2 * rd] = v;
      this.fr.u32[2 * rd + 1] = 0xffffffff;
    } else if (f3 === 3) {
      const lo = this.load(va, 4, false);
      if (this.exit === EXIT_TRAP) return;
      const hi = this.load((va + 4) | 0, 4, false);
      if (this.exit === EXIT_TRAP) return;
      this.fr.u32[2 * rd] = lo;
      this.fr.u32[2 * rd + 1] = hi;
    } else { this.illegal(insn); return; }
    this.mstatus |= MSTATUS_FS;
  }

  /** FSW / FSD. */
  fstore(insn: number): void {
    if (this.fpOff()) { this.illegal(insn); return; }
    const rs2 = (insn >>> 20) & 31;
    const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
    const va = (this.x[(insn >>> 15) & 31]! + imm) | 0;
    const f3 = (insn >>> 12) & 7;
    if (f3 === 2) {
      this.store(va, 4, this.fr.u32[2 * rs2]!);
    } else if (f3 === 3) {
      // Both words must be writable before either is written.
      if (this.translate(va, Access.Store) < 0 || this.translate((va + 4) | 0, Access.Store) < 0) return;
      this.store(va, 4, this.fr.u32[2 * rs2]!);
      if (this.exit === EXIT_TRAP) return;
      this.store((va + 4) | 0, 4, this.fr.u32[2 * rs2 + 1]!);
    } else this.illegal(insn);
  }

  /** Every other F/D instruction. */
  fop(insn: number): void {
    if (this.fpOff() || execFp(insn, this.fr, this.x) !== 0) { this.illegal(insn); return; }
    // Like QEMU, only a write to an FP register makes the state dirty:
    // compares, fclass, fmv.x.w and conversions to integer write x registers.
    const f7 = insn >>> 25;
    const toX = (insn & 0x7f) === 0x53 && (f7 === 0x50 || f7 === 0x51 || f7 === 0x60 || f7 === 0x61 || f7 === 0x70 || f7 === 0x71);
    if (!toX) this.mstatus |= MSTATUS_FS;
  }

  // ---------------------------------------------------------------- SYSTEM

  illegal(insn: number): void {
    this.trap(Cause.Illegal, insn);
  }

  /**
   * Executes a SYSTEM-major-opcode instruction at `pc`: ECALL, EBREAK, xRET,
   * WFI, SFENCE.VMA, CSR*. Leaves `pc` at the next instruction or the trap
   * handler, and counts the instruction when it retires.
   */
  system(insn: number, len: number): void {
    const f3 = (insn >>> 12) & 7;
    const rd = (insn >>> 7) & 31;
    const rs1 = (insn >>> 15) & 31;
    if (f3 === 0) {
      if (insn === 0x00000073) { // ECALL
        if (this.priv === PRV_S && this.sbiEcall !== null && this.sbiEcall(this.x)) {
          this.retire(len);
          this.exit = EXIT_RESCHEDULE; // the firmware may have armed a timer
          return;
        }
        this.trap(this.priv === PRV_U ? Cause.EcallU : this.priv === PRV_S ? Cause.EcallS : Cause.EcallM, 0);
        return;
      }
      if (insn === 0x00100073) { this.trap(Cause.Breakpoint, 0); return; } // QEMU 7.2: tval 0
      if (insn === 0x30200073) { // MRET
        if (this.priv < PRV_M) { this.illegal(insn); return; }
        const s = this.mstatus;
        const mpp = (s >>> 11) & 3;
        let n = (s & MSTATUS_MPIE) ? (s | MSTATUS_MIE) : (s & ~MSTATUS_MIE);
        // MPRV stays as it is: QEMU 7.2 predates priv 1.12's clearing it on xRET.
        n = (n | MSTATUS_MPIE) & ~MSTATUS_MPP;
        this.mstatus = n;
        this.pc = this.mepc & ~1;
        this.setPriv(mpp === 2 ? PRV_U : mpp); // MPP=2 (no H-mode) is stored as written but never entered
        this.exit = this.afterStateChange();
        this.instret++;
        return;
      }
      if (insn === 0x10200073) { // SRET
        if (this.priv < PRV_S || (this.priv === PRV_S && (this.mstatus & MSTATUS_TSR))) { this.illegal(insn); return; }
        const s = this.mstatus;
        const spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
        let n = (s & MSTATUS_SPIE) ? (s | MSTATUS_SIE) : (s & ~MSTATUS_SIE);
        n = (n | MSTATUS_SPIE) & ~MSTATUS_SPP;
        this.mstatus = n;
        this.pc = this.sepc & ~1;
        this.setPriv(spp);
        this.exit = this.afterStateChange();
        this.instret++;
        return;
      }
      if (insn === 0x10500073) { // WFI
        if (this.priv === PRV_U || (this.priv === PRV_S && (this.mstatus & MSTATUS_TW))) { this.illegal(insn); return; }
        this.wfi = true;
        this.retire(len);
        return;
      }
      if ((insn & 0xfe007fff) === 0x12000073) { // SFENCE.VMA
        if (this.priv === PRV_U || (this.priv === PRV_S && (this.mstatus & MSTATUS_TVM))) { this.illegal(insn); return; }
        this.flushTlb();
        this.retire(len);
        return;
      }
      this.illegal(insn);
      return;
    }
    if (f3 === 4) { this.illegal(insn); return; }
    // CSR instructions.
    const csr = insn >>> 20;
    const imm = f3 >= 5;
    const src = imm ? rs1 : this.x[rs1]!;
    const op = f3 & 3; // 1 = RW, 2 = RS, 3 = RC
    const writes = op === 1 || rs1 !== 0;
    if (!this.csrAccessible(csr, writes)) { this.illegal(insn); return; }
    const old = this.csrRead(csr);
    if (old === undefined) { this.illegal(insn); return; }
    if (writes) {
      const v = op === 1 ? src : op === 2 ? (old | src) : (old & ~src);
      if (!this.csrWrite(csr, v | 0)) { this.illegal(insn); return; }
    }
    if (rd) this.x[rd] = old;
    this.retire(len);
  }

  private retire(len: number): void {
    this.pc = (this.pc + len) | 0;
    this.instret++;
    this.exit = this.afterStateChange();
  }

  /**
   * After a CSR write or xRET: the run loop needs to look only when an
   * interrupt became takeable (or WFI was entered). Kernels toggle SIE around
   * every critical section; sending each toggle to the run loop would cost
   * more than the critical section.
   */
  private afterStateChange(): number {
    return this.wfi || this.pendingInterrupt() >= 0 ? EXIT_RESCHEDULE : EXIT_NONE;
  }

  private csrAccessible(csr: number, writes: boolean): boolean {
    if (((csr >>> 8) & 3) > this.priv) return false;
    if (writes && (csr >>> 10) === 3) return false;
    if (csr === Csr.satp && this.priv === PRV_S && (this.mstatus & MSTATUS_TVM)) return false;
    if (csr <= Csr.fcsr && this.fpOff()) return false;
    if ((csr & 0xf60) === 0xc00 && this.priv < PRV_M) { // user counters, low and high halves
      const bit = 1 << (csr & 31);
      if ((this.mcounteren & bit) === 0) return false;
      if (this.priv === PRV_U && (this.scounteren & bit) === 0) return false;
    }
    return true;
  }

  /** Reads a CSR; undefined if it does not exist. */
  csrRead(csr: number): number | undefined {
    switch (csr) {
      case Csr.fflags: return this.fr.fflags;
      case Csr.frm: return this.fr.frm;
      case Csr.fcsr: return (this.fr.frm << 5) | this.fr.fflags;
      case Csr.cycle: case Csr.mcycle: return lo32(this.cycles + this.cycleDelta);
      case Csr.cycleh: case Csr.mcycleh: return hi32(this.cycles + this.cycleDelta);
      case Csr.instret: case Csr.minstret: return lo32(this.instret + this.instretDelta);
      case Csr.instreth: case Csr.minstreth: return hi32(this.instret + this.instretDelta);
      case Csr.time: this.clock.cycles = this.cycles; return lo32(this.clock.mtime());
      case Csr.timeh: this.clock.cycles = this.cycles; return hi32(this.clock.mtime());
      case Csr.sstatus: return withSd(this.mstatus) & SSTATUS_MASK;
      case Csr.sie: return this.mie & this.mideleg & S_VISIBLE;
      case Csr.stvec: return this.stvec;
      case Csr.scounteren: return this.scounteren;
      case Csr.senvcfg: return this.senvcfg;
      case Csr.sscratch: return this.sscratch;
      case Csr.sepc: return this.sepc;
      case Csr.scause: return this.scause;
      case Csr.stval: return this.stval;
      case Csr.sip: return this.mip & this.mideleg & S_VISIBLE;
      case Csr.satp: return this.satp;
      case Csr.mstatus: return withSd(this.mstatus);
      case Csr.misa: return MISA;
      case Csr.medeleg: return this.medeleg;
      case Csr.mideleg: return this.mideleg;
      case Csr.mie: return this.mie;
      case Csr.mtvec: return this.mtvec;
      case Csr.mcounteren: return this.mcounteren;
      case Csr.menvcfg: return this.menvcfg;
      case Csr.menvcfgh: return this.menvcfgh;
      case Csr.mstatush: return this.mstatush;
      case Csr.mcountinhibit: return this.mcountinhibit;
      case Csr.mscratch: return this.mscratch;
      case Csr.mepc: return this.mepc;
      case Csr.mcause: return this.mcause;
      case Csr.mtval: return this.mtval;
      case Csr.mip: return this.mip;
      case Csr.mvendorid: return MVENDORID;
      case Csr.marchid: return MARCHID;
      case Csr.mimpid: return MIMPID;
      case Csr.mhartid: return 0;
      case Csr.mconfigptr: return 0;
    }
    if (csr >= Csr.pmpcfg0 && csr < Csr.pmpcfg0 + 4) return this.pmpcfg[csr - Csr.pmpcfg0]!;
    if (csr >= Csr.pmpaddr0 && csr < Csr.pmpaddr0 + 16) return this.pmpaddr[csr - Csr.pmpaddr0]!;
    // Unimplemented performance counters and their events read as zero.
    if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f)) return 0;
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f)) return 0;
    if (csr >= 0x323 && csr <= 0x33f) return 0;
    return undefined;
  }

  /** Writes a CSR (access already checked); false if it does not exist. */
  csrWrite(csr: number, v: number): boolean {
    switch (csr) {
      case Csr.fflags: this.fr.fflags = v & 31; this.mstatus |= MSTATUS_FS; return true;
      case Csr.frm: this.fr.frm = v & 7; this.mstatus |= MSTATUS_FS; return true;
      case Csr.fcsr: this.fr.fflags = v & 31; this.fr.frm = (v >>> 5) & 7; this.mstatus |= MSTATUS_FS; return true;
      case Csr.mcycle: this.cycleDelta = setLo(this.cycles + this.cycleDelta, v) - this.cycles; return true;
      case Csr.mcycleh: this.cycleDelta = setHi(this.cycles + this.cycleDelta, v) - this.cycles; return true;
      case Csr.minstret: this.instretDelta = setLo(this.instret + this.instretDelta, v) - this.instret - 1; return true;
      case Csr.minstreth: this.instretDelta = setHi(this.instret + this.instretDelta, v) - this.instret - 1; return true;
      case Csr.sstatus: this.writeMstatus((this.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK)); return true;
      case Csr.sie: {
        const m = this.mideleg & S_VISIBLE;
        this.mie = (this.mie & ~m) | (v & m);
        return true;
      }
      case Csr.stvec: if ((v & 3) < 2) this.stvec = v; return true;
      case Csr.scounteren: this.scounteren = v; return true;
      case Csr.senvcfg: this.senvcfg = v & 0xf1; return true;
      case Csr.sscratch: this.sscratch = v; return true;
      case Csr.sepc: this.sepc = v; return true;
      case Csr.scause: this.scause = v; return true;
      case Csr.stval: this.stval = v; return true;
      case Csr.sip: {
        const m = this.mideleg & (MIP_SSIP | LCOFI);
        this.mipSw = (this.mipSw & ~m) | (v & m);
        return true;
      }
      case Csr.satp:
        if ((v >>> 31) === 1 || v === 0 || (v >>> 31) === 0) {
          this.satp = v;
          this.flushTlb();
        }
        return true;
      case Csr.mstatus: this.writeMstatus(v); return true;
      case Csr.misa: return true; // fixed
      case Csr.medeleg: this.medeleg = v & DELEGABLE_EXC; return true;
      case Csr.mideleg: this.mideleg = v & DELEGABLE_INTS; return true;
      case Csr.mie: this.mie = v & ALL_INTS; return true;
      case Csr.mtvec: if ((v & 3) < 2) this.mtvec = v; return true;
      case Csr.mcounteren: this.mcounteren = v; return true;
      case Csr.menvcfg: this.menvcfg = v & 0xf1; return true;
      case Csr.menvcfgh: return true;
      case Csr.mstatush: this.mstatush = v & 0xc0; return true;
      case Csr.mcountinhibit: this.mcountinhibit = v; return true;
      case Csr.mscratch: this.mscratch = v; return true;
      case Csr.mepc: this.mepc = v; return true;
      case Csr.mcause: this.mcause = v; return true;
      case Csr.mtval: this.mtval = v; return true;
      case Csr.mip: this.mipSw = (this.mipSw & ~DELEGABLE_INTS) | (v & DELEGABLE_INTS); return true;
    }
    if (csr >= Csr.pmpcfg0 && csr < Csr.pmpcfg0 + 4) { this.pmpcfg[csr - Csr.pmpcfg0] = v; return true; }
    if (csr >= Csr.pmpaddr0 && csr < Csr.pmpaddr0 + 16) { this.pmpaddr[csr - Csr.pmpaddr0] = v; return true; }
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f)) return true;
    if (csr >= 0x323 && csr <= 0x33f) return true;
    return this.csrRead(csr) !== undefined;
  }

  private writeMstatus(v: number): void {
    const n = (this.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
    const ctx = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR;
    if ((n & ctx) !== (this.mstatus & ctx)) this.flushTlb();
    this.mstatus = n;
  }

  // ---------------------------------------------------------------- snapshots

  save(w: StateWriter): void {
    w.tag('hart');
    w.u32array(this.x);
    w.i32(this.pc);
    w.u8(this.priv);
    w.u32array(this.fr.u32);
    w.u8(this.fr.fflags);
    w.u8(this.fr.frm);
    w.u53(this.instret);
    w.u53(this.idleCycles);
    w.bool(this.wfi);
    for (const v of this.csrWords()) w.i32(v);
    w.u32array(this.pmpcfg);
    w.u32array(this.pmpaddr);
    w.f64(this.cycleDelta);
    w.f64(this.instretDelta);
    w.f64(this.resAddr);
  }

  restore(r: StateReader): void {
    r.tag('hart');
    r.u32arrayInto(this.x);
    this.pc = r.i32();
    this.priv = r.u8();
    r.u32arrayInto(this.fr.u32);
    this.fr.fflags = r.u8();
    this.fr.frm = r.u8();
    this.instret = r.u53();
    this.idleCycles = r.u53();
    this.wfi = r.bool();
    const v = this.csrWords().map(() => r.i32());
    [this.mstatus, this.medeleg, this.mideleg, this.mie, this.mipSw, this.mtvec, this.mcounteren, this.mscratch,
      this.mepc, this.mcause, this.mtval, this.stvec, this.scounteren, this.sscratch, this.sepc, this.scause,
      this.stval, this.satp, this.menvcfg, this.menvcfgh, this.senvcfg, this.mcountinhibit, this.mstatush] = v as [
      number, number, number, number, number, number, number, number, number, number, number, number, number,
      number, number, number, number, number, number, number, number, number, number];
    r.u32arrayInto(this.pmpcfg);
    r.u32arrayInto(this.pmpaddr);
    this.cycleDelta = r.f64();
    this.instretDelta = r.f64();
    this.resAddr = r.f64();
    this.exit = EXIT_NONE;
    this.flushTlb();
  }

  private csrWords(): number[] {
    return [this.mstatus, this.medeleg, this.mideleg, this.mie, this.mipSw, this.mtvec, this.mcounteren,
      this.mscratch, this.mepc, this.mcause, this.mtval, this.stvec, this.scounteren, this.sscratch, this.sepc,
      this.scause, this.stval, this.satp, this.menvcfg, this.menvcfgh, this.senvcfg, this.mcountinhibit, this.mstatush];
  }
}

function tvecTarget(tvec: number, cause: number, interrupt: boolean): number {
  const base = tvec & ~3;
  return (interrupt && (tvec & 3) === 1) ? (base + 4 * cause) | 0 : base;
}

function withSd(s: number): number {
  const dirty = (s & MSTATUS_FS) === MSTATUS_FS || (s & MSTATUS_VS) === MSTATUS_VS;
  return dirty ? (s | MSTATUS_SD) : (s & ~MSTATUS_SD);
}

const lo32 = (v: number): number => (v % 0x100000000) | 0;
const hi32 = (v: number): number => Math.floor(v / 0x100000000) | 0;
const setLo = (cur: number, v: number): number => Math.floor(cur / 0x100000000) * 0x100000000 + (v >>> 0);
const setHi = (cur: number, v: number): number => (v >>> 0) * 0x100000000 + (cur % 0x100000000);

export { RAM_BASE };
