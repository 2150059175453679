// The shell on the whole OS: the real kernel, init, console, fs and the demo
// servers on the board, driven through the console like a user (tests/os/os-boot.ts).
// Every built-in command is typed at least once and its output checked.
import wabtInit from 'wabt';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootOs, PROMPT, type OsBootResult } from './os-boot.ts';

/** A module whose main returns `code`: the exit status the shell must report. */
async function exitModule(code: number): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const m = wabt.parseWat('exit.wat', `(module (memory 1) (func (export "main") (result i32) (i32.const ${code})))`);
  try {
    m.validate();
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

/** The magic and version of a Wasm module, then bytes that are no section. */
const BROKEN_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff]);

/**
 * Types one more line at the prompt a finished session stopped at, runs the
 * machine to the next prompt, and returns what the line printed.
 */
function typeLine(r: OsBootResult, line: string, then?: { afterCycles: number; send: string }): string {
  const body = typeKeys(r, `${line}\r`, then);
  return body.slice(body.indexOf('\n') + 1); // the console's echo of the line comes first
}

/** typeLine with raw keys: the output up to the next prompt, the console's echo first. */
function typeKeys(r: OsBootResult, keys: string, then?: { afterCycles: number; send: string }): string {
  let text = '';
  r.machine.onSerial = (b) => { text += Buffer.from(b).toString('latin1'); };
  r.machine.sendSerial(new TextEncoder().encode(keys));
  if (then) {
    // Keys typed a while later, as a user reacts to the running program.
    const at = r.machine.cycles + then.afterCycles;
    while (r.machine.cycles < at && !text.includes(PROMPT)) r.machine.run(1_000_000);
    r.machine.sendSerial(new TextEncoder().encode(then.send));
  }
  const end = r.machine.cycles + 300_000_000;
  while (r.machine.cycles < end && !text.includes(PROMPT)) r.machine.run(1_000_000);
  text = text.replace(/\r/g, '');
  if (!text.includes(PROMPT)) throw new Error(`no prompt after ${JSON.stringify(keys)}:\n${text}`);
  return text.slice(0, text.indexOf(PROMPT));
}

/** What a background `busy` prints when it starts: it may land in any later line's output. */
const BUSY_BANNER = /^busy: spinning forever \(kill me, or Ctrl-C\)\n/gm;

/**
 * The output of each script line, by its text (lines are unique in a script):
 * from after its prompt and echo to the next prompt, without the banners of
 * background programs, which print whenever they get to run.
 */
function session(r: OsBootResult, script: string[]): (line: string) => string {
  const segments = r.out.split(PROMPT);
  return (line: string) => {
    const i = script.indexOf(line);
    if (i < 0) throw new Error(`not in the script: ${line}`);
    const seg = (segments[i + 1] ?? '').replace(BUSY_BANNER, '');
    const nl = seg.indexOf('\n');
    return nl >= 0 ? seg.slice(nl + 1) : '';
  };
}

