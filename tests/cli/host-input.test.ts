import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HostInput } from '../../src/cli/host-input.ts';

/** A stand-in for process.stdin. */
class FakeStdin extends EventEmitter {
  isTTY: boolean | undefined;
  rawModes: boolean[] = [];
  paused = true;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty || undefined;
  }
  setRawMode(mode: boolean): this { this.rawModes.push(mode); return this; }
  pause(): this { this.paused = true; return this; }
  resume(): this { this.paused = false; return this; }
}

function setup(tty = false) {
  const stdin = new FakeStdin(tty);
  const guest: string[] = [];
  const user: string[] = [];
  const input = new HostInput(stdin, (b) => guest.push(new TextDecoder().decode(b)), (t) => user.push(t));
  input.start();
  return { stdin, guest, user, input };
}

describe('HostInput', () => {
  it('uses raw mode on a terminal and restores it on close', () => {
    const { stdin, input } = setup(true);
    expect(stdin.rawModes).toEqual([true]);
    expect(stdin.paused).toBe(false);
    input.close();
    expect(stdin.rawModes).toEqual([true, false]);
    expect(stdin.paused).toBe(true);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdin.listenerCount('end')).toBe(0);
  });

  it('leaves a pipe alone', () => {
    const { stdin, input } = setup(false);
    input.close();
    expect(stdin.rawModes).toEqual([]);
  });

  it('forwards input to the guest and wakes a waiting run loop', async () => {
    const { stdin, guest, input } = setup();
    const woke = input.activity();
    stdin.emit('data', Buffer.from('hi'));
    await woke;
    expect(guest).toEqual(['hi']);
  });

  it('turns Ctrl-A x into quit and Ctrl-A h into help on the user side', async () => {
    const { stdin, guest, user, input } = setup();
    stdin.emit('data', Buffer.from('\x01h'));
    expect(user.join('')).toMatch(/C-a x/);
    const woke = input.activity();
    stdin.emit('data', Buffer.from('a\x01xb'));
    await woke;
    expect(input.quit).toBe(true);
    expect(guest).toEqual(['a']);
    stdin.emit('data', Buffer.from('late'));
    expect(guest).toEqual(['a']);
  });

  it('reports the end of input and interrupts', async () => {
    const { stdin, input } = setup();
    const woke = input.activity();
    stdin.emit('end');
    await woke;
    expect(input.ended).toBe(true);
    await input.activity(); // resolves at once from now on

    const other = setup();
    const w2 = other.input.activity();
    other.input.interrupt();
    await w2;
    expect(other.input.quit).toBe(true);
  });
});
