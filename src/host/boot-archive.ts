// The WasmOS boot archive: the files the board hands the kernel as its initrd
// (Wasm modules and the manifest naming what to start). Pure TypeScript on
// Uint8Array, for Node and the browser. The kernel's reader is
// kernel/core/boot_archive.c; docs/kernel.md describes both formats.
//
// Archive (little-endian):
//   0  u32 magic "WBAR"   4  u32 version 1   8  u32 file count   12  u32 archive size
//   16 table: per file 64 bytes: name[56] (UTF-8, 1..55 bytes, NUL-padded), u32 offset, u32 size
//   then the file data, each file at a 4-byte aligned offset
//
// Manifest (the file "manifest", text, one task per line):
//   task <module> [name=<task name>] [arg=<argument>]... [quota=<bytes>[K|M|G]]
//        [uses=<a,b>] [provides=<a,b>] [priority=<1..7>]
// Values with blanks or quotes are double-quoted, with \" and \\ escapes.

export const ARCHIVE_MAGIC = 0x52414257; // "WBAR"
export const ARCHIVE_VERSION = 1;
export const HEADER_SIZE = 16;
export const ENTRY_SIZE = 64;
export const NAME_MAX = 56;
export const MAX_FILES = 1024;
export const MANIFEST_FILE = 'manifest';

export interface ArchiveFile {
  name: string;
  data: Uint8Array;
}

export class BootArchiveError extends Error {}

const align4 = (n: number): number => (n + 3) & ~3;

function nameBytes(name: string): Uint8Array {
  const b = new TextEncoder().encode(name);
  if (b.length === 0 || b.length >= NAME_MAX) throw new BootArchiveError(`file name "${name}" must be 1..${NAME_MAX - 1} bytes`);
  if (b.includes(0)) throw new BootArchiveError(`file name "${name}" contains a NUL`);
  return b;
}

/** Packs files into an archive (in the given order). */
export function writeBootArchive(files: ArchiveFile[]): Uint8Array {
  if (files.length > MAX_FILES) throw new BootArchiveError(`${files.length} files: at most ${MAX_FILES}`);
  const seen = new Set<string>();
  let offset = HEADER_SIZE + files.length * ENTRY_SIZE;
  const layout = files.map((f) => {
    if (seen.has(f.name)) throw new BootArchiveError(`duplicate file name "${f.name}"`);
    seen.add(f.name);
    const at = offset;
    offset = align4(at + f.data.length);
    return { name: nameBytes(f.name), at, data: f.data };
  });
  if (offset > 0xffffffff) throw new BootArchiveError('archive larger than 4 GiB');
  const out = new Uint8Array(offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, ARCHIVE_MAGIC, true);
  dv.setUint32(4, ARCHIVE_VERSION, true);
  dv.setUint32(8, files.length, true);
  dv.setUint32(12, offset, true);
  layout.forEach((f, i) => {
    const e = HEADER_SIZE + i * ENTRY_SIZE;
    out.set(f.name, e);
    dv.setUint32(e + NAME_MAX, f.at, true);
    dv.setUint32(e + NAME_MAX + 4, f.data.length, true);
    out.set(f.data, f.at);
  });
  return out;
}

