// Reads the OS (servers/os/ and the modules under servers/build/) from a
// source checkout, for `wasmos boot`, the tests and the benchmarks.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveName, isOsModule, type OsSource } from '../host/os-archive.ts';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));


function wasmFiles(root: string, rel: string): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) return wasmFiles(root, p);
    return e.name.endsWith('.wasm') ? [p] : [];
  }).sort();
}

export function loadOsSource(root: string = REPO_ROOT): OsSource {
  const modules: Record<string, Uint8Array> = {};
  for (const path of wasmFiles(root, 'servers/build')) {
    if (!isOsModule(path)) continue;
    const name = archiveName(path);
    if (modules[name]) throw new Error(`${path}: another module is also named ${name} in the boot archive`);
    modules[name] = new Uint8Array(readFileSync(join(root, path)));
  }
  return {
    manifest: readFileSync(join(root, 'servers/os/manifest'), 'utf8'),
    initRc: readFileSync(join(root, 'servers/os/init.rc'), 'utf8'),
    modules,
  };
}
