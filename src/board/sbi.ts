// The board's built-in SBI firmware (SBI spec v2.0). With `bios: 'sbi'` the
// board starts the image in S-mode and answers its ECALLs here instead of
// running OpenSBI in M-mode, so a kernel boots without firmware in the image.
//
// The board has exactly one hart, id 0; hart masks and hart ids are checked
// against that. Everything the guest passes is untrusted: bad arguments
// become SBI error codes, never exceptions.

/** What the SBI implementation needs from the board. */
export interface SbiPlatform {
  /** To the UART's output stream. */
  consolePut(bytes: Uint8Array): void;
  /** Next input byte or -1. */
  consoleGet(): number;
  /** Arm the S-mode timer (STIP raised when mtime >= ticks; clears STIP now). */
  setTimer(ticks: number): void;
  /** Sets SSIP on hart 0. */
  sendSoftIrq(): void;
  /** Flush TLB and decode caches. */
  remoteFence(): void;
  reset(kind: 'shutdown' | 'cold' | 'warm', reason: number): void;
  /** null if [addr, addr+len) is not RAM. */
  readPhys(addr: number, len: number): Uint8Array | null;
  writePhys(addr: number, data: Uint8Array): boolean;
  /**
   * Optional: stop hart 0 for good (HSM hart_stop). With a single hart nothing
   * can start it again, so the board just idles forever. Without it hart_stop
   * reports SBI_ERR_FAILED, which the spec allows.
   */
  stopHart?(): void;
  mvendorid: number;
  marchid: number;
  mimpid: number;
}

export const SBI_SUCCESS = 0;
export const SBI_ERR_FAILED = -1;
export const SBI_ERR_NOT_SUPPORTED = -2;
export const SBI_ERR_INVALID_PARAM = -3;
export const SBI_ERR_DENIED = -4;
export const SBI_ERR_INVALID_ADDRESS = -5;
export const SBI_ERR_ALREADY_AVAILABLE = -6;
export const SBI_ERR_ALREADY_STARTED = -7;
export const SBI_ERR_ALREADY_STOPPED = -8;

/** Extension ids. */
export const EID_LEGACY_SET_TIMER = 0x00;
export const EID_LEGACY_PUTCHAR = 0x01;
export const EID_LEGACY_GETCHAR = 0x02;
export const EID_LEGACY_SHUTDOWN = 0x08;
export const EID_BASE = 0x10;
export const EID_TIME = 0x54494d45; // "TIME"
export const EID_IPI = 0x735049; // "sPI"
export const EID_RFENCE = 0x52464e43; // "RFNC"
export const EID_HSM = 0x48534d; // "HSM"
export const EID_SRST = 0x53525354; // "SRST"
export const EID_DBCN = 0x4442434e; // "DBCN"

/** v2.0: major in bits 24..30, minor in bits 0..23. */
export const SBI_SPEC_VERSION = 0x02000000;
/**
 * "WasmOS board". Not in the spec's registry of implementation ids (0..11 at
 * v2.0); the ASCII of "WASM" keeps it far from the sequentially assigned ones.
 */
export const SBI_IMPL_ID = 0x5741534d;
/** Implementation version 0.1 (major << 16 | minor). */
export const SBI_IMPL_VERSION = 0x00000001;

export const HSM_STARTED = 0;
const HSM_SUSPEND_RETENTIVE = 0x00000000;
const HSM_SUSPEND_NON_RETENTIVE = 0x80000000;

const SRST_TYPES = ['shutdown', 'cold', 'warm'] as const;
const SRST_REASON_NONE = 0;
const SRST_REASON_FAILURE = 1;
const SRST_REASON_IMPL_FIRST = 0xe0000000;
const SRST_REASON_IMPL_LAST = 0xefffffff;

/** Debug console transfers are cut to this size; the spec lets callers retry partial transfers. */
export const DBCN_MAX_CHUNK = 0x10000;

