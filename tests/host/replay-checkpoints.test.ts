// Checkpoints stay bounded in count and bytes and keep covering the session.
import { describe, expect, it } from 'vitest';
import { Checkpoints, MAX_BYTES, MAX_CHECKPOINTS } from '../../src/host/replay/checkpoints.ts';

const cp = (instret: number, bytes = 16) => ({ cycles: instret, instret, board: new Uint8Array(bytes), console: 0, tasks: [] });

describe('checkpoints', () => {
  it('thin out when full, doubling the interval, and always keep the first', () => {
    const c = new Checkpoints();
    let t = 0;
    for (let i = 0; i < 100; i++) {
      if (c.due(t)) c.add(cp(t));
      t += 10_000_000;
    }
    expect(c.count).toBeLessThanOrEqual(MAX_CHECKPOINTS);
    expect(c.before(0)?.instret).toBe(0);
    expect(c.interval).toBeGreaterThan(50_000_000);
    expect(c.before(t)!.instret).toBeGreaterThan(t - 4 * c.interval);
    expect(c.before(-1)).toBeNull();
  });

  it('stay under the byte cap', () => {
    const c = new Checkpoints();
    for (let i = 0; i < 6; i++) c.add(cp(i * 1e9, 40 * 1024 * 1024));
    expect(c.count).toBe(2);
    expect(c.count * 40 * 1024 * 1024).toBeLessThanOrEqual(MAX_BYTES);
  });
});
