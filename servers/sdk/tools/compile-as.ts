// Compiles one AssemblyScript program for WasmOS with the pinned `assemblyscript`
// package, in process. The SDK's runtime.ts joins every build as a second entry
// and supplies abort/trace/seed, so a program imports only `env` and `wasmos`.
// `overlay` substitutes file contents (tests compile sources kept elsewhere).
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import asc from 'assemblyscript/asc';
import { SDK_ASSEMBLY, ascFlags } from './asc-flags.ts';

export { SDK_ASSEMBLY, ascFlags };

export interface CompileResult {
  /** The module, or null if compilation failed. */
  readonly wasm: Uint8Array | null;
  /** Compiler diagnostics (errors and warnings), empty on a clean build. */
  readonly diagnostics: string;
}

/**
 * Compiles `entry` (a path relative to `root`, the repository root) into a Wasm
 * module. Never writes files. `flags` come after the SDK's (a program's asc.json).
 */
export async function compileAs(
  entry: string,
  root: string,
  overlay: ReadonlyMap<string, string> = new Map(),
  flags: readonly string[] = [],
): Promise<CompileResult> {
  let wasm: Uint8Array | null = null;
  const stdout = asc.createMemoryStream();
  const stderr = asc.createMemoryStream();
  const key = (name: string, baseDir: string) => relative(root, resolve(baseDir, name)).split('\\').join('/');
  const result = await asc.main([entry, `${SDK_ASSEMBLY}/runtime.ts`, '--baseDir', root, '-o', 'out.wasm', ...ascFlags(), ...flags], {
    stdout,
    stderr,
    readFile: async (name, baseDir) => {
      const k = key(name, baseDir);
      const o = overlay.get(k);
      if (o !== undefined) return o;
      try {
        return await readFile(join(root, k), 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && contents instanceof Uint8Array) wasm = contents.slice();
    },
    listFiles: () => [],
  });
  const diagnostics = stderr.toString().trim();
  if (result.error) return { wasm: null, diagnostics: diagnostics || String(result.error) };
  return { wasm, diagnostics };
}
