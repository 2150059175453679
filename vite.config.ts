import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The playground is a static site: `base: './'` lets it be served under any path.
export default defineConfig({
  base: './',
  plugins: [react()],
  test: {
    // Component tests are .tsx; e2e/ drives the production build in Chromium (see e2e/README.md).
    include: ['tests/**/*.test.{ts,tsx}', 'src/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
