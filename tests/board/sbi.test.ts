import { beforeEach, describe, expect, it } from 'vitest';
import {
  DBCN_MAX_CHUNK, EID_BASE, EID_DBCN, EID_HSM, EID_IPI, EID_RFENCE, EID_SRST, EID_TIME, SBI_ERR_ALREADY_AVAILABLE,
  SBI_ERR_FAILED, SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_IMPL_ID, SBI_SPEC_VERSION, SBI_SUCCESS,
  type SbiPlatform, sbiCall,
} from '../../src/board/sbi.ts';

const RAM_BASE = 0x80000000;
const RAM_SIZE = 0x10000;

/** A platform that records every call, with 64 KiB of RAM at 0x80000000. */
class FakePlatform implements SbiPlatform {
  out: number[] = [];
  input: number[] = [];
  timers: number[] = [];
  softIrqs = 0;
  fences = 0;
  resets: Array<[string, number]> = [];
  stops = 0;
  ram = new Uint8Array(RAM_SIZE);
  mvendorid = 0x489;
  marchid = 0x80000007;
  mimpid = 0x70200;
  stopHart?: () => void = () => { this.stops++; };

  consolePut(bytes: Uint8Array): void { this.out.push(...bytes); }
  consoleGet(): number { return this.input.length ? this.input.shift()! : -1; }
  setTimer(ticks: number): void { this.timers.push(ticks); }
  sendSoftIrq(): void { this.softIrqs++; }
  remoteFence(): void { this.fences++; }
  reset(kind: 'shutdown' | 'cold' | 'warm', reason: number): void { this.resets.push([kind, reason]); }
  private off(addr: number, len: number): number {
    const off = addr - RAM_BASE;
    return off >= 0 && off + len <= RAM_SIZE ? off : -1;
  }
  readPhys(addr: number, len: number): Uint8Array | null {
    const off = this.off(addr, len);
    return off < 0 ? null : this.ram.subarray(off, off + len);
  }
  writePhys(addr: number, data: Uint8Array): boolean {
    const off = this.off(addr, data.length);
    if (off < 0) return false;
    this.ram.set(data, off);
    return true;
  }
}

const SENTINEL = 0x5a5a5a5a;

/** Performs one ECALL and returns [a0, a1]; every other register must survive. */
function call(p: SbiPlatform, eid: number, fid: number, ...args: number[]): [number, number] {
  const x = new Int32Array(32).fill(SENTINEL);
  args.forEach((v, i) => { x[10 + i] = v; });
  x[16] = fid;
  x[17] = eid;
  const before = x.slice();
  sbiCall(x, p);
  for (let i = 0; i < 32; i++) if (i !== 10 && i !== 11) expect(x[i], `x${i} preserved`).toBe(before[i]);
  return [x[10]!, x[11]!];
}

let p: FakePlatform;
beforeEach(() => { p = new FakePlatform(); });

