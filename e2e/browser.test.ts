// End-to-end: the Browser pane shows a page served by the webserver task
// inside WasmOS. The request goes iframe -> Service Worker (public/guest-sw.js)
// -> page -> machine worker -> the board's virtio-net card -> the guest's
// tcpip server -> webserver, and the answer comes back the same way.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectErrors, terminalText } from './support/page-helpers.ts';
import { useChromiumSite } from './support/chromium-site.ts';

const chromium = useChromiumSite('/nested/site/');

const POLL = { timeout: 60_000, interval: 200 };

async function shell(page: Page, line: string): Promise<void> {
  await page.locator('.xterm').click();
  await page.keyboard.type(`${line}\r`);
}

describe('the Browser pane', () => {
  it('shows the page, the JSON endpoint and a 404 of the webserver task', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(chromium.site.url);
    await expect.poll(() => terminalText(page), POLL).toContain('shell>');
    await shell(page, 'start webserver');
    await expect.poll(() => terminalText(page), POLL).toMatch(/webserver: listening on port 80/);

    await page.getByRole('tab', { name: 'Browser' }).click();
    await page.getByLabel('Capture packets').check();
    const open = page.getByRole('button', { name: /^(Open|Reload)$/ });
    await expect.poll(() => open.isEnabled(), POLL).toBe(true);
    await open.click();
    const frame = page.frameLocator('iframe[title="Page served by the guest"]');
    await expect.poll(() => frame.locator('body').innerText(), POLL).toMatch(/WasmOS/);

    // The same path works from any tab of the site, e.g. the JSON endpoint and a missing page.
    const status = await page.evaluate(async () => {
      const r = await fetch('guest/80/api/status');
      return { code: r.status, type: r.headers.get('content-type'), body: await r.json() as Record<string, unknown> };
    });
    expect(status.code).toBe(200);
    expect(status.type).toMatch(/application\/json/);
    expect(Object.keys(status.body)).toEqual(expect.arrayContaining(['uptime_ms', 'tasks']));
    const missing = await page.evaluate(async () => (await fetch('guest/80/no/such/page')).status);
    expect(missing).toBe(404);
    // Nothing listens on port 81: a clear error, not a hang.
    const refused = await page.evaluate(async () => {
      const r = await fetch('guest/81/');
      return { code: r.status, text: await r.text() };
    });
    expect(refused.code).toBe(502);
    expect(refused.text).toMatch(/connection refused/);
    // The traffic of all this, as a pcap file: the magic number, then Ethernet frames to and from port 80.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .pcap' }).click()]);
    const pcap = new Uint8Array(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c)));
    expect(download.suggestedFilename()).toBe('wasmos.pcap');
    expect(new DataView(pcap.buffer).getUint32(0, true)).toBe(0xa1b2c3d4);
    expect(pcap.length).toBeGreaterThan(24 + 10 * (16 + 54));
    expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
