// End-to-end: sharing in Chromium. A permalink made after a few commands,
// opened in a fresh browser context, replays to the same console, tasks and
// state hash; hostile links (corrupt, oversize, another OS build) are refused
// and the page boots normally; a snapshot saves and restores; time travel goes
// to a trace event, steps by message and comes back; every lesson runs to its end.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { packRecording, recordingFragment, unpackRecording, packedFromFragment } from '../src/host/replay/link.ts';
import { EARLY_SCRIPT_ID } from '../src/ui/machine/early-worker-global.ts';
import { collectErrors, terminalText } from './support/page-helpers.ts';
import { useChromiumSite } from './support/chromium-site.ts';

const chromium = useChromiumSite('/share/');

const POLL = { timeout: 60_000, interval: 100 };

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({ viewport: { width: 1366, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  return { page, errors };
}

const prompts = async (page: Page): Promise<number> => (await terminalText(page)).split('shell>').length - 1;

async function type(page: Page, line: string): Promise<void> {
  const before = await prompts(page);
  await page.locator('.xterm').click();
  await page.keyboard.type(`${line}\r`);
  await expect.poll(() => prompts(page), POLL).toBeGreaterThan(before);
}

async function tasks(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: 'Tasks' }).click();
  const rows = await page.locator('tr[id^="task-row-"]').evaluateAll((trs) => trs.map((tr) => `${tr.children[0]!.textContent} ${tr.children[1]!.textContent}`));
  return rows.sort();
}

async function shareLink(page: Page): Promise<{ url: string; hash: string }> {
  await page.getByTestId('share-button').click();
  await expect.poll(() => page.getByTestId('share-url').count(), POLL).toBe(1);
  const url = await page.getByTestId('share-url').inputValue();
  const hash = await page.getByTestId('share-hash').innerText();
  await page.getByRole('button', { name: 'Close' }).click();
  return { url, hash };
}

let permalink = '';