describe('BASE', () => {
  it('reports spec version 2.0, the WasmOS impl id and version', () => {
    expect(call(p, EID_BASE, 0)).toEqual([SBI_SUCCESS, 0x02000000]);
    expect(SBI_SPEC_VERSION).toBe(0x02000000);
    const [e, id] = call(p, EID_BASE, 1);
    expect(e).toBe(0);
    expect(id).toBe(SBI_IMPL_ID);
    expect(id).toBeGreaterThan(11); // not one of the registered implementations
    expect(call(p, EID_BASE, 2)).toEqual([0, 1]);
  });

  it('probes every implemented extension and nothing else', () => {
    for (const eid of [EID_BASE, EID_TIME, EID_IPI, EID_RFENCE, EID_HSM, EID_SRST, EID_DBCN, 0, 1, 2, 8]) {
      expect(call(p, EID_BASE, 3, eid), `eid ${eid.toString(16)}`).toEqual([0, 1]);
    }
    for (const eid of [3, 4, 5, 6, 7, 9, 0x0f, 0x504d55 /* PMU */, 0x53555350 /* SUSP */, 0x0a000000, -1]) {
      expect(call(p, EID_BASE, 3, eid), `eid ${eid.toString(16)}`).toEqual([0, 0]);
    }
  });

  it('returns the platform machine ids', () => {
    expect(call(p, EID_BASE, 4)).toEqual([0, 0x489]);
    expect(call(p, EID_BASE, 5)).toEqual([0, 0x80000007 | 0]);
    expect(call(p, EID_BASE, 6)).toEqual([0, 0x70200]);
  });

  it('rejects unknown functions', () => {
    expect(call(p, EID_BASE, 7)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
    expect(call(p, EID_BASE, -1)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
  });
});

describe('TIME', () => {
  it('set_timer passes the 64-bit value from a0 (lo) and a1 (hi)', () => {
    expect(call(p, EID_TIME, 0, 0x12345678, 0x9)).toEqual([0, 0]);
    expect(p.timers).toEqual([0x9_12345678]);
    call(p, EID_TIME, 0, -1, -1);
    expect(p.timers[1]).toBe(0xffffffff * 2 ** 32 + 0xffffffff);
  });
  it('rejects other functions', () => {
    expect(call(p, EID_TIME, 1, 5, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
    expect(p.timers).toEqual([]);
  });
});

describe('IPI', () => {
  it('sends to hart 0 with mask 1 base 0, or base -1', () => {
    expect(call(p, EID_IPI, 0, 1, 0)).toEqual([0, 0]);
    expect(call(p, EID_IPI, 0, 0, -1)).toEqual([0, 0]);
    expect(call(p, EID_IPI, 0, 0x1234, -1)).toEqual([0, 0]);
    expect(p.softIrqs).toBe(3);
  });
  it('an empty mask sends nothing', () => {
    expect(call(p, EID_IPI, 0, 0, 0)).toEqual([0, 0]);
    expect(p.softIrqs).toBe(0);
  });
  it('rejects harts that do not exist', () => {
    expect(call(p, EID_IPI, 0, 3, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_IPI, 0, 2, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_IPI, 0, 1, 1)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_IPI, 0, 0, 5)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(p.softIrqs).toBe(0);
  });
  it('rejects other functions', () => {
    expect(call(p, EID_IPI, 1, 1, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
  });
});

describe('RFENCE', () => {
  it('fence.i, sfence.vma and sfence.vma_asid flush when hart 0 is targeted', () => {
    expect(call(p, EID_RFENCE, 0, 1, 0)).toEqual([0, 0]);
    expect(call(p, EID_RFENCE, 1, 1, 0, 0x1000, 0x2000)).toEqual([0, 0]);
    expect(call(p, EID_RFENCE, 2, 0, -1, 0, 0, 7)).toEqual([0, 0]);
    expect(call(p, EID_RFENCE, 1, 1, 0, 0, -1)).toEqual([0, 0]);
    expect(p.fences).toBe(4);
    expect(call(p, EID_RFENCE, 1, 0, 0, 0, 0)).toEqual([0, 0]);
    expect(p.fences).toBe(4);
  });
  it('checks hart masks', () => {
    for (const fid of [0, 1, 2]) {
      expect(call(p, EID_RFENCE, fid, 2, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
      expect(call(p, EID_RFENCE, fid, 1, 4)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    }
    expect(p.fences).toBe(0);
  });
  it('has no HFENCE (no hypervisor extension) and no other functions', () => {
    for (const fid of [3, 4, 5, 6, 7]) expect(call(p, EID_RFENCE, fid, 1, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
    expect(p.fences).toBe(0);
  });
});

describe('HSM', () => {
  it('hart_start: hart 0 is already available, others are invalid', () => {
    expect(call(p, EID_HSM, 0, 0, RAM_BASE, 0)).toEqual([SBI_ERR_ALREADY_AVAILABLE, 0]);
    expect(call(p, EID_HSM, 0, 1, RAM_BASE, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_HSM, 0, -1, RAM_BASE, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
  });
  it('hart_get_status: hart 0 is started, others are invalid', () => {
    expect(call(p, EID_HSM, 2, 0)).toEqual([0, 0]);
    expect(call(p, EID_HSM, 2, 1)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
  });
  it('hart_stop stops the hart and does not return a result', () => {
    expect(call(p, EID_HSM, 1)).toEqual([SENTINEL, SENTINEL]);
    expect(p.stops).toBe(1);
  });
  it('hart_stop fails when the platform cannot stop the hart', () => {
    p.stopHart = undefined;
    expect(call(p, EID_HSM, 1)).toEqual([SBI_ERR_FAILED, 0]);
  });
  it('hart_suspend: default retentive returns at once; non-retentive unsupported; the rest invalid', () => {
    expect(call(p, EID_HSM, 3, 0, 0, 0)).toEqual([0, 0]);
    expect(call(p, EID_HSM, 3, 0x80000000, RAM_BASE, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
    for (const t of [1, 0x0fffffff, 0x10000000, 0x7fffffff, 0x80000001, 0x90000000, 0xffffffff]) {
      expect(call(p, EID_HSM, 3, t, RAM_BASE, 0), `type ${t.toString(16)}`).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    }
  });
  it('rejects other functions', () => {
    expect(call(p, EID_HSM, 4)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
  });
});

describe('SRST', () => {
  it('shutdown, cold and warm reboot with a reason do not return', () => {
    expect(call(p, EID_SRST, 0, 0, 0)).toEqual([0, 0]); // the arguments, untouched
    call(p, EID_SRST, 0, 1, 1);
    expect(call(p, EID_SRST, 0, 2, 0xe0000005)).toEqual([2, 0xe0000005 | 0]); // no error written
    expect(p.resets).toEqual([['shutdown', 0], ['cold', 1], ['warm', 0xe0000005]]);
  });
  it('rejects reserved and vendor types and reasons', () => {
    for (const [type, reason] of [[3, 0], [0xf0000000, 0], [0, 2], [0, 0xdfffffff], [0, 0xf0000000], [1, 0xffffffff]]) {
      expect(call(p, EID_SRST, 0, type!, reason!), `type ${type} reason ${reason}`).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    }
    expect(p.resets).toEqual([]);
  });
  it('rejects other functions', () => {
    expect(call(p, EID_SRST, 1, 0, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
  });
});

describe('DBCN', () => {
  it('console_write sends bytes from physical memory', () => {
    p.ram.set([72, 105, 33], 0x100);
    expect(call(p, EID_DBCN, 0, 3, RAM_BASE + 0x100, 0)).toEqual([0, 3]);
    expect(p.out).toEqual([72, 105, 33]);
    expect(call(p, EID_DBCN, 0, 0, 0, 0)).toEqual([0, 0]);
  });
  it('console_write copies the bytes (the guest may reuse its buffer)', () => {
    const seen: Uint8Array[] = [];
    p.consolePut = (b) => { seen.push(b); };
    p.ram[0] = 1;
    call(p, EID_DBCN, 0, 1, RAM_BASE, 0);
    p.ram[0] = 2;
    expect([...seen[0]!]).toEqual([1]);
  });
  it('console_write does a partial write for very large buffers', () => {
    const [e, n] = call(p, EID_DBCN, 0, RAM_SIZE, RAM_BASE, 0);
    expect(e).toBe(0);
    expect(n).toBe(Math.min(RAM_SIZE, DBCN_MAX_CHUNK));
  });
  it('console_write rejects memory outside RAM and high addresses', () => {
    expect(call(p, EID_DBCN, 0, 4, 0x1000, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_DBCN, 0, 4, RAM_BASE + RAM_SIZE - 2, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_DBCN, 0, 4, RAM_BASE, 1)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(p.out).toEqual([]);
  });
  it('console_read fills memory with what input there is', () => {
    p.input = [0x61, 0x62];
    expect(call(p, EID_DBCN, 1, 8, RAM_BASE + 0x10, 0)).toEqual([0, 2]);
    expect([...p.ram.subarray(0x10, 0x13)]).toEqual([0x61, 0x62, 0]);
    expect(call(p, EID_DBCN, 1, 8, RAM_BASE + 0x10, 0)).toEqual([0, 0]);
    p.input = [1, 2, 3];
    expect(call(p, EID_DBCN, 1, 2, RAM_BASE, 0)).toEqual([0, 2]);
    expect(p.input).toEqual([3]);
  });
  it('console_read rejects a bad buffer without consuming input', () => {
    p.input = [0x61];
    expect(call(p, EID_DBCN, 1, 4, 0x2000, 0)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(call(p, EID_DBCN, 1, 4, RAM_BASE, 2)).toEqual([SBI_ERR_INVALID_PARAM, 0]);
    expect(p.input).toEqual([0x61]);
  });
  it('console_read reports a failed write to memory', () => {
    p.input = [0x61];
    p.writePhys = () => false;
    expect(call(p, EID_DBCN, 1, 4, RAM_BASE, 0)).toEqual([SBI_ERR_FAILED, 0]);
  });
  it('console_write_byte sends the low byte', () => {
    expect(call(p, EID_DBCN, 2, 0x141)).toEqual([0, 0]);
    expect(p.out).toEqual([0x41]);
  });
  it('rejects other functions', () => {
    expect(call(p, EID_DBCN, 3, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
  });
});

describe('legacy extensions (write only a0)', () => {
  it('0x00 set_timer', () => {
    expect(call(p, 0x00, 0, 0x1000, 2)).toEqual([0, 2]); // a1 (the high half) is left alone
    expect(p.timers).toEqual([2 * 2 ** 32 + 0x1000]);
  });
  it('0x01 console_putchar', () => {
    expect(call(p, 0x01, 0, 0x0a)).toEqual([0, SENTINEL]);
    expect(p.out).toEqual([0x0a]);
  });
  it('0x02 console_getchar returns a byte or -1', () => {
    p.input = [0xff];
    expect(call(p, 0x02, 0)).toEqual([0xff, SENTINEL]);
    expect(call(p, 0x02, 0)).toEqual([-1, SENTINEL]);
  });
  it('0x08 shutdown', () => {
    expect(call(p, 0x08, 0)).toEqual([SENTINEL, SENTINEL]);
    expect(p.resets).toEqual([['shutdown', 0]]);
  });
  it('unimplemented legacy calls are not supported', () => {
    for (const eid of [3, 4, 5, 6, 7, 9, 0x0f]) expect(call(p, eid, 0, 0)).toEqual([SBI_ERR_NOT_SUPPORTED, SENTINEL]);
  });
});

describe('unknown extensions', () => {
  it('return SBI_ERR_NOT_SUPPORTED', () => {
    for (const eid of [0x11, 0x504d55, 0x53555350, 0x09000000, 0x0a000000, -1]) {
      expect(call(p, eid, 0, 1, 2, 3)).toEqual([SBI_ERR_NOT_SUPPORTED, 0]);
    }
    expect(p.out).toEqual([]);
    expect(p.resets).toEqual([]);
  });
});
