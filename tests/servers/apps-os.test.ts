// The demo apps in the whole OS (tests/os/os-boot.ts): init starts pong, echo
// and counter from init.rc, and the apps run from /boot as shell commands,
// typed like a user would.
import { describe, expect, it } from 'vitest';
import { bootOs, outputOf } from '../os/os-boot.ts';

describe('apps in the whole OS', () => {
  it('run from the shell: hello, pingpong, counter-client, trap, compute; busy in the background does not stop the shell', () => {
    const script = [
      'hello one two',
      'pingpong 300',
      'counter-client 2 3',
      'counter-client',
      'trap',
      'compute primes 2000',
      'start busy.wasm',
      'ping',
      'hello',
      'ps',
    ];
    const r = bootOs({ script, maxCycles: 3_000_000_000 });
    expect(r.typed, r.out).toBe(script.length);
    const of = (line: string) => outputOf(r, script.indexOf(line));
    expect(r.out).toMatch(/^pong: ready$/m);
    expect(r.out).toMatch(/^echo: ready$/m);
    expect(r.out).toMatch(/^counter: ready$/m);

    expect(of('hello one two')).toContain('Hello from WasmOS!\n  arg 1: one\n  arg 2: two\n');
    expect(of('pingpong 300')).toMatch(/^pingpong: rounds=300 ns_per_round=\d+$/m);
    // The counter starts at 0 in a fresh OS and keeps its value between programs.
    expect(of('counter-client 2 3')).toContain('counter-client: added 2 x 3, counter = 6\n');
    expect(of('counter-client')).toContain('counter-client: added 1 x 1, counter = 7\n');
    expect(of('trap')).toMatch(/^task \d+ \(trap\) trapped: out of bounds memory access in module 'trap'/m);
    expect(of('compute primes 2000')).toContain('compute: 303 primes below 2000, the largest 1999\n');
    expect(of('start busy.wasm')).toContain('busy: spinning forever');
    // busy spins meanwhile: the shell, pong and a new program still get the CPU.
    expect(of('ping')).toMatch(/reply from pong/);
    expect(of('hello')).toContain('Hello from WasmOS!\n');
    expect(of('ps')).toMatch(/^\s*\d+\s+\d+\s+\w+\s+\d+K busy$/m);
  });
});
