// The console server (servers/console) on the board with the real kernel: the
// kernel's boot task starts it from the manifest with the UART granted, next
// to a test client (servers/console/console-test) that prints every line it
// reads as `line: [...]`. Input is typed with Machine.sendSerial, each piece
// once the output shows what it waits for.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/board/machine.ts';
import { writeBootArchive } from '../../src/host/boot-archive.ts';
import { KERNEL, hasQemu } from '../kernel/wasm-boot.ts';

const build = (p: string): Uint8Array => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../servers/build/${p}`, import.meta.url))));

const MANIFEST = [
  'task console.wasm name=console provides=console device=ns16550a flags=kill-any priority=6',
  'task console-test.wasm name=client uses=console flags=kill-any',
];
/** Extra tasks for some tests: a CPU-bound foreground task for Ctrl-C, a second reader. */
const SPIN = 'task console-test.wasm name=spin arg=spin';
const READER = 'task console-test.wasm name=reader arg=reader uses=console';

const ESC = '\x1b';
const LEFT = `${ESC}[D`;
const RIGHT = `${ESC}[C`;
const UP = `${ESC}[A`;
const DOWN = `${ESC}[B`;

interface Step {
  /** Wait until the output (from where the previous step matched; at first from the end of the boot log) holds this. */
  after: string;
  /** Text (sent as UTF-8), raw bytes, or text made from the output so far. */
  send: string | Uint8Array | ((out: string) => string);
}

/**
 * The boot task's report of a killed task. It says "(reason lost)" when it
 * noticed the exit by looking before the kernel's notification reached it.
 */
const killedLine = (id: number, name: string): RegExp => new RegExp(`boot: task ${id} \\(${name}\\) exited: (killed|\\(reason lost\\))$`, 'm');

interface Run {
  /** The output decoded as UTF-8, \r removed. */
  out: string;
  /** The `line: [...]` lines the client printed, in order. */
  lines: string[];
  steps: number;
  instret: number;
}


function archive(tasks: string[]): Uint8Array {
  return writeBootArchive([
    { name: 'manifest', data: new TextEncoder().encode(`${tasks.join('\n')}\n`) },
    { name: 'console.wasm', data: build('console.wasm') },
    { name: 'console-test.wasm', data: build('console/console-test.wasm') },
  ]);
}

/**
 * Boots console + client and plays `steps` once the boot log is over;
 * `early` is typed before anything runs (type-ahead waiting in the UART).
 */
function boot(steps: Step[], opts: { early?: string; extra?: string[]; maxCycles?: number } = {}): Run {
  const tasks = [...MANIFEST, ...(opts.extra ?? [])];
  // The boot task's last line: after it only our tasks write (no boot log in between).
  const booted = `boot: started "${/name=(\S+)/.exec(tasks[tasks.length - 1]!)![1]}"`;
  const initrd = archive(tasks);
  const m = new Machine({ image: new Uint8Array(readFileSync(KERNEL)), initrd, memMiB: 128 });
  const chunks: Buffer[] = [];
  let text = '';
  m.onSerial = (b) => {
    chunks.push(Buffer.from(b));
    text += Buffer.from(b).toString('latin1');
  };
  if (opts.early) m.sendSerial(Buffer.from(opts.early, 'utf8'));
  const until = 'line: [quit]';
  let done = 0;
  let from = -1;
  while (m.cycles < (opts.maxCycles ?? 600_000_000)) {
    const r = m.run(1_000_000);
    if (r.kind === 'poweroff' || r.kind === 'reset') break;
    const step = steps[done];
    if (from < 0) {
      const at = text.indexOf(booted);
      if (at >= 0) from = at;
    } else if (step) {
      const at = text.indexOf(step.after, from);
      if (at >= 0) {
        from = at + step.after.length;
        const data = typeof step.send === 'function' ? step.send(text) : step.send;
        m.sendSerial(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
        done++;
      }
    } else if (text.includes(until)) break;
  }
  const out = Buffer.concat(chunks).toString('utf8').replace(/\r/g, '');
  const lines = [...out.matchAll(/^line: \[(.*)\]$/gmu)].map((x) => x[1]!);
  return { out, lines, steps: done, instret: m.instret };
}

describe('console server', () => {
  it('edits lines: insert in the middle, backspace, delete, Home/End, Ctrl keys, history, UTF-8, bad input', () => {
    // All typed at once: the client reads line after line from the type-ahead.
    const keys = [
      `wrld${LEFT}${LEFT}${LEFT}o${ESC}[Hhello ${ESC}[F!\r`, // hello world!
      'abcx\x7fd\x08\x08\r', // ab (0x7f and 0x08 both erase)
      `abc${ESC}OH${ESC}[3~${ESC}[Fd${ESC}OHx${ESC}[4~${ESC}[1~y\r`, // yxbcd
      `one two three\x17four\x01X\x05Y${LEFT.repeat(5)}\x0b\x01${RIGHT}${RIGHT}\x15\r`, // "ne two "
      `${UP}\r`, // the same again (not stored twice)
      `${UP}${UP}${UP}${DOWN}\r`, // ab, then back to yxbcd
      `dra${UP}${UP}${DOWN}${DOWN}ft\r`, // the draft comes back: draft
      `aéü${LEFT}\x7fö\r`, // aöü
      `x\r\ny\n`, // a CR LF pair is one Enter: x, y
      `a${ESC}[99Zb${ESC}[200~c${ESC}xd\r`, // unknown sequences dropped: abcd
    ];
    // Malformed UTF-8 (a stray 0xff and continuation byte, an overlong lead) is dropped: abc
    const bad = Uint8Array.from([0x61, 0xff, 0x80, 0x62, 0xe0, 0x80, 0x63, 0x0d]);
    const tail = `${'z'.repeat(300)}\rquit\r`; // cut at 255 bytes
    const input = Buffer.concat([Buffer.from(keys.join(''), 'utf8'), bad, Buffer.from(tail, 'utf8')]);
    const r = boot([{ after: '', send: input }]);
    expect(r.lines).toEqual([
      'hello world!', 'ab', 'yxbcd', 'ne two ', 'ne two ', 'yxbcd', 'draft', 'aöü', 'x', 'y', 'abcd', 'abc',
      'z'.repeat(255), 'quit',
    ]);
    // The malformed bytes never reached the screen or the line.
    expect(r.out).not.toContain('\ufffd');
  });

  it('echoes with ANSI redraws: inserting in the middle rewrites the tail and moves back', () => {
    const r = boot([{ after: '', send: `ac${LEFT}b\r` }, { after: 'line: [abc]', send: 'quit\r' }]);
    // "a", "c", cursor left, then "b" and the pushed "c" rewritten, cursor back
    // one; Enter goes to the end of the line before the newline.
    expect(r.out).toContain(`ac${ESC}[Dbc${ESC}[D${ESC}[C\nline: [abc]`);
  });

  it('Ctrl-C while editing interrupts the read; Ctrl-D ends input on an empty line and deletes otherwise', () => {
    const r = boot([
      { after: '', send: 'abc\x03' },
      { after: 'interrupted', send: '\x04' },
      { after: 'end', send: `ab${LEFT}\x04\r` },
      { after: 'line: [a]', send: 'quit\r' },
    ]);
    expect(r.out).toContain('abc^C\ninterrupted');
    expect(r.out).toMatch(/interrupted\n> end\n/);
    expect(r.lines).toEqual(['a', 'quit']);
  });

  it('Ctrl-L clears the screen and redraws the prompt and the line', () => {
    const r = boot([{ after: '', send: 'ab\x0c' }, { after: `${ESC}[2J`, send: 'c\rquit\r' }]);
    expect(r.out).toContain(`${ESC}[H${ESC}[2J> abc`);
    expect(r.lines).toEqual(['abc', 'quit']);
  });

  it('keeps type-ahead: input typed before the server started and while nobody reads', () => {
    const r = boot(
      [{ after: 'line: [sleep 200]', send: 'second\rthird\r' }, { after: 'line: [third]', send: 'quit\r' }],
      { early: 'first\rsleep 200\r' },
    );
    expect(r.lines).toEqual(['first', 'sleep 200', 'second', 'third', 'quit']);
  });

  it('holds more than the 4 KiB type-ahead: the rest waits in the UART (flow control), nothing is lost', () => {
    const many = Array.from({ length: 700 }, (_, i) => `l${String(i).padStart(4, '0')}`); // 700 x 6 bytes = 4,200
    const r = boot([{ after: '', send: 'sleep 300\r' }, { after: 'line: [sleep 300]', send: `${many.join('\r')}\rquit\r` }]);
    expect(r.lines).toEqual(['sleep 300', ...many, 'quit']);
  });

  it('console_read gets raw bytes (control characters and escapes included)', () => {
    const r = boot([{ after: '', send: 'raw\r' }, { after: 'line: [raw]', send: `\x01${ESC}[A` }, { after: 'raw: ', send: 'quit\r' }]);
    expect(r.out).toContain('raw: 01 1b 5b 41');
    expect(r.lines).toEqual(['raw', 'quit']);
  });

  it('Ctrl-C kills the foreground task while nobody reads', () => {
    const spin = (out: string): number => Number(/boot: started "spin" .* as task (\d+)/.exec(out)![1]);
    const r = boot([
      { after: '', send: (out) => `fg ${spin(out)}\r` },
      { after: 'fg set', send: '\x03' },
      { after: 'fg done', send: 'quit\r' },
    ], { extra: [SPIN] });
    const id = spin(r.out);
    expect(r.out).toContain(`fg set\n^C\n`);
    expect(r.out).toMatch(killedLine(id, 'spin'));
    expect(r.lines).toEqual([`fg ${id}`, 'quit']);
  });

  it('a Ctrl-C typed ahead kills the task made the foreground next', () => {
    // The line and Ctrl-C arrive together: the client reads "fg N", Ctrl-C
    // waits in the type-ahead, and set_foreground(N) finds it.
    const spin = (out: string): number => Number(/boot: started "spin" .* as task (\d+)/.exec(out)![1]);
    const r = boot([{ after: '', send: (out) => `fg ${spin(out)}\r\x03` }, { after: 'fg done', send: 'quit\r' }], { extra: [SPIN] });
    const id = spin(r.out);
    expect(r.out).toMatch(killedLine(id, 'spin'));
    expect(r.out).toMatch(/\^C\n(.|\n)*fg set\n/);
    expect(r.lines).toEqual([`fg ${id}`, 'quit']);
  });

  it('survives random input: never traps, keeps serving', () => {
    // A fixed-seed xorshift stream of 6,000 bytes (escape sequences, broken
    // UTF-8, control keys, Enter...), then Ctrl-E Ctrl-U to drop any partial
    // line (a control character also cancels a pending escape sequence).
    let x = 0x9e3779b9;
    const noise = new Uint8Array(6000);
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    const r = boot([{ after: '', send: noise }, { after: '', send: '\x05\x15quit\r' }], { maxCycles: 1_000_000_000 });
    expect(r.lines.length).toBeGreaterThan(5);
    expect(r.lines[r.lines.length - 1]).toBe('quit');
    expect(r.out).not.toMatch(/\(console\) exited|abort:|trap/);
  });

  it('a reader killed while it waits does not swallow the next line', () => {
    // The client reads first, the "reader" task queues behind it; the client
    // kills the reader, reads again, and must get the next line (even when the
    // line is complete before the client's next read arrives).
    const reader = (out: string): number => Number(/boot: started "reader" .* as task (\d+)/.exec(out)![1]);
    const r = boot([{ after: '', send: (out) => `kill ${reader(out)}\r` }, { after: 'killed', send: 'after\rquit\r' }], { extra: [READER] });
    expect(r.out).toMatch(killedLine(reader(r.out), 'reader'));
    expect(r.lines).toEqual([`kill ${reader(r.out)}`, 'after', 'quit']);
    expect(r.out).not.toContain('reader: [');
  });
});

describe('console server under QEMU', () => {
  // QEMU's 16550 (receive FIFO, character timeout) with input from a pipe.
  it.skipIf(!hasQemu)('reads edited lines typed into qemu-system-riscv32', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasmos-console-'));
    try {
      // The client powers the machine off at the end (flags=system), so QEMU exits.
      writeFileSync(join(dir, 'initrd.bin'), archive([MANIFEST[0]!, `${MANIFEST[1]!},system`]));
      const input = `wrld${LEFT}${LEFT}${LEFT}o${ESC}[Hhello ${ESC}[F!\r${'x'.repeat(40)}\x17abc\r${UP}\rpoweroff\r`;
      const r = spawnSync('timeout', ['60', 'qemu-system-riscv32', '-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128',
        '-kernel', KERNEL, '-initrd', join(dir, 'initrd.bin'), '-append', ''], { input, encoding: 'latin1' });
      const lines = [...r.stdout.replace(/\r/g, '').matchAll(/^line: \[(.*)\]$/gm)].map((x) => x[1]);
      expect(lines).toEqual(['hello world!', 'abc', 'abc', 'poweroff']);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
