import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { bootPlugin } from './src/ui/build/boot-plugin.ts';

// The playground is a static site: `base: './'` lets it be served under any path.
export default defineConfig({
  base: './',
  plugins: [react(), bootPlugin()],
  // The app chunk (React, xterm.js, the IDL schema) is ~600 kB, 170 kB compressed; it loads while the
  // machine boots (src/ui/main.ts), so its size does not delay the boot.
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