const IMPLEMENTED = new Set([
  EID_LEGACY_SET_TIMER, EID_LEGACY_PUTCHAR, EID_LEGACY_GETCHAR, EID_LEGACY_SHUTDOWN,
  EID_BASE, EID_TIME, EID_IPI, EID_RFENCE, EID_HSM, EID_SRST, EID_DBCN,
]);

const A0 = 10, A1 = 11, A2 = 12, A6 = 16, A7 = 17;
const TWO_32 = 0x1_0000_0000;

/** What a call returns: an SBI error and value, legacy a0 only, or nothing (it did not return). */
type Result = { error: number; value: number } | { legacy: number } | null;

const ok = (value = 0): Result => ({ error: SBI_SUCCESS, value });
const err = (error: number): Result => ({ error, value: 0 });

/**
 * Handles an ECALL from S-mode: eid in a7 (x17), fid in a6 (x16), args a0..a5
 * (x10..x15); writes a0 (error) and a1 (value) like the SBI spec (legacy
 * extensions write only a0). A successful system reset writes nothing: the
 * platform has already taken the machine down.
 */
export function sbiCall(x: Int32Array, p: SbiPlatform): void {
  const r = dispatch(x, p);
  if (r === null) return;
  if ('legacy' in r) {
    x[A0] = r.legacy;
  } else {
    x[A0] = r.error;
    x[A1] = r.value;
  }
}

function dispatch(x: Int32Array, p: SbiPlatform): Result {
  const eid = x[A7]! >>> 0;
  const fid = x[A6]! >>> 0;
  const a = (i: number): number => x[A0 + i]! >>> 0;
  switch (eid) {
    case EID_LEGACY_SET_TIMER: p.setTimer(a(0) + a(1) * TWO_32); return { legacy: 0 };
    case EID_LEGACY_PUTCHAR: p.consolePut(Uint8Array.of(a(0) & 0xff)); return { legacy: 0 };
    case EID_LEGACY_GETCHAR: return { legacy: p.consoleGet() };
    case EID_LEGACY_SHUTDOWN: p.reset('shutdown', SRST_REASON_NONE); return null;
    case EID_BASE: return base(fid, a(0), p);
    case EID_TIME:
      if (fid !== 0) return err(SBI_ERR_NOT_SUPPORTED);
      p.setTimer(a(0) + a(1) * TWO_32);
      return ok();
    case EID_IPI: {
      if (fid !== 0) return err(SBI_ERR_NOT_SUPPORTED);
      const t = targetsHart0(a(0), a(1));
      if (t === null) return err(SBI_ERR_INVALID_PARAM);
      if (t) p.sendSoftIrq();
      return ok();
    }
    case EID_RFENCE: return rfence(fid, a(0), a(1), p);
    case EID_HSM: return hsm(fid, a(0), p);
    case EID_SRST: return fid === 0 ? systemReset(a(0), a(1), p) : err(SBI_ERR_NOT_SUPPORTED);
    case EID_DBCN: return debugConsole(fid, a(0), a(1), a(2), p);
    default:
      // Unimplemented legacy calls (0x03..0x0f) write only a0, like real firmware.
      return eid <= 0x0f ? { legacy: SBI_ERR_NOT_SUPPORTED } : err(SBI_ERR_NOT_SUPPORTED);
  }
}

function base(fid: number, arg: number, p: SbiPlatform): Result {
  switch (fid) {
    case 0: return ok(SBI_SPEC_VERSION);
    case 1: return ok(SBI_IMPL_ID);
    case 2: return ok(SBI_IMPL_VERSION);
    case 3: return ok(IMPLEMENTED.has(arg) ? 1 : 0);
    case 4: return ok(p.mvendorid | 0);
    case 5: return ok(p.marchid | 0);
    case 6: return ok(p.mimpid | 0);
    default: return err(SBI_ERR_NOT_SUPPORTED);
  }
}

/**
 * Whether a hart mask selects hart 0 (the only hart): true/false, or null when
 * it names a hart that does not exist (base -1 means "all harts").
 */
function targetsHart0(mask: number, maskBase: number): boolean | null {
  if (maskBase === 0xffffffff) return true;
  if (maskBase !== 0) return null;
  if (mask === 0) return false;
  return mask === 1 ? true : null;
}