/** Reads an archive with the kernel's checks; throws BootArchiveError saying what is wrong. */
export function readBootArchive(bytes: Uint8Array): ArchiveFile[] {
  if (bytes.length < HEADER_SIZE) throw new BootArchiveError(`${bytes.length} bytes: too short for the header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint32(0, true);
  if (magic !== ARCHIVE_MAGIC) throw new BootArchiveError(`bad magic 0x${magic.toString(16)} (want "WBAR")`);
  const version = dv.getUint32(4, true);
  if (version !== ARCHIVE_VERSION) throw new BootArchiveError(`version ${version} (this reader knows ${ARCHIVE_VERSION})`);
  const count = dv.getUint32(8, true);
  const size = dv.getUint32(12, true);
  if (size > bytes.length || size < HEADER_SIZE) throw new BootArchiveError(`archive size ${size} does not fit the ${bytes.length} bytes given`);
  if (count > MAX_FILES || count > Math.floor((size - HEADER_SIZE) / ENTRY_SIZE)) throw new BootArchiveError(`file table of ${count} entries does not fit`);
  const tableEnd = HEADER_SIZE + count * ENTRY_SIZE;
  const files: ArchiveFile[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const e = HEADER_SIZE + i * ENTRY_SIZE;
    const raw = bytes.subarray(e, e + NAME_MAX);
    const nl = raw.indexOf(0);
    const offset = dv.getUint32(e + NAME_MAX, true);
    const len = dv.getUint32(e + NAME_MAX + 4, true);
    const fail = (why: string): never => {
      throw new BootArchiveError(`entry ${i} (offset ${offset}, size ${len}): ${why}`);
    };
    if (nl <= 0) fail('name empty or not terminated');
    if (offset & 3) fail('data not 4-byte aligned');
    if (offset < tableEnd || offset > size || len > size - offset) fail('data outside the archive');
    const name = new TextDecoder().decode(raw.subarray(0, nl));
    if (seen.has(name)) fail('duplicate name');
    seen.add(name);
    files.push({ name, data: bytes.slice(offset, offset + len) });
  }
  return files;
}

export interface ManifestTask {
  /** Archive file holding the module. */
  module: string;
  /** Task name (default: the module's file name); 1..23 bytes. */
  name?: string;
  args?: string[];
  /** Bytes the task may hold; default 4 MiB. */
  quota?: number;
  uses?: string[];
  provides?: string[];
  priority?: number;
}

export class ManifestError extends Error {}

function quoteValue(v: string): string {
  if (v.includes('\n') || v.includes('\0')) throw new ManifestError(`value ${JSON.stringify(v)} has a newline or NUL`);
  return v !== '' && /^[^\s"]+$/.test(v) ? v : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The manifest text for `tasks`, started in order. */
export function writeManifest(tasks: ManifestTask[]): string {
  const lines = ['# WasmOS boot manifest'];
  for (const t of tasks) {
    const parts = ['task', quoteValue(t.module)];
    if (t.name !== undefined) parts.push(`name=${quoteValue(t.name)}`);
    for (const a of t.args ?? []) parts.push(`arg=${quoteValue(a)}`);
    if (t.quota !== undefined) {
      if (!Number.isInteger(t.quota) || t.quota < 0 || t.quota > 0xffffffff) throw new ManifestError(`quota ${t.quota} is not a byte count`);
      parts.push(`quota=${t.quota}`);
    }
    if (t.uses?.length) parts.push(`uses=${quoteValue(t.uses.join(','))}`);
    if (t.provides?.length) parts.push(`provides=${quoteValue(t.provides.join(','))}`);
    if (t.priority !== undefined) {
      if (!Number.isInteger(t.priority) || t.priority < 1 || t.priority > 7) throw new ManifestError(`priority ${t.priority} is not 1..7`);
      parts.push(`priority=${t.priority}`);
    }
    lines.push(parts.join(' '));
  }
  return lines.join('\n') + '\n';
}

/** Splits a line into tokens the way the kernel does: key=value with bare or quoted values. */
function tokens(line: string, n: number): { key: string | null; value: string }[] {
  const out: { key: string | null; value: string }[] = [];
  let i = 0;
  const blank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';
  const value = (): string => {
    let v = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new ManifestError(`line ${n}: unterminated quote`);
        let c = line[i++]!;
        if (c === '"') break;
        if (c === '\\') {
          if (line[i] !== '"' && line[i] !== '\\') throw new ManifestError(`line ${n}: bad escape`);
          c = line[i++]!;
        }
        v += c;
      }
      if (i < line.length && !blank(line[i])) throw new ManifestError(`line ${n}: text after a closing quote`);
    } else {
      while (i < line.length && !blank(line[i])) {
        if (line[i] === '"') throw new ManifestError(`line ${n}: quote inside a bare value`);
        v += line[i++];
      }
    }
    return v;
  };
  for (;;) {
    while (blank(line[i])) i++;
    if (i >= line.length || line[i] === '#') return out;
    if (out.length === 1) {
      out.push({ key: null, value: value() }); // the module
      continue;
    }
    let key = '';
    while (i < line.length && !blank(line[i]) && line[i] !== '=') key += line[i++];
    if (line[i] === '=') {
      i++;
      out.push({ key, value: value() });
    } else {
      out.push({ key: null, value: key });
    }
  }
}

/** Parses a manifest (strictly: unknown keys or directives are errors here, warnings in the kernel). */
export function parseManifest(text: string): ManifestTask[] {
  const tasks: ManifestTask[] = [];
  text.split('\n').forEach((line, idx) => {
    const n = idx + 1;
    const toks = tokens(line, n);
    if (toks.length === 0) return;
    if (toks[0]!.key !== null || toks[0]!.value !== 'task') throw new ManifestError(`line ${n}: unknown directive "${toks[0]!.value}"`);
    if (toks.length < 2 || toks[1]!.key !== null || toks[1]!.value === '') throw new ManifestError(`line ${n}: "task" needs a module file name`);
    const t: ManifestTask = { module: toks[1]!.value };
    for (const { key, value } of toks.slice(2)) {
      switch (key) {
        case 'name': t.name = value; break;
        case 'arg': (t.args ??= []).push(value); break;
        case 'quota': {
          const m = /^(\d+)([KMGkmg]?)$/.exec(value);
          if (!m) throw new ManifestError(`line ${n}: bad quota "${value}"`);
          const shift = { '': 0, k: 10, m: 20, g: 30 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
          t.quota = Number(m[1]) * 2 ** shift;
          break;
        }
        case 'uses': t.uses = value.split(','); break;
        case 'provides': t.provides = value.split(','); break;
        case 'priority': {
          if (!/^[1-7]$/.test(value)) throw new ManifestError(`line ${n}: bad priority "${value}"`);
          t.priority = Number(value);
          break;
        }
        default: throw new ManifestError(`line ${n}: unknown key "${key ?? value}"`);
      }
    }
    tasks.push(t);
  });
  return tasks;
}

/** A bootable archive: the modules plus a manifest starting `tasks`. */
export function bootArchive(modules: Record<string, Uint8Array>, tasks: ManifestTask[]): Uint8Array {
  for (const t of tasks) if (!(t.module in modules)) throw new BootArchiveError(`task ${t.name ?? t.module}: no module "${t.module}"`);
  const files: ArchiveFile[] = [{ name: MANIFEST_FILE, data: new TextEncoder().encode(writeManifest(tasks)) }];
  for (const [name, data] of Object.entries(modules)) files.push({ name, data });
  return writeBootArchive(files);
}
