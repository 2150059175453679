// End-to-end: the Editor panel in Chromium against the production build.
// Monaco and the compilers load only when the panel is opened; Build & Run
// compiles in the browser (asc + binaryen, or wabt) and starts the module the
// way a dropped .wasm starts (/host/uploads, the host mailbox), so its output
// shows in the terminal and its task in Tasks. A syntax error comes back as an
// inline marker and an entry in the problems list; a module the kernel
// refuses shows the kernel's verdict; Monaco follows the app's theme.
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectErrors, terminalText } from './support/page-helpers.ts';
import { useChromiumSite } from './support/chromium-site.ts';

const chromium = useChromiumSite('/wasmos/editor/');

const POLL = { timeout: 30_000, interval: 100 };
// The first build loads asc and binaryen (~14 MB) into the worker.
const BUILD = { timeout: 60_000, interval: 200 };

async function open(): Promise<{ page: Page; errors: string[]; scripts: string[] }> {
  const context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const scripts: string[] = [];
  page.on('request', (r: Request) => { if (r.resourceType() === 'script' || /\.js($|\?)/.test(r.url())) scripts.push(r.url()); });
  await page.goto(chromium.site.url);
  return { page, errors, scripts };
}

// Monaco renders spaces as no-break spaces.
const editorText = async (page: Page): Promise<string> => (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
const status = (page: Page): Promise<string> => page.getByTestId('editor-status').innerText();

describe('the Editor in Chromium', () => {
  // One page through the steps (each test continues where the last stopped): booting it once keeps the file short.
  let page: Page;
  let errors: string[];

  it('loads nothing of the editor before the prompt; builds hello and runs it (terminal, Tasks)', async () => {
    const opened = await open();
    ({ page, errors } = opened);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    const names = opened.scripts.map((u) => new URL(u).pathname.split('/').pop()!);
    expect(names.filter((n) => /monaco|editor|^asc|wabt|ts\.worker|EditorPanel|compile-worker|register|tsMode/.test(n))).toEqual([]);

    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.getByRole('group', { name: 'Examples' }).getByRole('button', { name: /^Hello\b.*AssemblyScript/ }).click();
    await expect.poll(() => editorText(page), POLL).toContain('Hello from WasmOS!');

    await page.getByRole('button', { name: 'Build & Run' }).click();
    await expect.poll(() => status(page), BUILD).toMatch(/^Started hello\.wasm as task \d+\./);
    const task = /task (\d+)/.exec(await status(page))![1]!;
    await expect.poll(() => terminalText(page), POLL).toMatch(new RegExp(`Hello from WasmOS! I am task ${task},`));
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect.poll(() => tasks.getByRole('row', { name: new RegExp(`^${task}\\s+hello\\b`) }).count(), POLL).toBe(1);
    expect(errors).toEqual([]);
  });

  it('marks a syntax error inline and lists it; the edit survives a reload until Reset example', async () => {
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nlet broken = ;\n');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => status(page), BUILD).toMatch(/^Build failed: 1 compile error/);
    const problems = page.getByRole('list', { name: 'Problems' });
    await expect.poll(() => problems.innerText(), POLL).toMatch(/main\.ts:11:14\s+Expression expected\./);
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count(), POLL).toBeGreaterThan(0);
    await problems.getByRole('button').first().click();
    await expect.poll(() => page.locator('.monaco-editor .cursors-layer .cursor').first().isVisible(), POLL).toBe(true);

    await page.reload();
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.getByRole('tab', { name: 'Editor' }).click();
    await expect.poll(() => editorText(page), POLL).toContain('let broken = ;');
    await page.getByRole('button', { name: 'Reset example' }).click();
    await expect.poll(() => editorText(page), POLL).not.toContain('let broken');
    expect(errors).toEqual([]);
  });

  it('builds and runs WAT; shows the kernel refusing a module; follows the app theme', async () => {
    await page.getByRole('group', { name: 'Examples' }).getByRole('button', { name: /Hello \(WAT\)/ }).click();
    await expect.poll(() => editorText(page), POLL).toContain('debug_print');
    await page.getByRole('button', { name: 'Build & Run' }).click();
    await expect.poll(() => status(page), BUILD).toMatch(/^Started hello-wat\.wasm as task \d+\./);
    await expect.poll(() => terminalText(page), POLL).toContain('Hello from WAT on WasmOS!');

    // A module that builds but the kernel refuses (an import it does not offer): its verdict, as for an upload.
    await page.locator('.monaco-editor .view-lines').click();
    // Clear first (a "(" typed over a selection would surround it); typing a closing bracket or quote
    // steps over the one Monaco closed automatically, so the text ends up exactly as typed.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('(module (import "env" "no_such_call" (func)) (func (export "_start")))');
    await expect.poll(() => editorText(page), POLL).toBe('(module (import "env" "no_such_call" (func)) (func (export "_start")))');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => status(page), BUILD).toMatch(/^Cannot run hello-wat\.wasm: E_BAD_MODULE/);

    expect(await page.locator('.monaco-editor.vs').count()).toBe(1);
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    await expect.poll(() => page.locator('.monaco-editor.vs-dark').count(), POLL).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
