// Which programs live under servers/, and where their modules go. A program is
// a directory holding a `main.ts` (AssemblyScript, built by build-servers.ts) or
// a `main.c` (C, built by build-c.sh); its module is
// servers/build/<the directory's path under servers/>.wasm, so
// servers/examples/hello/main.ts becomes servers/build/examples/hello.wasm.
// An AssemblyScript program may add compiler flags in an `asc.json` next to its
// main.ts: {"flags": ["--runtime", "stub"]} (after the SDK's, so they win).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Directories under servers/ that hold no programs (servers/wasi is build-wasi.sh's: see wasiPrograms). */
const SKIP = new Set(['sdk', 'idl', 'build', 'node_modules', 'wasi']);

export const BUILD_DIR = 'servers/build';

export interface Program {
  readonly language: 'assemblyscript' | 'c' | 'wasi';
  /** Entry file relative to the repository root, e.g. servers/examples/hello/main.ts. */
  readonly entry: string;
  /** Output relative to the repository root, e.g. servers/build/examples/hello.wasm. */
  readonly output: string;
  /** Extra compiler flags from the program's asc.json (AssemblyScript only). */
  readonly flags: readonly string[];
}

/** The flags of a program's asc.json; a malformed file is an error naming it. */
function programFlags(root: string, dir: string): string[] {
  const path = join(root, dir, 'asc.json');
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${dir}/asc.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  const flags = (parsed as { flags?: unknown } | null)?.flags;
  if (!Array.isArray(flags) || !flags.every((f) => typeof f === 'string')) {
    throw new Error(`${dir}/asc.json: expected {"flags": ["--flag", "value", ...]}`);
  }
  return flags;
}

export function findPrograms(root: string): Program[] {
  const out: Program[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(join(root, 'servers', rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const [file, language] of [['main.ts', 'assemblyscript'], ['main.c', 'c']] as const) {
      if (rel !== '' && entries.some((e) => e.isFile() && e.name === file)) {
        const flags = language === 'assemblyscript' ? programFlags(root, `servers/${rel}`) : [];
        out.push({ language, entry: `servers/${rel}/${file}`, output: `${BUILD_DIR}/${rel}.wasm`, flags });
      }
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || (rel === '' && SKIP.has(e.name))) continue;
      walk(rel === '' ? e.name : `${rel}/${e.name}`);
    }
  };
  walk('');
  return [...out, ...wasiPrograms(root)];
}

/**
 * servers/wasi/<name>.c (and the test mock, servers/wasi/mock/mockfs.c),
 * built by servers/sdk/tools/build-wasi.sh into servers/build/wasi/: listed so
 * build:servers counts their modules as made by a program.
 */
function wasiPrograms(root: string): Program[] {
  const dir = join(root, 'servers', 'wasi');
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  const entries = names.map((f) => [`servers/wasi/${f}`, f.slice(0, -2)] as const);
  if (existsSync(join(dir, 'mock', 'mockfs.c'))) entries.push(['servers/wasi/mock/mockfs.c', 'mockfs']);
  return entries.map(([entry, name]) => ({ language: 'wasi', entry, output: `${BUILD_DIR}/wasi/${name}.wasm`, flags: [] }));
}
