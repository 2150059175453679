// The boot archive of the whole OS: the kernel's manifest (start init), init's
// init.rc (the servers and the shell), the server and app modules, and any
// files the user adds (they appear under /boot). Pure: the CLI and the tests
// read the files from the checkout (src/cli/os-files.ts), the UI fetches them.
import { writeBootArchive, type ArchiveFile, BootArchiveError } from './boot-archive.ts';

/** What the archive is made of, by archive name (flat: "init.wasm", "init.rc"). */
export interface OsSource {
  readonly manifest: string;
  readonly initRc: string;
  readonly modules: Readonly<Record<string, Uint8Array>>;
}

/**
 * The archive name of a module built under servers/build: its file name,
 * except WASI programs, which get a "wasi-" prefix so they never shadow a
 * native app of the same name ("servers/build/wasi/cat.wasm" -> "wasi-cat.wasm").
 */
export function archiveName(buildPath: string): string {
  const parts = buildPath.split('/');
  const file = parts[parts.length - 1]!;
  return parts[parts.length - 2] === 'wasi' ? `wasi-${file}` : file;
}

/**
 * Whether a module built under servers/build belongs in the OS image: not the
 * SDK's examples, nor the servers' own test programs (servers/build/<server>/…,
 * and the WASI tests' mock server and import check).
 */
export function isOsModule(buildPath: string): boolean {
  const rel = buildPath.slice(buildPath.indexOf('servers/build/') + 'servers/build/'.length);
  if (!rel.includes('/')) return true;
  const [dir, file] = [rel.slice(0, rel.indexOf('/')), rel.slice(rel.lastIndexOf('/') + 1)];
  if (dir === 'apps') return true;
  if (dir === 'wasi') return file !== 'mockfs.wasm' && file !== 'check.wasm';
  return false;
}

/** The OS's boot archive, with `userFiles` added (a user file may not replace an OS file). */
export function osArchive(src: OsSource, userFiles: Readonly<Record<string, Uint8Array>> = {}): Uint8Array {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([['manifest', enc.encode(src.manifest)], ['init.rc', enc.encode(src.initRc)]]);
  for (const [name, bytes] of Object.entries(src.modules)) files.set(name, bytes);
  for (const [name, bytes] of Object.entries(userFiles)) {
    if (files.has(name)) throw new BootArchiveError(`${name}: an OS file has that name`);
    if (name.includes('/')) throw new BootArchiveError(`${name}: a boot file name has no "/"`);
    files.set(name, bytes);
  }
  const list: ArchiveFile[] = [...files].map(([name, data]) => ({ name, data }));
  return writeBootArchive(list);
}
