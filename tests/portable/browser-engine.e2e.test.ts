// End-to-end in Chromium: "Run on the browser's engine" runs a picked .wasm
// on the page's own WebAssembly engine (a Web Worker with the portable host)
// and, side by side, in WasmOS (the terminal). Both print the same result.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { collectErrors, terminalText } from '../../e2e/support/page-helpers.ts';
import { useChromiumSite } from '../../e2e/support/chromium-site.ts';
import { REPO_ROOT } from '../../e2e/support/static-site.ts';

const chromium = useChromiumSite('/play/');

const POLL = { timeout: 60_000, interval: 100 };

it('compute runs on the browser engine and in WasmOS, with the same result', async () => {
  const page = await (await chromium.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const errors = collectErrors(page);
  await page.goto(chromium.site.url);
  await expect.poll(() => terminalText(page), POLL).toContain('shell>');
  await page.getByLabel("Run a .wasm on the browser's engine").setInputFiles(join(REPO_ROOT, 'servers/build/apps/compute.wasm'));
  const pane = page.getByRole('region', { name: 'Browser engine' });
  const result = 'compute: 9592 primes below 100000, the largest 99991';
  await expect.poll(() => pane.getByLabel('Browser engine output').innerText(), POLL).toContain(result);
  await expect.poll(() => pane.getByLabel('Browser engine status').innerText(), POLL).toMatch(/^exit 0 after \d+ ms$/);
  await expect.poll(() => pane.innerText(), POLL).toMatch(/WasmOS: task \d+ \(output in the terminal\)/);
  // The same binary inside the emulated OS prints the same result in the terminal.
  await expect.poll(() => terminalText(page), POLL).toContain(result);
  expect(errors).toEqual([]);
}, 180_000);
