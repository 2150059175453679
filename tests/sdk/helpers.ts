// Shared by the SDK tests: build AssemblyScript and C programs the way the
// project's build scripts do, without writing into the tree.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAs } from '../../servers/sdk/tools/compile-as.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const built = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/**
 * Compiles an AssemblyScript program (path relative to the repo); `overlay` adds
 * or replaces sources. Compiling takes seconds, so each build is done once per
 * test file.
 */
export function buildAs(entry: string, overlay: ReadonlyMap<string, string> = new Map()): Promise<Uint8Array<ArrayBuffer>> {
  const key = JSON.stringify([entry, [...overlay]]);
  let p = built.get(key);
  if (!p) {
    p = compileAs(entry, ROOT, overlay).then(({ wasm, diagnostics }) => {
      if (!wasm) throw new Error(`${entry} did not compile:\n${diagnostics}`);
      if (diagnostics) throw new Error(`${entry} compiled with warnings:\n${diagnostics}`);
      return new Uint8Array(wasm);
    });
    built.set(key, p);
  }
  return p;
}

/** The flags of servers/sdk/tools/build-c.sh. */
export const C_FLAGS = [
  '--target=wasm32', '-nostdlib', '-Wl,--no-entry', '-Wl,--export=main', '-O2',
  '-std=c11', '-Wall', '-Wextra', '-Werror', '-g0', '-I', join(ROOT, 'servers/sdk/include'), '-Wl,--strip-all,--keep-section=name',
];

/**
 * Compiles C source text with clang-19 for wasm32 and the SDK headers; `headers`
 * are written next to it (and found first by #include).
 */
export function buildC(source: string, headers: Readonly<Record<string, string>> = {}): Uint8Array<ArrayBuffer> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmos-sdk-'));
  try {
    writeFileSync(join(dir, 'main.c'), source);
    for (const [name, text] of Object.entries(headers)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    execFileSync('clang-19', [...C_FLAGS, '-I', dir, '-o', join(dir, 'out.wasm'), join(dir, 'main.c')], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(join(dir, 'out.wasm')));
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`clang-19 failed:\n${err.stderr?.toString() ?? String(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const readRepo = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
