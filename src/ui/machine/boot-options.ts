// The options the page boots the machine with, in one place: the early boot
// (early-boot.ts, before the UI exists) and later reboots (MachineSession)
// must boot the same machine.
import type { BootOptions } from '../../host/protocol.ts';

export const PAGE_MEM_MIB = 128;

export function pageBootOptions(o: { image: Uint8Array; initrd?: Uint8Array; bootargs: string; promptText?: string; memMiB?: number }): BootOptions {
  const opts: BootOptions = { image: o.image, bootargs: o.bootargs, memMiB: o.memMiB ?? PAGE_MEM_MIB, trace: true };
  if (o.initrd) opts.initrd = o.initrd;
  if (o.promptText) opts.promptText = o.promptText;
  return opts;
}
