// The CSR file: which CSRs exist, who may access them, and their WARL
// behaviour. The masks follow QEMU 7.2 rather than the minimum the spec allows
// (hypervisor and LCOFI bits are writable even without the H extension), so a
// guest probing them reads what it reads on QEMU.
import { MIP_MEIP, MIP_MSIP, MIP_MTIP, MIP_SEIP, MIP_SSIP, MIP_STIP } from '../irq.ts';
import {
  Csr, MISA, MSTATUS_FS, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, MSTATUS_MXR, MSTATUS_SD,
  MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_SUM, MSTATUS_TSR, MSTATUS_TVM, MSTATUS_TW, MSTATUS_VS, PRV_M,
  PRV_S, PRV_U,
} from './csr.ts';
import type { Hart } from './hart.ts';

/** QEMU 7.2 identification values, so guests see the same machine. */
export const MVENDORID = 0;
export const MARCHID = 0x70216;
export const MIMPID = 0x70216;

const MSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPRV |
  MSTATUS_SUM | MSTATUS_MPP | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW | MSTATUS_VS | MSTATUS_FS;
const SSTATUS_MASK = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | MSTATUS_SUM |
  MSTATUS_MXR | MSTATUS_SD;
const VS_INTS = (1 << 2) | (1 << 6) | (1 << 10);
const LCOFI = 1 << 13;
/** Interrupts mideleg can delegate, and the software-writable mip bits. */
const DELEGABLE_INTS = MIP_SSIP | MIP_STIP | MIP_SEIP | VS_INTS | LCOFI;
const ALL_INTS = DELEGABLE_INTS | MIP_MSIP | MIP_MTIP | MIP_MEIP;
/** What sie/sip show of the delegated interrupts. */
const S_VISIBLE = MIP_SSIP | MIP_STIP | MIP_SEIP | LCOFI;
/** Exceptions medeleg can delegate. */
const DELEGABLE_EXC = 0x00f0bfff;

export function csrAccessible(h: Hart, csr: number, writes: boolean): boolean {
  if (((csr >>> 8) & 3) > h.priv) return false;
  if (writes && (csr >>> 10) === 3) return false;
  if (csr === Csr.satp && h.priv === PRV_S && (h.mstatus & MSTATUS_TVM)) return false;
  if (csr <= Csr.fcsr && (h.mstatus & MSTATUS_FS) === 0) return false;
  if ((csr & 0xf60) === 0xc00 && h.priv < PRV_M) { // user counters, low and high halves
    const bit = 1 << (csr & 31);
    if ((h.mcounteren & bit) === 0) return false;
    if (h.priv === PRV_U && (h.scounteren & bit) === 0) return false;
  }
  return true;
}

/** Reads a CSR; undefined if it does not exist. */
export function csrRead(h: Hart, csr: number): number | undefined {
  switch (csr) {
    case Csr.fflags: return h.fr.fflags;
    case Csr.frm: return h.fr.frm;
    case Csr.fcsr: return (h.fr.frm << 5) | h.fr.fflags;
    case Csr.cycle: case Csr.mcycle: return lo32(h.cycles + h.cycleDelta);
    case Csr.cycleh: case Csr.mcycleh: return hi32(h.cycles + h.cycleDelta);
    case Csr.instret: case Csr.minstret: return lo32(h.instret + h.instretDelta);
    case Csr.instreth: case Csr.minstreth: return hi32(h.instret + h.instretDelta);
    case Csr.time: h.clock.cycles = h.cycles; return lo32(h.clock.mtime());
    case Csr.timeh: h.clock.cycles = h.cycles; return hi32(h.clock.mtime());
    case Csr.sstatus: return withSd(h.mstatus) & SSTATUS_MASK;
    case Csr.sie: return h.mie & h.mideleg & S_VISIBLE;
    case Csr.stvec: return h.stvec;
    case Csr.scounteren: return h.scounteren;
    case Csr.senvcfg: return h.senvcfg;
    case Csr.sscratch: return h.sscratch;
    case Csr.sepc: return h.sepc;
    case Csr.scause: return h.scause;
    case Csr.stval: return h.stval;
    case Csr.sip: return h.mip & h.mideleg & S_VISIBLE;
    case Csr.satp: return h.satp;
    case Csr.mstatus: return withSd(h.mstatus);
    case Csr.misa: return MISA;
    case Csr.medeleg: return h.medeleg;
    case Csr.mideleg: return h.mideleg;
    case Csr.mie: return h.mie;
    case Csr.mtvec: return h.mtvec;
    case Csr.mcounteren: return h.mcounteren;
    case Csr.menvcfg: return h.menvcfg;
    case Csr.menvcfgh: return h.menvcfgh;
    case Csr.mstatush: return h.mstatush;
    case Csr.mcountinhibit: return h.mcountinhibit;
    case Csr.mscratch: return h.mscratch;
    case Csr.mepc: return h.mepc;
    case Csr.mcause: return h.mcause;
    case Csr.mtval: return h.mtval;
    case Csr.mip: return h.mip;
    case Csr.mvendorid: return MVENDORID;
    case Csr.marchid: return MARCHID;
    case Csr.mimpid: return MIMPID;
    case Csr.mhartid: return 0;
    case Csr.mconfigptr: return 0;
  }
  if (csr >= Csr.pmpcfg0 && csr < Csr.pmpcfg0 + 4) return h.pmpcfg[csr - Csr.pmpcfg0]!;
  if (csr >= Csr.pmpaddr0 && csr < Csr.pmpaddr0 + 16) return h.pmpaddr[csr - Csr.pmpaddr0]!;
  // Unimplemented performance counters and their events read as zero.
  if ((csr >= 0xc03 && csr <= 0xc1f) || (csr >= 0xc83 && csr <= 0xc9f)) return 0;
  if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f)) return 0;
  if (csr >= 0x323 && csr <= 0x33f) return 0;
  return undefined;
}

