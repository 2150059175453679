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
import { FpRegs, execFp } from './fpu.ts';
import { csrAccessible, csrRead, csrWrite } from './csr-file.ts';
import { Tlb } from './tlb.ts';

export { MARCHID, MIMPID, MVENDORID } from './csr-file.ts';

// Module-local bindings: where TypeScript runs through a loader that turns
// imports into getter calls (tsx), the slow paths below would pay for them.
const {
  Cause, Csr, MSTATUS_FS, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_MXR,
  MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW,
  PRV_M, PRV_S, PRV_U,
} = csrDefs;

export const enum Access { Load = 0, Store = 1, Fetch = 2 }

/** Exits of translated code. */
export const EXIT_NONE = 0;
export const EXIT_TRAP = 1;
export const EXIT_RESCHEDULE = 2;

/** The standard interrupts this hart can take (no VS interrupts without H). */
const TAKEABLE_INTS = MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MSIP | MIP_MTIP | MIP_MEIP | (1 << 13);

export class Hart {
  /**
   * The registers. The buffer has a 33rd word that the interpreter uses as
   * the destination of writes to x0, so it needs no test for rd = 0.
   */
  readonly x = new Int32Array(new ArrayBuffer(33 * 4), 0, 32);
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
  ) {
    // V8 with pointer compression (browsers) keeps integers of up to 31 bits
    // unboxed in a field and widens the field to a double the first time it
    // holds a larger one, which changes the object's shape and throws away
    // every optimised function that had seen the old one (the interpreter, the
    // executor, the slow paths), one field at a time as a boot reaches them.
    // Addresses and CSRs hold full 32-bit values: give them the wide shape at
    // once, before anything is optimised.
    const wide = -0x80000000;
    this.pc = this.resAddr = this.idleCycles = wide;
    this.mstatus = this.medeleg = this.mideleg = this.mie = this.mipSw = this.mtvec = this.mcounteren = wide;
    this.mscratch = this.mepc = this.mcause = this.mtval = this.stvec = this.scounteren = this.sscratch = wide;
    this.sepc = this.scause = this.stval = this.satp = this.menvcfg = this.menvcfgh = this.senvcfg = wide;
    this.mcountinhibit = this.mstatush = this.cycleDelta = this.instretDelta = wide;
    this.reset(0);
    this.idleCycles = this.cycleDelta = this.instretDelta = 0;
  }

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

  /**
   * The slow paths of translated loads and stores, in one call each so the
   * generated source (which V8 parses and compiles for every block) stays
   * small: the instruction at p + off, the k-th of its block, ends at p + next;
   * when the access traps or asks the run loop to look, the block leaves.
   */
  ldx(va: number, len: number, signed: boolean, p: number, off: number, k: number, next: number): number {
    this.pc = (p + off) | 0;
    const v = this.load(va, len, signed);
    if (this.exit !== 0) this.leave(k, (p + next) | 0);
    return v;
  }

  stx(va: number, len: number, value: number, p: number, off: number, k: number, next: number): void {
    this.pc = (p + off) | 0;
    this.store(va, len, value);
    if (this.exit !== 0) this.leave(k, (p + next) | 0);
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
    if (!csrAccessible(this, csr, writes)) { this.illegal(insn); return; }
    const old = csrRead(this, csr);
    if (old === undefined) { this.illegal(insn); return; }
    if (writes) {
      // mip's SEIP (and the other line-driven bits) read as the OR of the
      // software-written bit and the interrupt controller's line, but only the
      // software bit takes part in CSRRS/CSRRC (privileged spec, "mip"): a set
      // of another bit must not latch the PLIC's line into the software bit.
      const base = csr === Csr.mip ? this.mipSw : old;
      const v = op === 1 ? src : op === 2 ? (base | src) : (base & ~src);
      if (!csrWrite(this, csr, v | 0)) { this.illegal(insn); return; }
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


export { RAM_BASE };
