/// <reference types="vite/client" />
/// <reference path="./os-archive-url.d.ts" />
// The OS's boot archive for the page: init, the servers, the apps, the
// manifest and init.rc, packed at build time by the same code as the CLI's
// (vite.config.ts, src/host/os-archive.ts) and fetched as one file (preloaded
// by the HTML): one request instead of one per module, and nothing to pack on
// the page before the boot.
import archiveUrl from 'virtual:wasmos-os-archive';

export async function fetchOsArchive(): Promise<Uint8Array> {
  const res = await fetch(archiveUrl);
  if (!res.ok) throw new Error(`could not load the OS image (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}