/** Writes a CSR (access already checked); false if it does not exist. */
export function csrWrite(h: Hart, csr: number, v: number): boolean {
  switch (csr) {
    case Csr.fflags: h.fr.fflags = v & 31; h.mstatus |= MSTATUS_FS; return true;
    case Csr.frm: h.fr.frm = v & 7; h.mstatus |= MSTATUS_FS; return true;
    case Csr.fcsr: h.fr.fflags = v & 31; h.fr.frm = (v >>> 5) & 7; h.mstatus |= MSTATUS_FS; return true;
    case Csr.mcycle: h.cycleDelta = setLo(h.cycles + h.cycleDelta, v) - h.cycles; return true;
    case Csr.mcycleh: h.cycleDelta = setHi(h.cycles + h.cycleDelta, v) - h.cycles; return true;
    case Csr.minstret: h.instretDelta = setLo(h.instret + h.instretDelta, v) - h.instret - 1; return true;
    case Csr.minstreth: h.instretDelta = setHi(h.instret + h.instretDelta, v) - h.instret - 1; return true;
    case Csr.sstatus: writeMstatus(h, (h.mstatus & ~SSTATUS_MASK) | (v & SSTATUS_MASK)); return true;
    case Csr.sie: {
      const m = h.mideleg & S_VISIBLE;
      h.mie = (h.mie & ~m) | (v & m);
      return true;
    }
    case Csr.stvec: if ((v & 3) < 2) h.stvec = v; return true;
    case Csr.scounteren: h.scounteren = v; return true;
    case Csr.senvcfg: h.senvcfg = v & 0xf1; return true;
    case Csr.sscratch: h.sscratch = v; return true;
    case Csr.sepc: h.sepc = v; return true;
    case Csr.scause: h.scause = v; return true;
    case Csr.stval: h.stval = v; return true;
    case Csr.sip: {
      const m = h.mideleg & (MIP_SSIP | LCOFI);
      h.mipSw = (h.mipSw & ~m) | (v & m);
      return true;
    }
    case Csr.satp:
      if ((v >>> 31) === 1 || v === 0 || (v >>> 31) === 0) {
        h.satp = v;
        h.flushTlb();
      }
      return true;
    case Csr.mstatus: writeMstatus(h, v); return true;
    case Csr.misa: return true; // fixed
    case Csr.medeleg: h.medeleg = v & DELEGABLE_EXC; return true;
    case Csr.mideleg: h.mideleg = v & DELEGABLE_INTS; return true;
    case Csr.mie: h.mie = v & ALL_INTS; return true;
    case Csr.mtvec: if ((v & 3) < 2) h.mtvec = v; return true;
    case Csr.mcounteren: h.mcounteren = v; return true;
    case Csr.menvcfg: h.menvcfg = v & 0xf1; return true;
    case Csr.menvcfgh: return true;
    case Csr.mstatush: h.mstatush = v & 0xc0; return true;
    case Csr.mcountinhibit: h.mcountinhibit = v; return true;
    case Csr.mscratch: h.mscratch = v; return true;
    case Csr.mepc: h.mepc = v; return true;
    case Csr.mcause: h.mcause = v; return true;
    case Csr.mtval: h.mtval = v; return true;
    case Csr.mip: h.mipSw = (h.mipSw & ~DELEGABLE_INTS) | (v & DELEGABLE_INTS); return true;
  }
  if (csr >= Csr.pmpcfg0 && csr < Csr.pmpcfg0 + 4) { h.pmpcfg[csr - Csr.pmpcfg0] = v; return true; }
  if (csr >= Csr.pmpaddr0 && csr < Csr.pmpaddr0 + 16) { h.pmpaddr[csr - Csr.pmpaddr0] = v; return true; }
  if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0xb83 && csr <= 0xb9f)) return true;
  if (csr >= 0x323 && csr <= 0x33f) return true;
  return csrRead(h, csr) !== undefined;
}

function writeMstatus(h: Hart, v: number): void {
  const n = (h.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  const ctx = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM | MSTATUS_MXR;
  if ((n & ctx) !== (h.mstatus & ctx)) h.flushTlb();
  h.mstatus = n;
}

function withSd(s: number): number {
  const dirty = (s & MSTATUS_FS) === MSTATUS_FS || (s & MSTATUS_VS) === MSTATUS_VS;
  return dirty ? (s | MSTATUS_SD) : (s & ~MSTATUS_SD);
}

const lo32 = (v: number): number => (v % 0x100000000) | 0;
const hi32 = (v: number): number => Math.floor(v / 0x100000000) | 0;
const setLo = (cur: number, v: number): number => Math.floor(cur / 0x100000000) * 0x100000000 + (v >>> 0);
const setHi = (cur: number, v: number): number => (v >>> 0) * 0x100000000 + (cur % 0x100000000);
