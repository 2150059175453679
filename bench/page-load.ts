// Measures the playground page in headless Chromium against the production
// build: time from navigation to a console text (the page marks it when the
// worker reports the text's first appearance) and the JavaScript transferred
// before it (Resource Timing, which covers the worker's script too). Each run
// is a fresh browser context, so nothing is cached.
//
//   tsx bench/page-load.ts [--runs N] [--text TEXT]    prints one JSON line
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../e2e/support/browser.ts';
import { buildAndServe } from '../e2e/support/static-site.ts';
import { MARK_FIRST_OUTPUT, MARK_PROMPT, type MarkDetail } from '../src/ui/machine/machine-session.ts';

export interface PageLoadRun {
  /** Navigation start to the page's mark for the text. */
  toTextMs: number;
  /** The guest's first console byte (the worker's boot() start plus its own time to it). */
  firstOutputMs: number | null;
  /** The page's session received its first output (the UI had attached to the worker). */
  pageFirstOutputMs: number | null;
  /** Bytes on the wire (compressed as served) of .js resources finished before the text appeared. */
  jsBytes: number;
  jsFiles: number;
  /** The worker's own boot-to-text time and the guest instructions it took. */
  workerMs: number | null;
  instret: number;
  /** Where the time went, in milliseconds from navigation (null when unknown). */
  parts: PageLoadParts;
}

/** Milestones of a page load, milliseconds from navigation start. */
export interface PageLoadParts {
  /** The HTML document arrived. */
  htmlMs: number;
  /** The page's entry script (index-*.js) arrived. */
  entryJsMs: number | null;
  /** The worker's script arrived (the .js whose name says machine-worker). */
  workerJsMs: number | null;
  /** kernel.elf arrived. */
  kernelMs: number | null;
  /** The OS image arrived (the boot archive, or its last module where the page fetches them one by one). */
  modulesMs: number | null;
  /** The worker's boot() began (the text's mark minus the worker's own boot-to-text time). */
  bootStartMs: number | null;
}

export interface PageLoadResult {
  text: string;
  runs: PageLoadRun[];
}

const TIMEOUT_MS = 60_000;

function partsOf(htmlMs: number, resources: { path: string; end: number }[], toTextMs: number, workerMs: number | null): PageLoadParts {
  const ends = (re: RegExp): number[] => resources.filter((r) => re.test(r.path)).map((r) => r.end);
  const earliest = (xs: number[]): number | null => (xs.length ? Math.min(...xs) : null);
  const latest = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);
  return {
    htmlMs,
    entryJsMs: earliest(ends(/\/index-[^/]*\.m?js$/)),
    workerJsMs: earliest(ends(/machine-worker[^/]*\.m?js$/)),
    kernelMs: earliest(ends(/kernel\.elf$/)),
    modulesMs: latest(ends(/\.(wbar|wasm)$/)),
    bootStartMs: workerMs === null ? null : toTextMs - workerMs,
  };
}

export async function measurePageLoad(opts: { runs: number; text: string; log?: (l: string) => void }): Promise<PageLoadResult> {
  const log = opts.log ?? (() => {});
  const site = await buildAndServe({ base: '/bench/' });
  const browser = await launchChromium().catch(async (e: unknown) => { await site.close(); throw e; });
  const runs: PageLoadRun[] = [];
  try {
    for (let i = 0; i < opts.runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.goto(`${site.url}?prompt=${encodeURIComponent(opts.text)}`);
      await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, MARK_PROMPT, { timeout: TIMEOUT_MS, polling: 20 });
      const raw = await page.evaluate(([prompt, first]) => {
        const mark = performance.getEntriesByName(prompt)[0] as PerformanceMark;
        const firstMark = performance.getEntriesByName(first)[0] as PerformanceMark | undefined;
        const firstDetail = firstMark?.detail as MarkDetail | null | undefined;
        const js = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => /\.m?js(\?|$)/.test(new URL(e.name).pathname) && e.responseEnd <= mark.startTime);
        const detail = mark.detail as MarkDetail | null;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        // Plain data only: helpers defined in here would need the bundler's runtime in the page.
        const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .map((e) => ({ path: new URL(e.name).pathname, end: e.responseEnd }));
        return {
          toTextMs: mark.startTime, pageFirstOutputMs: firstMark?.startTime ?? null, firstWorkerMs: firstDetail?.workerMs ?? null,
          jsBytes: js.reduce((n, e) => n + e.transferSize, 0), jsFiles: js.length,
          workerMs: detail?.workerMs ?? null, instret: detail?.instret ?? 0, htmlMs: nav?.responseEnd ?? 0, resources,
        };
      }, [MARK_PROMPT, MARK_FIRST_OUTPUT] as const);
      const { resources, htmlMs, firstWorkerMs, ...timing } = raw;
      const parts = partsOf(htmlMs, resources, timing.toTextMs, timing.workerMs);
      const firstOutputMs = parts.bootStartMs === null || firstWorkerMs === null ? null : parts.bootStartMs + firstWorkerMs;
      const run: PageLoadRun = { ...timing, firstOutputMs, parts };
      const f = (v: number | null): string => (v === null ? '?' : v.toFixed(0));
      const p = run.parts;
      log(`page: run ${i + 1}: "${opts.text}" after ${run.toTextMs.toFixed(0)} ms, ${run.jsBytes} bytes of JavaScript in ${run.jsFiles} files; ` +
        `html ${f(p.htmlMs)}, entry js ${f(p.entryJsMs)}, worker js ${f(p.workerJsMs)}, kernel ${f(p.kernelMs)}, modules ${f(p.modulesMs)}, ` +
        `boot() ${f(p.bootStartMs)}, first output ${f(run.firstOutputMs)} (page had it ${f(run.pageFirstOutputMs)}) ms; ${(run.instret / 1e6).toFixed(1)} M guest instructions`);
      runs.push(run);
      await context.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return { text: opts.text, runs };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, text: { type: 'string', default: 'WasmOS kernel:' } } });
  const result = await measurePageLoad({ runs: Number(values.runs), text: values.text!, log: (l) => console.error(l) });
  console.log(JSON.stringify(result));
}
