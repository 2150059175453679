// The build side of the page's boot (src/ui/main.ts, machine/early-boot.ts):
//
// * `virtual:wasmos-os-archive` is the URL of the OS's boot archive, packed
//   here from servers/build and servers/os by the CLI's code (one file the
//   page fetches instead of a request per module; browsers open only six
//   connections to a host over HTTP/1.1, and the worker's script queued
//   behind the modules). In dev it is served fresh on every request.
// * The HTML starts the machine worker itself, in an inline script ahead of
//   everything else, so its script (the largest one before the prompt) is
//   the first request after the document; and it preloads kernel.elf (in
//   index.html) and the archive, which the entry fetches and hands over.
// * The built site's kernel.elf is stripped of its symbols (strip-elf.ts):
//   406 KB -> 278 KB to download before the boot, loaded the same. It keeps
//   its name, so a kernel under test can still be copied over it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { loadOsSource } from '../../cli/os-files.ts';
import { osArchive } from '../../host/os-archive.ts';
import { EARLY_SCRIPT_ID, EARLY_WORKER_GLOBAL } from '../machine/early-worker-global.ts';
import { stripElf32 } from './strip-elf.ts';

export const OS_ARCHIVE_MODULE = 'virtual:wasmos-os-archive';
const RESOLVED = `\0${OS_ARCHIVE_MODULE}`;
export const OS_ARCHIVE_NAME = 'wasmos-os.wbar';
/** Where the dev server answers with the archive (relative to the base). */
const DEV_PATH = `@wasmos/${OS_ARCHIVE_NAME}`;

export function bootPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'wasmos-boot',
    configResolved(c) { config = c; },
    resolveId(id) { return id === OS_ARCHIVE_MODULE ? RESOLVED : undefined; },
    load(id) {
      if (id !== RESOLVED) return undefined;
      if (config.command === 'serve') return `export default ${JSON.stringify(config.base + DEV_PATH)};`;
      const ref = this.emitFile({ type: 'asset', name: OS_ARCHIVE_NAME, source: osArchive(loadOsSource()) });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    closeBundle() {
      if (config.command !== 'build' || !config.build.copyPublicDir) return;
      const path = join(resolve(config.root, config.build.outDir), 'kernel.elf');
      writeFileSync(path, stripElf32(new Uint8Array(readFileSync(path))));
    },
    configureServer(server) {
      server.middlewares.use(`${config.base}${DEV_PATH}`, (_req, res) => {
        res.setHeader('Content-Type', 'application/octet-stream');
        res.end(Buffer.from(osArchive(loadOsSource())));
      });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle) return [];
        const files = Object.values(ctx.bundle);
        const worker = files.find((f) => /(^|\/)machine-worker-[^/]*\.js$/.test(f.fileName));
        const archive = files.find((f) => f.type === 'asset' && f.names.includes(OS_ARCHIVE_NAME));
        if (!worker || !archive) throw new Error('wasmos-boot: the build has no machine worker or no OS archive');
        const start = `self.${EARLY_WORKER_GLOBAL}=new Worker(${JSON.stringify(`./${worker.fileName}`)},{type:"module",name:"machine"})`;
        return [
          { tag: 'script', attrs: { id: EARLY_SCRIPT_ID }, children: start, injectTo: 'head' },
          { tag: 'link', attrs: { rel: 'preload', href: `./${archive.fileName}`, as: 'fetch', crossorigin: 'anonymous' }, injectTo: 'head' },
        ];
      },
    },
  };
}
