// vitest global setup: names one folder for the production build that every
// e2e file of this run shares (built on first use by static-site.ts, so a run
// without e2e files builds nothing) and removes it when the run ends.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_SITE_ENV } from './static-site.ts';

export default function setup(): () => void {
  const dir = join(tmpdir(), `wasmos-e2e-site-${process.pid}-${Date.now()}`);
  process.env[SHARED_SITE_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
