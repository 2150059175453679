// SiFive test finisher (QEMU `sifive,test0`): the guest powers the board off
// or resets it by writing a command to offset 0. The low 16 bits select the
// action; for FAIL the high 16 bits are the exit code. As in QEMU, PASS exits
// with 0 whatever the high bits say, and unknown commands are ignored.
import type { MmioDevice, Width } from '../bus.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { TEST_BASE, TEST_SIZE } from './virt-map.ts';

export const FINISHER_FAIL = 0x3333;
export const FINISHER_PASS = 0x5555;
export const FINISHER_RESET = 0x7777;

export type PowerAction = 'poweroff' | 'reset';

export class SifiveTest implements MmioDevice {
  readonly name = 'sifive-test';
  readonly size = TEST_SIZE;

  constructor(
    private readonly onPower: (kind: PowerAction, code: number) => void,
    readonly base = TEST_BASE,
  ) {}

  read(_offset: number, _width: Width): number {
    return 0;
  }

  write(offset: number, value: number, width: Width): void {
    // QEMU accepts 16- and 32-bit accesses to the finisher register.
    if (offset !== 0 || width === 1) return;
    const v = width === 2 ? value & 0xffff : value >>> 0;
    const code = v >>> 16;
    switch (v & 0xffff) {
      case FINISHER_FAIL: this.onPower('poweroff', code); break;
      case FINISHER_PASS: this.onPower('poweroff', 0); break;
      case FINISHER_RESET: this.onPower('reset', 0); break;
    }
  }

  save(w: StateWriter): void { w.tag('sifive-test'); }
  restore(r: StateReader): void { r.tag('sifive-test'); }
  reset(): void {}
}
