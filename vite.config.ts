import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { isOsModule } from './src/host/os-archive.ts';

/**
 * Starts the boot's downloads with the HTML: the OS modules the page packs
 * into the boot archive (preloaded as the fetches src/ui/machine/os-image.ts
 * makes) and the machine worker's script (prefetched: a worker does not share
 * the page's module map, but it does share the HTTP cache). Their names are
 * hashed by the build, so the tags are written here rather than in index.html.
 */
function bootPreloads(): Plugin {
  return {
    name: 'wasmos-boot-preloads',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.values(ctx.bundle ?? {});
        const source = (f: (typeof files)[number]): string[] =>
          f.type === 'asset' ? (f.originalFileNames ?? []) : f.facadeModuleId ? [f.facadeModuleId] : [];
        const modules = files.filter((f) => f.fileName.endsWith('.wasm') &&
          source(f).some((p) => p.includes('servers/build/') && isOsModule(p)));
        const worker = files.filter((f) => /(^|\/)machine-worker-[^/]*\.js$/.test(f.fileName));
        return [
          ...worker.map((f) => ({ tag: 'link', attrs: { rel: 'prefetch', href: `./${f.fileName}` }, injectTo: 'head' as const })),
          ...modules.map((f) => ({
            tag: 'link', attrs: { rel: 'preload', href: `./${f.fileName}`, as: 'fetch', crossorigin: 'anonymous' }, injectTo: 'head' as const,
          })),
        ];
      },
    },
  };
}

// The playground is a static site: `base: './'` lets it be served under any path.
export default defineConfig({
  base: './',
  plugins: [react(), bootPreloads()],
  // The app chunk (React, xterm.js, the IDL schema) is ~600 kB, 170 kB compressed; it loads after the
  // machine has started (src/ui/main.ts), so its size does not delay the boot.
  build: { chunkSizeWarningLimit: 1024 },
  // Module workers: the editor's compile worker loads the AssemblyScript compiler, which uses top-level await.
  worker: { format: 'es' },
  test: {
    // Component tests are .tsx; e2e/ drives the production build in Chromium (see e2e/README.md).
    include: ['tests/**/*.test.{ts,tsx}', 'src/**/*.test.ts', 'e2e/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // The e2e files share one production build (e2e/support/static-site.ts).
    globalSetup: ['./e2e/support/global-site.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
