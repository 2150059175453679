// End-to-end: the Tasks panel in Chromium after the OS boots in the worker.
// Real tasks from the kernel's trace: the servers are WasmOS servers, the
// shell a WasmOS app blocked in a call on the console while it waits for a
// line; selecting a row filters the trace; the table fits a laptop screen.
// WASMOS_KERNEL replaces the built site's kernel.elf (a kernel under test).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectErrors, terminalText } from './support/page-helpers.ts';
import { useChromiumSite } from './support/chromium-site.ts';

const chromium = useChromiumSite('/play/', (site) => {
  if (process.env.WASMOS_KERNEL) copyFileSync(process.env.WASMOS_KERNEL, join(site.outDir, 'kernel.elf'));
});

const POLL = { timeout: 30_000, interval: 100 };

async function open(width: number): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport: { width, height: 768 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(chromium.site.url);
  return { page, errors };
}

describe('the Tasks panel in Chromium', () => {
  it('shows kinds and whom blocked tasks wait on for the booted OS, and filters the trace by task', async () => {
    const { page, errors } = await open(1366);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    const cells = (name: RegExp) => table.getByRole('row', { name }).first().getByRole('cell');
    await expect.poll(() => table.innerText(), POLL).toContain('shell');
    const consoleId = await cells(/^\d+\s+console\b/).nth(0).innerText();
    // The shell at its prompt: a WasmOS app in a call to the console, waiting for a line.
    await expect.poll(() => cells(/^\d+\s+shell\b/).nth(2).innerText(), POLL).toBe('WasmOS app');
    await expect.poll(() => cells(/^\d+\s+shell\b/).nth(3).innerText(), POLL).toBe(`blocked in call on console (${consoleId})`);
    await expect.poll(() => cells(/^\d+\s+console\b/).nth(2).innerText(), POLL).toBe('WasmOS server');
    expect(await cells(/^\d+\s+console\b/).nth(2).getAttribute('title')).toContain('provides console');
    await expect.poll(() => cells(/^\d+\s+fs\b/).nth(2).innerText(), POLL).toBe('WasmOS server');

    // Keyboard: focus a row, move with the arrows, and the trace follows the selection.
    await table.getByRole('row', { name: /^\d+\s+console\b/ }).first().click();
    await page.keyboard.press('ArrowDown');
    const selected = table.locator('tr[aria-selected="true"]');
    await expect.poll(() => selected.count(), POLL).toBe(1);
    const selectedId = (await selected.getAttribute('id'))!.replace('task-row-', '');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`task-row-${selectedId}`);
    await page.getByRole('tab', { name: 'IPC trace' }).click();
    expect(await page.getByLabel('Filter by task').inputValue()).toBe(selectedId);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps every column readable in a laptop-width pane', async () => {
    const { page, errors } = await open(1280);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    await expect.poll(() => table.innerText(), POLL).toContain('shell');
    // No header is cut: each fits its column.
    const cut = await table.locator('th').evaluateAll((ths) => ths.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent));
    expect(cut).toEqual([]);
    // The numbers stay inside the visible part of the pane (no scrolling needed for them).
    const fits = await page.locator('.tasks-panel .table-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    expect(fits).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
