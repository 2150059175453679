// The first thing the page does: start the machine worker, fetch the kernel
// and the OS modules (preloaded by the HTML) and boot, before any UI code has
// loaded. The worker buffers the console, the trace and the status until the
// UI attaches (MachineSession.attach), so nothing is lost. Only a permalink
// (#r=...) waits: its recording decides how the machine boots, and the share
// code that reads it loads with the UI.
import type { MachineStatus } from '../../host/protocol.ts';
import { BOOT_MODES, DEFAULT_BOOT_MODE } from './boot-modes.ts';
import { pageBootOptions } from './boot-options.ts';
import { connectWorker, type HostApi } from './host-api.ts';
import { fetchKernelImage } from './kernel-image.ts';
import { fetchOsArchive } from './os-image.ts';

export interface EarlyBoot {
  host: HostApi;
  image: Promise<Uint8Array>;
  initrd: Promise<Uint8Array>;
  /** What boots (?bootargs=, else the default mode's). */
  bootargs: string;
  /** The console text that ends "time to prompt" (?prompt=). */
  promptText: string | undefined;
  /** The boot already under way, or null when the UI must boot (a permalink, or the files failed to load). */
  booted: Promise<MachineStatus | null> | null;
}

/** Whether the URL fragment carries a recording (the share code checks it properly). */
export function hasRecording(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).has('r');
}

export function startEarly(loc: { search: string; hash: string }, host: HostApi = connectWorker()): EarlyBoot {
  const params = new URLSearchParams(loc.search);
  const bootargs = params.get('bootargs') ?? BOOT_MODES.find((m) => m.id === DEFAULT_BOOT_MODE)!.bootargs;
  const promptText = params.get('prompt') ?? undefined;
  const image = fetchKernelImage();
  const initrd = fetchOsArchive();
  // A failed download is not booted here: the UI's boot reports it (and may retry).
  const booted: EarlyBoot['booted'] = hasRecording(loc.hash) ? null : Promise.all([image, initrd]).then(
    ([img, rd]) => host.bootEarly(pageBootOptions({ image: img, initrd: rd, bootargs, promptText })),
    () => null,
  );
  // Unhandled rejections of the downloads would be noise: the session awaits them again.
  image.catch(() => {});
  initrd.catch(() => {});
  return { host, image, initrd, bootargs, promptText, booted };
}
