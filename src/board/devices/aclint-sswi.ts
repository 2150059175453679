// ACLINT SSWI (QEMU aclint=on, 0x02F00000): writing 1 to hart 0's setssip
// register makes a supervisor software interrupt pending. The bit it sets is the
// software-writable mip.SSIP (S-mode clears it itself), so the device cannot own
// a level line; it asks the hart to set the bit, edge style, like QEMU.
import type { MmioDevice, Width } from '../bus.ts';
import type { StateReader, StateWriter } from '../state-stream.ts';
import { ACLINT_SSWI_BASE, ACLINT_SSWI_SIZE } from './virt-map.ts';

export class AclintSswi implements MmioDevice {
  readonly name = 'aclint-sswi';
  readonly size = ACLINT_SSWI_SIZE;

  /** `raiseSsip` must set mip.SSIP on hart 0 (e.g. `hart.mipSw |= MIP_SSIP`). */
  constructor(private readonly raiseSsip: () => void, readonly base = ACLINT_SSWI_BASE) {}

  read(_offset: number, _width: Width): number {
    return 0;
  }

  write(offset: number, value: number, width: Width): void {
    if (offset === 0 && width === 4 && (value & 1) !== 0) this.raiseSsip();
  }

  save(w: StateWriter): void { w.tag('aclint-sswi'); }
  restore(r: StateReader): void { r.tag('aclint-sswi'); }
  reset(): void {}
}
