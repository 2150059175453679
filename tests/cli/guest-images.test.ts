// The committed guest images (benchmark workload, CLI test programs) must be
// exactly what their sources build with clang-19, like tests/guest's.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hasClang = spawnSync('clang-19', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasClang)('committed guest images are reproducible', () => {
  for (const script of ['bench/guest/build.sh', 'tests/cli/fixtures/build.sh']) {
    it(script, () => {
      const r = spawnSync('bash', [join(root, script), '--check'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });
  }
});
