// CSR numbers and mstatus fields used by the hart (RISC-V privileged spec 1.12).

export const enum Csr {
  fflags = 0x001, frm = 0x002, fcsr = 0x003,
  cycle = 0xc00, time = 0xc01, instret = 0xc02,
  cycleh = 0xc80, timeh = 0xc81, instreth = 0xc82,
  sstatus = 0x100, sie = 0x104, stvec = 0x105, scounteren = 0x106, senvcfg = 0x10a,
  sscratch = 0x140, sepc = 0x141, scause = 0x142, stval = 0x143, sip = 0x144, satp = 0x180,
  mstatus = 0x300, misa = 0x301, medeleg = 0x302, mideleg = 0x303, mie = 0x304, mtvec = 0x305,
  mcounteren = 0x306, menvcfg = 0x30a, mstatush = 0x310, menvcfgh = 0x31a, mcountinhibit = 0x320,
  mscratch = 0x340, mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344,
  pmpcfg0 = 0x3a0, pmpaddr0 = 0x3b0,
  mcycle = 0xb00, minstret = 0xb02, mcycleh = 0xb80, minstreth = 0xb82,
  mvendorid = 0xf11, marchid = 0xf12, mimpid = 0xf13, mhartid = 0xf14, mconfigptr = 0xf15,
}

export const MSTATUS_SIE = 1 << 1;
export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_SPIE = 1 << 5;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_SPP = 1 << 8;
export const MSTATUS_VS = 3 << 9;
export const MSTATUS_MPP = 3 << 11;
export const MSTATUS_FS = 3 << 13;
export const MSTATUS_XS = 3 << 15;
export const MSTATUS_MPRV = 1 << 17;
export const MSTATUS_SUM = 1 << 18;
export const MSTATUS_MXR = 1 << 19;
export const MSTATUS_TVM = 1 << 20;
export const MSTATUS_TW = 1 << 21;
export const MSTATUS_TSR = 1 << 22;
export const MSTATUS_SD = 1 << 31;

export const PRV_U = 0;
export const PRV_S = 1;
export const PRV_M = 3;

/** Exception causes. */
export const Cause = {
  InsnMisaligned: 0, InsnAccess: 1, Illegal: 2, Breakpoint: 3,
  LoadMisaligned: 4, LoadAccess: 5, StoreMisaligned: 6, StoreAccess: 7,
  EcallU: 8, EcallS: 9, EcallM: 11,
  InsnPage: 12, LoadPage: 13, StorePage: 15,
} as const;

/** misa for rv32gc as QEMU reports it: MXL=1, extensions A C D F I M S U. */
export const MISA = (1 << 30) | [0, 2, 3, 5, 8, 12, 18, 20].reduce((m, b) => m | (1 << b), 0);
