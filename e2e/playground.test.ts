// End-to-end: the production build, served statically under a nested base
// path, in headless Chromium. The kernel boots in the worker, the terminal
// shows its console, the self-test fills the trace and task panels, the
// machine pauses and resumes, and the theme toggles. The default boot is the
// OS (init, servers, shell from the boot archive the page packs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectErrors, terminalText } from './support/page-helpers.ts';
import { useChromiumSite } from './support/chromium-site.ts';

const chromium = useChromiumSite('/wasmos/playground/');

async function open(query = '', colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(chromium.site.url + query);
  return { page, errors };
}

const POLL = { timeout: 30_000, interval: 100 };

describe('the playground in Chromium', () => {
  it('boots the kernel in the worker and shows its boot lines in the terminal', async () => {
    const { page, errors } = await open();
    await expect.poll(() => terminalText(page), POLL).toContain('WasmOS kernel: hart 0');
    await expect.poll(() => terminalText(page), POLL).toMatch(/memory: 128 MiB at 0x80000000/);
    await expect.poll(() => page.getByTestId('status-pill').innerText(), POLL).toMatch(/running|idle|powered off/);
    // The OS boots to the shell; typing goes to it through xterm.js.
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.locator('.xterm').click();
    await page.keyboard.type('hello from the browser\r');
    await expect.poll(() => terminalText(page), POLL).toContain('Hello from WasmOS!');
    await page.keyboard.type('ls /boot\r');
    await expect.poll(() => terminalText(page), POLL).toContain('init.rc');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('starts the machine before the app: worker from the HTML, one OS image, no output lost on the way', async () => {
    const { page, errors } = await open('?prompt=shell%3E');
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    const seen = await page.evaluate(() => ({
      resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .map((e) => ({ file: new URL(e.name).pathname.replace(/.*\//, ''), start: e.startTime, end: e.responseEnd })),
      first: (performance.getEntriesByName('wasmos-first-output')[0] as PerformanceMark | undefined)?.detail as { workerMs: number | null } | undefined,
      prompt: (performance.getEntriesByName('wasmos-prompt')[0] as PerformanceMark | undefined)?.detail as { workerMs: number | null } | undefined,
    }));
    const files = (re: RegExp) => seen.resources.filter((r) => re.test(r.file));
    const started = (re: RegExp): number => Math.min(...files(re).map((r) => r.start));
    const arrived = (re: RegExp): number => Math.max(...files(re).map((r) => r.end));
    // The HTML starts the worker (when the browser fetches its script is the browser's
    // business); the app's chunk is asked for only once the kernel and the OS image are here.
    expect(files(/^machine-worker-.*\.js$/)).toHaveLength(1);
    expect(started(/^mount-.*\.js$/)).toBeGreaterThanOrEqual(arrived(/^kernel\.elf$/));
    expect(started(/^mount-.*\.js$/)).toBeGreaterThanOrEqual(arrived(/\.wbar$/));
    // The OS image is one file, not a request per module.
    expect(seen.resources.filter((r) => /\.wbar$/.test(r.file))).toHaveLength(1);
    expect(seen.resources.filter((r) => /\.wasm$/.test(r.file))).toEqual([]);
    // The worker had output long before the app attached; the terminal still got all of it, in order.
    expect(seen.first?.workerMs).toBeGreaterThan(0);
    expect(seen.prompt?.workerMs).toBeGreaterThan(seen.first!.workerMs!);
    const text = await terminalText(page);
    expect(text.trimStart()).toMatch(/^WasmOS kernel: hart 0/);
    expect(text.indexOf('init: started console')).toBeLessThan(text.indexOf('shell>'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs a .wasm dropped onto the page, and refuses an invalid one with a clear error', async () => {
    const { page, errors } = await open();
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    const hello = [...readFileSync(fileURLToPath(new URL('../servers/build/apps/hello.wasm', import.meta.url)))];
    // The browser's own drop path: a DataTransfer holding a File, dispatched as dragover + drop.
    const drop = async (name: string, bytes: number[]): Promise<void> => {
      await page.evaluate(([n, b]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(b as number[])], n as string, { type: 'application/wasm' }));
        window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, [name, bytes] as const);
    };
    await drop('dropped.wasm', hello);
    await expect.poll(() => page.locator('.upload-notice').innerText(), POLL).toMatch(/^Started dropped\.wasm as task \d+\.$/);
    await expect.poll(() => terminalText(page), POLL).toContain('Hello from WasmOS!');
    await drop('broken.wasm', [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff]);
    await expect.poll(() => page.locator('.upload-notice').innerText(), POLL).toMatch(/^Cannot run broken\.wasm: E_BAD_MODULE/);
    // The OS stays healthy: the shell still answers.
    await page.locator('.xterm').click();
    await page.keyboard.type('echo still here\r');
    await expect.poll(() => terminalText(page), POLL).toContain('still here');
    // Uploads persist (IndexedDB): after a reload they are back in /host/uploads.
    await page.reload();
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.locator('.xterm').click();
    await page.keyboard.type('ls /host/uploads\r');
    await expect.poll(() => terminalText(page), POLL).toContain('dropped.wasm');
    await page.keyboard.type('/host/uploads/dropped.wasm\r');
    await expect.poll(async () => (await terminalText(page)).split('Hello from WasmOS!').length, POLL).toBe(2);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('kills a busy task from the Tasks panel while the shell stays responsive', async () => {
    const { page, errors } = await open();
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.locator('.xterm').click();
    await page.keyboard.type('start busy\r');
    await expect.poll(() => terminalText(page), POLL).toMatch(/\[job 1\] task (\d+)/);
    const id = /\[job 1\] task (\d+)/.exec(await terminalText(page))![1]!;
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const kill = page.getByRole('button', { name: `Kill busy (${id})` });
    await expect.poll(() => kill.count(), POLL).toBe(1);
    await kill.click();
    await expect.poll(() => page.locator('.upload-notice').innerText(), POLL).toBe(`Task ${id} killed.`);
    await page.locator('.xterm').click();
    await page.keyboard.type('jobs\r');
    await expect.poll(() => terminalText(page), POLL).toMatch(/\[job 1\] done +busy/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the self-test fills the IPC trace and the task list', async () => {
    const { page, errors } = await open();
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.getByRole('tab', { name: 'Machine' }).click();
    await page.getByLabel('Boot', { exact: true }).selectOption('selftest');
    await page.getByRole('button', { name: 'Reboot' }).click();
    await expect.poll(() => terminalText(page), POLL).toMatch(/selftest: \d+ passed, 0 failed/);
    await expect.poll(() => page.getByTestId('machine-state').innerText(), POLL).toBe('Powered off (exit code 0)');

    await page.getByRole('tab', { name: 'IPC trace' }).click();
    const table = page.getByRole('table', { name: 'Trace events' });
    await expect.poll(() => table.getByRole('row').count(), POLL).toBeGreaterThan(10);
    const summary = await page.getByText(/shown of/).innerText();
    expect(Number(summary.split(' ')[0]!.replace(/,/g, ''))).toBeGreaterThan(500);
    // Message names decoded from the IDL, in the type filter and the diagram.
    await page.getByLabel('Filter by message type').selectOption({ label: 'ping (9)' });
    await expect.poll(() => table.getByRole('row').nth(1).innerText(), POLL).toMatch(/call\s+ping/);
    expect(await page.locator('.seq-diagram .arrow-call').count()).toBeGreaterThan(0);
    expect(await page.locator('.seq-diagram').innerText()).toContain('ping');

    await page.getByRole('tab', { name: 'Tasks' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    await expect.poll(() => tasks.getByRole('row').count(), POLL).toBeGreaterThan(10);
    await expect.poll(() => tasks.innerText(), POLL).toContain('selftest');
    // Selecting a task filters the trace to it.
    await tasks.getByRole('row', { name: /selftest/ }).first().click();
    await page.getByRole('tab', { name: 'IPC trace' }).click();
    expect(await page.getByLabel('Filter by task').inputValue()).toMatch(/^\d+$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('pauses and resumes the machine', async () => {
    const { page, errors } = await open('?bootargs=selftest');
    await page.getByRole('tab', { name: 'Machine' }).click();
    const pill = page.getByTestId('status-pill');
    // The self-test runs for a second or two: reboot and pause at once (again if the machine was quicker).
    for (let attempt = 0; ; attempt++) {
      await page.getByRole('button', { name: 'Reboot' }).click();
      await page.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => pill.innerText(), POLL).toMatch(/paused|powered off/);
      if (/paused/.test(await pill.innerText())) break;
      expect(attempt).toBeLessThan(4);
    }
    const instructions = page.locator('dt', { hasText: /^Instructions$/ }).locator('xpath=following-sibling::dd');
    const before = await instructions.innerText();
    await page.waitForTimeout(500);
    expect(await instructions.innerText()).toBe(before);
    expect(await terminalText(page)).not.toMatch(/selftest: \d+ passed/);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => terminalText(page), POLL).toMatch(/selftest: \d+ passed, 0 failed/);
    await expect.poll(() => pill.innerText(), POLL).toMatch(/powered off \(0\)/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches between the light and dark themes, and remembers the choice', async () => {
    const { page, errors } = await open('?bootargs=', 'light');
    const theme = (): Promise<string | undefined> => page.evaluate(() => document.documentElement.dataset.theme);
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await expect.poll(theme, POLL).toBe('light');
    const light = await background();
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
    expect(await theme()).toBe('dark');
    expect(await background()).not.toBe(light);
    await page.reload();
    await expect.poll(theme, POLL).toBe('dark');
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    expect(await theme()).toBe('light');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a laptop screen side by side and stacks the areas in a narrow window', async () => {
    const { page, errors } = await open('?bootargs=');
    const box = async (label: string) => (await page.getByRole('region', { name: label }).boundingBox())!;
    await page.setViewportSize({ width: 1280, height: 720 });
    let [consoleArea, inspect] = [await box('Console'), await box('Inspect')];
    expect(inspect.x).toBeGreaterThanOrEqual(consoleArea.x + consoleArea.width);
    expect(consoleArea.height).toBeGreaterThan(600);
    await page.setViewportSize({ width: 800, height: 900 });
    [consoleArea, inspect] = [await box('Console'), await box('Inspect')];
    expect(inspect.y).toBeGreaterThanOrEqual(consoleArea.y + consoleArea.height - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
