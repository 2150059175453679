// The lessons' sessions (without the network) replay exactly: commands, a
// trapping task, an uploaded trapping program, a background busy loop.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveSession, replay } from './replay-harness.ts';

const example = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../servers/build/examples/${name}.wasm`, import.meta.url)));

describe('replaying lesson sessions', () => {
  it('traps, uploads and a background busy loop replay to the same state', () => {
    const live = new LiveSession();
    live.runUntil('shell> ');
    let n = 1;
    const cmd = (line: string): void => { live.type(line); live.runUntil('shell> ', ++n); };
    cmd('counter-client 5');
    cmd('trap');
    live.upload('trap.wasm', example('trap'));
    live.runUntil('trapped', 2);
    live.type('busy 1 &');
    live.runUntil('busy: spinning');
    cmd('ping');
    live.runUntil('busy: done');
    const rec = live.recording();
    const { rig } = replay(rec);
    expect(rig.out).toBe(live.out);
    expect(rig.hash()).toBe(rec.end.hash);
  }, 120_000);
});
