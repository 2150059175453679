import { defineConfig } from 'vitest/config';

// The playground is a static site: `base: './'` lets it be served under any path.
export default defineConfig({
  base: './',
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
