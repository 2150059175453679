// Which programs live under servers/, and where their modules go. A program is
// a directory holding a `main.ts` (AssemblyScript, built by build-servers.ts) or
// a `main.c` (C, built by build-c.sh); its module is
// servers/build/<the directory's path under servers/>.wasm, so
// servers/examples/hello/main.ts becomes servers/build/examples/hello.wasm.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Directories under servers/ that hold no programs. */
const SKIP = new Set(['sdk', 'idl', 'build', 'node_modules']);

export const BUILD_DIR = 'servers/build';

export interface Program {
  readonly language: 'assemblyscript' | 'c';
  /** Entry file relative to the repository root, e.g. servers/examples/hello/main.ts. */
  readonly entry: string;
  /** Output relative to the repository root, e.g. servers/build/examples/hello.wasm. */
  readonly output: string;
}

export function findPrograms(root: string): Program[] {
  const out: Program[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(join(root, 'servers', rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const [file, language] of [['main.ts', 'assemblyscript'], ['main.c', 'c']] as const) {
      if (rel !== '' && entries.some((e) => e.isFile() && e.name === file)) {
        out.push({ language, entry: `servers/${rel}/${file}`, output: `${BUILD_DIR}/${rel}.wasm` });
      }
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || (rel === '' && SKIP.has(e.name))) continue;
      walk(rel === '' ? e.name : `${rel}/${e.name}`);
    }
  };
  walk('');
  return out;
}
