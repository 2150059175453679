// The production build, served the way a static host would: `vite build`
// into a temporary folder, then `vite preview` of it on a free port under a
// base path of our choosing (the build uses relative URLs, so any works).
// Under vitest the e2e files share one build (e2e/support/global-site.ts names
// its folder): the first file to get there builds, the others wait for it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface StaticSite {
  /** The page's URL, ending in the base path. */
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/** Set by the e2e global setup: the folder of the build all e2e files of one run share. */
export const SHARED_SITE_ENV = 'WASMOS_E2E_SITE';
const DONE = '.built';
const FAILED = '.failed';

async function viteBuild(outDir: string, logLevel: 'info' | 'warn'): Promise<void> {
  await build({ root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel, build: { outDir, emptyOutDir: true } });
}

/** The shared build: made by whoever creates the folder first (mkdir is atomic), awaited by the rest. */
async function sharedBuild(dir: string, logLevel: 'info' | 'warn'): Promise<string> {
  const outDir = join(dir, 'site');
  let builder = true;
  try {
    mkdirSync(dir);
  } catch {
    builder = false;
  }
  if (builder) {
    try {
      await viteBuild(outDir, logLevel);
      writeFileSync(join(dir, DONE), '');
    } catch (e) {
      writeFileSync(join(dir, FAILED), String((e as Error).stack ?? e));
      throw e;
    }
    return outDir;
  }
  for (const deadline = Date.now() + 300_000; Date.now() < deadline;) {
    if (existsSync(join(dir, DONE))) return outDir;
    if (existsSync(join(dir, FAILED))) throw new Error(`the shared site build failed:\n${readFileSync(join(dir, FAILED), 'utf8')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the shared site build did not finish within 5 minutes');
}

export async function buildAndServe(opts: { base?: string; quiet?: boolean } = {}): Promise<StaticSite> {
  const base = opts.base ?? '/';
  const logLevel = opts.quiet === false ? 'info' : 'warn';
  const shared = process.env[SHARED_SITE_ENV];
  const outDir = shared ? await sharedBuild(shared, logLevel) : mkdtempSync(join(tmpdir(), 'wasmos-site-'));
  if (!shared) await viteBuild(outDir, logLevel);
  let server: PreviewServer;
  try {
    server = await preview({
      root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel, base,
      build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    });
  } catch (e) {
    if (!shared) rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not listen on a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}${base}`,
    outDir,
    close: async () => {
      await server.close();
      if (!shared) rmSync(outDir, { recursive: true, force: true });
    },
  };
}
