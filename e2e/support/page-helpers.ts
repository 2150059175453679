// What the e2e tests and the page benchmark read off the page.
import type { Page } from 'playwright-core';

/** The terminal's visible text (xterm.js's DOM renderer: one element per row). */
export async function terminalText(page: Page): Promise<string> {
  return page.locator('.xterm-rows').innerText();
}

/** Milliseconds since navigation of a performance mark the page sets, or null. */
export async function markTime(page: Page, name: string): Promise<number | null> {
  return page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name);
}

/** Collects uncaught page errors and console errors, for a final check. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}
