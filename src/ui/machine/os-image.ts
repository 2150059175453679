/// <reference types="vite/client" />
// The OS's boot archive for the page: the modules under servers/build (the
// build gives each a URL next to the page) and servers/os's manifest and
// init.rc, packed by the same code as the CLI's (src/host/os-archive.ts).
import { archiveName, isOsModule, osArchive } from '../../host/os-archive.ts';
import manifest from '../../../servers/os/manifest?raw';
import initRc from '../../../servers/os/init.rc?raw';

const MODULE_URLS = import.meta.glob<string>('../../../servers/build/**/*.wasm', { query: '?url', import: 'default', eager: true });


export async function fetchOsArchive(userFiles: Record<string, Uint8Array> = {}): Promise<Uint8Array> {
  const entries = await Promise.all(Object.entries(MODULE_URLS).filter(([path]) => isOsModule(path)).map(async ([path, url]) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load ${archiveName(path)} (HTTP ${res.status})`);
    return [archiveName(path), new Uint8Array(await res.arrayBuffer())] as const;
  }));
  return osArchive({ manifest, initRc, modules: Object.fromEntries(entries) }, userFiles);
}