describe('sharing in Chromium', () => {
  it('a permalink replays in a fresh browser context to the same console, tasks and state hash', async () => {
    const a = await open(chromium.site.url);
    await expect.poll(() => terminalText(a.page), POLL).toContain('shell>');
    await type(a.page, 'ping');
    await type(a.page, 'counter-client 3');
    // Pause first so the live machine stays at the shared instant.
    await a.page.getByRole('tab', { name: 'Machine' }).click();
    await a.page.getByRole('button', { name: 'Pause' }).click();
    const { url, hash } = await shareLink(a.page);
    expect(url.length).toBeLessThan(4096);
    permalink = url;
    const liveText = await terminalText(a.page);
    const liveTasks = await tasks(a.page);

    const b = await open(url);
    await expect.poll(() => b.page.getByTestId('share-banner').innerText(), POLL).toContain('recorded state');
    expect(await b.page.getByTestId('share-banner').innerText()).toContain(hash);
    expect(await terminalText(b.page)).toBe(liveText);
    expect(await tasks(b.page)).toEqual(liveTasks);
    expect((await shareLink(b.page)).hash).toBe(hash);
    // Then the user drives.
    await b.page.getByRole('button', { name: 'Resume' }).click();
    await type(b.page, 'uptime');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });

  it('refuses corrupt, oversize and other-build links and boots normally', async () => {
    const rec = unpackRecording(packedFromFragment(new URL(permalink).hash)!);
    const otherBuild = recordingFragment(packRecording({ ...rec, build: 'ffffffffffffffff' }));
    const cases: Array<[string, RegExp]> = [
      ['#r=AAAA!!!<script>', /damaged/],
      [`#r=${'A'.repeat(1024 * 1024 + 8)}`, /too long/],
      ['#r=eJzLSM3JyVcozy_KSQEAGgQEXQ', /refused|not a WasmOS recording|malformed/],
      [`#${otherBuild}`, /made with OS build ffffffffffffffff; this page runs build [0-9a-f]{16}/],
    ];
    for (const [fragment, message] of cases) {
      const { page } = await open(chromium.site.url + fragment);
      await expect.poll(() => page.getByTestId('share-banner').innerText(), POLL).toMatch(message);
      expect(await page.getByTestId('share-banner').innerText()).toContain('booted normally');
      await expect.poll(() => terminalText(page), POLL).toContain('shell>');
      // No script but the page's own (the inline one that starts the machine worker).
      expect(await page.locator(`script:not([src]):not(#${EARLY_SCRIPT_ID})`).count()).toBe(0);
      await page.context().close();
    }
  });

  it('saves a snapshot, restores it, and travels in time through the trace', async () => {
    const { page, errors } = await open(chromium.site.url);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await type(page, 'ping');
    await page.getByRole('tab', { name: 'Snapshots' }).click();
    await page.getByLabel('Snapshot label').fill('after ping');
    await page.getByRole('button', { name: 'Save snapshot' }).click();
    await expect.poll(() => page.getByTestId('snapshots-note').innerText(), POLL).toMatch(/Saved "after ping" \(\d+ KB\)/);
    await expect.poll(() => page.getByTestId('snapshot-row').count(), POLL).toBe(1);
    await type(page, 'echo later-output');
    await page.getByTestId('snapshot-row').getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => page.getByTestId('share-banner').innerText(), POLL).toMatch(/Restored "after ping" \(state hash [0-9a-f]{16}\); paused/);
    await expect.poll(() => terminalText(page), POLL).toContain('reply from pong');
    expect(await terminalText(page)).not.toContain('later-output');

    // Time travel: pick the pong service's reply in the trace table.
    await page.getByRole('button', { name: 'Resume' }).first().click();
    await type(page, 'ping');
    await page.getByRole('tab', { name: 'IPC trace' }).click();
    await page.getByRole('button', { name: 'Table' }).click();
    await page.getByLabel('Search the trace').fill('reply');
    const row = page.locator('.trace-row').last();
    await expect.poll(() => row.count(), POLL).toBe(1);
    await row.click();
    await page.getByRole('button', { name: 'Go to this event' }).click();
    await expect.poll(() => page.getByTestId('travel-hash').count(), POLL).toBe(1);
    const at = async (): Promise<string> => page.getByTestId('time-travel-state').innerText();
    const settled = async (): Promise<string> => {
      await expect.poll(at, POLL).toMatch(/^At event #\d+/);
      return page.getByTestId('travel-hash').innerText();
    };
    await page.getByRole('button', { name: 'Next message' }).click();
    await expect.poll(at, POLL).toMatch(/Travelling|At event/);
    const next = await settled();
    const nextEvent = await at();
    await page.getByRole('button', { name: 'Previous message' }).click();
    await expect.poll(at, POLL).not.toBe(nextEvent);
    const previous = await settled();
    expect(previous).not.toBe(next);
    // Stepping forward again reaches exactly the same state: the replay is deterministic.
    await page.getByRole('button', { name: 'Next message' }).click();
    await expect.poll(at, POLL).toBe(nextEvent);
    expect(await settled()).toBe(next);
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => page.getByTestId('travel-hash').count(), POLL).toBe(0);
    await type(page, 'uptime');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs every lesson to its end', async () => {
    const { page, errors } = await open(chromium.site.url);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await page.getByRole('tab', { name: 'Lessons' }).click();
    const titles = await page.getByLabel('Lesson', { exact: true }).locator('option').allInnerTexts();
    expect(titles).toHaveLength(4);
    for (const title of titles) {
      await page.getByLabel('Lesson', { exact: true }).selectOption({ label: title });
      for (;;) {
        await page.getByTestId('lesson-run').click();
        await expect.poll(() => page.getByTestId('lesson-note').innerText(), { timeout: 90_000, interval: 100 }).toMatch(/Step done\.|Lesson complete\.|did not finish/);
        const note = await page.getByTestId('lesson-note').innerText();
        expect(note, `${title}: ${note}`).not.toContain('did not finish');
        if (note === 'Lesson complete.') break;
        await page.getByTestId('lesson-next').click();
      }
    }
    // A lesson at a step as a permalink: the machine replays and the lesson opens at that step.
    await page.getByRole('tab', { name: 'Lessons' }).click(); // the network tour left the Browser pane in front
    await page.getByLabel('Lesson', { exact: true }).selectOption({ label: titles[0]! });
    await page.getByTestId('lesson-next').click();
    await page.getByRole('button', { name: 'Share this step' }).click();
    const link = page.getByLabel('Link to this step');
    await expect.poll(() => link.count(), POLL).toBe(1);
    const url = await link.inputValue();
    expect(url).toMatch(/#r=[\w-]+&lesson=message-passing&step=2$/);
    const b = await open(url);
    await expect.poll(() => b.page.getByTestId('share-banner').innerText(), POLL).toContain('recorded state');
    await expect.poll(() => b.page.getByTestId('lesson-note').innerText(), POLL).toBe('Opened from a link at step 2.');
    expect(await b.page.getByTestId('lessons-panel').innerText()).toContain('Step 2 of 3');
    expect(b.errors).toEqual([]);
    await b.page.context().close();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
