// The page after its early boot (main.ts): the session the panels read, the
// permalink's replay or the take-over of the machine already booting, the
// uploads of earlier visits, then the React app. Loaded as its own chunk so
// that none of this (nor zod, IndexedDB or React) delays the machine's start.
import type { EarlyBoot } from './machine/early-boot.ts';
import { MachineSession } from './machine/machine-session.ts';
import { loadUploads, saveUpload } from './upload/upload-store.ts';

export function startUi(early: EarlyBoot, hash: string): MachineSession {
  const session = new MachineSession(early.host, () => early.image, {
    promptText: early.promptText,
    loadInitrd: () => early.initrd,
    saveUpload,
  });
  void takeOver(session, early, hash).then(async (replaying) => {
    // Uploads from earlier visits go back into /host/uploads once the machine exists.
    if (!replaying) await session.restoreUploads(await loadUploads());
  });
  return session;
}

/** Attaches to the early boot; a permalink (or a boot that could not start early) boots here. Resolves true when replaying. */
async function takeOver(session: MachineSession, early: EarlyBoot, hash: string): Promise<boolean> {
  const status = early.booted ? await early.booted : null;
  if (status) {
    await session.attach();
    return false;
  }
  return session.share.start(hash, early.bootargs);
}
