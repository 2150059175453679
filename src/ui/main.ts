// The page's entry, kept small so the machine starts at once: it starts the
// worker, fetches the kernel and boots it, and only then loads the React app
// (a separate chunk), which replays whatever output arrived meanwhile.
// Query parameters: ?bootargs=... (what to boot; default: the OS, to the shell;
// until the shell exists), ?prompt=... (the console text that ends "time to
// prompt"; the benchmark uses it).
import { BOOT_MODES, DEFAULT_BOOT_MODE } from './machine/boot-modes.ts';
import { connectWorker } from './machine/host-api.ts';
import { fetchKernelImage } from './machine/kernel-image.ts';
import { MachineSession } from './machine/machine-session.ts';
import { fetchOsArchive } from './machine/os-image.ts';
import { loadUploads, saveUpload } from './upload/upload-store.ts';

const params = new URLSearchParams(location.search);
const bootargs = params.get('bootargs') ?? BOOT_MODES.find((m) => m.id === DEFAULT_BOOT_MODE)!.bootargs;
const image = fetchKernelImage();
const initrd = fetchOsArchive();
const session = new MachineSession(connectWorker(), () => image, {
  promptText: params.get('prompt') ?? undefined,
  loadInitrd: () => initrd,
  saveUpload,
});
// A permalink (#r=...) boots and replays its recording; otherwise uploads from
// earlier visits go back into /host/uploads once the machine exists.
void session.share.start(location.hash, bootargs).then(async (replaying) => {
  if (!replaying) await session.restoreUploads(await loadUploads());
});

void import('./app/mount.tsx').then(({ mount }) => mount(document.getElementById('root')!, session, bootargs));
