// The setup every browser test file shares: the production site served under
// `base` (one build per run, see static-site.ts) and a headless Chromium,
// started before the file's tests and closed after them.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.ts';
import { buildAndServe, type StaticSite } from './static-site.ts';

export interface ChromiumSite {
  readonly site: StaticSite;
  readonly browser: Browser;
}

/** Registers the file's beforeAll/afterAll; `prepare` may change the built site (e.g. swap the kernel). */
export function useChromiumSite(base: string, prepare?: (site: StaticSite) => void): ChromiumSite {
  let site: StaticSite | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    site = await buildAndServe({ base });
    prepare?.(site);
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get site() { return site!; },
    get browser() { return browser!; },
  };
}