function rfence(fid: number, mask: number, maskBase: number, p: SbiPlatform): Result {
  // FENCE.I and SFENCE.VMA (with or without ASID). The board flushes
  // everything, which covers any range or ASID, so no range is ever invalid.
  if (fid <= 2) {
    const t = targetsHart0(mask, maskBase);
    if (t === null) return err(SBI_ERR_INVALID_PARAM);
    if (t) p.remoteFence();
    return ok();
  }
  // 3..6 are the HFENCE calls: the hart has no hypervisor extension.
  return err(SBI_ERR_NOT_SUPPORTED);
}

function hsm(fid: number, arg0: number, p: SbiPlatform): Result {
  switch (fid) {
    case 0: // hart_start(hartid, start_addr, opaque)
      return err(arg0 === 0 ? SBI_ERR_ALREADY_AVAILABLE : SBI_ERR_INVALID_PARAM);
    case 1: // hart_stop(): does not return when it works
      if (!p.stopHart) return err(SBI_ERR_FAILED);
      p.stopHart();
      return null;
    case 2: // hart_get_status(hartid)
      return arg0 === 0 ? ok(HSM_STARTED) : err(SBI_ERR_INVALID_PARAM);
    case 3: // hart_suspend(suspend_type, resume_addr, opaque)
      // A retentive suspend may wake at once (as a WFI may); the call then
      // simply returns and the guest's idle loop waits again.
      if (arg0 === HSM_SUSPEND_RETENTIVE) return ok();
      // Default non-retentive is defined but needs a resume path the board
      // does not model; everything else is reserved or an unimplemented
      // platform-specific type.
      if (arg0 === HSM_SUSPEND_NON_RETENTIVE) return err(SBI_ERR_NOT_SUPPORTED);
      return err(SBI_ERR_INVALID_PARAM);
    default:
      return err(SBI_ERR_NOT_SUPPORTED);
  }
}

function systemReset(type: number, reason: number, p: SbiPlatform): Result {
  const kind = SRST_TYPES[type];
  const reasonOk = reason === SRST_REASON_NONE || reason === SRST_REASON_FAILURE ||
    (reason >= SRST_REASON_IMPL_FIRST && reason <= SRST_REASON_IMPL_LAST);
  // Reserved and vendor-specific types and reasons are "reserved or
  // platform-specific and unimplemented".
  if (kind === undefined || !reasonOk) return err(SBI_ERR_INVALID_PARAM);
  p.reset(kind, reason);
  return null;
}

function debugConsole(fid: number, n: number, lo: number, hi: number, p: SbiPlatform): Result {
  switch (fid) {
    case 0: { // console_write(num_bytes, base_addr_lo, base_addr_hi)
      if (n === 0) return ok(0);
      const len = Math.min(n, DBCN_MAX_CHUNK);
      // RAM lives below 4 GiB, so a non-zero high half is never accessible.
      const bytes = hi === 0 ? p.readPhys(lo, len) : null;
      if (bytes === null) return err(SBI_ERR_INVALID_PARAM);
      p.consolePut(bytes.slice());
      return ok(len);
    }
    case 1: { // console_read(num_bytes, base_addr_lo, base_addr_hi)
      if (n === 0) return ok(0);
      const len = Math.min(n, DBCN_MAX_CHUNK);
      // Check the buffer before consuming input so a bad call loses nothing.
      if (hi !== 0 || p.readPhys(lo, len) === null) return err(SBI_ERR_INVALID_PARAM);
      const got: number[] = [];
      while (got.length < len) {
        const c = p.consoleGet();
        if (c < 0) break;
        got.push(c & 0xff);
      }
      if (got.length > 0 && !p.writePhys(lo, Uint8Array.from(got))) return err(SBI_ERR_FAILED);
      return ok(got.length);
    }
    case 2: // console_write_byte(byte)
      p.consolePut(Uint8Array.of(n & 0xff));
      return ok();
    default:
      return err(SBI_ERR_NOT_SUPPORTED);
  }
}
