// The production build, served the way a static host would: `vite build`
// into a temporary folder, then `vite preview` of it on a free port under a
// base path of our choosing (the build uses relative URLs, so any works).
import { mkdtempSync, rmSync } from 'node:fs';
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

export async function buildAndServe(opts: { base?: string; quiet?: boolean } = {}): Promise<StaticSite> {
  const base = opts.base ?? '/';
  const outDir = mkdtempSync(join(tmpdir(), 'wasmos-site-'));
  const logLevel = opts.quiet === false ? 'info' : 'warn';
  await build({ root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel, build: { outDir, emptyOutDir: true } });
  let server: PreviewServer;
  try {
    server = await preview({
      root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel, base,
      build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    });
  } catch (e) {
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not listen on a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}${base}`,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
