// The guest programs on the board alone, so the comparison with QEMU also
// runs where QEMU is not installed: each program must print the transcript
// QEMU printed when it was recorded (tests/guest/expected, kept current by
// differential.test.ts). Plus what only the board can promise: a run is a
// pure function of the image, and a snapshot taken mid-run resumes exactly.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { firstDifference, runBoard, runUntilStopped } from '../helpers/board-run.ts';

const GUEST = fileURLToPath(new URL('../guest/', import.meta.url));
const names = (dir: string, ext: string): string[] =>
  readdirSync(`${GUEST}${dir}`).filter((f) => f.endsWith(ext)).map((f) => f.slice(0, -ext.length)).sort();
const programs = names('bin', '.elf');
const image = (name: string): Uint8Array => new Uint8Array(readFileSync(`${GUEST}bin/${name}.elf`));
const recorded = (name: string): Uint8Array => new Uint8Array(readFileSync(`${GUEST}expected/${name}.out`));
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('recorded QEMU transcripts', () => {
  it('exist for exactly the committed images', () => {
    expect(names('expected', '.out')).toEqual(programs);
  });

  it.each(programs)('%s: ends with its PASS marker', (name) => {
    expect(text(recorded(name)).endsWith('\nPASS\n')).toBe(true);
  });
});

describe('guest programs on the board', () => {
  it.each(programs)('%s: prints the recorded QEMU transcript and powers off with success', (name) => {
    const run = runBoard(image(name));
    expect(run.error, 'the board threw').toBeNull();
    expect(firstDifference(recorded(name), run.output, ['QEMU', 'board'])).toBeNull();
    expect(run.stop).toEqual({ kind: 'poweroff', code: 0 });
  });
});

describe('board runs are reproducible', () => {
  // interrupts idles on timers; sv32 exercises the page walk and A/D updates.
  it.each(['interrupts', 'sv32', 'smc'])('%s: two runs agree on output, cycles, instret and state', (name) => {
    const a = runBoard(image(name));
    const b = runBoard(image(name));
    expect(a.error).toBeNull();
    expect(text(b.output)).toBe(text(a.output));
    expect(b.stop).toEqual(a.stop);
    expect(b.cycles).toBe(a.cycles);
    expect(b.instret).toBe(a.instret);
    expect(b.machine!.stateHash()).toBe(a.machine!.stateHash());
  });

  it.each(['interrupts', 'traps'])('%s: runs of 1-3 cycles never end past their budget, trap entries included', (name) => {
    // A replay stops exactly where each input is due: a run that took an
    // interrupt (a cycle) after spending its budget would overshoot it.
    const m = new Machine({ image: image(name) });
    let out = '';
    m.onSerial = (b) => { out += text(b); };
    let overshoots = 0;
    for (let k = 1; m.cycles < 200_000_000; k = (k % 3) + 1) {
      const before = m.cycles;
      const stop = m.run(k);
      if (m.cycles > before + k) overshoots++;
      if (stop.kind === 'poweroff') break;
    }
    expect(overshoots).toBe(0);
    expect(out).toBe(text(recorded(name)));
  });

  it.each(['interrupts', 'sv32', 'smc'])('%s: a snapshot taken mid-run resumes to the same end', (name) => {
    const whole = runBoard(image(name));
    expect(whole.error).toBeNull();
    expect(whole.stop.kind).toBe('poweroff');

    const first = new Machine({ image: image(name) });
    let before = '';
    first.onSerial = (b) => { before += text(b); };
    const stop = runUntilStopped(first, Math.floor(whole.cycles / 2), 10_000);
    expect(stop.kind, 'the halfway point comes before power-off').not.toBe('poweroff');
    const blob = first.snapshot();

    const resumed = Machine.fromSnapshot(blob);
    expect(resumed.stateHash()).toBe(first.stateHash());
    let after = '';
    resumed.onSerial = (b) => { after += text(b); };
    const end = runUntilStopped(resumed, whole.cycles * 2);
    expect(end).toEqual(whole.stop);
    expect(before + after).toBe(text(whole.output));
    expect(resumed.cycles).toBe(whole.cycles);
    expect(resumed.stateHash()).toBe(whole.machine!.stateHash());
  });
});