describe('the shell on the whole OS', () => {
  // One boot for most commands: booting takes a few seconds of host time.
  const script = [
    'help',
    'pwd',
    'ls',
    'ls /boot',
    'ping',
    'ping kernel',
    'ping nosuch',
    'lookup pong',
    'lookup nosuch',
    'echo "hello,   echo" again',
    'uptime',
    'mem',
    'write /tmp/a.txt hello "big   world"',
    'cat /tmp/a.txt',
    'cat /tmp/a.txt /tmp/missing /boot/init.rc',
    'mkdir /tmp/d',
    'cd /tmp/d',
    'write "f 1.txt" one\\ word',
    'ls .',
    'cd ..',
    'ls /tmp',
    'rm d',
    'rm "d/f 1.txt"',
    'rm  d',
    'cd /nowhere',
    'cd /tmp/a.txt',
    'pwd ',
    'cd /',
    'ls /tmp/a.txt',
    'hello one "two words"',
    'run hello.wasm x',
    'run /boot/hello.wasm',
    'exit3',
    'run /tmp/a.txt',
    'run /tmp/none.wasm',
    'broken',
    'trap',
    'nosuch',
    'run nosuch',
    'cd /host',
    'tool',
    'cat note.txt',
    'cd /',
    'busy &',
    'start busy',
    'jobs',
    'ps',
    'uptime ',
    'kill 99999',
    'kill abc',
    'ls &',
    'trace on',
    'trace off',
    'trace',
    'clear',
    'echo "unterminated',
  ];
  let r: OsBootResult;
  let out: (line: string) => string;
  // Task ids of the two background jobs, read from the session as it runs.
  const jobTask = (n: number): string => /\[job \d+\] task (\d+)/.exec(out(n === 1 ? 'busy &' : 'start busy'))![1]!;

  beforeAll(async () => {
    const tool = await exitModule(0);
    r = bootOs({
      script,
      bootFiles: { 'exit3.wasm': await exitModule(3), 'broken.wasm': BROKEN_WASM },
      hostFiles: { 'tool.wasm': tool, 'note.txt': 'a note from the host' },
    });
    out = session(r, script);
  }, 120_000);

  it('reaches every prompt', () => {
    expect(r.typed).toBe(script.length);
    expect(r.out.split(PROMPT).length).toBeGreaterThan(script.length);
  });

  it('help lists every command with a description', () => {
    const help = out('help');
    for (const c of ['help', 'ls', 'cat', 'write', 'rm', 'mkdir', 'cd', 'pwd', 'run', 'start', 'jobs', 'ps', 'kill',
      'lookup', 'ping', 'echo', 'uptime', 'mem', 'trace', 'clear', 'shutdown', 'reboot']) {
      expect(help).toMatch(new RegExp(`^  ${c}\\b.* {2,}\\w`, 'm'));
    }
  });

  it('lists directories with name, kind and size', () => {
    expect(out('pwd')).toBe('/\n');
    expect(out('ls')).toMatch(/^boot\/\s+dir\s+\d+\n(.*\n)*tmp\/\s+dir/m);
    const boot = out('ls /boot');
    expect(boot).toMatch(/^hello\.wasm\s+file\s+\d+$/m);
    expect(boot).toMatch(/^shell\.wasm\s+file\s+\d+$/m);
    expect(boot).toMatch(/^exit3\.wasm\s+file\s+\d+$/m);
    expect(out('ls /tmp/a.txt')).toMatch(/^\/tmp\/a\.txt\s+file\s+18$/m);
  });

  it('writes, reads, makes and removes files relative to the working directory', () => {
    expect(out('write /tmp/a.txt hello "big   world"')).toBe('');
    expect(out('cat /tmp/a.txt')).toBe('hello big   world\n');
    const several = out('cat /tmp/a.txt /tmp/missing /boot/init.rc');
    expect(several).toContain('hello big   world\ncat: /tmp/missing: E_NOT_FOUND (no such file)\n');
    expect(several).toContain('shell shell.wasm');
    expect(out('cd /tmp/d')).toBe('');
    expect(out('ls .')).toMatch(/^f 1\.txt\s+file\s+9$/m);
    expect(out('ls /tmp')).toMatch(/^a\.txt\s+file\s+18\nd\/\s+dir/m);
    expect(out('rm d')).toBe('rm: /tmp/d: E_NOT_EMPTY (directory not empty)\n');
    expect(out('rm "d/f 1.txt"')).toBe('');
    expect(out('rm  d')).toBe('');
    expect(out('cd /nowhere')).toBe('cd: /nowhere: E_NOT_FOUND (no such file)\n');
    expect(out('cd /tmp/a.txt')).toBe('cd: /tmp/a.txt: E_NOT_DIR (not a directory)\n');
    expect(out('pwd ')).toBe('/tmp\n');
  });

  it('runs programs in the foreground and reports how they ended', () => {
    expect(out('hello one "two words"')).toMatch(/Hello from WasmOS!(.*\n)*.*one\n(.*\n)*.*two words\n/);
    expect(out('run hello.wasm x')).toMatch(/Hello from WasmOS![^]*x\n$/);
    expect(out('run /boot/hello.wasm')).toContain('Hello from WasmOS!');
    expect(out('exit3')).toBe('[exit 3]\n');
    expect(out('run /tmp/a.txt')).toBe('run: /tmp/a.txt: E_NOT_WASM (not a WebAssembly module)\n');
    expect(out('run /tmp/none.wasm')).toBe('run: /tmp/none.wasm: E_NOT_FOUND (no such file)\n');
    expect(out('broken')).toMatch(/^broken: \/boot\/broken\.wasm: E_BAD_MODULE \(invalid WebAssembly module\)\n$/m);
    const trap = out('trap');
    expect(trap).toMatch(/trapped\n$/);
    expect(trap.split('\n').filter((l) => l === 'trapped')).toHaveLength(1);
    expect(out('nosuch')).toBe('nosuch: unknown command (no program /boot/nosuch.wasm or /nosuch.wasm)\n');
    expect(out('run nosuch')).toBe('run: /boot/nosuch.wasm or /nosuch.wasm: E_NOT_FOUND (no such file)\n');
  });

  it('finds a program in the working directory when /boot has none', () => {
    expect(out('cd /host')).toBe('');
    expect(out('tool')).toBe('');
    expect(out('cat note.txt')).toBe('a note from the host\n');
  });

  it('Ctrl-C kills the foreground program', () => {
    // 0.3 s of guest time later, as a person would: with two busy jobs sharing
    // the shell's priority, the shell needs a few 10 ms slices to make the
    // program the console's foreground task (a Ctrl-C before that is type-ahead).
    expect(typeLine(r, 'busy', { afterCycles: 300_000_000, send: '\x03' })).toMatch(/^busy: spinning.*\n\^C\nkilled\n$/);
  });

  it('runs programs in the background and stays responsive', () => {
    expect(out('busy &')).toMatch(/^\[job 1\] task \d+$/m);
    expect(out('start busy')).toMatch(/^\[job 2\] task \d+$/m);
    const jobs = out('jobs');
    expect(jobs).toContain(`[job 1] task ${jobTask(1)}  busy\n`);
    expect(jobs).toContain(`[job 2] task ${jobTask(2)}  busy\n`);
    // Two busy tasks spin, yet the shell answers.
    expect(out('uptime ')).toMatch(/^up \d+\.\d{3} s \(guest time\)\n$/);
    expect(out('ls &')).toBe('ls: a built-in command cannot run in the background\n');
  });

  it('ps shows every task as a table', () => {
    const ps = out('ps');
    expect(ps.split('\n')[0]).toMatch(/^\s+ID\s+PARENT\s+STATE\s+MEM\s+NAME$/);
    for (const name of ['init', 'console', 'fs', 'pong', 'echo', 'shell', 'busy']) {
      expect(ps).toMatch(new RegExp(`^\\s+\\d+\\s+\\d+\\s+(ready|send|recv|call|sleep)\\s+\\d+K ${name}$`, 'm'));
    }
    expect(ps).toMatch(new RegExp(`^\\s+${jobTask(1)}\\s+\\d+\\s+\\w+\\s+\\d+K busy$`, 'm'));
  });

  it('kill stops a task and checks its argument; jobs forgets it', () => {
    // The job's task id is known only now: type on at the session's last prompt.
    const task = jobTask(1);
    expect(typeLine(r, `kill ${task}`)).toBe(`killed task ${task}\n`);
    const jobs = typeLine(r, 'jobs');
    expect(jobs).toContain('[job 1] done      busy\n');
    expect(jobs).toContain(`[job 2] task ${jobTask(2)}  busy\n`);
    expect(typeLine(r, 'jobs')).toBe(`[job 2] task ${jobTask(2)}  busy\n`);
    expect(out('kill 99999')).toBe('kill: task 99999: E_NO_TASK (no such task)\n');
    expect(out('kill abc')).toBe('kill: abc: not a task id\n');
  });

  it('talks to services: lookup, ping, echo', () => {
    expect(out('lookup pong')).toMatch(/^pong: task \d+\n$/);
    expect(out('lookup nosuch')).toBe('lookup: nosuch: E_NOT_FOUND (no such service)\n');
    const ping = /^reply from pong \(task (\d+)\): value 1 \(sent 1\), (\d+) us\n$/.exec(out('ping'));
    expect(ping).not.toBeNull();
    expect(`pong: task ${ping![1]}\n`).toBe(out('lookup pong'));
    expect(out('ping kernel')).toMatch(/^reply from kernel \(task 0\): value 2 \(sent 2\), \d+ us\n$/);
    expect(out('ping nosuch')).toBe('ping: nosuch: E_NOT_FOUND (no such service)\n');
    expect(out('echo "hello,   echo" again')).toBe('hello,   echo again\n');
  });

  it('reports time, memory, trace and clears the screen', () => {
    expect(out('uptime')).toMatch(/^up \d+\.\d{3} s \(guest time\)\n$/);
    const mem = /^total (\d+) KiB, free (\d+) KiB, kernel heap (\d+) KiB, (\d+) tasks\n$/.exec(out('mem'));
    expect(mem).not.toBeNull();
    expect(Number(mem![1])).toBeGreaterThan(100_000);
    expect(Number(mem![2])).toBeLessThan(Number(mem![1]));
    expect(Number(mem![4])).toBeGreaterThanOrEqual(8);
    expect(out('trace on')).toBe('');
    expect(out('trace off')).toBe('');
    expect(out('trace')).toBe('usage: trace on|off\n');
    expect(out('clear')).toBe('\x1b[2J\x1b[H');
    expect(out('echo "unterminated')).toBe('shell: unterminated double quote\n');
  });

  it('Ctrl-C at the prompt drops the line; Ctrl-D does not end the shell', () => {
    expect(typeKeys(r, 'half a line\x03')).toBe('half a line^C\n');
    expect(typeKeys(r, '\x04')).toBe('(the shell does not exit: type shutdown to power off)\n');
    expect(typeLine(r, 'pwd')).toBe('/\n');
  });
});

describe('the shell powers the machine off and reboots it', () => {
  it('shutdown', () => {
    const r = bootOs({ script: ['shutdown'] });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^shutting down$/m);
  });

  it('reboot comes back to a prompt', () => {
    const r = bootOs({ script: ['reboot'] });
    expect(r.code).toBeNull();
    expect(r.typed).toBe(1);
    expect(r.out).toMatch(/^rebooting$/m);
    // The machine has reset: run it on to the new shell's first prompt.
    let text = '';
    r.machine.onSerial = (b) => { text += Buffer.from(b).toString('latin1'); };
    const end = r.machine.cycles + 500_000_000;
    while (r.machine.cycles < end && !text.includes(PROMPT)) r.machine.run(1_000_000);
    expect(text).toMatch(/^WasmOS kernel/);
    expect(text).toContain(`WasmOS shell: type help for the commands.\r\n${PROMPT}`);
  });
});
