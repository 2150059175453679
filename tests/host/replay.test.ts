// Exact replay of a real whole-OS session: a user types commands, uploads a
// program (a host-tree write plus a mailbox command), switches the trace off
// and on; the recording goes through the link encoding and is replayed on a
// fresh machine in different slice sizes. Console, task table, trace and the
// machine state hash must all be identical.
import { describe, expect, it } from 'vitest';
import { packRecording, recordingFragment, packedFromFragment, unpackRecording } from '../../src/host/replay/link.ts';
import { LiveSession, app, replay } from './replay-harness.ts';

describe('recording and exact replay', () => {
  it('replays a session with commands, an upload and trace switches to the identical state', () => {
    const live = new LiveSession();
    live.runUntil('shell> ');
    live.type('ping');
    live.runUntil('shell> ', 2);
    live.upload('hello.wasm', app('hello'));
    live.runUntil('Hello from WasmOS!');
    live.setTrace(false);
    live.type('ps');
    live.runUntil('shell> ', 3);
    live.setTrace(true);
    live.type('ls /host/uploads');
    live.runUntil('shell> ', 4);
    live.runFor(7_000_001); // idle a while
    expect(live.out).toContain('hello.wasm');

    const rec = live.recording();
    expect(rec.inputs.map((x) => x.kind)).toEqual(expect.arrayContaining(['serial', 'file', 'mkdir', 'mailbox', 'trace']));
    const fragment = recordingFragment(packRecording(rec));
    const back = unpackRecording(packedFromFragment(`#${fragment}`)!);
    expect(back).toEqual(rec);

    for (const budget of [3_000_000, 777_777]) {
      const { rig, replayer } = replay(back, budget);
      expect(replayer.failures).toEqual([]);
      expect(replayer.remaining).toBe(0);
      expect(rig.machine.cycles).toBe(rec.end.cycles);
      expect(rig.out).toBe(live.out);
      expect(rig.tasks()).toEqual(live.tasks());
      expect(rig.trace.length).toBe(live.trace.length);
      expect(rig.hash()).toBe(rec.end.hash);
    }
    console.log(`recording: ${rec.inputs.length} inputs, link fragment ${fragment.length} characters (hello.wasm is ${app('hello').length} bytes)`);
    expect(fragment.length).toBeLessThan(4096);
  }, 120_000);
});
